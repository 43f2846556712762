import { denialReason } from '../../../policy/index.js';
import type { Principal } from '../../../identity/principal.js';
import { AwsError } from '../../../protocol/errors.js';
import type { Verdict } from '../../../server/authorize.js';
import type { Store } from '../../../store/store.js';
import { authorizationMessage, encodeAuthorizationMessage } from '../../sts/authorization-message.js';

/**
 * EC2's denial: UnauthorizedOperation (403). Actions on a resource add an encoded
 * authorization failure message that `aws sts decode-authorization-message` opens
 * (src/services/sts/authorization-message.ts); Describe* denials (resource "*") do not.
 */
export function ec2AccessDenied(principal: Principal, v: Verdict, store: Store): AwsError {
  const { action, resource } = v.entry;
  const reason = denialReason(v.decision, action);
  const head = `You are not authorized to perform this operation. User: ${principal.arn} is not authorized to perform: ${action}`;
  if (resource === '*') return new AwsError('UnauthorizedOperation', `${head} ${reason}`, 403);
  const encoded = encodeAuthorizationMessage(store, principal.accountId, authorizationMessage(principal, v.entry, v.decision));
  return new AwsError('UnauthorizedOperation', `${head} on resource: ${resource} ${reason}. Encoded authorization failure message: ${encoded}`, 403);
}

import { AwsError } from '../../../protocol/errors.js';
import { denialReason } from '../../../policy/index.js';
import type { Principal } from '../../../identity/principal.js';
import type { Verdict } from '../../../server/authorize.js';

/** sso-admin and identitystore answer a policy denial with AccessDeniedException (HTTP 400), in IAM's words. */
export function identityCenterAccessDenied(principal: Principal, v: Verdict): AwsError {
  const who = principal.type === 'anonymous' ? 'anonymous' : principal.arn;
  return new AwsError(
    'AccessDeniedException',
    `User: ${who} is not authorized to perform: ${v.entry.action} on resource: ${v.entry.resource} ${denialReason(v.decision, v.entry.action)}`,
    400,
  );
}

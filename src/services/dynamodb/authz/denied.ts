import { denialReason } from '../../../policy/index.js';
import type { Principal } from '../../../identity/principal.js';
import { AwsError } from '../../../protocol/errors.js';
import type { Verdict } from '../../../server/authorize.js';

/**
 * DynamoDB's denial: AccessDeniedException (Coral's namespace, HTTP 400), worded
 *   User: arn:aws:iam::111122223333:user/ana is not authorized to perform: dynamodb:GetItem
 *   on resource: arn:aws:dynamodb:us-east-1:111122223333:table/Music because no
 *   identity-based policy allows the dynamodb:GetItem action
 */
export function dynamodbAccessDenied(principal: Principal, v: Verdict): AwsError {
  const who = principal.type === 'anonymous' ? 'anonymous' : principal.arn;
  return new AwsError(
    'AccessDeniedException',
    `User: ${who} is not authorized to perform: ${v.entry.action} on resource: ${v.entry.resource} ${denialReason(v.decision, v.entry.action)}`,
    400,
  );
}

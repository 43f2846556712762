import { denialReason } from '../../../policy/index.js';
import type { Principal } from '../../../identity/principal.js';
import { AwsError } from '../../../protocol/errors.js';
import type { Verdict } from '../../../server/authorize.js';

/**
 * S3's AccessDenied. Within the bucket owner's account S3 says who, what and why, with
 * the resource in quotes:
 *   User: arn:aws:iam::111122223333:user/ana is not authorized to perform: s3:GetObject
 *   on resource: "arn:aws:s3:::b/k" because no identity-based policy allows the s3:GetObject action
 *   … with an explicit deny in a resource-based policy
 * Callers from other accounts and anonymous callers get only "Access Denied" (S3 User
 * Guide, "Troubleshoot access denied (403 Forbidden) errors": the added context is for
 * requests from the same account or organization).
 */
export function s3AccessDenied(principal: Principal, v: Verdict): AwsError {
  return new AwsError('AccessDenied', s3DenialMessage(principal, v.entry.action, v.entry.resource, v.entry.resourceAccount, denialReason(v.decision, v.entry.action)), 403);
}

export function s3DenialMessage(principal: Principal, action: string, resource: string, resourceAccount: string | undefined, reason: string): string {
  const owner = resourceAccount ?? principal.accountId;
  if (principal.type === 'anonymous' || principal.accountId !== owner) return 'Access Denied';
  const on = resource === '*' ? '' : ` on resource: "${resource}"`;
  return `User: ${principal.arn} is not authorized to perform: ${action}${on} ${reason}`;
}

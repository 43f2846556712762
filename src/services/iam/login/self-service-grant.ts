import { compilePolicy, type CompiledPolicy } from '../../../policy/index.js';
import type { AuthzEntry, RequestContext } from '../../types.js';
import type { PasswordPolicy } from './password-policy.js';

/**
 * "Allow users to change their own password" (AllowUsersToChangePassword) gives every IAM
 * user iam:ChangePassword on itself and iam:GetAccountPasswordPolicy, whatever its
 * policies say (an explicit Deny still wins). It is modelled as a resource-based grant
 * naming the caller, so explanations show where the permission came from.
 */

/** The implicit grant of AllowUsersToChangePassword, for an IAM-user caller. */
function selfServiceGrant(ctx: RequestContext, policy: PasswordPolicy | undefined): CompiledPolicy[] | undefined {
  const p = ctx.principal;
  if (p.type !== 'user' || !policy?.AllowUsersToChangePassword) return undefined;
  const text = JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'AllowUsersToChangePassword',
        Effect: 'Allow',
        Principal: { AWS: p.arn },
        Action: ['iam:ChangePassword', 'iam:GetAccountPasswordPolicy'],
        Resource: '*',
      },
    ],
  });
  return [compilePolicy(text, { kind: 'resource', name: 'account password policy (AllowUsersToChangePassword)' })];
}

/** The entry, with the grant as its resource policy when the account's policy (undefined: AWS's default) gives it. */
export function withSelfService(ctx: RequestContext, policy: PasswordPolicy | undefined, entry: AuthzEntry): AuthzEntry {
  const grant = selfServiceGrant(ctx, policy);
  return grant ? { ...entry, resourcePolicies: grant } : entry;
}

import { compilePolicy, type CompiledPolicy } from '../../../policy/index.js';
import type { AuthzEntry, AuthzRule, RequestContext } from '../../types.js';
import { accountPasswordPolicy } from './account-password-policy.js';
import { targetResource } from '../users/caller.js';

/**
 * What the password operations ask the policy engine. Login-profile operations act on the
 * user; ChangePassword on the calling user; the account password policy operations on "*".
 *
 * "Allow users to change their own password" (AllowUsersToChangePassword) gives every IAM
 * user iam:ChangePassword on itself and iam:GetAccountPasswordPolicy, whatever its
 * policies say (an explicit Deny still wins). It is modelled as a resource-based grant
 * naming the caller, so explanations show where the permission came from.
 */

const onUser =
  (action: string): AuthzRule =>
  (ctx, input: { UserName?: string }) => ({ action, resource: targetResource(ctx, input.UserName).arn });

/** The implicit grant of AllowUsersToChangePassword, for an IAM-user caller. */
function selfServiceGrant(ctx: RequestContext): CompiledPolicy[] | undefined {
  const p = ctx.principal;
  if (p.type !== 'user' || !accountPasswordPolicy(ctx.store, ctx.accountId)?.AllowUsersToChangePassword) return undefined;
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

function withSelfService(ctx: RequestContext, entry: AuthzEntry): AuthzEntry {
  const grant = selfServiceGrant(ctx);
  return grant ? { ...entry, resourcePolicies: grant } : entry;
}

export const loginAuthz: Record<string, AuthzRule> = {
  CreateLoginProfile: onUser('iam:CreateLoginProfile'),
  GetLoginProfile: onUser('iam:GetLoginProfile'),
  UpdateLoginProfile: onUser('iam:UpdateLoginProfile'),
  DeleteLoginProfile: onUser('iam:DeleteLoginProfile'),
  ChangePassword: (ctx) => withSelfService(ctx, { action: 'iam:ChangePassword', resource: ctx.principal.arn }),
  GetAccountPasswordPolicy: (ctx) => withSelfService(ctx, { action: 'iam:GetAccountPasswordPolicy', resource: '*' }),
  UpdateAccountPasswordPolicy: () => ({ action: 'iam:UpdateAccountPasswordPolicy', resource: '*' }),
  DeleteAccountPasswordPolicy: () => ({ action: 'iam:DeleteAccountPasswordPolicy', resource: '*' }),
};

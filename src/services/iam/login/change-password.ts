import { verifyPassword } from '../../../auth/passwords.js';
import { AwsError } from '../../../protocol/errors.js';
import { operation } from '../../operation.js';
import { noSuchNamed } from '../../../identity/errors.js';
import { accountPasswordPolicy } from './account-password-policy.js';
import { requireLoginProfile, setPassword } from './login-profile-rows.js';
import { withSelfService } from './self-service-grant.js';
import { findUserById } from '../../../identity/users.js';

/**
 * ChangePassword: an IAM user changes its own console password (the action acts on the
 * calling user). The old password must match; the new one must satisfy the account
 * password policy, including reuse prevention; a pending PasswordResetRequired is cleared.
 */
export const ChangePassword = operation({
  writes: true,
  authorize: (ctx) => withSelfService(ctx, accountPasswordPolicy(ctx.store, ctx.accountId), { action: 'iam:ChangePassword', resource: ctx.principal.arn }),
  run: (ctx, input: { OldPassword: string; NewPassword: string }) => {
    const p = ctx.principal;
    if (p.type !== 'user') {
      throw new AwsError('InvalidUserType', 'Only IAM users can change their own password with ChangePassword.', 400);
    }
    const user = findUserById(ctx.store, p.accountId, p.userId);
    if (!user) throw noSuchNamed('user', p.userName ?? p.userId);
    const profile = requireLoginProfile(ctx.store, user);
    if (!verifyPassword(input.OldPassword, profile.password_hash)) {
      throw new AwsError('AccessDenied', 'The old password provided is not correct.', 403);
    }
    setPassword(ctx.store, user, input.NewPassword, ctx.now, { checkReuse: true, resetRequired: false });
    return {};
  },
});

import { verifyPassword } from '../../../auth/passwords.js';
import { AwsError } from '../../../protocol/errors.js';
import type { Handler } from '../../types.js';
import { noSuchNamed } from '../../../identity/errors.js';
import { requireLoginProfile, setPassword } from './login-profiles.js';
import { findUserById } from '../../../identity/users.js';

/**
 * ChangePassword: an IAM user changes its own console password. The old password must
 * match; the new one must satisfy the account password policy, including reuse
 * prevention; a pending PasswordResetRequired is cleared.
 */
const changePassword: Handler = (ctx, input: { OldPassword: string; NewPassword: string }) => {
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
};

export const passwordHandlers: Record<string, Handler> = {
  ChangePassword: changePassword,
};

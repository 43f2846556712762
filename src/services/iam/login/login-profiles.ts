import { hashPassword } from '../../../auth/passwords.js';
import { AwsError } from '../../../protocol/errors.js';
import { operation } from '../../operation.js';
import { insertRow } from '../shared/insert-row.js';
import type { RequestContext } from '../../types.js';
import { accountPasswordPolicy } from './account-password-policy.js';
import { mustSpecifyUserName, targetOf } from '../users/caller.js';
import { userArnRule } from '../shared/user-arn-rule.js';
import { validationError } from '../../../identity/errors.js';
import { findLoginProfile, rememberPassword, requireLoginProfile, setPassword, type LoginProfileRow } from './login-profile-rows.js';
import { validateNewPassword } from './password-policy.js';
import type { UserRow } from '../../../identity/users.js';

/** Login profiles: create, get, update (password, reset flag), delete; each acts on the user, by its ARN. */

/** The IAM user a login-profile operation acts on: the named one, else the calling user. */
function userTarget(ctx: RequestContext, userName: string | undefined): UserRow {
  const target = targetOf(ctx, userName);
  // The root user's password is not a login profile (AWS requires an AssumeRoot session for that).
  if (target.kind !== 'user') throw mustSpecifyUserName();
  return target.row;
}

function profileShape(user: UserRow, row: LoginProfileRow): Record<string, unknown> {
  return { UserName: user.user_name, CreateDate: new Date(row.created_at), PasswordResetRequired: row.password_reset_required === 1 };
}

export const CreateLoginProfile = operation({
  writes: true,
  authorize: userArnRule('iam:CreateLoginProfile'),
  run: (ctx, input: { UserName?: string; Password?: string; PasswordResetRequired?: boolean }) => {
    const user = userTarget(ctx, input.UserName);
    if (input.Password === undefined) throw validationError('Password is required when not using an AssumeRoot session.');
    if (findLoginProfile(ctx.store, ctx.accountId, user.user_id)) {
      throw new AwsError('EntityAlreadyExists', `Login Profile for user ${user.user_name} already exists.`, 409);
    }
    validateNewPassword(input.Password, accountPasswordPolicy(ctx.store, ctx.accountId));
    const hash = hashPassword(input.Password);
    const row: LoginProfileRow = {
      account_id: ctx.accountId,
      user_id: user.user_id,
      password_hash: hash,
      password_reset_required: input.PasswordResetRequired ? 1 : 0,
      created_at: ctx.now,
      password_changed_at: ctx.now,
    };
    insertRow(ctx.store, 'login_profiles', row);
    rememberPassword(ctx.store, user, hash, ctx.now);
    return { LoginProfile: profileShape(user, row) };
  },
});

export const GetLoginProfile = operation({
  writes: false,
  authorize: userArnRule('iam:GetLoginProfile'),
  run: (ctx, input: { UserName?: string }) => {
    const user = userTarget(ctx, input.UserName);
    return { LoginProfile: profileShape(user, requireLoginProfile(ctx.store, user)) };
  },
});

export const UpdateLoginProfile = operation({
  writes: true,
  authorize: userArnRule('iam:UpdateLoginProfile'),
  run: (ctx, input: { UserName: string; Password?: string; PasswordResetRequired?: boolean }) => {
    const user = userTarget(ctx, input.UserName);
    requireLoginProfile(ctx.store, user);
    if (input.Password !== undefined) {
      setPassword(ctx.store, user, input.Password, ctx.now, { checkReuse: true, resetRequired: input.PasswordResetRequired });
    } else if (input.PasswordResetRequired !== undefined) {
      ctx.store
        .prepare('UPDATE login_profiles SET password_reset_required = ? WHERE account_id = ? AND user_id = ?')
        .run(input.PasswordResetRequired ? 1 : 0, ctx.accountId, user.user_id);
    }
    return {};
  },
});

export const DeleteLoginProfile = operation({
  writes: true,
  authorize: userArnRule('iam:DeleteLoginProfile'),
  run: (ctx, input: { UserName?: string }) => {
    const user = userTarget(ctx, input.UserName);
    requireLoginProfile(ctx.store, user);
    ctx.store.prepare('DELETE FROM login_profiles WHERE account_id = ? AND user_id = ?').run(ctx.accountId, user.user_id);
    return {};
  },
});

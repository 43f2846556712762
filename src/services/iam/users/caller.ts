import type { RequestContext } from '../../types.js';
import { findAccount, rootArn } from '../../../identity/accounts.js';
import { noSuchNamed, validationError } from '../../../identity/errors.js';
import { findUser, findUserById, requireUser, userArn, type UserRow } from '../../../identity/users.js';

/**
 * Whom an operation with an optional UserName acts on (GetUser, CreateAccessKey,
 * ListAccessKeys, UpdateAccessKey, DeleteAccessKey…): the named user, else the caller —
 * an IAM user or the account's root. Other callers (role sessions, federated users) must
 * name a user, as IAM requires.
 */
export type Target = { kind: 'root'; accountId: string; createdAt: number } | { kind: 'user'; row: UserRow };

export function targetOf(ctx: RequestContext, userName: string | undefined): Target {
  if (userName !== undefined) {
    return { kind: 'user', row: requireUser(ctx.store, ctx.accountId, userName) };
  }
  const p = ctx.principal;
  if (p.type === 'root') {
    return { kind: 'root', accountId: p.accountId, createdAt: findAccount(ctx.store, p.accountId)?.created_at ?? ctx.now };
  }
  if (p.type === 'user') {
    const row = findUserById(ctx.store, p.accountId, p.userId);
    if (!row) throw noSuchNamed('user', p.userName ?? p.userId);
    return { kind: 'user', row };
  }
  throw mustSpecifyUserName();
}

export function mustSpecifyUserName() {
  return validationError('Must specify userName when calling with non-User credentials');
}

/**
 * The ARN authorization checks for a user an operation names (or the caller when it
 * names none), and the user's row when it exists. A user that does not exist is checked
 * as arn:…:user/NAME, as IAM does, so the caller learns nothing it may not know.
 */
export function targetResource(ctx: RequestContext, userName: string | undefined): { arn: string; row?: UserRow } {
  if (userName !== undefined) {
    const row = findUser(ctx.store, ctx.accountId, userName);
    if (!row) return { arn: userArn(ctx.accountId, '/', userName) };
    return { arn: userArn(row.account_id, row.path, row.user_name), row };
  }
  const p = ctx.principal;
  if (p.type === 'root') return { arn: rootArn(p.accountId) };
  if (p.type === 'user') {
    const row = findUserById(ctx.store, p.accountId, p.userId);
    return { arn: p.arn, row };
  }
  throw mustSpecifyUserName();
}

import type { Handler, RequestContext } from '../../types.js';
import { rootArn } from '../../../identity/accounts.js';
import { targetOf } from './caller.js';
import { managedPolicyDocument } from '../../../identity/effective-policies.js';
import { alreadyExists, noSuchEntity } from '../../../identity/errors.js';
import { checkQuota } from '../../../identity/quotas.js';
import { newUniqueId } from '../../../identity/ids.js';
import { paginateQuery, type PageRequest } from '../shared/paginate.js';
import { checkNewTags, deleteAllTags, putTags, type Tag } from '../../../identity/tags.js';
import { assertUserDeletable } from './user-dependents.js';
import { findUser, requireUser, USER_KIND, userShape, type UserRow } from '../../../identity/users.js';
import { entityCount } from '../../../store/store.js';


const createUser: Handler = (ctx, input: { UserName: string; Path?: string; PermissionsBoundary?: string; Tags?: Tag[] }) => {
  const { store, accountId } = ctx;
  if (findUser(store, accountId, input.UserName)) throw alreadyExists('User', input.UserName);
  if (input.Tags) checkNewTags(input.Tags);
  if (input.PermissionsBoundary !== undefined) checkBoundary(ctx, input.PermissionsBoundary);
  const count = entityCount(store, accountId, 'users');
  checkQuota('UsersPerAccount', count);

  const row: UserRow = {
    account_id: accountId,
    user_id: newUniqueId('AIDA'),
    user_name: input.UserName,
    path: input.Path ?? '/',
    created_at: ctx.now,
    permissions_boundary_arn: input.PermissionsBoundary ?? null,
    password_last_used_at: null,
  };
  store
    .prepare(
      `INSERT INTO users (account_id, user_id, user_name, path, created_at, permissions_boundary_arn, password_last_used_at)
       VALUES (@account_id, @user_id, @user_name, @path, @created_at, @permissions_boundary_arn, @password_last_used_at)`,
    )
    .run(row);
  if (input.Tags?.length) putTags(store, accountId, USER_KIND, row.user_id, input.Tags);
  return { User: userShape(store, row, { withTags: true }) };
};

/** A boundary must name a managed policy that exists (IAM's wording for boundaries). */
function checkBoundary(ctx: RequestContext, arn: string): void {
  if (!managedPolicyDocument(ctx.store, ctx.accountId, arn)) throw noSuchEntity(`Scope ARN: ${arn} does not exist or is not attachable.`);
}

const getUser: Handler = (ctx, input: { UserName?: string }) => {
  const target = targetOf(ctx, input.UserName);
  if (target.kind === 'root') {
    // IAM's view of the root user: the account id as UserId, no name or path.
    return { User: { UserId: target.accountId, Arn: rootArn(target.accountId), CreateDate: new Date(target.createdAt) } };
  }
  return { User: userShape(ctx.store, target.row, { withTags: true }) };
};

const listUsers: Handler = (ctx, input: PageRequest & { PathPrefix?: string }) => {
  const prefix = input.PathPrefix ?? '/';
  // user_name is COLLATE NOCASE: its order and comparisons match the lower-cased marker key.
  const { items, more } = paginateQuery(
    input,
    (after, limit) =>
      ctx.store
        .prepare<UserRow>(
          `SELECT * FROM users WHERE account_id = ? AND substr(path, 1, ?) = ? AND (? IS NULL OR user_name > ?)
           ORDER BY user_name LIMIT ?`,
        )
        .all(ctx.accountId, prefix.length, prefix, after, after, limit),
    (u) => u.user_name.toLowerCase(),
  );
  return { Users: items.map((u) => userShape(ctx.store, u, { withTags: false })), ...more };
};

const updateUser: Handler = (ctx, input: { UserName: string; NewUserName?: string; NewPath?: string }) => {
  const { store, accountId } = ctx;
  const row = requireUser(store, accountId, input.UserName);
  if (input.NewUserName !== undefined) {
    const other = findUser(store, accountId, input.NewUserName);
    if (other && other.user_id !== row.user_id) throw alreadyExists('User', input.NewUserName);
  }
  store
    .prepare('UPDATE users SET user_name = ?, path = ? WHERE account_id = ? AND user_id = ?')
    .run(input.NewUserName ?? row.user_name, input.NewPath ?? row.path, accountId, row.user_id);
  return {};
};

const deleteUser: Handler = (ctx, input: { UserName: string }) => {
  const { store, accountId } = ctx;
  const row = requireUser(store, accountId, input.UserName);
  assertUserDeletable(store, accountId, row.user_id);
  deleteAllTags(store, accountId, USER_KIND, row.user_id);
  store.prepare('DELETE FROM users WHERE account_id = ? AND user_id = ?').run(accountId, row.user_id);
  return {};
};

export const userHandlers: Record<string, Handler> = {
  CreateUser: createUser,
  GetUser: getUser,
  ListUsers: listUsers,
  UpdateUser: updateUser,
  DeleteUser: deleteUser,
};

import { operation } from '../../operation.js';
import { rootArn } from '../../../identity/accounts.js';
import { alreadyExists } from '../../../identity/errors.js';
import { newUniqueId } from '../../../identity/ids.js';
import { checkQuota } from '../../../identity/quotas.js';
import { checkNewTags, deleteAllTags, putTags, requestTagKeys, type Tag } from '../../../identity/tags.js';
import { findUser, requireUser, USER_KIND, userArn, userShape, type UserRow } from '../../../identity/users.js';
import { entityCount } from '../../../store/store.js';
import { checkBoundary } from '../shared/permissions-boundary.js';
import { paginateQuery, type PageRequest } from '../shared/paginate.js';
import { targetOf, targetResource } from './caller.js';
import { assertUserDeletable } from './user-dependents.js';
import { onUser, type ConditionKeys } from './user-resource.js';

type CreateUserInput = { UserName: string; Path?: string; PermissionsBoundary?: string; Tags?: Tag[] };

export const CreateUser = operation({
  writes: true,
  authorize: (ctx, input: CreateUserInput) => {
    const context: ConditionKeys = requestTagKeys(input.Tags);
    if (input.PermissionsBoundary !== undefined) context['iam:PermissionsBoundary'] = input.PermissionsBoundary;
    const resource = userArn(ctx.accountId, input.Path ?? '/', input.UserName);
    return Object.keys(context).length > 0 ? { action: 'iam:CreateUser', resource, context } : { action: 'iam:CreateUser', resource };
  },
  run: (ctx, input: CreateUserInput) => {
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
  },
});

/** The named user, or the caller when UserName is omitted. */
export const GetUser = operation({
  writes: false,
  authorize: (ctx, input: { UserName?: string }) => onUser(ctx, 'iam:GetUser', input.UserName),
  run: (ctx, input: { UserName?: string }) => {
    const target = targetOf(ctx, input.UserName);
    if (target.kind === 'root') {
      // IAM's view of the root user: the account id as UserId, no name or path.
      return { User: { UserId: target.accountId, Arn: rootArn(target.accountId), CreateDate: new Date(target.createdAt) } };
    }
    return { User: userShape(ctx.store, target.row, { withTags: true }) };
  },
});

export const ListUsers = operation({
  writes: false,
  // IAM checks listing against the user path being listed: arn:…:user/ for all users.
  authorize: (ctx, input: PageRequest & { PathPrefix?: string }) => ({ action: 'iam:ListUsers', resource: `arn:aws:iam::${ctx.accountId}:user${input.PathPrefix ?? '/'}` }),
  run: (ctx, input: PageRequest & { PathPrefix?: string }) => {
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
  },
});

type UpdateUserInput = { UserName: string; NewUserName?: string; NewPath?: string };

export const UpdateUser = operation({
  writes: true,
  // Renaming or moving needs permission on the user as it is and as it will be.
  authorize: (ctx, input: UpdateUserInput) => {
    const current = onUser(ctx, 'iam:UpdateUser', input.UserName);
    const existing = targetResource(ctx, input.UserName).row;
    const path = input.NewPath ?? existing?.path ?? '/';
    const name = input.NewUserName ?? existing?.user_name ?? input.UserName;
    const next = userArn(ctx.accountId, path, name);
    return next === current.resource ? current : [current, { action: 'iam:UpdateUser', resource: next }];
  },
  run: (ctx, input: UpdateUserInput) => {
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
  },
});

export const DeleteUser = operation({
  writes: true,
  authorize: (ctx, input: { UserName: string }) => onUser(ctx, 'iam:DeleteUser', input.UserName),
  run: (ctx, input: { UserName: string }) => {
    const { store, accountId } = ctx;
    const row = requireUser(store, accountId, input.UserName);
    assertUserDeletable(store, accountId, row.user_id);
    deleteAllTags(store, accountId, USER_KIND, row.user_id);
    store.prepare('DELETE FROM users WHERE account_id = ? AND user_id = ?').run(accountId, row.user_id);
    return {};
  },
});

import type { Store } from '../store/store.js';
import { noSuchNamed } from './errors.js';
import { listTags, type Tag } from './tags.js';

/** One row of the users table. */
export interface UserRow {
  account_id: string;
  user_id: string;
  user_name: string;
  path: string;
  created_at: number;
  permissions_boundary_arn: string | null;
  password_last_used_at: number | null;
}

/** The tags table's resource_kind for users. */
export const USER_KIND = 'user';

export function userArn(accountId: string, path: string, userName: string): string {
  return `arn:aws:iam::${accountId}:user${path}${userName}`;
}

/** Looks a user up by name, case-insensitively as IAM does. */
export function findUser(store: Store, accountId: string, userName: string): UserRow | undefined {
  return store.remembered(`user:${accountId}:${userName.toLowerCase()}`, () =>
    store.prepare<UserRow>('SELECT * FROM users WHERE account_id = ? AND user_name = ?').get(accountId, userName),
  );
}

export function findUserById(store: Store, accountId: string, userId: string): UserRow | undefined {
  return store.remembered(`user-id:${accountId}:${userId}`, () =>
    store.prepare<UserRow>('SELECT * FROM users WHERE account_id = ? AND user_id = ?').get(accountId, userId),
  );
}

/** The user, or IAM's NoSuchEntity naming it as the caller spelled it. */
export function requireUser(store: Store, accountId: string, userName: string): UserRow {
  const row = findUser(store, accountId, userName);
  if (!row) throw noSuchNamed('user', userName);
  return row;
}

/**
 * The IAM User shape. GetUser and CreateUser ('get') include the PermissionsBoundary and
 * the Tags (when there are any); listings ('list': ListUsers, GetGroup's Users, virtual MFA
 * devices' users) include neither, as the model's ListUsers documentation says IAM's do not.
 */
export function userShape(store: Store, row: UserRow, view: 'get' | 'list'): Record<string, unknown> {
  const user: Record<string, unknown> = {
    Path: row.path,
    UserName: row.user_name,
    UserId: row.user_id,
    Arn: userArn(row.account_id, row.path, row.user_name),
    CreateDate: new Date(row.created_at),
  };
  if (row.password_last_used_at !== null) user.PasswordLastUsed = new Date(row.password_last_used_at);
  if (view === 'get' && row.permissions_boundary_arn !== null) {
    user.PermissionsBoundary = { PermissionsBoundaryType: 'PermissionsBoundaryPolicy', PermissionsBoundaryArn: row.permissions_boundary_arn };
  }
  if (view === 'get') {
    const tags: Tag[] = listTags(store, row.account_id, USER_KIND, row.user_id);
    if (tags.length > 0) user.Tags = tags;
  }
  return user;
}

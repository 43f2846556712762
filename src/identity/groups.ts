import type { Store } from '../store/store.js';
import { noSuchNamed } from './errors.js';

/** One row of the groups table. */
export interface GroupRow {
  account_id: string;
  group_id: string;
  group_name: string;
  path: string;
  created_at: number;
}

export function groupArn(accountId: string, path: string, groupName: string): string {
  return `arn:aws:iam::${accountId}:group${path}${groupName}`;
}

/** Looks a group up by name, case-insensitively as IAM does. */
export function findGroup(store: Store, accountId: string, groupName: string): GroupRow | undefined {
  return store.prepare<GroupRow>('SELECT * FROM groups WHERE account_id = ? AND group_name = ?').get(accountId, groupName);
}

/** The group, or IAM's NoSuchEntity naming it as the caller spelled it. */
export function requireGroup(store: Store, accountId: string, groupName: string): GroupRow {
  const row = findGroup(store, accountId, groupName);
  if (!row) throw noSuchNamed('group', groupName);
  return row;
}

/** The groups a user belongs to, in the order the user joined them. */
export function groupsOfUser(store: Store, accountId: string, userId: string): GroupRow[] {
  return store
    .prepare<GroupRow>(
      `SELECT g.* FROM group_members m JOIN groups g ON g.account_id = m.account_id AND g.group_id = m.group_id
       WHERE m.account_id = ? AND m.user_id = ? ORDER BY m.added_at, g.group_name`,
    )
    .all(accountId, userId);
}

/** The IAM Group shape (the same in every answer that carries one). */
export function groupShape(row: GroupRow): Record<string, unknown> {
  return {
    Path: row.path,
    GroupName: row.group_name,
    GroupId: row.group_id,
    Arn: groupArn(row.account_id, row.path, row.group_name),
    CreateDate: new Date(row.created_at),
  };
}

import type { Store } from '../../../store/store.js';
import { noSuchEntity } from '../../../identity/errors.js';
import { roleShape, type RoleRow } from '../../../identity/roles.js';
import { listTags } from '../../../identity/tags.js';

/** Instance profiles as stored, and their IAM shape (a profile holds at most one role). */

/** The tags table's resource_kind for instance profiles. */
export const INSTANCE_PROFILE_KIND = 'instance-profile';

export interface InstanceProfileRow {
  account_id: string;
  instance_profile_id: string;
  instance_profile_name: string;
  path: string;
  created_at: number;
}

export function instanceProfileArn(accountId: string, path: string, name: string): string {
  return `arn:aws:iam::${accountId}:instance-profile${path}${name}`;
}

export function findInstanceProfile(store: Store, accountId: string, name: string): InstanceProfileRow | undefined {
  return store.prepare<InstanceProfileRow>('SELECT * FROM instance_profiles WHERE account_id = ? AND instance_profile_name = ?').get(accountId, name);
}

export function requireInstanceProfile(store: Store, accountId: string, name: string): InstanceProfileRow {
  const row = findInstanceProfile(store, accountId, name);
  if (!row) throw noSuchEntity(`Instance Profile ${name} cannot be found.`);
  return row;
}

export function rolesIn(store: Store, profile: InstanceProfileRow): RoleRow[] {
  return store
    .prepare<RoleRow>(
      `SELECT r.* FROM instance_profile_roles ipr JOIN roles r ON r.account_id = ipr.account_id AND r.role_id = ipr.role_id
       WHERE ipr.account_id = ? AND ipr.instance_profile_id = ? ORDER BY ipr.added_at`,
    )
    .all(profile.account_id, profile.instance_profile_id);
}

/** The IAM InstanceProfile shape; its Roles are in ListRoles' form. */
export function profileShape(store: Store, row: InstanceProfileRow, opts: { withTags: boolean }): Record<string, unknown> {
  const profile: Record<string, unknown> = {
    Path: row.path,
    InstanceProfileName: row.instance_profile_name,
    InstanceProfileId: row.instance_profile_id,
    Arn: instanceProfileArn(row.account_id, row.path, row.instance_profile_name),
    CreateDate: new Date(row.created_at),
    Roles: rolesIn(store, row).map((r) => roleShape(store, r, 'list')),
  };
  if (opts.withTags) {
    const tags = listTags(store, row.account_id, INSTANCE_PROFILE_KIND, row.instance_profile_id);
    if (tags.length > 0) profile.Tags = tags;
  }
  return profile;
}

import { entityCount, type Store } from '../../../store/store.js';
import type { Handler } from '../../types.js';
import { AwsError } from '../../../protocol/errors.js';
import { deleteConflict, noSuchEntity, noSuchNamed, quotaExceeded } from '../../../identity/errors.js';
import { newUniqueId } from '../../../identity/ids.js';
import { paginate, type PageRequest } from '../shared/paginate.js';
import { requireRole, roleShape, type RoleRow } from '../../../identity/roles.js';
import { checkNewTags, deleteAllTags, listTags, putTags, removeTags, type Tag } from '../../../identity/tags.js';

/** IAM's default quota of instance profiles per account; a profile holds at most one role. */
export const MAX_INSTANCE_PROFILES_PER_ACCOUNT = 1000;
export const MAX_ROLES_PER_INSTANCE_PROFILE = 1;

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

function requireInstanceProfile(store: Store, accountId: string, name: string): InstanceProfileRow {
  const row = findInstanceProfile(store, accountId, name);
  if (!row) throw noSuchEntity(`Instance Profile ${name} cannot be found.`);
  return row;
}

function rolesIn(store: Store, profile: InstanceProfileRow): RoleRow[] {
  return store
    .prepare<RoleRow>(
      `SELECT r.* FROM instance_profile_roles ipr JOIN roles r ON r.account_id = ipr.account_id AND r.role_id = ipr.role_id
       WHERE ipr.account_id = ? AND ipr.instance_profile_id = ? ORDER BY ipr.added_at`,
    )
    .all(profile.account_id, profile.instance_profile_id);
}

/** The IAM InstanceProfile shape; its Roles are in ListRoles' form. */
function profileShape(store: Store, row: InstanceProfileRow, opts: { withTags: boolean }): Record<string, unknown> {
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

const createInstanceProfile: Handler = (ctx, input: { InstanceProfileName: string; Path?: string; Tags?: Tag[] }) => {
  const { store, accountId } = ctx;
  if (findInstanceProfile(store, accountId, input.InstanceProfileName)) {
    throw new AwsError('EntityAlreadyExists', `Instance Profile ${input.InstanceProfileName} already exists.`, 409);
  }
  if (input.Tags) checkNewTags(input.Tags);
  const count = entityCount(store, accountId, 'instance_profiles');
  if (count >= MAX_INSTANCE_PROFILES_PER_ACCOUNT) throw quotaExceeded('InstanceProfilesPerAccount', MAX_INSTANCE_PROFILES_PER_ACCOUNT);
  const row: InstanceProfileRow = {
    account_id: accountId,
    instance_profile_id: newUniqueId('AIPA'),
    instance_profile_name: input.InstanceProfileName,
    path: input.Path ?? '/',
    created_at: ctx.now,
  };
  store
    .prepare(
      `INSERT INTO instance_profiles (account_id, instance_profile_id, instance_profile_name, path, created_at)
       VALUES (@account_id, @instance_profile_id, @instance_profile_name, @path, @created_at)`,
    )
    .run(row);
  if (input.Tags?.length) putTags(store, accountId, INSTANCE_PROFILE_KIND, row.instance_profile_id, input.Tags);
  return { InstanceProfile: profileShape(store, row, { withTags: true }) };
};

const getInstanceProfile: Handler = (ctx, input: { InstanceProfileName: string }) => {
  const row = requireInstanceProfile(ctx.store, ctx.accountId, input.InstanceProfileName);
  return { InstanceProfile: profileShape(ctx.store, row, { withTags: true }) };
};

const listInstanceProfiles: Handler = (ctx, input: PageRequest & { PathPrefix?: string }) => {
  const prefix = input.PathPrefix ?? '/';
  const rows = ctx.store
    .prepare<InstanceProfileRow>('SELECT * FROM instance_profiles WHERE account_id = ?')
    .all(ctx.accountId)
    .filter((p) => p.path.startsWith(prefix));
  const { items, more } = paginate(rows, input, (p) => p.instance_profile_name.toLowerCase());
  return { InstanceProfiles: items.map((p) => profileShape(ctx.store, p, { withTags: false })), ...more };
};

const listInstanceProfilesForRole: Handler = (ctx, input: PageRequest & { RoleName: string }) => {
  const role = requireRole(ctx.store, ctx.accountId, input.RoleName);
  const rows = ctx.store
    .prepare<InstanceProfileRow>(
      `SELECT ip.* FROM instance_profile_roles ipr
       JOIN instance_profiles ip ON ip.account_id = ipr.account_id AND ip.instance_profile_id = ipr.instance_profile_id
       WHERE ipr.account_id = ? AND ipr.role_id = ?`,
    )
    .all(role.account_id, role.role_id);
  const { items, more } = paginate(rows, input, (p) => p.instance_profile_name.toLowerCase());
  return { InstanceProfiles: items.map((p) => profileShape(ctx.store, p, { withTags: false })), ...more };
};

const addRoleToInstanceProfile: Handler = (ctx, input: { InstanceProfileName: string; RoleName: string }) => {
  const profile = requireInstanceProfile(ctx.store, ctx.accountId, input.InstanceProfileName);
  const role = requireRole(ctx.store, ctx.accountId, input.RoleName);
  // The quota cannot be raised; even the role already there counts against it.
  if (rolesIn(ctx.store, profile).length >= MAX_ROLES_PER_INSTANCE_PROFILE) {
    throw quotaExceeded('InstanceSessionsPerInstanceProfile', MAX_ROLES_PER_INSTANCE_PROFILE);
  }
  ctx.store
    .prepare('INSERT INTO instance_profile_roles (account_id, instance_profile_id, role_id, added_at) VALUES (?, ?, ?, ?)')
    .run(ctx.accountId, profile.instance_profile_id, role.role_id, ctx.now);
  return {};
};

const removeRoleFromInstanceProfile: Handler = (ctx, input: { InstanceProfileName: string; RoleName: string }) => {
  const profile = requireInstanceProfile(ctx.store, ctx.accountId, input.InstanceProfileName);
  const role = requireRole(ctx.store, ctx.accountId, input.RoleName);
  const { changes } = ctx.store
    .prepare('DELETE FROM instance_profile_roles WHERE account_id = ? AND instance_profile_id = ? AND role_id = ?')
    .run(ctx.accountId, profile.instance_profile_id, role.role_id);
  if (changes === 0) throw noSuchNamed('role', input.RoleName);
  return {};
};

const deleteInstanceProfile: Handler = (ctx, input: { InstanceProfileName: string }) => {
  const profile = requireInstanceProfile(ctx.store, ctx.accountId, input.InstanceProfileName);
  if (rolesIn(ctx.store, profile).length > 0) throw deleteConflict('remove roles from instance profile');
  deleteAllTags(ctx.store, ctx.accountId, INSTANCE_PROFILE_KIND, profile.instance_profile_id);
  ctx.store.prepare('DELETE FROM instance_profiles WHERE account_id = ? AND instance_profile_id = ?').run(ctx.accountId, profile.instance_profile_id);
  return {};
};

const tagInstanceProfile: Handler = (ctx, input: { InstanceProfileName: string; Tags: Tag[] }) => {
  const profile = requireInstanceProfile(ctx.store, ctx.accountId, input.InstanceProfileName);
  putTags(ctx.store, ctx.accountId, INSTANCE_PROFILE_KIND, profile.instance_profile_id, input.Tags);
  return {};
};

const untagInstanceProfile: Handler = (ctx, input: { InstanceProfileName: string; TagKeys: string[] }) => {
  const profile = requireInstanceProfile(ctx.store, ctx.accountId, input.InstanceProfileName);
  removeTags(ctx.store, ctx.accountId, INSTANCE_PROFILE_KIND, profile.instance_profile_id, input.TagKeys);
  return {};
};

const listInstanceProfileTags: Handler = (ctx, input: PageRequest & { InstanceProfileName: string }) => {
  const profile = requireInstanceProfile(ctx.store, ctx.accountId, input.InstanceProfileName);
  const { items, more } = paginate(listTags(ctx.store, ctx.accountId, INSTANCE_PROFILE_KIND, profile.instance_profile_id), input);
  return { Tags: items, ...more };
};

export const instanceProfileHandlers: Record<string, Handler> = {
  CreateInstanceProfile: createInstanceProfile,
  GetInstanceProfile: getInstanceProfile,
  ListInstanceProfiles: listInstanceProfiles,
  ListInstanceProfilesForRole: listInstanceProfilesForRole,
  AddRoleToInstanceProfile: addRoleToInstanceProfile,
  RemoveRoleFromInstanceProfile: removeRoleFromInstanceProfile,
  DeleteInstanceProfile: deleteInstanceProfile,
  TagInstanceProfile: tagInstanceProfile,
  UntagInstanceProfile: untagInstanceProfile,
  ListInstanceProfileTags: listInstanceProfileTags,
};

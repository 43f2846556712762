import { entityCount } from '../../../store/store.js';
import type { Handler } from '../../types.js';
import { AwsError } from '../../../protocol/errors.js';
import { deleteConflict, noSuchNamed, quotaExceeded } from '../../../identity/errors.js';
import { newUniqueId } from '../../../identity/ids.js';
import { paginate, type PageRequest } from '../shared/paginate.js';
import { requireRole } from '../../../identity/roles.js';
import { checkNewTags, deleteAllTags, putTags, type Tag } from '../../../identity/tags.js';
import { findInstanceProfile, INSTANCE_PROFILE_KIND, profileShape, requireInstanceProfile, rolesIn, type InstanceProfileRow } from './instance-profile-rows.js';

/** IAM's default quota of instance profiles per account; a profile holds at most one role. */
export const MAX_INSTANCE_PROFILES_PER_ACCOUNT = 1000;
export const MAX_ROLES_PER_INSTANCE_PROFILE = 1;

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

export const instanceProfileHandlers: Record<string, Handler> = {
  CreateInstanceProfile: createInstanceProfile,
  GetInstanceProfile: getInstanceProfile,
  ListInstanceProfiles: listInstanceProfiles,
  ListInstanceProfilesForRole: listInstanceProfilesForRole,
  AddRoleToInstanceProfile: addRoleToInstanceProfile,
  RemoveRoleFromInstanceProfile: removeRoleFromInstanceProfile,
  DeleteInstanceProfile: deleteInstanceProfile,
};

import type { Store } from '../../../store/store.js';
import { groupArn, type GroupRow } from '../../../identity/groups.js';
import { instanceProfileArn, INSTANCE_PROFILE_KIND, type InstanceProfileRow } from '../roles/instance-profile-rows.js';
import { encodePolicyDocument } from '../../../identity/policy-documents.js';
import { roleArn, roleShape, ROLE_KIND, type RoleRow } from '../../../identity/roles.js';
import { listTags } from '../../../identity/tags.js';
import { USER_KIND, userArn, type UserRow } from '../../../identity/users.js';

/**
 * The UserDetailList, GroupDetailList and RoleDetailList entries of
 * GetAccountAuthorizationDetails: each identity with what grants it permissions (inline
 * and attached policies, groups, boundary), its tags, and a role's instance profiles.
 */

function inlineList(store: Store, table: string, idColumn: string, accountId: string, id: string) {
  return store
    .prepare<{ policy_name: string; document: string }>(`SELECT policy_name, document FROM ${table} WHERE account_id = ? AND ${idColumn} = ? ORDER BY policy_name`)
    .all(accountId, id)
    .map((p) => ({ PolicyName: p.policy_name, PolicyDocument: encodePolicyDocument(p.document) }));
}

function attachedList(store: Store, table: string, idColumn: string, accountId: string, id: string) {
  return store
    .prepare<{ policy_arn: string }>(`SELECT policy_arn FROM ${table} WHERE account_id = ? AND ${idColumn} = ? ORDER BY attached_at, policy_arn`)
    .all(accountId, id)
    .map((r) => ({ PolicyName: r.policy_arn.slice(r.policy_arn.lastIndexOf('/') + 1), PolicyArn: r.policy_arn }));
}

function boundaryShape(arn: string | null) {
  return arn === null ? undefined : { PermissionsBoundaryType: 'PermissionsBoundaryPolicy', PermissionsBoundaryArn: arn };
}

export function userDetail(store: Store, u: UserRow): Record<string, unknown> {
  const detail: Record<string, unknown> = {
    Path: u.path,
    UserName: u.user_name,
    UserId: u.user_id,
    Arn: userArn(u.account_id, u.path, u.user_name),
    CreateDate: new Date(u.created_at),
    UserPolicyList: inlineList(store, 'user_policies', 'user_id', u.account_id, u.user_id),
    GroupList: store
      .prepare<{ group_name: string }>(
        `SELECT g.group_name FROM group_members m JOIN groups g ON g.account_id = m.account_id AND g.group_id = m.group_id
         WHERE m.account_id = ? AND m.user_id = ? ORDER BY m.added_at, g.group_name`,
      )
      .all(u.account_id, u.user_id)
      .map((g) => g.group_name),
    AttachedManagedPolicies: attachedList(store, 'user_policy_attachments', 'user_id', u.account_id, u.user_id),
  };
  const boundary = boundaryShape(u.permissions_boundary_arn);
  if (boundary) detail.PermissionsBoundary = boundary;
  const tags = listTags(store, u.account_id, USER_KIND, u.user_id);
  if (tags.length > 0) detail.Tags = tags;
  return detail;
}

export function groupDetail(store: Store, g: GroupRow): Record<string, unknown> {
  return {
    Path: g.path,
    GroupName: g.group_name,
    GroupId: g.group_id,
    Arn: groupArn(g.account_id, g.path, g.group_name),
    CreateDate: new Date(g.created_at),
    GroupPolicyList: inlineList(store, 'group_policies', 'group_id', g.account_id, g.group_id),
    AttachedManagedPolicies: attachedList(store, 'group_policy_attachments', 'group_id', g.account_id, g.group_id),
  };
}

/** The instance profiles holding a role, each with its roles (in ListRoles' form) and tags. */
function instanceProfilesOf(store: Store, r: RoleRow): Record<string, unknown>[] {
  const profiles = store
    .prepare<InstanceProfileRow>(
      `SELECT ip.* FROM instance_profile_roles ipr
       JOIN instance_profiles ip ON ip.account_id = ipr.account_id AND ip.instance_profile_id = ipr.instance_profile_id
       WHERE ipr.account_id = ? AND ipr.role_id = ? ORDER BY ip.instance_profile_name`,
    )
    .all(r.account_id, r.role_id);
  return profiles.map((p) => {
    const roles = store
      .prepare<RoleRow>(
        `SELECT r.* FROM instance_profile_roles ipr JOIN roles r ON r.account_id = ipr.account_id AND r.role_id = ipr.role_id
         WHERE ipr.account_id = ? AND ipr.instance_profile_id = ? ORDER BY ipr.added_at`,
      )
      .all(p.account_id, p.instance_profile_id);
    const shape: Record<string, unknown> = {
      Path: p.path,
      InstanceProfileName: p.instance_profile_name,
      InstanceProfileId: p.instance_profile_id,
      Arn: instanceProfileArn(p.account_id, p.path, p.instance_profile_name),
      CreateDate: new Date(p.created_at),
      Roles: roles.map((role) => roleShape(store, role, 'list')),
    };
    const tags = listTags(store, p.account_id, INSTANCE_PROFILE_KIND, p.instance_profile_id);
    if (tags.length > 0) shape.Tags = tags;
    return shape;
  });
}

export function roleDetail(store: Store, r: RoleRow): Record<string, unknown> {
  const detail: Record<string, unknown> = {
    Path: r.path,
    RoleName: r.role_name,
    RoleId: r.role_id,
    Arn: roleArn(r.account_id, r.path, r.role_name),
    CreateDate: new Date(r.created_at),
    AssumeRolePolicyDocument: encodePolicyDocument(r.assume_role_policy_document),
    InstanceProfileList: instanceProfilesOf(store, r),
    RolePolicyList: inlineList(store, 'role_policies', 'role_id', r.account_id, r.role_id),
    AttachedManagedPolicies: attachedList(store, 'role_policy_attachments', 'role_id', r.account_id, r.role_id),
  };
  const boundary = boundaryShape(r.permissions_boundary_arn);
  if (boundary) detail.PermissionsBoundary = boundary;
  const tags = listTags(store, r.account_id, ROLE_KIND, r.role_id);
  if (tags.length > 0) detail.Tags = tags;
  const lastUsed: Record<string, unknown> = {};
  if (r.last_used_at !== null) lastUsed.LastUsedDate = new Date(r.last_used_at);
  if (r.last_used_region !== null) lastUsed.Region = r.last_used_region;
  detail.RoleLastUsed = lastUsed;
  return detail;
}

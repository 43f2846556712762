import type { Store } from '../../../store/store.js';
import type { Handler } from '../../types.js';
import { groupArn, type GroupRow } from '../../../identity/groups.js';
import { instanceProfileArn, INSTANCE_PROFILE_KIND, type InstanceProfileRow } from '../roles/instance-profile-rows.js';
import { awsManagedPolicy, type ManagedPolicyEntry } from '../../../identity/aws-managed-catalog.js';
import { paginate, type PageRequest } from '../shared/paginate.js';
import type { ManagedPolicyRow } from '../../../identity/managed-policies.js';
import { policyUsage } from '../policies/policy-usage.js';
import { encodePolicyDocument } from '../../../identity/policy-documents.js';
import { roleArn, roleShape, ROLE_KIND, type RoleRow } from '../../../identity/roles.js';
import { listTags } from '../../../identity/tags.js';
import { USER_KIND, userArn, type UserRow } from '../../../identity/users.js';

/**
 * GetAccountAuthorizationDetails: every user, group, role and managed policy of the
 * account with what grants them permissions, in one paginated listing. The four lists
 * page as one sequence (users, groups, roles, then customer and AWS managed policies,
 * each by name), so a page may end inside any of them; only the page's entries are read
 * in full. Customer managed policies are all listed; AWS managed policies only when the
 * account uses them (attached, or set as a permissions boundary), as AWS does.
 */

type EntityType = 'User' | 'Group' | 'Role' | 'LocalManagedPolicy' | 'AWSManagedPolicy';

/** One entry of the combined listing, before its details are read. */
interface Entry {
  /** Users, groups, roles, customer managed policies, AWS managed policies: listed in this order. */
  section: 0 | 1 | 2 | 3 | 4;
  name: string;
  load: () => [list: 'UserDetailList' | 'GroupDetailList' | 'RoleDetailList' | 'Policies', detail: Record<string, unknown>];
}

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

function userDetail(store: Store, u: UserRow): Record<string, unknown> {
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

function groupDetail(store: Store, g: GroupRow): Record<string, unknown> {
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

function roleDetail(store: Store, r: RoleRow): Record<string, unknown> {
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

function localPolicyDetail(store: Store, p: ManagedPolicyRow): Record<string, unknown> {
  const arn = `arn:aws:iam::${p.account_id}:policy${p.path}${p.policy_name}`;
  const usage = policyUsage(store, p.account_id, arn);
  const versions = store
    .prepare<{ version_id: string; document: string; created_at: number }>(
      'SELECT version_id, document, created_at FROM managed_policy_versions WHERE account_id = ? AND policy_id = ?',
    )
    .all(p.account_id, p.policy_id)
    .sort((a, b) => versionNumber(b.version_id) - versionNumber(a.version_id));
  const detail: Record<string, unknown> = {
    PolicyName: p.policy_name,
    PolicyId: p.policy_id,
    Arn: arn,
    Path: p.path,
    DefaultVersionId: p.default_version_id,
    AttachmentCount: usage.attachments,
    PermissionsBoundaryUsageCount: usage.boundaries,
    IsAttachable: true,
  };
  if (p.description !== null) detail.Description = p.description;
  detail.CreateDate = new Date(p.created_at);
  detail.UpdateDate = new Date(p.updated_at);
  detail.PolicyVersionList = versions.map((v) => ({
    Document: encodePolicyDocument(v.document),
    VersionId: v.version_id,
    IsDefaultVersion: v.version_id === p.default_version_id,
    CreateDate: new Date(v.created_at),
  }));
  return detail;
}

function awsPolicyDetail(store: Store, accountId: string, e: ManagedPolicyEntry): Record<string, unknown> {
  const usage = policyUsage(store, accountId, e.arn);
  const detail: Record<string, unknown> = {
    PolicyName: e.name,
    PolicyId: e.policyId,
    Arn: e.arn,
    Path: e.path,
    DefaultVersionId: e.defaultVersionId,
    AttachmentCount: usage.attachments,
    PermissionsBoundaryUsageCount: usage.boundaries,
    IsAttachable: true,
  };
  if (e.description !== undefined) detail.Description = e.description;
  detail.CreateDate = new Date(e.createDate);
  detail.UpdateDate = new Date(e.updateDate);
  // The catalogue keeps only the default version.
  detail.PolicyVersionList = [{ Document: encodePolicyDocument(e.document), VersionId: e.defaultVersionId, IsDefaultVersion: true, CreateDate: new Date(e.versionCreateDate) }];
  return detail;
}

function versionNumber(versionId: string): number {
  return Number(/^v(\d+)/.exec(versionId)?.[1] ?? 0);
}

/** The AWS managed policies this account attaches or uses as a boundary. */
function awsPoliciesInUse(store: Store, accountId: string): ManagedPolicyEntry[] {
  const arns = store
    .prepare<{ arn: string }>(
      `SELECT policy_arn AS arn FROM user_policy_attachments WHERE account_id = @account AND policy_arn LIKE 'arn:aws:iam::aws:policy/%'
       UNION SELECT policy_arn FROM group_policy_attachments WHERE account_id = @account AND policy_arn LIKE 'arn:aws:iam::aws:policy/%'
       UNION SELECT policy_arn FROM role_policy_attachments WHERE account_id = @account AND policy_arn LIKE 'arn:aws:iam::aws:policy/%'
       UNION SELECT permissions_boundary_arn FROM users WHERE account_id = @account AND permissions_boundary_arn LIKE 'arn:aws:iam::aws:policy/%'
       UNION SELECT permissions_boundary_arn FROM roles WHERE account_id = @account AND permissions_boundary_arn LIKE 'arn:aws:iam::aws:policy/%'`,
    )
    .all({ account: accountId });
  const out: ManagedPolicyEntry[] = [];
  for (const { arn } of arns) {
    const entry = awsManagedPolicy(arn);
    if (entry) out.push(entry);
  }
  return out;
}

/** The entries the filter asks for (all when it names none), cheap to list. */
function entries(store: Store, accountId: string, filter: ReadonlySet<EntityType>): Entry[] {
  const all = filter.size === 0;
  const out: Entry[] = [];
  if (all || filter.has('User')) {
    for (const u of store.prepare<UserRow>('SELECT * FROM users WHERE account_id = ?').all(accountId)) {
      out.push({ section: 0, name: u.user_name, load: () => ['UserDetailList', userDetail(store, u)] });
    }
  }
  if (all || filter.has('Group')) {
    for (const g of store.prepare<GroupRow>('SELECT * FROM groups WHERE account_id = ?').all(accountId)) {
      out.push({ section: 1, name: g.group_name, load: () => ['GroupDetailList', groupDetail(store, g)] });
    }
  }
  if (all || filter.has('Role')) {
    for (const r of store.prepare<RoleRow>('SELECT * FROM roles WHERE account_id = ?').all(accountId)) {
      out.push({ section: 2, name: r.role_name, load: () => ['RoleDetailList', roleDetail(store, r)] });
    }
  }
  if (all || filter.has('LocalManagedPolicy')) {
    for (const p of store.prepare<ManagedPolicyRow>('SELECT * FROM managed_policies WHERE account_id = ?').all(accountId)) {
      out.push({ section: 3, name: p.policy_name, load: () => ['Policies', localPolicyDetail(store, p)] });
    }
  }
  if (all || filter.has('AWSManagedPolicy')) {
    for (const e of awsPoliciesInUse(store, accountId)) {
      out.push({ section: 4, name: e.name, load: () => ['Policies', awsPolicyDetail(store, accountId, e)] });
    }
  }
  return out;
}

const getAccountAuthorizationDetails: Handler = (ctx, input: PageRequest & { Filter?: EntityType[] }) => {
  const filter = new Set(input.Filter ?? []);
  const { items, more } = paginate(entries(ctx.store, ctx.accountId, filter), input, (e) => `${e.section}/${e.name}`);
  const out: Record<string, unknown> = { UserDetailList: [], GroupDetailList: [], RoleDetailList: [], Policies: [] };
  for (const e of items) {
    const [list, detail] = e.load();
    (out[list] as unknown[]).push(detail);
  }
  return { ...out, ...more };
};

export const authorizationDetailsHandlers: Record<string, Handler> = {
  GetAccountAuthorizationDetails: getAccountAuthorizationDetails,
};

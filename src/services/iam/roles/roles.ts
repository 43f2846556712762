import { entityCount, type Store } from '../../../store/store.js';
import type { Handler, RequestContext } from '../../types.js';
import { managedPolicyDocument } from '../../../identity/effective-policies.js';
import { alreadyExists, deleteConflict, noSuchEntity, quotaExceeded } from '../../../identity/errors.js';
import { newUniqueId } from '../../../identity/ids.js';
import { paginate, type PageRequest } from '../shared/paginate.js';
import {
  assertRoleModifiable, DEFAULT_MAX_SESSION_DURATION, findRole, protectedRole, requireRole, ROLE_KIND, roleShape, type RoleRow,
} from '../../../identity/roles.js';
import { checkTrustPolicy } from './role-trust.js';
import { checkNewTags, deleteAllTags, putTags, type Tag } from '../../../identity/tags.js';

/** IAM's default quota of roles per account. */
export const MAX_ROLES_PER_ACCOUNT = 1000;

export interface NewRole {
  roleName: string;
  path: string;
  trustPolicy: string;
  description?: string;
  maxSessionDuration?: number;
  permissionsBoundary?: string;
  tags?: Tag[];
  serviceName?: string;
}

/** Inserts a role after the checks every way of creating one shares (CreateRole, CreateServiceLinkedRole). */
export function insertRole(ctx: RequestContext, role: NewRole): RoleRow {
  const { store, accountId } = ctx;
  const count = entityCount(store, accountId, 'roles');
  if (count >= MAX_ROLES_PER_ACCOUNT) throw quotaExceeded('RolesPerAccount', MAX_ROLES_PER_ACCOUNT);
  const row: RoleRow = {
    account_id: accountId,
    role_id: newUniqueId('AROA'),
    role_name: role.roleName,
    path: role.path,
    created_at: ctx.now,
    assume_role_policy_document: role.trustPolicy,
    description: role.description ? role.description : null,
    max_session_duration: role.maxSessionDuration ?? DEFAULT_MAX_SESSION_DURATION,
    permissions_boundary_arn: role.permissionsBoundary ?? null,
    service_name: role.serviceName ?? null,
    last_used_at: null,
    last_used_region: null,
  };
  store
    .prepare(
      `INSERT INTO roles (account_id, role_id, role_name, path, created_at, assume_role_policy_document, description,
                          max_session_duration, permissions_boundary_arn, service_name, last_used_at, last_used_region)
       VALUES (@account_id, @role_id, @role_name, @path, @created_at, @assume_role_policy_document, @description,
               @max_session_duration, @permissions_boundary_arn, @service_name, @last_used_at, @last_used_region)`,
    )
    .run(row);
  if (role.tags?.length) putTags(store, accountId, ROLE_KIND, row.role_id, role.tags);
  return row;
}

interface CreateRoleInput {
  RoleName: string;
  Path?: string;
  AssumeRolePolicyDocument: string;
  Description?: string;
  MaxSessionDuration?: number;
  PermissionsBoundary?: string;
  Tags?: Tag[];
}

const createRole: Handler = (ctx, input: CreateRoleInput) => {
  if (findRole(ctx.store, ctx.accountId, input.RoleName)) throw alreadyExists('Role', input.RoleName);
  if (input.Tags) checkNewTags(input.Tags);
  checkTrustPolicy(ctx.store, input.AssumeRolePolicyDocument);
  if (input.PermissionsBoundary !== undefined) checkBoundary(ctx, input.PermissionsBoundary);
  const row = insertRole(ctx, {
    roleName: input.RoleName,
    path: input.Path ?? '/',
    trustPolicy: input.AssumeRolePolicyDocument,
    description: input.Description,
    maxSessionDuration: input.MaxSessionDuration,
    permissionsBoundary: input.PermissionsBoundary,
    tags: input.Tags,
  });
  return { Role: roleShape(ctx.store, row, 'create') };
};

/** A boundary must name a managed policy that exists (IAM's wording for boundaries). */
export function checkBoundary(ctx: RequestContext, arn: string): void {
  if (!managedPolicyDocument(ctx.store, ctx.accountId, arn)) throw noSuchEntity(`Scope ARN: ${arn} does not exist or is not attachable.`);
}

const getRole: Handler = (ctx, input: { RoleName: string }) => {
  const row = requireRole(ctx.store, ctx.accountId, input.RoleName);
  return { Role: roleShape(ctx.store, row, 'get') };
};

const listRoles: Handler = (ctx, input: PageRequest & { PathPrefix?: string }) => {
  const prefix = input.PathPrefix ?? '/';
  const rows = ctx.store
    .prepare<RoleRow>('SELECT * FROM roles WHERE account_id = ?')
    .all(ctx.accountId)
    .filter((r) => r.path.startsWith(prefix));
  const { items, more } = paginate(rows, input, (r) => r.role_name.toLowerCase());
  return { Roles: items.map((r) => roleShape(ctx.store, r, 'list')), ...more };
};

function setDescription(store: Store, row: RoleRow, description: string): void {
  // An empty description clears it, as IAM does.
  store.prepare('UPDATE roles SET description = ? WHERE account_id = ? AND role_id = ?').run(description === '' ? null : description, row.account_id, row.role_id);
}

const updateRole: Handler = (ctx, input: { RoleName: string; Description?: string; MaxSessionDuration?: number }) => {
  const row = requireRole(ctx.store, ctx.accountId, input.RoleName);
  // A service-linked role's description is the customer's to edit; nothing else is.
  if (input.MaxSessionDuration !== undefined) {
    assertRoleModifiable(row);
    ctx.store.prepare('UPDATE roles SET max_session_duration = ? WHERE account_id = ? AND role_id = ?').run(input.MaxSessionDuration, row.account_id, row.role_id);
  }
  if (input.Description !== undefined) setDescription(ctx.store, row, input.Description);
  return {};
};

const updateRoleDescription: Handler = (ctx, input: { RoleName: string; Description: string }) => {
  const row = requireRole(ctx.store, ctx.accountId, input.RoleName);
  setDescription(ctx.store, row, input.Description);
  return { Role: roleShape(ctx.store, requireRole(ctx.store, ctx.accountId, input.RoleName), 'get') };
};

const updateAssumeRolePolicy: Handler = (ctx, input: { RoleName: string; PolicyDocument: string }) => {
  const row = requireRole(ctx.store, ctx.accountId, input.RoleName);
  assertRoleModifiable(row);
  checkTrustPolicy(ctx.store, input.PolicyDocument);
  ctx.store
    .prepare('UPDATE roles SET assume_role_policy_document = ? WHERE account_id = ? AND role_id = ?')
    .run(input.PolicyDocument, row.account_id, row.role_id);
  return {};
};

/** What must go before a role can be deleted, in the order IAM reports the conflict. */
const ROLE_DEPENDENTS: Array<{ table: string; mustFirst: string }> = [
  { table: 'instance_profile_roles', mustFirst: 'remove roles from instance profile' },
  { table: 'role_policies', mustFirst: 'delete policies' },
  { table: 'role_policy_attachments', mustFirst: 'detach all policies' },
];

export function assertRoleDeletable(store: Store, row: RoleRow): void {
  for (const dep of ROLE_DEPENDENTS) {
    const found = store.prepare(`SELECT 1 AS found FROM ${dep.table} WHERE account_id = ? AND role_id = ? LIMIT 1`).get(row.account_id, row.role_id);
    if (found) throw deleteConflict(dep.mustFirst);
  }
}

/** Removes a role and everything that hangs on it (the caller has checked it may go). */
export function removeRole(store: Store, row: RoleRow): void {
  for (const dep of ROLE_DEPENDENTS) store.prepare(`DELETE FROM ${dep.table} WHERE account_id = ? AND role_id = ?`).run(row.account_id, row.role_id);
  deleteAllTags(store, row.account_id, ROLE_KIND, row.role_id);
  store.prepare('DELETE FROM roles WHERE account_id = ? AND role_id = ?').run(row.account_id, row.role_id);
}

const deleteRole: Handler = (ctx, input: { RoleName: string }) => {
  const row = requireRole(ctx.store, ctx.accountId, input.RoleName);
  if (row.service_name !== null) throw protectedRole(row.role_name);
  assertRoleDeletable(ctx.store, row);
  removeRole(ctx.store, row);
  return {};
};

export const roleHandlers: Record<string, Handler> = {
  CreateRole: createRole,
  GetRole: getRole,
  ListRoles: listRoles,
  UpdateRole: updateRole,
  UpdateRoleDescription: updateRoleDescription,
  UpdateAssumeRolePolicy: updateAssumeRolePolicy,
  DeleteRole: deleteRole,
};

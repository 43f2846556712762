import { entityCount, type Store } from '../../../store/store.js';
import type { RequestContext } from '../../types.js';
import { deleteConflict, quotaExceeded } from '../../../identity/errors.js';
import { newUniqueId } from '../../../identity/ids.js';
import { DEFAULT_MAX_SESSION_DURATION, ROLE_KIND, type RoleRow } from '../../../identity/roles.js';
import { deleteAllTags, putTags, type Tag } from '../../../identity/tags.js';

/**
 * Writing role rows: what every way of creating a role (CreateRole,
 * CreateServiceLinkedRole) and of deleting one (DeleteRole, DeleteServiceLinkedRole)
 * shares. identity/roles.ts reads them.
 */

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

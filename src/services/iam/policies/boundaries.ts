import type { Handler } from '../../types.js';
import { assertModifiable, requireTarget } from '../../../identity/attachment-targets.js';
import { noSuchEntity } from '../../../identity/errors.js';
import { findPolicy } from '../../../identity/managed-policies.js';

/**
 * Permissions boundaries of users and roles: a managed policy (the account's or AWS's)
 * that caps what the identity's policies can allow. Enforcement reads the boundary in
 * effective-policies.ts; here it is only set and removed.
 */

const TABLE: Record<'user' | 'role', { table: string; idColumn: string; nameMember: 'UserName' | 'RoleName' }> = {
  user: { table: 'users', idColumn: 'user_id', nameMember: 'UserName' },
  role: { table: 'roles', idColumn: 'role_id', nameMember: 'RoleName' },
};

function putBoundary(kind: 'user' | 'role'): Handler {
  const { table, idColumn, nameMember } = TABLE[kind];
  return (ctx, input: Record<string, string>) => {
    const { store, accountId } = ctx;
    const target = requireTarget(store, accountId, kind, input[nameMember]);
    assertModifiable(target);
    const policy = findPolicy(store, accountId, input.PermissionsBoundary);
    if (!policy) throw noSuchEntity(`Scope ARN: ${input.PermissionsBoundary} does not exist or is not attachable.`);
    store.prepare(`UPDATE ${table} SET permissions_boundary_arn = ? WHERE account_id = ? AND ${idColumn} = ?`).run(policy.arn, accountId, target.id);
    return {};
  };
}

/** Removing a boundary that is not there is not an error. */
function deleteBoundary(kind: 'user' | 'role'): Handler {
  const { table, idColumn, nameMember } = TABLE[kind];
  return (ctx, input: Record<string, string>) => {
    const { store, accountId } = ctx;
    const target = requireTarget(store, accountId, kind, input[nameMember]);
    assertModifiable(target);
    store.prepare(`UPDATE ${table} SET permissions_boundary_arn = NULL WHERE account_id = ? AND ${idColumn} = ?`).run(accountId, target.id);
    return {};
  };
}

export const boundaryHandlers: Record<string, Handler> = {
  PutUserPermissionsBoundary: putBoundary('user'),
  DeleteUserPermissionsBoundary: deleteBoundary('user'),
  PutRolePermissionsBoundary: putBoundary('role'),
  DeleteRolePermissionsBoundary: deleteBoundary('role'),
};

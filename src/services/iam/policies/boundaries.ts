import { operation } from '../../operation.js';
import { noSuchEntity } from '../../../identity/errors.js';
import { findPolicy } from '../../../identity/managed-policies.js';
import { changeableTarget, onIdentity } from './identity-resource.js';

/**
 * Permissions boundaries of users and roles: a managed policy (the account's or AWS's)
 * that caps what the identity's policies can allow. Enforcement reads the boundary in
 * effective-policies.ts; here it is only set and removed.
 */

const TABLE: Record<'user' | 'role', { table: string; idColumn: string }> = {
  user: { table: 'users', idColumn: 'user_id' },
  role: { table: 'roles', idColumn: 'role_id' },
};

/** Put*PermissionsBoundary carries the boundary requested. */
function putBoundary(kind: 'user' | 'role', action: string) {
  const { table, idColumn } = TABLE[kind];
  return operation({
    writes: true,
    authorize: (ctx, input: Record<string, string>) => onIdentity(ctx, kind, action, input, { 'iam:PermissionsBoundary': input.PermissionsBoundary }),
    run: (ctx, input: Record<string, string>) => {
      const target = changeableTarget(ctx, kind, input);
      const policy = findPolicy(ctx.store, ctx.accountId, input.PermissionsBoundary);
      if (!policy) throw noSuchEntity(`Scope ARN: ${input.PermissionsBoundary} does not exist or is not attachable.`);
      ctx.store.prepare(`UPDATE ${table} SET permissions_boundary_arn = ? WHERE account_id = ? AND ${idColumn} = ?`).run(policy.arn, ctx.accountId, target.id);
      return {};
    },
  });
}

/** Delete*PermissionsBoundary carries the boundary in place. Removing a boundary that is not there is not an error. */
function deleteBoundary(kind: 'user' | 'role', action: string) {
  const { table, idColumn } = TABLE[kind];
  return operation({
    writes: true,
    authorize: (ctx, input: Record<string, string>) => onIdentity(ctx, kind, action, input, {}, { boundary: true }),
    run: (ctx, input: Record<string, string>) => {
      const target = changeableTarget(ctx, kind, input);
      ctx.store.prepare(`UPDATE ${table} SET permissions_boundary_arn = NULL WHERE account_id = ? AND ${idColumn} = ?`).run(ctx.accountId, target.id);
      return {};
    },
  });
}

export const PutUserPermissionsBoundary = putBoundary('user', 'iam:PutUserPermissionsBoundary');
export const DeleteUserPermissionsBoundary = deleteBoundary('user', 'iam:DeleteUserPermissionsBoundary');
export const PutRolePermissionsBoundary = putBoundary('role', 'iam:PutRolePermissionsBoundary');
export const DeleteRolePermissionsBoundary = deleteBoundary('role', 'iam:DeleteRolePermissionsBoundary');

import { operation } from '../../operation.js';
import type { Store } from '../../../store/store.js';
import { alreadyExists } from '../../../identity/errors.js';
import { assertRoleModifiable, findRole, requireRole, roleArn, roleShape, type RoleRow } from '../../../identity/roles.js';
import { checkNewTags, requestTagKeys, type Tag } from '../../../identity/tags.js';
import { paginate, type PageRequest } from '../shared/paginate.js';
import { checkBoundary } from '../shared/permissions-boundary.js';
import { entry, onRole, type ConditionKeys } from './role-resource.js';
import { assertRoleDeletable, insertRole, removeRole } from './role-rows.js';
import { checkTrustPolicy } from './role-trust.js';

interface CreateRoleInput {
  RoleName: string;
  Path?: string;
  AssumeRolePolicyDocument: string;
  Description?: string;
  MaxSessionDuration?: number;
  PermissionsBoundary?: string;
  Tags?: Tag[];
}

export const CreateRole = operation({
  writes: true,
  authorize: (ctx, input: CreateRoleInput) => {
    const context: ConditionKeys = requestTagKeys(input.Tags);
    if (input.PermissionsBoundary !== undefined) context['iam:PermissionsBoundary'] = input.PermissionsBoundary;
    return entry('iam:CreateRole', roleArn(ctx.accountId, input.Path ?? '/', input.RoleName), context);
  },
  run: (ctx, input: CreateRoleInput) => {
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
  },
});

export const GetRole = operation({
  writes: false,
  authorize: (ctx, input: { RoleName: string }) => onRole(ctx, 'iam:GetRole', input.RoleName, {}, true),
  run: (ctx, input: { RoleName: string }) => {
    const row = requireRole(ctx.store, ctx.accountId, input.RoleName);
    return { Role: roleShape(ctx.store, row, 'get') };
  },
});

export const ListRoles = operation({
  writes: false,
  authorize: (ctx, input: PageRequest & { PathPrefix?: string }) => ({ action: 'iam:ListRoles', resource: `arn:aws:iam::${ctx.accountId}:role${input.PathPrefix ?? '/'}` }),
  run: (ctx, input: PageRequest & { PathPrefix?: string }) => {
    const prefix = input.PathPrefix ?? '/';
    const rows = ctx.store
      .prepare<RoleRow>('SELECT * FROM roles WHERE account_id = ?')
      .all(ctx.accountId)
      .filter((r) => r.path.startsWith(prefix));
    const { items, more } = paginate(rows, input, (r) => r.role_name.toLowerCase());
    return { Roles: items.map((r) => roleShape(ctx.store, r, 'list')), ...more };
  },
});

function setDescription(store: Store, row: RoleRow, description: string): void {
  // An empty description clears it, as IAM does.
  store.prepare('UPDATE roles SET description = ? WHERE account_id = ? AND role_id = ?').run(description === '' ? null : description, row.account_id, row.role_id);
}

type UpdateRoleInput = { RoleName: string; Description?: string; MaxSessionDuration?: number };

export const UpdateRole = operation({
  writes: true,
  authorize: (ctx, input: UpdateRoleInput) => onRole(ctx, 'iam:UpdateRole', input.RoleName, {}, true),
  run: (ctx, input: UpdateRoleInput) => {
    const row = requireRole(ctx.store, ctx.accountId, input.RoleName);
    // A service-linked role's description is the customer's to edit; nothing else is.
    if (input.MaxSessionDuration !== undefined) {
      assertRoleModifiable(ctx.store, row);
      ctx.store.prepare('UPDATE roles SET max_session_duration = ? WHERE account_id = ? AND role_id = ?').run(input.MaxSessionDuration, row.account_id, row.role_id);
    }
    if (input.Description !== undefined) setDescription(ctx.store, row, input.Description);
    return {};
  },
});

export const UpdateRoleDescription = operation({
  writes: true,
  authorize: (ctx, input: { RoleName: string; Description: string }) => onRole(ctx, 'iam:UpdateRoleDescription', input.RoleName, {}, true),
  run: (ctx, input: { RoleName: string; Description: string }) => {
    const row = requireRole(ctx.store, ctx.accountId, input.RoleName);
    setDescription(ctx.store, row, input.Description);
    // As CreateRole answers: no MaxSessionDuration, no RoleLastUsed (LS test_iam_roles.snapshot.json).
    return { Role: roleShape(ctx.store, requireRole(ctx.store, ctx.accountId, input.RoleName), 'create') };
  },
});

export const UpdateAssumeRolePolicy = operation({
  writes: true,
  authorize: (ctx, input: { RoleName: string; PolicyDocument: string }) => onRole(ctx, 'iam:UpdateAssumeRolePolicy', input.RoleName, {}, true),
  run: (ctx, input: { RoleName: string; PolicyDocument: string }) => {
    const row = requireRole(ctx.store, ctx.accountId, input.RoleName);
    assertRoleModifiable(ctx.store, row);
    checkTrustPolicy(ctx.store, input.PolicyDocument);
    ctx.store
      .prepare('UPDATE roles SET assume_role_policy_document = ? WHERE account_id = ? AND role_id = ?')
      .run(input.PolicyDocument, row.account_id, row.role_id);
    return {};
  },
});

/** A service-linked role goes only through DeleteServiceLinkedRole; an Identity Center role with its last assignment. */
export const DeleteRole = operation({
  writes: true,
  authorize: (ctx, input: { RoleName: string }) => onRole(ctx, 'iam:DeleteRole', input.RoleName, {}, true),
  run: (ctx, input: { RoleName: string }) => {
    const row = requireRole(ctx.store, ctx.accountId, input.RoleName);
    assertRoleModifiable(ctx.store, row);
    assertRoleDeletable(ctx.store, row);
    removeRole(ctx.store, row);
    return {};
  },
});

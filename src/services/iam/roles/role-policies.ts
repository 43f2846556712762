import { ROLE_INLINE } from '../../../identity/inline-policies.js';
import { assertRoleModifiable, requireRole } from '../../../identity/roles.js';
import { inlinePolicyOperations } from '../shared/inline-policy-operations.js';
import { onRole } from './role-resource.js';

/**
 * A role's inline policies. Put and Delete also bring the role's permissions boundary,
 * and a service-linked role refuses them (only its service may change it).
 */
export const { PutRolePolicy, GetRolePolicy, ListRolePolicies, DeleteRolePolicy } = inlinePolicyOperations({
  noun: 'Role',
  nameMember: 'RoleName',
  kind: ROLE_INLINE,
  owner: (ctx, name, changes) => {
    const role = requireRole(ctx.store, ctx.accountId, name);
    if (changes) assertRoleModifiable(ctx.store, role);
    return { accountId: role.account_id, id: role.role_id, name: role.role_name };
  },
  authorize: (ctx, action, name, changes) => onRole(ctx, action, name, {}, changes),
});

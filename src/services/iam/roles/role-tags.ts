import { requireRole, ROLE_KIND } from '../../../identity/roles.js';
import { tagOperations } from '../shared/tag-operations.js';
import { onRole } from './role-resource.js';

export const { TagRole, UntagRole, ListRoleTags } = tagOperations({
  noun: 'Role',
  nameMember: 'RoleName',
  kind: ROLE_KIND,
  tagId: (ctx, name) => requireRole(ctx.store, ctx.accountId, name).role_id,
  authorize: onRole,
});

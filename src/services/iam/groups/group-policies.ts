import { requireGroup } from '../../../identity/groups.js';
import { GROUP_INLINE } from '../../../identity/inline-policies.js';
import { inlinePolicyOperations } from '../shared/inline-policy-operations.js';
import { onGroup } from './group-resource.js';

export const { PutGroupPolicy, GetGroupPolicy, ListGroupPolicies, DeleteGroupPolicy } = inlinePolicyOperations({
  noun: 'Group',
  nameMember: 'GroupName',
  kind: GROUP_INLINE,
  owner: (ctx, name) => {
    const group = requireGroup(ctx.store, ctx.accountId, name);
    return { accountId: group.account_id, id: group.group_id, name: group.group_name };
  },
  authorize: (ctx, action, name) => onGroup(ctx, action, name),
});

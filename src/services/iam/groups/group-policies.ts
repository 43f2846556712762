import type { Handler } from '../../types.js';
import { requireGroup, type GroupRow } from '../../../identity/groups.js';
import { deleteInlinePolicy, getInlinePolicy, GROUP_INLINE, inlinePolicies, putInlinePolicy, type InlineOwner } from '../../../identity/inline-policies.js';
import { paginate, type PageRequest } from '../shared/paginate.js';
import { encodePolicyDocument } from '../../../identity/policy-documents.js';

function owner(group: GroupRow): InlineOwner {
  return { accountId: group.account_id, id: group.group_id, name: group.group_name };
}

const putGroupPolicy: Handler = (ctx, input: { GroupName: string; PolicyName: string; PolicyDocument: string }) => {
  const group = requireGroup(ctx.store, ctx.accountId, input.GroupName);
  putInlinePolicy(ctx.store, GROUP_INLINE, owner(group), input.PolicyName, input.PolicyDocument, ctx.now);
  return {};
};

const getGroupPolicy: Handler = (ctx, input: { GroupName: string; PolicyName: string }) => {
  const group = requireGroup(ctx.store, ctx.accountId, input.GroupName);
  const policy = getInlinePolicy(ctx.store, GROUP_INLINE, owner(group), input.PolicyName);
  return { GroupName: group.group_name, PolicyName: policy.policy_name, PolicyDocument: encodePolicyDocument(policy.document) };
};

const listGroupPolicies: Handler = (ctx, input: PageRequest & { GroupName: string }) => {
  const group = requireGroup(ctx.store, ctx.accountId, input.GroupName);
  const names = inlinePolicies(ctx.store, GROUP_INLINE, owner(group)).map((p) => p.policy_name);
  const { items, more } = paginate(names, input, (n) => n.toLowerCase());
  return { PolicyNames: items, ...more };
};

const deleteGroupPolicy: Handler = (ctx, input: { GroupName: string; PolicyName: string }) => {
  const group = requireGroup(ctx.store, ctx.accountId, input.GroupName);
  deleteInlinePolicy(ctx.store, GROUP_INLINE, owner(group), input.PolicyName);
  return {};
};

export const groupPolicyHandlers: Record<string, Handler> = {
  PutGroupPolicy: putGroupPolicy,
  GetGroupPolicy: getGroupPolicy,
  ListGroupPolicies: listGroupPolicies,
  DeleteGroupPolicy: deleteGroupPolicy,
};

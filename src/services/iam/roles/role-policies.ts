import type { Handler } from '../../types.js';
import { deleteInlinePolicy, getInlinePolicy, inlinePolicies, putInlinePolicy, ROLE_INLINE, type InlineOwner } from '../../../identity/inline-policies.js';
import { paginate, type PageRequest } from '../shared/paginate.js';
import { encodePolicyDocument } from '../../../identity/policy-documents.js';
import { assertRoleModifiable, requireRole, type RoleRow } from '../../../identity/roles.js';

function owner(role: RoleRow): InlineOwner {
  return { accountId: role.account_id, id: role.role_id, name: role.role_name };
}

const putRolePolicy: Handler = (ctx, input: { RoleName: string; PolicyName: string; PolicyDocument: string }) => {
  const role = requireRole(ctx.store, ctx.accountId, input.RoleName);
  assertRoleModifiable(role);
  putInlinePolicy(ctx.store, ROLE_INLINE, owner(role), input.PolicyName, input.PolicyDocument, ctx.now);
  return {};
};

const getRolePolicy: Handler = (ctx, input: { RoleName: string; PolicyName: string }) => {
  const role = requireRole(ctx.store, ctx.accountId, input.RoleName);
  const policy = getInlinePolicy(ctx.store, ROLE_INLINE, owner(role), input.PolicyName);
  return { RoleName: role.role_name, PolicyName: policy.policy_name, PolicyDocument: encodePolicyDocument(policy.document) };
};

const listRolePolicies: Handler = (ctx, input: PageRequest & { RoleName: string }) => {
  const role = requireRole(ctx.store, ctx.accountId, input.RoleName);
  const names = inlinePolicies(ctx.store, ROLE_INLINE, owner(role)).map((p) => p.policy_name);
  const { items, more } = paginate(names, input, (n) => n.toLowerCase());
  return { PolicyNames: items, ...more };
};

const deleteRolePolicy: Handler = (ctx, input: { RoleName: string; PolicyName: string }) => {
  const role = requireRole(ctx.store, ctx.accountId, input.RoleName);
  assertRoleModifiable(role);
  deleteInlinePolicy(ctx.store, ROLE_INLINE, owner(role), input.PolicyName);
  return {};
};

export const rolePolicyHandlers: Record<string, Handler> = {
  PutRolePolicy: putRolePolicy,
  GetRolePolicy: getRolePolicy,
  ListRolePolicies: listRolePolicies,
  DeleteRolePolicy: deleteRolePolicy,
};

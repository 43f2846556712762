import { operation, type Operation } from '../../operation.js';
import type { AuthzEntry, RequestContext } from '../../types.js';
import {
  deleteInlinePolicy, getInlinePolicy, inlinePolicies, putInlinePolicy, type InlineOwner, type InlineOwnerKind,
} from '../../../identity/inline-policies.js';
import { encodePolicyDocument } from '../../../identity/policy-documents.js';
import { paginate, type PageMore, type PageRequest } from './paginate.js';

/**
 * Put<Noun>Policy, Get<Noun>Policy, List<Noun>Policies and Delete<Noun>Policy: the inline
 * policies of users, groups and roles, made from what differs between them.
 *
 *   export const { PutRolePolicy, GetRolePolicy, ListRolePolicies, DeleteRolePolicy } = inlinePolicyOperations({
 *     noun: 'Role',
 *     nameMember: 'RoleName',
 *     kind: ROLE_INLINE,
 *     owner: (ctx, name, changes) => …,            // the entity; throws its NoSuchEntity
 *     authorize: (ctx, action, name, changes) => …, // the entry for action on the entity
 *   });
 *
 * `changes` is true for Put and Delete, which write: they may need more than the reads
 * (a role IAM protects refuses them; users and roles bring iam:PermissionsBoundary).
 */
export interface InlinePolicyOwner<N extends string, M extends string> {
  noun: N;
  nameMember: M;
  kind: InlineOwnerKind;
  owner: (ctx: RequestContext, name: string, changes: boolean) => InlineOwner;
  authorize: (ctx: RequestContext, action: string, name: string, changes: boolean) => AuthzEntry;
}

type Named<M extends string> = { [K in M]: string };
type PolicyNamed<M extends string> = Named<M> & { PolicyName: string };

export type InlinePolicyOperations<N extends string, M extends string> = {
  [K in `Put${N}Policy`]: Operation<PolicyNamed<M> & { PolicyDocument: string }, Record<string, never>>;
} & {
  [K in `Get${N}Policy`]: Operation<PolicyNamed<M>, Named<M> & { PolicyName: string; PolicyDocument: string }>;
} & {
  [K in `List${N}Policies`]: Operation<Named<M> & PageRequest, { PolicyNames: string[] } & PageMore>;
} & {
  [K in `Delete${N}Policy`]: Operation<PolicyNamed<M>, Record<string, never>>;
};

export function inlinePolicyOperations<N extends string, M extends string>(entity: InlinePolicyOwner<N, M>): InlinePolicyOperations<N, M> {
  const { noun, nameMember: member, kind } = entity;
  const putName = `Put${noun}Policy`;
  const getName = `Get${noun}Policy`;
  const listName = `List${noun}Policies`;
  const deleteName = `Delete${noun}Policy`;

  const put = operation({
    writes: true,
    authorize: (ctx, input: PolicyNamed<M> & { PolicyDocument: string }) => entity.authorize(ctx, `iam:${putName}`, input[member], true),
    run: (ctx, input: PolicyNamed<M> & { PolicyDocument: string }) => {
      const owner = entity.owner(ctx, input[member], true);
      putInlinePolicy(ctx.store, kind, owner, input.PolicyName, input.PolicyDocument, ctx.now);
      return {};
    },
  });

  const get = operation({
    writes: false,
    authorize: (ctx, input: PolicyNamed<M>) => entity.authorize(ctx, `iam:${getName}`, input[member], false),
    run: (ctx, input: PolicyNamed<M>) => {
      const owner = entity.owner(ctx, input[member], false);
      const policy = getInlinePolicy(ctx.store, kind, owner, input.PolicyName);
      return { [member]: owner.name, PolicyName: policy.policy_name, PolicyDocument: encodePolicyDocument(policy.document) };
    },
  });

  const list = operation({
    writes: false,
    authorize: (ctx, input: Named<M> & PageRequest) => entity.authorize(ctx, `iam:${listName}`, input[member], false),
    run: (ctx, input: Named<M> & PageRequest) => {
      const owner = entity.owner(ctx, input[member], false);
      const names = inlinePolicies(ctx.store, kind, owner).map((p) => p.policy_name);
      const { items, more } = paginate(names, input, (n) => n.toLowerCase());
      return { PolicyNames: items, ...more };
    },
  });

  const remove = operation({
    writes: true,
    authorize: (ctx, input: PolicyNamed<M>) => entity.authorize(ctx, `iam:${deleteName}`, input[member], true),
    run: (ctx, input: PolicyNamed<M>) => {
      const owner = entity.owner(ctx, input[member], true);
      deleteInlinePolicy(ctx.store, kind, owner, input.PolicyName);
      return {};
    },
  });

  return { [putName]: put, [getName]: get, [listName]: list, [deleteName]: remove } as InlinePolicyOperations<N, M>;
}

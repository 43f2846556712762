import { AwsError } from '../../../protocol/errors.js';
import { AWS_MANAGED_ORG_POLICIES, type OrganizationRow, type PolicyTypeName } from '../../../identity/organization.js';
import { operation } from '../../operation.js';
import type { AuthzEntry, RequestContext } from '../../types.js';
import { attach } from '../accounts/account-rows.js';
import { constraintViolation, policyTypeNotEnabled, targetNotFound } from '../shared/errors.js';
import { onOrg, page, requireManagement, targetArn, type PageInput } from '../shared/org.js';
import { enabledTypes, findPolicy, policySummary, rootOf } from '../shared/shapes.js';
import { findOu } from '../ous/ou-rows.js';
import { policyResource, requirePolicy, servedType } from './policies.js';

/** AttachPolicy, DetachPolicy, ListPoliciesForTarget, ListTargetsForPolicy. */

/** AWS's quota: at most five policies of a type on one root, OU or account. */
const MAX_PER_TARGET = 5;

interface Target {
  id: string;
  type: 'ROOT' | 'ORGANIZATIONAL_UNIT' | 'ACCOUNT';
  name: string;
}

function requireTarget(ctx: RequestContext, org: OrganizationRow, id: string): Target {
  if (id.startsWith('r-')) {
    const root = rootOf(ctx.store, org);
    if (root.root_id === id) return { id, type: 'ROOT', name: root.name };
  } else if (id.startsWith('ou-')) {
    const ou = findOu(ctx.store, org, id);
    if (ou) return { id, type: 'ORGANIZATIONAL_UNIT', name: ou.name };
  } else {
    const a = ctx.store.prepare<{ name: string }>('SELECT name FROM org_accounts WHERE member_id = ? AND org_id = ?').get(id, org.org_id);
    if (a) return { id, type: 'ACCOUNT', name: a.name };
  }
  throw targetNotFound();
}

function attachedIds(ctx: RequestContext, org: OrganizationRow, targetId: string, type: string): string[] {
  return ctx.store
    .prepare<{ policy_id: string }>('SELECT policy_id FROM org_policy_attachments WHERE org_id = ? AND target_id = ? AND policy_type = ? ORDER BY attached_at, policy_id')
    .all(org.org_id, targetId, type)
    .map((r) => r.policy_id);
}

interface AttachInput {
  PolicyId: string;
  TargetId: string;
}

/** Both the policy and the target are resources of the action (Service Authorization Reference). */
function attachEntries(ctx: RequestContext, input: AttachInput, action: string): AuthzEntry[] {
  const onPolicy = policyResource(ctx, input.PolicyId, action);
  const org = onPolicy.resource === '*' ? undefined : onOrg(ctx, action, (o) => targetArn(o, input.TargetId));
  return org ? [onPolicy, org] : [onPolicy];
}

export const AttachPolicy = operation({
  writes: true,
  authorize: (ctx: RequestContext, input: AttachInput) => attachEntries(ctx, input, 'organizations:AttachPolicy'),
  run: (ctx: RequestContext, input: AttachInput) => {
    const org = requireManagement(ctx);
    const policy = requirePolicy(ctx, org, input.PolicyId);
    const target = requireTarget(ctx, org, input.TargetId);
    if (!enabledTypes(rootOf(ctx.store, org)).some((t) => t.Type === policy.type)) throw policyTypeNotEnabled();
    const attached = attachedIds(ctx, org, target.id, policy.type);
    if (attached.includes(policy.id)) {
      throw new AwsError('DuplicatePolicyAttachmentException', 'The selected policy is already attached to the specified target.', 400);
    }
    if (attached.length >= MAX_PER_TARGET) {
      throw constraintViolation('MAX_POLICY_TYPE_ATTACHMENT_LIMIT_EXCEEDED', 'You attempted to exceed the number of policies of a certain type that can be attached to an entity at one time.');
    }
    attach(ctx.store, org, policy.id, policy.type, target.id, ctx.now);
    return {};
  },
});

/** A target keeps at least one SCP; AWS's RCPFullAWSAccess never comes off. */
export const DetachPolicy = operation({
  writes: true,
  authorize: (ctx: RequestContext, input: AttachInput) => attachEntries(ctx, input, 'organizations:DetachPolicy'),
  run: (ctx: RequestContext, input: AttachInput) => {
    const org = requireManagement(ctx);
    const policy = requirePolicy(ctx, org, input.PolicyId);
    const target = requireTarget(ctx, org, input.TargetId);
    const attached = attachedIds(ctx, org, target.id, policy.type);
    if (!attached.includes(policy.id)) {
      throw new AwsError('PolicyNotAttachedException', "The policy isn't attached to the specified target in the specified root.", 400);
    }
    if (attached.length <= 1 || policy.id === AWS_MANAGED_ORG_POLICIES.RESOURCE_CONTROL_POLICY.id) {
      throw constraintViolation(
        'MIN_POLICY_TYPE_ATTACHMENT_LIMIT_EXCEEDED',
        'You attempted to detach a policy from an entity that would cause the entity to have fewer than the minimum number of policies of a certain type required.',
      );
    }
    ctx.store.prepare('DELETE FROM org_policy_attachments WHERE org_id = ? AND policy_id = ? AND target_id = ?').run(org.org_id, policy.id, target.id);
    return {};
  },
});

export const ListPoliciesForTarget = operation({
  writes: false,
  authorize: (ctx: RequestContext, input: { TargetId: string; Filter: string }) =>
    onOrg(ctx, 'organizations:ListPoliciesForTarget', (org) => targetArn(org, input.TargetId), { 'organizations:PolicyType': input.Filter }),
  run: (ctx: RequestContext, input: PageInput & { TargetId: string; Filter: string }) => {
    const org = requireManagement(ctx);
    const type: PolicyTypeName = servedType(input.Filter);
    const target = requireTarget(ctx, org, input.TargetId);
    const policies = attachedIds(ctx, org, target.id, type).flatMap((id) => findPolicy(ctx.store, org, id) ?? []);
    const { items, NextToken } = page(policies, input);
    return { Policies: items.map((p) => policySummary(org, p)), NextToken };
  },
});

export const ListTargetsForPolicy = operation({
  writes: false,
  authorize: (ctx: RequestContext, input: { PolicyId: string }) => policyResource(ctx, input.PolicyId, 'organizations:ListTargetsForPolicy'),
  run: (ctx: RequestContext, input: PageInput & { PolicyId: string }) => {
    const org = requireManagement(ctx);
    const policy = requirePolicy(ctx, org, input.PolicyId);
    const ids = ctx.store
      .prepare<{ target_id: string }>('SELECT target_id FROM org_policy_attachments WHERE org_id = ? AND policy_id = ? ORDER BY attached_at, target_id')
      .all(org.org_id, policy.id)
      .map((r) => r.target_id);
    const { items, NextToken } = page(ids, input);
    return {
      Targets: items.map((id) => {
        const t = requireTarget(ctx, org, id);
        return { TargetId: t.id, Arn: targetArn(org, t.id), Name: t.name, Type: t.type };
      }),
      NextToken,
    };
  },
});

import { AwsError } from '../../../protocol/errors.js';
import { AWS_MANAGED_ORG_POLICIES, type OrganizationRow, type PolicyTypeName } from '../../../identity/organization.js';
import { operation } from '../../operation.js';
import type { RequestContext } from '../../types.js';
import { attach } from '../accounts/account-rows.js';
import { policyTypeNotEnabled, rootNotFound } from '../shared/errors.js';
import { onOrg, page, requireManagement, requireOrganization, rootArn, type PageInput } from '../shared/org.js';
import { enabledTypes, rootOf, rootShape, type RootRow } from '../shared/shapes.js';

/** ListRoots, and the policy types enabled on the root: EnablePolicyType, DisablePolicyType. */

export const ListRoots = operation({
  writes: false,
  authorize: () => ({ action: 'organizations:ListRoots', resource: '*' }),
  run: (ctx: RequestContext, input: PageInput) => {
    const org = requireOrganization(ctx);
    const { items, NextToken } = page([rootOf(ctx.store, org)], input);
    return { Roots: items.map((r) => rootShape(org, r)), NextToken };
  },
});

interface PolicyTypeInput {
  RootId: string;
  PolicyType: string;
}

function requireRoot(ctx: RequestContext, org: OrganizationRow, rootId: string): RootRow {
  const root = rootOf(ctx.store, org);
  if (root.root_id !== rootId) throw rootNotFound();
  return root;
}

/** The control policy types iamlocal enforces; other types are AWS's management policies, not served. */
function supportedType(org: OrganizationRow, type: string): PolicyTypeName {
  if (org.feature_set !== 'ALL') {
    throw new AwsError('PolicyTypeNotAvailableForOrganizationException', "You can't use the specified policy type with the feature set currently enabled for this organization. For example, you can enable SCPs only after you enable all features in the organization.", 400);
  }
  if (!(type in AWS_MANAGED_ORG_POLICIES)) {
    throw new AwsError('PolicyTypeNotAvailableForOrganizationException', `iamlocal enforces SERVICE_CONTROL_POLICY and RESOURCE_CONTROL_POLICY; it does not serve ${type}.`, 400);
  }
  return type as PolicyTypeName;
}

function setTypes(ctx: RequestContext, root: RootRow, types: Array<{ Type: string; Status: string }>): void {
  ctx.store.prepare('UPDATE org_roots SET policy_types = ? WHERE root_id = ?').run(JSON.stringify(types), root.root_id);
}

/** Enabling a type attaches AWS's full-access policy of that type to the root, every OU and every account, as AWS does. */
export const EnablePolicyType = operation({
  writes: true,
  authorize: (ctx: RequestContext, input: PolicyTypeInput) =>
    onOrg(ctx, 'organizations:EnablePolicyType', (org) => rootArn(org, input.RootId), { 'organizations:PolicyType': input.PolicyType }),
  run: (ctx: RequestContext, input: PolicyTypeInput) => {
    const org = requireManagement(ctx);
    const root = requireRoot(ctx, org, input.RootId);
    const type = supportedType(org, input.PolicyType);
    const types = enabledTypes(root);
    if (types.some((t) => t.Type === type)) throw new AwsError('PolicyTypeAlreadyEnabledException', 'The specified policy type is already enabled.', 400);
    setTypes(ctx, root, [...types, { Type: type, Status: 'ENABLED' }]);
    const managed = AWS_MANAGED_ORG_POLICIES[type].id;
    const targets = [
      root.root_id,
      ...ctx.store.prepare<{ id: string }>('SELECT ou_id AS id FROM org_ous WHERE org_id = ?').all(org.org_id).map((r) => r.id),
      ...ctx.store.prepare<{ id: string }>('SELECT member_id AS id FROM org_accounts WHERE org_id = ?').all(org.org_id).map((r) => r.id),
    ];
    for (const target of targets) attach(ctx.store, org, managed, type, target, ctx.now);
    return { Root: rootShape(org, rootOf(ctx.store, org)) };
  },
});

/** Disabling a type detaches every policy of that type everywhere in the organization. */
export const DisablePolicyType = operation({
  writes: true,
  authorize: (ctx: RequestContext, input: PolicyTypeInput) =>
    onOrg(ctx, 'organizations:DisablePolicyType', (org) => rootArn(org, input.RootId), { 'organizations:PolicyType': input.PolicyType }),
  run: (ctx: RequestContext, input: PolicyTypeInput) => {
    const org = requireManagement(ctx);
    const root = requireRoot(ctx, org, input.RootId);
    const types = enabledTypes(root);
    if (!types.some((t) => t.Type === input.PolicyType)) throw policyTypeNotEnabled();
    setTypes(ctx, root, types.filter((t) => t.Type !== input.PolicyType));
    ctx.store.prepare('DELETE FROM org_policy_attachments WHERE org_id = ? AND policy_type = ?').run(org.org_id, input.PolicyType);
    return { Root: rootShape(org, rootOf(ctx.store, org)) };
  },
});

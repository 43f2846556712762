import { AwsError } from '../../../protocol/errors.js';
import { AWS_MANAGED_ORG_POLICIES, type OrganizationRow, type PolicyTypeName } from '../../../identity/organization.js';
import { operation } from '../../operation.js';
import type { RequestContext } from '../../types.js';
import { constraintViolation, notManagementAccount, policyNotFound } from '../shared/errors.js';
import { newPolicyId, onOrg, page, policyArn, requireManagement, type PageInput } from '../shared/org.js';
import { findPolicy, fromRow, managedPolicy, policySummary, type AnyPolicy, type PolicyRow } from '../shared/shapes.js';
import { checkPolicyContent } from './policy-content.js';

/** Service and resource control policies: CreatePolicy, UpdatePolicy, DeletePolicy, DescribePolicy, ListPolicies. */

/** AWS's quota of policies of one type in an organization. */
const MAX_POLICIES_PER_TYPE = 1000;

/** The policy types iamlocal serves. */
export function servedType(type: string): PolicyTypeName {
  if (!(type in AWS_MANAGED_ORG_POLICIES)) {
    throw new AwsError('PolicyTypeNotAvailableForOrganizationException', `iamlocal enforces SERVICE_CONTROL_POLICY and RESOURCE_CONTROL_POLICY; it does not serve ${type}.`, 400);
  }
  return type as PolicyTypeName;
}

/** The policy's ARN for authorization (the type is in it; an unknown ID is looked for among both types). */
export function policyResource(ctx: RequestContext, policyId: string, action: string) {
  return onOrg(ctx, action, (org) => {
    const p = findPolicy(ctx.store, org, policyId);
    return p ? policyArn(org, p.type, p.id, p.awsManaged) : policyArn(org, 'SERVICE_CONTROL_POLICY', policyId, false);
  });
}

export function requirePolicy(ctx: RequestContext, org: OrganizationRow, policyId: string): AnyPolicy {
  const p = findPolicy(ctx.store, org, policyId);
  if (!p) throw policyNotFound();
  return p;
}

const duplicatePolicy = () => new AwsError('DuplicatePolicyException', 'A policy with the same name already exists.', 400);

function nameTaken(ctx: RequestContext, org: OrganizationRow, type: string, name: string, except?: string): boolean {
  if (AWS_MANAGED_ORG_POLICIES[type as PolicyTypeName]?.name === name) return true;
  return ctx.store
    .prepare<{ policy_id: string }>('SELECT policy_id FROM org_policies WHERE org_id = ? AND type = ? AND name = ?')
    .all(org.org_id, type, name)
    .some((r) => r.policy_id !== except);
}

interface CreatePolicyInput {
  Content: string;
  Description: string;
  Name: string;
  Type: string;
}

export const CreatePolicy = operation({
  writes: true,
  authorize: (ctx: RequestContext, input: CreatePolicyInput) =>
    onOrg(ctx, 'organizations:CreatePolicy', (org) => policyArn(org, input.Type as PolicyTypeName, 'p-*', false).replace(/p-\*$/, '*'), { 'organizations:PolicyType': input.Type }),
  run: (ctx: RequestContext, input: CreatePolicyInput) => {
    const org = requireManagement(ctx);
    const type = servedType(input.Type);
    checkPolicyContent(input.Content, type);
    if (nameTaken(ctx, org, type, input.Name)) throw duplicatePolicy();
    const count = ctx.store.prepare<{ n: number }>('SELECT count(*) AS n FROM org_policies WHERE org_id = ? AND type = ?').get(org.org_id, type)!.n;
    if (count >= MAX_POLICIES_PER_TYPE) throw constraintViolation('POLICY_NUMBER_LIMIT_EXCEEDED', 'You attempted to exceed the number of policies that you can have in an organization.');
    const row: PolicyRow = {
      policy_id: newPolicyId(), account_id: org.account_id, org_id: org.org_id, type, name: input.Name, description: input.Description, content: input.Content, created_at: ctx.now,
    };
    ctx.store
      .prepare('INSERT INTO org_policies (policy_id, account_id, org_id, type, name, description, content, created_at) VALUES (@policy_id, @account_id, @org_id, @type, @name, @description, @content, @created_at)')
      .run(row);
    return { Policy: { PolicySummary: policySummary(org, fromRow(row)), Content: row.content } };
  },
});

interface UpdatePolicyInput {
  PolicyId: string;
  Name?: string;
  Description?: string;
  Content?: string;
}

export const UpdatePolicy = operation({
  writes: true,
  authorize: (ctx: RequestContext, input: UpdatePolicyInput) => policyResource(ctx, input.PolicyId, 'organizations:UpdatePolicy'),
  run: (ctx: RequestContext, input: UpdatePolicyInput) => {
    const org = requireManagement(ctx);
    const p = requirePolicy(ctx, org, input.PolicyId);
    if (p.awsManaged) throw notManagementAccount();
    if (input.Content !== undefined) checkPolicyContent(input.Content, p.type);
    if (input.Name !== undefined && input.Name !== p.name && nameTaken(ctx, org, p.type, input.Name, p.id)) throw duplicatePolicy();
    ctx.store
      .prepare('UPDATE org_policies SET name = ?, description = ?, content = ? WHERE policy_id = ?')
      .run(input.Name ?? p.name, input.Description ?? p.description, input.Content ?? p.content, p.id);
    const updated = requirePolicy(ctx, org, p.id);
    return { Policy: { PolicySummary: policySummary(org, updated), Content: updated.content } };
  },
});

export const DeletePolicy = operation({
  writes: true,
  authorize: (ctx: RequestContext, input: { PolicyId: string }) => policyResource(ctx, input.PolicyId, 'organizations:DeletePolicy'),
  run: (ctx: RequestContext, input: { PolicyId: string }) => {
    const org = requireManagement(ctx);
    const p = requirePolicy(ctx, org, input.PolicyId);
    if (p.awsManaged) throw notManagementAccount();
    if (ctx.store.prepare('SELECT 1 AS one FROM org_policy_attachments WHERE policy_id = ? AND org_id = ? LIMIT 1').get(p.id, org.org_id)) {
      throw new AwsError('PolicyInUseException', 'The policy is attached to one or more entities. You must detach it from all roots, OUs, and accounts before performing this operation.', 400);
    }
    ctx.store.prepare('DELETE FROM org_policies WHERE policy_id = ?').run(p.id);
    return {};
  },
});

export const DescribePolicy = operation({
  writes: false,
  authorize: (ctx: RequestContext, input: { PolicyId: string }) => policyResource(ctx, input.PolicyId, 'organizations:DescribePolicy'),
  run: (ctx: RequestContext, input: { PolicyId: string }) => {
    const org = requireManagement(ctx);
    const p = requirePolicy(ctx, org, input.PolicyId);
    return { Policy: { PolicySummary: policySummary(org, p), Content: p.content } };
  },
});

/** Every policy of a type in the organization, AWS's own first. */
export function policiesOfType(ctx: RequestContext, org: OrganizationRow, type: PolicyTypeName): AnyPolicy[] {
  const own = ctx.store.prepare<PolicyRow>('SELECT * FROM org_policies WHERE org_id = ? AND type = ? ORDER BY created_at, policy_id').all(org.org_id, type);
  return [managedPolicy(type), ...own.map(fromRow)];
}

export const ListPolicies = operation({
  writes: false,
  authorize: (_ctx: RequestContext, input: { Filter: string }) => ({ action: 'organizations:ListPolicies', resource: '*', context: { 'organizations:PolicyType': input.Filter } }),
  run: (ctx: RequestContext, input: PageInput & { Filter: string }) => {
    const org = requireManagement(ctx);
    const { items, NextToken } = page(policiesOfType(ctx, org, servedType(input.Filter)), input);
    return { Policies: items.map((p) => policySummary(org, p)), NextToken };
  },
});

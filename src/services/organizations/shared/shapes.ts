import type { Store } from '../../../store/store.js';
import { AWS_MANAGED_ORG_POLICIES, type OrganizationRow, type OrgAccountRow, type PolicyTypeName } from '../../../identity/organization.js';
import { accountArn, ouArn, policyArn, rootArn } from './org.js';

/** Rows → the model's output structures. */

export interface RootRow {
  root_id: string;
  account_id: string;
  org_id: string;
  name: string;
  policy_types: string;
}

export interface OuRow {
  ou_id: string;
  account_id: string;
  org_id: string;
  parent_id: string;
  name: string;
  created_at: number;
}

export interface PolicyRow {
  policy_id: string;
  account_id: string;
  org_id: string;
  type: PolicyTypeName;
  name: string;
  description: string;
  content: string;
  created_at: number;
}

export function rootOf(store: Store, org: OrganizationRow): RootRow {
  return store.prepare<RootRow>('SELECT * FROM org_roots WHERE org_id = ?').get(org.org_id)!;
}

export function enabledTypes(root: RootRow): Array<{ Type: PolicyTypeName; Status: string }> {
  return JSON.parse(root.policy_types) as Array<{ Type: PolicyTypeName; Status: string }>;
}

export function organizationShape(store: Store, org: OrganizationRow): Record<string, unknown> {
  const management = store.prepare<OrgAccountRow>('SELECT * FROM org_accounts WHERE member_id = ?').get(org.account_id);
  return {
    Id: org.org_id,
    Arn: `arn:aws:organizations::${org.account_id}:organization/${org.org_id}`,
    FeatureSet: org.feature_set,
    MasterAccountArn: accountArn(org, org.account_id),
    MasterAccountId: org.account_id,
    MasterAccountEmail: management?.email,
    // Deprecated in the API; AWS still answers the SCP type here.
    AvailablePolicyTypes: [{ Type: 'SERVICE_CONTROL_POLICY', Status: 'ENABLED' }],
  };
}

export function rootShape(org: OrganizationRow, root: RootRow): Record<string, unknown> {
  return { Id: root.root_id, Arn: rootArn(org, root.root_id), Name: root.name, PolicyTypes: enabledTypes(root) };
}

export function ouShape(org: OrganizationRow, ou: OuRow): Record<string, unknown> {
  return { Id: ou.ou_id, Arn: ouArn(org, ou.ou_id), Name: ou.name };
}

export function accountShape(org: OrganizationRow, a: OrgAccountRow): Record<string, unknown> {
  return {
    Id: a.member_id,
    Arn: accountArn(org, a.member_id),
    Email: a.email,
    Name: a.name,
    Status: a.status,
    State: a.status,
    JoinedMethod: a.joined_method,
    JoinedTimestamp: new Date(a.joined_at),
  };
}

/** A policy: a row of org_policies, or AWS's managed one of its type. */
export interface AnyPolicy {
  id: string;
  type: PolicyTypeName;
  name: string;
  description: string;
  content: string;
  awsManaged: boolean;
}

export function fromRow(row: PolicyRow): AnyPolicy {
  return { id: row.policy_id, type: row.type, name: row.name, description: row.description, content: row.content, awsManaged: false };
}

export function managedPolicy(type: PolicyTypeName): AnyPolicy {
  const m = AWS_MANAGED_ORG_POLICIES[type];
  return { id: m.id, type, name: m.name, description: m.description, content: m.content, awsManaged: true };
}

/** The policy with this ID in the organization (AWS managed ones exist in every organization). */
export function findPolicy(store: Store, org: OrganizationRow, policyId: string): AnyPolicy | undefined {
  for (const type of Object.keys(AWS_MANAGED_ORG_POLICIES) as PolicyTypeName[]) {
    if (AWS_MANAGED_ORG_POLICIES[type].id === policyId) return managedPolicy(type);
  }
  const row = store.prepare<PolicyRow>('SELECT * FROM org_policies WHERE policy_id = ? AND org_id = ?').get(policyId, org.org_id);
  return row && fromRow(row);
}

export function policySummary(org: OrganizationRow, p: AnyPolicy): Record<string, unknown> {
  return { Id: p.id, Arn: policyArn(org, p.type, p.id, p.awsManaged), Name: p.name, Description: p.description, Type: p.type, AwsManaged: p.awsManaged };
}

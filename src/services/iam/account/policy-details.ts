import type { Store } from '../../../store/store.js';
import { awsManagedPolicy, type ManagedPolicyEntry } from '../../../identity/aws-managed-catalog.js';
import { versionNumber, type ManagedPolicyRow } from '../../../identity/managed-policies.js';
import { policyUsage } from '../policies/policy-usage.js';
import { encodePolicyDocument } from '../../../identity/policy-documents.js';

/**
 * The Policies entries of GetAccountAuthorizationDetails: a managed policy with its usage
 * and every version's document; and which AWS managed policies an account lists (those it
 * uses).
 */

export function localPolicyDetail(store: Store, p: ManagedPolicyRow): Record<string, unknown> {
  const arn = `arn:aws:iam::${p.account_id}:policy${p.path}${p.policy_name}`;
  const usage = policyUsage(store, p.account_id, arn);
  const versions = store
    .prepare<{ version_id: string; document: string; created_at: number }>(
      'SELECT version_id, document, created_at FROM managed_policy_versions WHERE account_id = ? AND policy_id = ?',
    )
    .all(p.account_id, p.policy_id)
    .sort((a, b) => versionNumber(b.version_id) - versionNumber(a.version_id));
  const detail: Record<string, unknown> = {
    PolicyName: p.policy_name,
    PolicyId: p.policy_id,
    Arn: arn,
    Path: p.path,
    DefaultVersionId: p.default_version_id,
    AttachmentCount: usage.attachments,
    PermissionsBoundaryUsageCount: usage.boundaries,
    IsAttachable: true,
  };
  if (p.description !== null) detail.Description = p.description;
  detail.CreateDate = new Date(p.created_at);
  detail.UpdateDate = new Date(p.updated_at);
  detail.PolicyVersionList = versions.map((v) => ({
    Document: encodePolicyDocument(v.document),
    VersionId: v.version_id,
    IsDefaultVersion: v.version_id === p.default_version_id,
    CreateDate: new Date(v.created_at),
  }));
  return detail;
}

export function awsPolicyDetail(store: Store, e: ManagedPolicyEntry, accountId: string): Record<string, unknown> {
  const usage = policyUsage(store, accountId, e.arn);
  const detail: Record<string, unknown> = {
    PolicyName: e.name,
    PolicyId: e.policyId,
    Arn: e.arn,
    Path: e.path,
    DefaultVersionId: e.defaultVersionId,
    AttachmentCount: usage.attachments,
    PermissionsBoundaryUsageCount: usage.boundaries,
    IsAttachable: true,
  };
  if (e.description !== undefined) detail.Description = e.description;
  detail.CreateDate = new Date(e.createDate);
  detail.UpdateDate = new Date(e.updateDate);
  // The catalogue keeps only the default version.
  detail.PolicyVersionList = [{ Document: encodePolicyDocument(e.document), VersionId: e.defaultVersionId, IsDefaultVersion: true, CreateDate: new Date(e.versionCreateDate) }];
  return detail;
}

/** The AWS managed policies this account attaches or uses as a boundary. */
export function awsPoliciesInUse(store: Store, accountId: string): ManagedPolicyEntry[] {
  const arns = store
    .prepare<{ arn: string }>(
      `SELECT policy_arn AS arn FROM user_policy_attachments WHERE account_id = @account AND policy_arn LIKE 'arn:aws:iam::aws:policy/%'
       UNION SELECT policy_arn FROM group_policy_attachments WHERE account_id = @account AND policy_arn LIKE 'arn:aws:iam::aws:policy/%'
       UNION SELECT policy_arn FROM role_policy_attachments WHERE account_id = @account AND policy_arn LIKE 'arn:aws:iam::aws:policy/%'
       UNION SELECT permissions_boundary_arn FROM users WHERE account_id = @account AND permissions_boundary_arn LIKE 'arn:aws:iam::aws:policy/%'
       UNION SELECT permissions_boundary_arn FROM roles WHERE account_id = @account AND permissions_boundary_arn LIKE 'arn:aws:iam::aws:policy/%'`,
    )
    .all({ account: accountId });
  const out: ManagedPolicyEntry[] = [];
  for (const { arn } of arns) {
    const entry = awsManagedPolicy(arn);
    if (entry) out.push(entry);
  }
  return out;
}

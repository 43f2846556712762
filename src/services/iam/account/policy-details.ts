import type { Store } from '../../../store/store.js';
import { awsManagedPolicy } from '../../../identity/aws-managed-catalog.js';
import { fromEntry, type ManagedPolicy } from '../../../identity/managed-policies.js';
import { policyUsage } from '../policies/policy-usage.js';
import { newestFirst, policyVersions, versionShape } from '../policies/version-shape.js';

/**
 * The Policies entries of GetAccountAuthorizationDetails: a managed policy (the account's
 * or AWS's) with its usage and every version's document, newest first; and which AWS
 * managed policies an account lists (those it uses).
 */

export function policyDetail(store: Store, p: ManagedPolicy, accountId: string): Record<string, unknown> {
  const usage = policyUsage(store, accountId, p.arn);
  const detail: Record<string, unknown> = {
    PolicyName: p.name,
    PolicyId: p.policyId,
    Arn: p.arn,
    Path: p.path,
    DefaultVersionId: p.defaultVersionId,
    AttachmentCount: usage.attachments,
    PermissionsBoundaryUsageCount: usage.boundaries,
    IsAttachable: true,
  };
  if (p.description !== undefined) detail.Description = p.description;
  detail.CreateDate = p.createdAt;
  detail.UpdateDate = p.updatedAt;
  detail.PolicyVersionList = newestFirst(policyVersions(store, p)).map(versionShape);
  return detail;
}

/** The AWS managed policies this account attaches or uses as a boundary. */
export function awsPoliciesInUse(store: Store, accountId: string): ManagedPolicy[] {
  const arns = store
    .prepare<{ arn: string }>(
      `SELECT policy_arn AS arn FROM user_policy_attachments WHERE account_id = @account AND policy_arn LIKE 'arn:aws:iam::aws:policy/%'
       UNION SELECT policy_arn FROM group_policy_attachments WHERE account_id = @account AND policy_arn LIKE 'arn:aws:iam::aws:policy/%'
       UNION SELECT policy_arn FROM role_policy_attachments WHERE account_id = @account AND policy_arn LIKE 'arn:aws:iam::aws:policy/%'
       UNION SELECT permissions_boundary_arn FROM users WHERE account_id = @account AND permissions_boundary_arn LIKE 'arn:aws:iam::aws:policy/%'
       UNION SELECT permissions_boundary_arn FROM roles WHERE account_id = @account AND permissions_boundary_arn LIKE 'arn:aws:iam::aws:policy/%'`,
    )
    .all({ account: accountId });
  const out: ManagedPolicy[] = [];
  for (const { arn } of arns) {
    const entry = awsManagedPolicy(arn);
    if (entry) out.push(fromEntry(entry));
  }
  return out;
}

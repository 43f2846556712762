import type { Store } from '../../../store/store.js';
import type { PolicyUsage } from '../../../identity/managed-policies.js';

/**
 * How managed policies are used in one account: AttachmentCount (users, groups and roles
 * it is attached to) and PermissionsBoundaryUsageCount (users and roles it bounds). AWS
 * managed policies are counted per account too: the rows are the account's own.
 */

const ATTACHED = `
  SELECT policy_arn AS arn, count(*) AS n FROM (
    SELECT policy_arn FROM user_policy_attachments WHERE account_id = @account
    UNION ALL SELECT policy_arn FROM group_policy_attachments WHERE account_id = @account
    UNION ALL SELECT policy_arn FROM role_policy_attachments WHERE account_id = @account)`;

const BOUNDING = `
  SELECT arn, count(*) AS n FROM (
    SELECT permissions_boundary_arn AS arn FROM users WHERE account_id = @account AND permissions_boundary_arn IS NOT NULL
    UNION ALL SELECT permissions_boundary_arn AS arn FROM roles WHERE account_id = @account AND permissions_boundary_arn IS NOT NULL)`;

/** The usage of one policy. */
export function policyUsage(store: Store, accountId: string, arn: string): PolicyUsage {
  const attachments = store.prepare<{ n: number }>(`${ATTACHED} WHERE arn = @arn`).get({ account: accountId, arn })?.n ?? 0;
  const boundaries = store.prepare<{ n: number }>(`${BOUNDING} WHERE arn = @arn`).get({ account: accountId, arn })?.n ?? 0;
  return { attachments, boundaries };
}

/** The usage of every policy in use in the account (ListPolicies): absent means unused. */
export function allPolicyUsage(store: Store, accountId: string): Map<string, PolicyUsage> {
  const out = new Map<string, PolicyUsage>();
  const get = (arn: string) => {
    let u = out.get(arn);
    if (!u) out.set(arn, (u = { attachments: 0, boundaries: 0 }));
    return u;
  };
  for (const r of store.prepare<{ arn: string; n: number }>(`${ATTACHED} GROUP BY arn`).all({ account: accountId })) get(r.arn).attachments = r.n;
  for (const r of store.prepare<{ arn: string; n: number }>(`${BOUNDING} GROUP BY arn`).all({ account: accountId })) get(r.arn).boundaries = r.n;
  return out;
}

export const UNUSED: Readonly<PolicyUsage> = Object.freeze({ attachments: 0, boundaries: 0 });

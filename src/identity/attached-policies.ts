import type { Store } from '../store/store.js';
import type { IdentityKind } from './attachment-targets.js';
import { ATTACHMENTS } from './attachment-targets.js';
import { defaultDocument, findPolicy } from './managed-policies.js';

/**
 * The managed policies that apply to an identity, as named texts for the policy engine
 * (effective-policies.ts gathers them with the inline ones). A policy attached more than
 * once (to the user and to its groups) is evaluated once.
 */

export interface AttachedPolicyText {
  kind: 'identity';
  name: string;
  document: string;
}

/** The default version of a managed policy (this account's or AWS's), named by policy name. */
export function managedPolicyText(store: Store, accountId: string, arn: string): { name: string; document: string } | undefined {
  const p = findPolicy(store, accountId, arn);
  return p && { name: p.name, document: defaultDocument(store, p) };
}

/**
 * Appends to `out` the policies attached to each owner, skipping ARNs in `seen` (shared
 * across calls, so a user's and its groups' attachments are deduplicated together).
 */
export function attachedPolicyTexts(
  store: Store,
  accountId: string,
  owners: Array<{ kind: IdentityKind; id: string; name: string }>,
  seen: Set<string> = new Set(),
): AttachedPolicyText[] {
  const out: AttachedPolicyText[] = [];
  for (const owner of owners) {
    const { table, idColumn } = ATTACHMENTS[owner.kind];
    const arns = store
      .prepare<{ policy_arn: string }>(`SELECT policy_arn FROM ${table} WHERE account_id = ? AND ${idColumn} = ? ORDER BY attached_at, policy_arn`)
      .all(accountId, owner.id);
    for (const { policy_arn } of arns) {
      if (seen.has(policy_arn)) continue;
      seen.add(policy_arn);
      const text = managedPolicyText(store, accountId, policy_arn);
      // A policy deleted from under an attachment cannot happen (DeletePolicy refuses); skip if it did.
      if (text) out.push({ kind: 'identity', name: `${text.name} (managed, attached to ${owner.kind} ${owner.name})`, document: text.document });
    }
  }
  return out;
}

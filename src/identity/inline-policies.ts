import { answeringPolicyErrors } from './policy-errors.js';
import { parsePolicy, policySize, POLICY_LIMITS } from '../policy/index.js';
import type { Store } from '../store/store.js';
import { noSuchEntity } from './errors.js';

/**
 * Inline policies of users, groups and roles: the same four operations over a table keyed by
 * (account_id, <entity id>, policy_name). Policy names are unique per entity,
 * case-insensitively; the summed size of an entity's inline policies (white space not
 * counted) is capped per kind of entity.
 */
export interface InlineOwnerKind {
  table: 'user_policies' | 'group_policies' | 'role_policies';
  idColumn: 'user_id' | 'group_id' | 'role_id';
  /** 'user' | 'group' | 'role', as IAM names it in messages. */
  noun: 'user' | 'group' | 'role';
  limit: (typeof POLICY_LIMITS)['groupInline'];
}

export const USER_INLINE: InlineOwnerKind = { table: 'user_policies', idColumn: 'user_id', noun: 'user', limit: POLICY_LIMITS.userInline };
export const GROUP_INLINE: InlineOwnerKind = { table: 'group_policies', idColumn: 'group_id', noun: 'group', limit: POLICY_LIMITS.groupInline };
export const ROLE_INLINE: InlineOwnerKind = { table: 'role_policies', idColumn: 'role_id', noun: 'role', limit: POLICY_LIMITS.roleInline };

/** The entity an inline policy belongs to. */
export interface InlineOwner {
  accountId: string;
  id: string;
  name: string;
}

export interface InlinePolicyRow {
  policy_name: string;
  document: string;
}

export function inlinePolicies(store: Store, kind: InlineOwnerKind, owner: { accountId: string; id: string }): InlinePolicyRow[] {
  return store
    .prepare<InlinePolicyRow>(`SELECT policy_name, document FROM ${kind.table} WHERE account_id = ? AND ${kind.idColumn} = ? ORDER BY policy_name`)
    .all(owner.accountId, owner.id);
}

function noSuchPolicy(kind: InlineOwnerKind, policyName: string) {
  return noSuchEntity(`The ${kind.noun} policy with name ${policyName} cannot be found.`);
}

/** Adds or replaces an inline policy after IAM's checks (grammar, then the size quota). */
export function putInlinePolicy(store: Store, kind: InlineOwnerKind, owner: InlineOwner, policyName: string, document: string, now: number): void {
  // The quota is on all of the entity's inline policies together; the one replaced does not count.
  const others = inlinePolicies(store, kind, owner)
    .filter((p) => p.policy_name.toLowerCase() !== policyName.toLowerCase())
    .reduce((n, p) => n + policySize(p.document), 0);
  answeringPolicyErrors(() => parsePolicy(document, { kind: 'identity', name: policyName, maxLength: kind.limit.max - others, tooLargeMessage: kind.limit.message(owner.name) }));
  store
    .prepare(
      `INSERT INTO ${kind.table} (account_id, ${kind.idColumn}, policy_name, document, created_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (account_id, ${kind.idColumn}, policy_name) DO UPDATE SET policy_name = excluded.policy_name, document = excluded.document`,
    )
    .run(owner.accountId, owner.id, policyName, document, now);
}

export function getInlinePolicy(store: Store, kind: InlineOwnerKind, owner: InlineOwner, policyName: string): InlinePolicyRow {
  const row = store
    .prepare<InlinePolicyRow>(`SELECT policy_name, document FROM ${kind.table} WHERE account_id = ? AND ${kind.idColumn} = ? AND policy_name = ?`)
    .get(owner.accountId, owner.id, policyName);
  if (!row) throw noSuchPolicy(kind, policyName);
  return row;
}

export function deleteInlinePolicy(store: Store, kind: InlineOwnerKind, owner: InlineOwner, policyName: string): void {
  const { changes } = store
    .prepare(`DELETE FROM ${kind.table} WHERE account_id = ? AND ${kind.idColumn} = ? AND policy_name = ?`)
    .run(owner.accountId, owner.id, policyName);
  if (changes === 0) throw noSuchPolicy(kind, policyName);
}

import type { Store } from '../store/store.js';
import { invalidInput, limitExceeded } from './errors.js';

/**
 * Tags of any IAM entity (users now; roles, policies, … later), kept in the one `tags`
 * table keyed by (resource_kind, resource_id). IAM tag keys are unique
 * case-insensitively; the spelling last written is the one kept.
 */
export interface Tag {
  Key: string;
  Value: string;
}

export const MAX_TAGS_PER_ENTITY = 50;

function fold(key: string): string {
  return key.toLowerCase();
}

/**
 * Rules the model cannot say: no key twice (in any case), no key in AWS's reserved
 * aws: namespace. Lengths and characters were checked by the protocol layer.
 */
export function checkNewTags(tags: Tag[]): void {
  const seen = new Set<string>();
  for (const t of tags) {
    const k = fold(t.Key);
    if (seen.has(k)) throw invalidInput('Duplicate tag keys found. Please note that Tag keys are case insensitive.');
    seen.add(k);
    if (k.startsWith('aws:')) {
      throw invalidInput("Tag keys beginning with the text 'aws:' are reserved for system use and cannot be added, modified, or deleted.");
    }
  }
}

export function listTags(store: Store, accountId: string, kind: string, id: string): Tag[] {
  return store.remembered(`tags:${accountId}:${kind}:${id}`, () =>
    store
      .prepare<Tag>('SELECT tag_key AS Key, tag_value AS Value FROM tags WHERE account_id = ? AND resource_kind = ? AND resource_id = ? ORDER BY position')
      .all(accountId, kind, id),
  );
}

/** The tags as a map (aws:PrincipalTag/*, aws:ResourceTag/*). */
export function tagRecord(store: Store, accountId: string, kind: string, id: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const t of listTags(store, accountId, kind, id)) out[t.Key] = t.Value;
  return out;
}

/** Adds or overwrites tags; refuses to go over the per-entity quota. */
export function putTags(store: Store, accountId: string, kind: string, id: string, tags: Tag[]): void {
  checkNewTags(tags);
  const existing = new Set(listTags(store, accountId, kind, id).map((t) => fold(t.Key)));
  const added = tags.filter((t) => !existing.has(fold(t.Key))).length;
  if (existing.size + added > MAX_TAGS_PER_ENTITY) throw limitExceeded('The number of tags has reached the maximum limit.');
  const next = store
    .prepare<{ n: number }>('SELECT coalesce(max(position), 0) + 1 AS n FROM tags WHERE account_id = ? AND resource_kind = ? AND resource_id = ?')
    .get(accountId, kind, id)!.n;
  const upsert = store.prepare(
    `INSERT INTO tags (account_id, resource_kind, resource_id, key_fold, tag_key, tag_value, position) VALUES (?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (account_id, resource_kind, resource_id, key_fold) DO UPDATE SET tag_key = excluded.tag_key, tag_value = excluded.tag_value`,
  );
  tags.forEach((t, i) => upsert.run(accountId, kind, id, fold(t.Key), t.Key, t.Value, next + i));
}

/** Removes the named keys (any case); keys that are not there are ignored, as IAM does. */
export function removeTags(store: Store, accountId: string, kind: string, id: string, keys: string[]): void {
  const del = store.prepare('DELETE FROM tags WHERE account_id = ? AND resource_kind = ? AND resource_id = ? AND key_fold = ?');
  for (const k of keys) del.run(accountId, kind, id, fold(k));
}

export function deleteAllTags(store: Store, accountId: string, kind: string, id: string): void {
  store.prepare('DELETE FROM tags WHERE account_id = ? AND resource_kind = ? AND resource_id = ?').run(accountId, kind, id);
}

/** aws:RequestTag/* and aws:TagKeys for a request that adds tags (Create*, Tag*). */
export function requestTagKeys(tags: Tag[] | undefined): Record<string, string | string[]> {
  if (!tags || tags.length === 0) return {};
  const ctx: Record<string, string | string[]> = { 'aws:TagKeys': tags.map((t) => t.Key) };
  for (const t of tags) ctx[`aws:RequestTag/${t.Key}`] = t.Value;
  return ctx;
}

/** aws:ResourceTag/* and the service's own <prefix>:ResourceTag/* for an existing entity. */
export function resourceTagKeys(tags: Record<string, string>, servicePrefix = 'iam'): Record<string, string> {
  const ctx: Record<string, string> = {};
  for (const [k, v] of Object.entries(tags)) {
    ctx[`aws:ResourceTag/${k}`] = v;
    ctx[`${servicePrefix}:ResourceTag/${k}`] = v;
  }
  return ctx;
}

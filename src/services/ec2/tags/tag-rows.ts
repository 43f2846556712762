import type { Store } from '../../../store/store.js';
import { AwsError } from '../../../protocol/errors.js';
import { ec2Errors } from '../shared/errors.js';

export interface Tag {
  Key?: string;
  Value?: string;
}

export interface TagSpecification {
  ResourceType?: string;
  Tags?: Tag[];
}

/** The tags of one resource, as a map. */
export function tagsOf(store: Store, accountId: string, resourceId: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const r of store.prepare<{ key: string; value: string }>('SELECT key, value FROM ec2_tags WHERE account_id = ? AND resource_id = ? ORDER BY key').all(accountId, resourceId)) {
    out[r.key] = r.value;
  }
  return out;
}

/** The tags of every resource of a type in the account, by resource id (one query for a whole Describe). */
export function tagsByResource(store: Store, accountId: string, resourceType: string): Map<string, Record<string, string>> {
  const out = new Map<string, Record<string, string>>();
  const rows = store.prepare<{ resource_id: string; key: string; value: string }>(
    'SELECT resource_id, key, value FROM ec2_tags WHERE account_id = ? AND resource_type = ? ORDER BY resource_id, key',
  ).all(accountId, resourceType);
  for (const r of rows) {
    let tags = out.get(r.resource_id);
    if (!tags) out.set(r.resource_id, (tags = {}));
    tags[r.key] = r.value;
  }
  return out;
}

/** A tag map as EC2's TagList; absent (not empty) when there are none, as EC2 omits tagSet. */
export function tagList(tags: Record<string, string> | undefined): Tag[] | undefined {
  if (!tags) return undefined;
  const keys = Object.keys(tags);
  return keys.length === 0 ? undefined : keys.map((Key) => ({ Key, Value: tags[Key] }));
}

/** EC2's tag rules: keys of 1–128 characters not starting with aws:, values up to 256, at most 50 per resource. */
export function checkTags(tags: Tag[]): void {
  for (const t of tags) {
    const key = t.Key ?? '';
    if (key.length === 0 || key.length > 128) throw ec2Errors.invalidParameterValue(`Tag key must be between 1 and 128 characters: '${key}'`);
    if (key.toLowerCase().startsWith('aws:')) throw ec2Errors.invalidParameterValue("Tag keys starting with 'aws:' are reserved for internal use");
    if ((t.Value ?? '').length > 256) throw ec2Errors.invalidParameterValue(`Tag value exceeds the maximum length of 256 characters for key '${key}'`);
  }
  if (tags.length > 50) throw tagLimit('the request');
}

/** The tags a TagSpecifications list gives resources of one type (checked, last value of a key wins). */
export function specTags(specs: TagSpecification[] | undefined, resourceType: string, allowed: readonly string[]): Tag[] {
  const out = new Map<string, string>();
  for (const spec of specs ?? []) {
    if (!spec.ResourceType || !allowed.includes(spec.ResourceType)) {
      throw ec2Errors.invalidParameterValue(`'${spec.ResourceType ?? ''}' is not a valid taggable resource type for this operation.`);
    }
    if (spec.ResourceType !== resourceType) continue;
    checkTags(spec.Tags ?? []);
    for (const t of spec.Tags ?? []) out.set(t.Key ?? '', t.Value ?? '');
  }
  return [...out].map(([Key, Value]) => ({ Key, Value }));
}

export function putTags(store: Store, accountId: string, resourceId: string, resourceType: string, tags: Tag[]): void {
  const put = store.prepare(
    `INSERT INTO ec2_tags (account_id, resource_id, resource_type, key, value) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (account_id, resource_id, key) DO UPDATE SET value = excluded.value`,
  );
  for (const t of tags) put.run(accountId, resourceId, resourceType, t.Key ?? '', t.Value ?? '');
  const count = store.prepare<{ n: number }>('SELECT count(*) AS n FROM ec2_tags WHERE account_id = ? AND resource_id = ?').get(accountId, resourceId)!.n;
  if (count > 50) throw tagLimit(`resource ${resourceId}`);
}

export function deleteAllTags(store: Store, accountId: string, resourceId: string): void {
  store.prepare('DELETE FROM ec2_tags WHERE account_id = ? AND resource_id = ?').run(accountId, resourceId);
}

function tagLimit(what: string): AwsError {
  return new AwsError('TagLimitExceeded', `The maximum number of tags (50) for ${what} has been reached.`, 400);
}

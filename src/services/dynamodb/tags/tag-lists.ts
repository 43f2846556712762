import { validation } from '../errors.js';

export interface Tag {
  Key: string;
  Value: string;
}

/** AWS's limit on tags per DynamoDB resource. */
export const MAX_TAGS = 50;

export function checkTags(tags: Tag[]): void {
  const keys = new Set<string>();
  for (const t of tags) {
    if (keys.has(t.Key)) throw validation('One or more parameter values were invalid: Duplicate tag keys found. Tag keys must be unique.');
    keys.add(t.Key);
    if (t.Key.startsWith('aws:')) throw validation('One or more parameter values were invalid: Tag keys starting with \'aws:\' are reserved for system use');
  }
}

/** aws:RequestTag/KEY and aws:TagKeys of a request that sets tags. */
export function tagConditionKeys(tags: Tag[]): Record<string, string | string[]> {
  const c: Record<string, string | string[]> = { 'aws:TagKeys': tags.map((t) => t.Key) };
  for (const t of tags) c[`aws:RequestTag/${t.Key}`] = t.Value;
  return c;
}

export function readTags(text: string | null): Tag[] {
  return text ? (JSON.parse(text) as Tag[]) : [];
}

import type { Tag } from '../../identity/tags.js';
import { stsInvalidParameter, stsValidationError } from './errors.js';

/**
 * Session tags (AssumeRole, GetFederationToken): key-value pairs that become the
 * session's aws:PrincipalTag/* over the role's or user's own tags. Keys are unique
 * case-insensitively. Transitive keys pass on along a role chain; a later session can
 * neither drop nor change them.
 */
export interface SessionTagsInput {
  Tags?: Tag[];
  TransitiveTagKeys?: string[];
}

export interface SessionTags {
  /** Tags passed now, plus those inherited as transitive from the calling session. */
  tags: Record<string, string>;
  transitiveKeys: string[];
}

/** What a calling role session passes on: its transitive tags. */
export interface InheritedTags {
  tags: Record<string, string>;
  transitiveKeys: string[];
}

const lower = (k: string) => k.toLowerCase();

/** Refusals worded as AWS's (InvalidParameterValue; LS tests/aws/services/sts/test_sts.snapshot.json). */
export function sessionTagsOf(input: SessionTagsInput, inherited?: InheritedTags): SessionTags {
  const tags: Record<string, string> = {};
  const seen = new Set<string>();
  for (const t of input.Tags ?? []) {
    if (seen.has(lower(t.Key))) throw stsInvalidParameter('Duplicate tag keys found. Please note that Tag keys are case insensitive.');
    if (lower(t.Key).startsWith('aws:')) throw stsValidationError(`Tag keys beginning with the text 'aws:' are reserved for system use: ${t.Key}`);
    seen.add(lower(t.Key));
    tags[t.Key] = t.Value;
  }
  const transitiveKeys: string[] = [];
  for (const k of input.TransitiveTagKeys ?? []) {
    const match = Object.keys(tags).find((key) => lower(key) === lower(k));
    if (match === undefined) throw stsInvalidParameter('The specified transitive tag key must be included in the requested tags.');
    if (!transitiveKeys.includes(match)) transitiveKeys.push(match);
  }
  for (const k of inherited?.transitiveKeys ?? []) {
    if (seen.has(lower(k))) {
      throw stsInvalidParameter("One of the specified transitive tag keys can't be set because it conflicts with a transitive tag key from the calling session.");
    }
    tags[k] = inherited!.tags[k];
    transitiveKeys.push(k);
  }
  return { tags, transitiveKeys };
}

/** aws:RequestTag/*, aws:TagKeys and sts:TransitiveTagKeys for the tags the request passes. */
export function sessionTagRequestKeys(input: SessionTagsInput): Record<string, string | string[]> {
  const ctx: Record<string, string | string[]> = {};
  if (input.Tags?.length) {
    ctx['aws:TagKeys'] = input.Tags.map((t) => t.Key);
    for (const t of input.Tags) ctx[`aws:RequestTag/${t.Key}`] = t.Value;
  }
  if (input.TransitiveTagKeys?.length) ctx['sts:TransitiveTagKeys'] = input.TransitiveTagKeys;
  return ctx;
}

/** True when the request passes session tags (sts:TagSession must then be allowed too). */
export function passesTags(input: SessionTagsInput): boolean {
  return (input.Tags?.length ?? 0) > 0 || (input.TransitiveTagKeys?.length ?? 0) > 0;
}

import { AwsError } from '../../../protocol/errors.js';

/** A tag as S3's model carries it. */
export interface Tag {
  Key: string;
  Value: string;
}

function invalidTag(message: string): AwsError {
  return new AwsError('InvalidTag', message, 400);
}

/**
 * S3's rules for a tag set (buckets: 50 tags; objects: 10): keys of 1–128 and values of
 * 0–256 Unicode characters, each key once, and no key under the reserved "aws:" prefix.
 */
export function checkTagSet(tags: readonly Tag[], max = 50): void {
  if (tags.length > max) {
    throw max === 10 ? new AwsError('BadRequest', 'Object tags cannot be greater than 10', 400) : invalidTag('Bucket tag count cannot be greater than 50');
  }
  const seen = new Set<string>();
  for (const t of tags) {
    const key = t.Key ?? '';
    const value = t.Value ?? '';
    if ([...key].length < 1 || [...key].length > 128) throw invalidTag('The TagKey you have provided is invalid');
    if ([...value].length > 256) throw invalidTag('The TagValue you have provided is invalid');
    if (key.toLowerCase().startsWith('aws:')) throw invalidTag('Your TagKey cannot be prefixed with aws:');
    if (seen.has(key)) throw invalidTag('Cannot provide multiple Tags with the same key');
    seen.add(key);
  }
}

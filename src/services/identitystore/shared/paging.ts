import { AwsError } from '../../../protocol/errors.js';

/**
 * Paging for the Identity Center APIs (identitystore, sso-admin, the portal): an opaque
 * NextToken (the offset, base64) and MaxResults. A token the service never gave is
 * refused with the service's ValidationException.
 */
export function pageOf<T>(items: T[], nextToken: string | undefined, maxResults: number | undefined, fallbackMax = 100): { items: T[]; next?: string } {
  const max = maxResults ?? fallbackMax;
  let start = 0;
  if (nextToken !== undefined) {
    const text = Buffer.from(nextToken, 'base64').toString('utf8');
    const m = /^o:(\d+)$/.exec(text);
    if (!m) throw new AwsError('ValidationException', 'The NextToken is invalid.', 400);
    start = Number(m[1]);
  }
  const slice = items.slice(start, start + max);
  return start + max < items.length ? { items: slice, next: Buffer.from(`o:${start + max}`).toString('base64') } : { items: slice };
}

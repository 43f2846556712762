import { AwsError, encodeError, type WireRequest, type WireResponse } from '../../../protocol/index.js';
import { bucketFromHost } from '../../../protocol/s3-host.js';
import type { Store } from '../../../store/store.js';
import { findBucket } from '../buckets/bucket-rows.js';
import { noSuchBucket } from '../errors.js';
import type { CorsRule } from './cors.js';

/**
 * CORS as browsers see S3 (S3 User Guide, "How does Amazon S3 evaluate the CORS
 * configuration on a bucket?"): the first rule whose AllowedOrigins match the Origin,
 * whose AllowedMethods include the method, and whose AllowedHeaders cover every header
 * asked for, answers. A preflight (OPTIONS) is never signed and never authorized; it
 * only reads the bucket's configuration. Other requests carrying an Origin get the
 * rule's headers added to their answer, errors included.
 */

/** The bucket a request names: virtual-host or the first path segment. */
export function bucketOfRequest(req: WireRequest): string | undefined {
  const hosted = bucketFromHost(req.headers.host);
  if (hosted !== undefined) return hosted;
  const path = req.path.startsWith('/') ? req.path.slice(1) : req.path;
  const slash = path.indexOf('/');
  const first = slash < 0 ? path : path.slice(0, slash);
  if (first === '') return undefined;
  try {
    return decodeURIComponent(first);
  } catch {
    return first;
  }
}

function corsRules(store: Store, bucket: string): CorsRule[] | undefined {
  const row = store.read(() => findBucket(store, bucket));
  return row?.cors ? (JSON.parse(row.cors) as CorsRule[]) : undefined;
}

/** S3's wildcard: one "*" standing for any run of characters. */
function wildcardMatch(pattern: string, value: string, caseInsensitive: boolean): boolean {
  const p = caseInsensitive ? pattern.toLowerCase() : pattern;
  const v = caseInsensitive ? value.toLowerCase() : value;
  const star = p.indexOf('*');
  if (star < 0) return p === v;
  const head = p.slice(0, star);
  const tail = p.slice(star + 1);
  return v.length >= head.length + tail.length && v.startsWith(head) && v.endsWith(tail);
}

function matchRule(rules: CorsRule[], origin: string, method: string, headers: string[]): CorsRule | undefined {
  return rules.find(
    (r) =>
      r.AllowedOrigins.some((o) => wildcardMatch(o, origin, false)) &&
      r.AllowedMethods.includes(method) &&
      headers.every((h) => (r.AllowedHeaders ?? []).some((a) => wildcardMatch(a, h, true))),
  );
}

/** The headers a matching rule adds to an answer. */
function ruleHeaders(rule: CorsRule, origin: string): Record<string, string> {
  const anyOrigin = rule.AllowedOrigins.includes('*');
  const out: Record<string, string> = {
    'access-control-allow-origin': anyOrigin ? '*' : origin,
    'access-control-allow-methods': rule.AllowedMethods.join(', '),
    vary: 'Origin, Access-Control-Request-Headers, Access-Control-Request-Method',
  };
  if (!anyOrigin) out['access-control-allow-credentials'] = 'true';
  if (rule.ExposeHeaders?.length) out['access-control-expose-headers'] = rule.ExposeHeaders.join(', ');
  if (rule.MaxAgeSeconds !== undefined) out['access-control-max-age'] = String(rule.MaxAgeSeconds);
  return out;
}

/** An OPTIONS request: the preflight's answer (the pipeline's preflight hook). */
export function answerPreflight(store: Store, req: WireRequest, requestId: string): WireResponse | undefined {
  if (req.method.toUpperCase() !== 'OPTIONS') return undefined;
  const fail = (e: AwsError) => encodeError('s3', e, requestId);
  const bucket = bucketOfRequest(req);
  const origin = req.headers.origin;
  const method = req.headers['access-control-request-method'];
  if (origin === undefined || method === undefined) {
    return fail(new AwsError('BadRequest', 'Insufficient information. Origin request header needed.', 400));
  }
  if (bucket === undefined) return fail(new AwsError('BadRequest', 'Insufficient information. Origin request header needed.', 400));
  const rules = corsRules(store, bucket);
  if (rules === undefined) {
    if (!store.read(() => findBucket(store, bucket))) return fail(noSuchBucket(bucket));
    return fail(new AwsError('AccessForbidden', 'CORSResponse: CORS is not enabled for this bucket.', 403, { extra: { Method: method, ResourceType: 'BUCKET' } }));
  }
  const asked = (req.headers['access-control-request-headers'] ?? '').split(',').map((h) => h.trim()).filter(Boolean);
  const rule = matchRule(rules, origin, method, asked);
  if (!rule) {
    return fail(new AwsError(
      'AccessForbidden',
      "CORSResponse: This CORS request is not allowed. This is usually because the evalution of Origin, request method / Access-Control-Request-Method or Access-Control-Request-Headers are not whitelisted by the resource's CORS spec.",
      403,
      { extra: { Method: method, ResourceType: 'OBJECT' } },
    ));
  }
  const headers: Record<string, string> = { ...ruleHeaders(rule, origin), 'x-amz-request-id': requestId };
  if (asked.length) headers['access-control-allow-headers'] = asked.join(', ');
  return { status: 200, headers, body: '' };
}

/** Any other request with an Origin: the matching rule's headers on its answer (the decorate hook). */
export function addCorsHeaders(store: Store, req: WireRequest, response: WireResponse): void {
  const origin = req.headers.origin;
  if (origin === undefined) return;
  const bucket = bucketOfRequest(req);
  if (bucket === undefined) return;
  const rules = corsRules(store, bucket);
  if (!rules) return;
  const rule = matchRule(rules, origin, req.method.toUpperCase(), []);
  if (rule) Object.assign(response.headers, ruleHeaders(rule, origin));
}

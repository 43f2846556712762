/**
 * An independent signer for the SigV4 tests: @smithy/signature-v4 (the AWS SDK's own
 * signer) signs, these helpers turn its output into the WireRequest our verifier reads.
 */
import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import type { WireRequest } from '../../src/protocol/errors.js';

export const T0 = Date.parse('2024-01-01T00:00:00Z');
export const STAMP = '20240101T000000Z';

export interface TestKey {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export const LONG_TERM: TestKey = { accessKeyId: 'AKIAEXAMPLELONGTERM1', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' };
export const TEMPORARY: TestKey = {
  accessKeyId: 'ASIAEXAMPLETEMPORARY',
  secretAccessKey: 'tmpSecret/+/k3y=with+odd/chars',
  sessionToken: 'IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLWVhc3QtMSJHMEUCIQD+token/with+plus=',
};

export interface SignInput {
  method?: string;
  host?: string;
  /** The path as it goes on the wire (already percent-encoded). */
  path?: string;
  /** The path the signer signs, when it should differ from the wire path (S3 re-encoding tests). */
  signedPath?: string;
  query?: Record<string, string | string[]>;
  headers?: Record<string, string>;
  body?: string | Buffer;
  service?: string;
  region?: string;
  key?: TestKey;
  date?: number;
  /** Presign instead of signing the headers. */
  expiresIn?: number;
  unsignableHeaders?: Set<string>;
  /**
   * S3 presigning: 'sdk' (the default) marks the payload UNSIGNED-PAYLOAD with a header the
   * signer hoists into the query, as @aws-sdk/s3-request-presigner does; 'boto' signs
   * UNSIGNED-PAYLOAD and sends no such parameter, as botocore does.
   */
  presigner?: 'sdk' | 'boto';
}

export const escapeUri = (text: string) => encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** Signs a request the way the AWS SDK does and returns it as it would arrive on the wire. */
export async function signed(input: SignInput): Promise<WireRequest> {
  const service = input.service ?? 'iam';
  const s3 = service === 's3';
  const key = input.key ?? LONG_TERM;
  const host = input.host ?? `${service}.amazonaws.com`;
  const body = input.body === undefined ? undefined : Buffer.from(input.body);
  const signer = new SignatureV4({
    service,
    region: input.region ?? 'us-east-1',
    credentials: key,
    sha256: Sha256,
    uriEscapePath: !s3,
    applyChecksum: s3,
  });
  const headers: Record<string, string> = { host, ...(input.headers ?? {}) };
  const presigning = input.expiresIn !== undefined;
  const boto = s3 && presigning && input.presigner === 'boto';
  if (s3 && presigning) headers['x-amz-content-sha256'] ??= 'UNSIGNED-PAYLOAD';
  const hidden = new Set(boto ? ['x-amz-content-sha256'] : []);
  if (body && !('content-length' in headers)) headers['content-length'] = String(body.length);
  const request = new HttpRequest({
    method: input.method ?? 'GET',
    protocol: 'https:',
    hostname: host,
    path: input.signedPath ?? input.path ?? '/',
    query: input.query ?? {},
    headers,
    body,
  });
  const signingDate = new Date(input.date ?? T0);
  const unsignableHeaders = new Set([...(input.unsignableHeaders ?? []), ...hidden]);
  const out = presigning
    ? await signer.presign(request, { signingDate, expiresIn: input.expiresIn, unsignableHeaders, unhoistableHeaders: hidden })
    : await signer.sign(request, { signingDate, unsignableHeaders });
  const wireHeaders: Record<string, string> = {};
  for (const [name, value] of Object.entries(out.headers)) if (!hidden.has(name)) wireHeaders[name.toLowerCase()] = value;
  return {
    method: out.method,
    path: input.path ?? '/',
    rawQuery: queryString(out.query ?? {}),
    headers: wireHeaders,
    body: body ?? Buffer.alloc(0),
  };
}

/** The query string the SDK puts on the wire: names and values RFC 3986-encoded. */
export function queryString(query: Record<string, string | string[] | null | undefined>): string {
  const parts: string[] = [];
  for (const [name, value] of Object.entries(query)) {
    if (value === null || value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) parts.push(`${escapeUri(name)}=${escapeUri(v)}`);
  }
  return parts.join('&');
}

/** Replaces the signature of an Authorization header (or presigned query) with another. */
export function withSignature(req: WireRequest, signature: string): WireRequest {
  if (req.headers.authorization) {
    return { ...req, headers: { ...req.headers, authorization: req.headers.authorization.replace(/Signature=\w+/, `Signature=${signature}`) } };
  }
  return { ...req, rawQuery: req.rawQuery.replace(/X-Amz-Signature=\w+/, `X-Amz-Signature=${signature}`) };
}

/** The signature a request carries. */
export function signatureOf(req: WireRequest): string {
  return (/Signature=(\w+)/.exec(req.headers.authorization ?? '') ?? /X-Amz-Signature=(\w+)/.exec(req.rawQuery))![1];
}

/** A lookup over test keys, as the credential store would answer. */
export function lookupOf(...keys: (TestKey & { active?: boolean; expiresAt?: number })[]) {
  const byId = new Map(keys.map((k) => [k.accessKeyId, k]));
  return (accessKeyId: string) => {
    const k = byId.get(accessKeyId);
    if (!k) return undefined;
    return { secretAccessKey: k.secretAccessKey, sessionToken: k.sessionToken, active: k.active ?? true, expiresAt: k.expiresAt, id: k.accessKeyId };
  };
}

/** Asserts that fn throws an AwsError with this code, status and (when given) message; returns it. */
export function expectAwsError(fn: () => unknown, code: string, status: number, message?: string | RegExp) {
  let caught: unknown;
  try {
    fn();
  } catch (err) {
    caught = err;
  }
  const e = caught as { name?: string; code?: string; status?: number; message?: string; extra?: Record<string, string> } | undefined;
  if (!e || e.name !== 'AwsError') throw new Error(`expected AwsError ${code}, got ${caught === undefined ? 'no error' : String(caught)}`);
  if (e.code !== code || e.status !== status) throw new Error(`expected ${code}/${status}, got ${e.code}/${e.status}: ${e.message}`);
  if (typeof message === 'string' && e.message !== message) throw new Error(`expected message\n  ${message}\ngot\n  ${e.message}`);
  if (message instanceof RegExp && !message.test(e.message ?? '')) throw new Error(`message ${JSON.stringify(e.message)} does not match ${message}`);
  return e as { code: string; status: number; message: string; extra: Record<string, string> };
}

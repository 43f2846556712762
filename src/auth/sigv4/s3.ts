import type { QueryParam } from './canonical.js';
import { s3Errors } from './errors.js';
import { ALGORITHM, headerText, isScopeDate, parseAuthorization, splitSignedHeaders, TERMINATOR, type RequestHead, type SignatureParts } from './parse.js';
import { formatAmzDate, parseAmzDate, parseHeaderDate } from './time.js';

/** What S3 reads from a signed request: the signature's parts and the payload hash it signs. */
export interface S3Claim {
  parts: SignatureParts;
  /** The payload hash of the canonical request: a hex SHA-256, UNSIGNED-PAYLOAD or STREAMING-…. */
  payloadHash: string;
}

const PRESIGN_PARAMS = ['x-amz-algorithm', 'x-amz-credential', 'x-amz-signature', 'x-amz-date', 'x-amz-signedheaders', 'x-amz-expires'];
const MAX_EXPIRES = 604800;
const PAYLOAD_KEYWORDS = new Set([
  'UNSIGNED-PAYLOAD',
  'STREAMING-UNSIGNED-PAYLOAD-TRAILER',
  'STREAMING-AWS4-HMAC-SHA256-PAYLOAD',
  'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER',
  'STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD',
  'STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD-TRAILER',
]);

/**
 * Reads the signature of an S3 request, from its Authorization header or its presigned
 * query, and checks its form (S3's own error texts). Null when the request carries no
 * signature at all (anonymous).
 */
export function readS3Signature(req: RequestHead, params: QueryParam[]): S3Claim | null {
  const authorization = headerText(req.headers.authorization);
  const query = new Map<string, string>();
  for (const p of params) {
    const lower = p.name.toLowerCase();
    // S3 reads its own parameters whatever their letter case; the first of a name counts.
    if (lower.startsWith('x-amz-') && !query.has(lower)) query.set(lower, p.value);
  }
  const presigned = PRESIGN_PARAMS.some((name) => query.has(name));
  const signatureV2 = params.some((p) => p.name === 'AWSAccessKeyId') && params.some((p) => p.name === 'Signature');
  if (authorization !== '') {
    if (presigned || signatureV2) throw s3Errors.twoMechanisms(authorization);
    return readHeader(req, authorization);
  }
  if (presigned) return readQuery(req, query);
  if (signatureV2) throw s3Errors.unsupportedMechanism();
  return null;
}

function readHeader(req: RequestHead, authorization: string): S3Claim {
  const parsed = parseAuthorization(authorization);
  if (parsed.algorithm !== ALGORITHM) {
    if (parsed.algorithm === 'AWS' || parsed.algorithm === 'AWS4-ECDSA-P256-SHA256') throw s3Errors.unsupportedMechanism();
    throw s3Errors.unsupportedType(authorization);
  }
  const credential = parsed.components.get('Credential');
  const signedHeaders = parsed.components.get('SignedHeaders');
  const signature = parsed.components.get('Signature');
  if (credential === undefined || signedHeaders === undefined || signature === undefined || parsed.pairWithoutEquals !== undefined) {
    throw s3Errors.headerMalformed('the authorization header requires three components: Credential, SignedHeaders, and Signature.');
  }
  const scope = readScope(credential, s3Errors.headerMalformed);
  const amzDate = headerText(req.headers['x-amz-date']);
  const rawTime = amzDate !== '' ? amzDate : headerText(req.headers.date);
  const signedAt = amzDate !== '' ? parseAmzDate(amzDate) : parseHeaderDate(rawTime);
  if (Number.isNaN(signedAt)) throw s3Errors.noDate();
  const timestamp = amzDate !== '' ? amzDate : formatAmzDate(signedAt);
  if (scope.date !== timestamp.slice(0, 8)) {
    throw s3Errors.headerMalformed(`Invalid credential date "${scope.date}". This date is not the same as X-Amz-Date: "${timestamp.slice(0, 8)}".`);
  }
  const payloadHash = headerText(req.headers['x-amz-content-sha256']);
  if (payloadHash === '') throw s3Errors.missingContentSha256();
  if (!isPayloadHash(payloadHash)) throw s3Errors.badContentSha256(payloadHash);
  const signedNames = splitSignedHeaders(signedHeaders);
  checkAllSigned(req, signedNames, false);
  const token = headerText(req.headers['x-amz-security-token']);
  return {
    parts: {
      presigned: false,
      accessKeyId: scope.accessKeyId,
      scope: scope.text,
      region: scope.region,
      service: scope.service,
      signedHeaders,
      signedNames,
      signature,
      timestamp,
      rawTime,
      signedAt,
      sessionToken: token === '' ? undefined : token,
    },
    payloadHash,
  };
}

function readQuery(req: RequestHead, query: Map<string, string>): S3Claim {
  if (!PRESIGN_PARAMS.every((name) => query.has(name))) {
    throw s3Errors.queryParameters(
      'Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.',
    );
  }
  const get = (name: string) => query.get(name) ?? '';
  if (get('x-amz-algorithm') !== ALGORITHM) {
    throw s3Errors.queryParameters('X-Amz-Algorithm only supports "AWS4-HMAC-SHA256 and AWS4-ECDSA-P256-SHA256"');
  }
  const scope = readScope(get('x-amz-credential'), (detail, extra) =>
    s3Errors.queryParameters(`Error parsing the X-Amz-Credential parameter; ${detail}`, extra),
  );
  const timestamp = get('x-amz-date');
  const signedAt = parseAmzDate(timestamp);
  if (Number.isNaN(signedAt)) throw s3Errors.queryParameters(`X-Amz-Date must be in the ISO8601 Long Format "yyyyMMdd'T'HHmmss'Z'"`);
  if (scope.date !== timestamp.slice(0, 8)) {
    throw s3Errors.queryParameters(`Invalid credential date "${scope.date}". This date is not the same as X-Amz-Date: "${timestamp.slice(0, 8)}".`);
  }
  const expiresText = get('x-amz-expires');
  if (!/^-?\d+$/.test(expiresText)) throw s3Errors.queryParameters('X-Amz-Expires should be a number');
  const expiresSeconds = Number(expiresText);
  if (expiresSeconds < 0) throw s3Errors.queryParameters('X-Amz-Expires must be non-negative');
  if (expiresSeconds > MAX_EXPIRES) {
    throw s3Errors.queryParameters(
      'X-Amz-Expires must be less than a week (in seconds); that is, the given X-Amz-Expires must be less than 604800 seconds',
    );
  }
  const signedHeaders = get('x-amz-signedheaders');
  const signedNames = splitSignedHeaders(signedHeaders);
  checkAllSigned(req, signedNames, true);
  // A presigned URL signs no payload, unless its signer put a hash in it.
  const hoisted = query.get('x-amz-content-sha256');
  const header = signedNames.includes('x-amz-content-sha256') ? headerText(req.headers['x-amz-content-sha256']) : '';
  const payloadHash = hoisted ?? (header !== '' ? header : 'UNSIGNED-PAYLOAD');
  if (!isPayloadHash(payloadHash)) throw s3Errors.badContentSha256(payloadHash);
  const token = query.get('x-amz-security-token') ?? headerText(req.headers['x-amz-security-token']);
  return {
    parts: {
      presigned: true,
      accessKeyId: scope.accessKeyId,
      scope: scope.text,
      region: scope.region,
      service: scope.service,
      signedHeaders,
      signedNames,
      signature: get('x-amz-signature'),
      timestamp,
      rawTime: timestamp,
      signedAt,
      sessionToken: token === '' ? undefined : token,
      expiresSeconds,
    },
    payloadHash,
  };
}

interface Scope {
  accessKeyId: string;
  date: string;
  region: string;
  service: string;
  text: string;
}

type ScopeError = (detail: string, extra?: Record<string, string>) => Error;

/** "AKID/20130524/us-east-1/s3/aws4_request", checked piece by piece. */
function readScope(credential: string, fail: ScopeError): Scope {
  const pieces = credential.split('/');
  if (pieces.length !== 5 || pieces[0] === '') {
    throw fail('the Credential is mal-formed; expecting "<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request".');
  }
  const [accessKeyId, date, region, service, terminator] = pieces;
  if (!isScopeDate(date)) throw fail(`incorrect date format "${date}". This date in the credential must be in the format "yyyyMMdd".`);
  // Any region will do locally; an empty one is no region at all.
  if (region === '') throw fail(`the region '' is wrong; expecting 'us-east-1'`, { Region: 'us-east-1' });
  if (service !== 's3') throw fail(`incorrect service "${service}". This endpoint belongs to "s3".`);
  if (terminator !== TERMINATOR) throw fail(`incorrect terminal "${terminator}". This endpoint uses "aws4_request".`);
  return { accessKeyId, date, region, service, text: `${date}/${region}/${service}/${terminator}` };
}

/**
 * S3 wants the host and every x-amz-* header signed: an unsigned one could have been added
 * on the way. A presigned URL may travel with an unsigned x-amz-content-sha256.
 */
function checkAllSigned(req: RequestHead, signedNames: string[], presigned: boolean): void {
  const missing: string[] = [];
  if (!signedNames.includes('host')) missing.push('host');
  for (const name of Object.keys(req.headers)) {
    if (!name.startsWith('x-amz-') || signedNames.includes(name)) continue;
    if (presigned && name === 'x-amz-content-sha256') continue;
    missing.push(name);
  }
  if (missing.length > 0) throw s3Errors.headersNotSigned(missing);
}

function isPayloadHash(value: string): boolean {
  return PAYLOAD_KEYWORDS.has(value) || /^[0-9a-fA-F]{64}$/.test(value);
}

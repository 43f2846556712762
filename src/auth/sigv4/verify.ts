import type { Transform } from 'node:stream';
import type { WireRequest } from '../../protocol/errors.js';
import { canonicalHeaders, canonicalQuery, canonicalRequest, canonicalUri, parseQuery, stringToSign, type QueryParam } from './canonical.js';
import { s3Errors, serviceErrors, type ServiceAuthErrors, type ServiceFamily } from './errors.js';
import { EMPTY_SHA256, hmacHex, sameSignature, sha256Hex, signingKey } from './keys.js';
import { ALGORITHM, type RequestHead, type SignatureParts } from './parse.js';
import { decodePayload, payloadSpec, payloadStream, type PayloadSpec } from './payload.js';
import { readS3Signature } from './s3.js';
import { readServiceSignature } from './service.js';
import { MAX_SKEW_MS } from './time.js';

export type { ServiceFamily } from './errors.js';
export { missingAuthenticationToken } from './errors.js';
export type { RequestHead } from './parse.js';
export type { PayloadSpec } from './payload.js';

/** What verification needs to know of an access key. */
export interface SigningCredential {
  secretAccessKey: string;
  /** Temporary credentials: the token every request must carry. */
  sessionToken?: string;
  active: boolean;
  /** Temporary credentials: epoch ms after which they no longer work. */
  expiresAt?: number;
}

export interface VerifyOptions<C extends SigningCredential> {
  family: ServiceFamily;
  lookup: (accessKeyId: string) => C | undefined;
  /** Epoch ms. */
  now: number;
  /**
   * The signing name the credential scope must carry ('iam', 'sts', …). Without it any
   * name of the family is taken: iam or sts for query, ec2, dynamodb for json, s3.
   */
  service?: string;
}

export interface VerifiedRequest<C extends SigningCredential> {
  accessKeyId: string;
  credential: C;
  region: string;
  service: string;
  /** The request time the client signed (epoch ms). */
  signedAt: number;
  presigned: boolean;
  /** The payload: the body with any aws-chunked framing removed. */
  body: Buffer;
  /** aws-chunked bodies: their verified trailing headers (e.g. x-amz-checksum-crc32). */
  trailers?: Record<string, string>;
}

/** A verified S3 request whose body is still to come: see payloadVerifier. */
export interface VerifiedHead<C extends SigningCredential> extends Omit<VerifiedRequest<C>, 'body' | 'trailers'> {
  payload: PayloadSpec;
}

const SIGNING_NAMES: Record<ServiceFamily, readonly string[]> = {
  query: ['iam', 'sts'],
  ec2: ['ec2'],
  json: ['dynamodb'],
  s3: ['s3'],
};

/**
 * Verifies the SigV4 signature of a whole request against the secret of its access key.
 * Returns null when the request carries no signature at all (the pipeline decides between
 * anonymous and MissingAuthenticationToken); throws the AwsError the service would answer
 * with when it carries a bad one.
 */
export function verifyRequest<C extends SigningCredential>(req: WireRequest, opts: VerifyOptions<C>): VerifiedRequest<C> | null {
  if (opts.family === 's3') {
    const head = verifyRequestHead(req, opts);
    if (!head) return null;
    const { payload, ...verified } = head;
    const decoded = decodePayload(req.body, payload);
    return { ...verified, body: decoded.payload, ...(decoded.trailers ? { trailers: decoded.trailers } : {}) };
  }
  return verifyServiceRequest(req, opts);
}

/**
 * S3 only: verifies everything but the body, so the body can stream. Pipe the body
 * through payloadVerifier(head) to check (and decode) it; the stream fails with S3's
 * AwsError, and only its end proves the payload good.
 */
export function verifyRequestHead<C extends SigningCredential>(req: RequestHead, opts: VerifyOptions<C>): VerifiedHead<C> | null {
  if (opts.family !== 's3') throw new Error(`verifyRequestHead is for S3; ${opts.family} services sign their body`);
  const params = parseQuery(req.rawQuery);
  const claim = readS3Signature(req, params);
  if (!claim) return null;
  const { parts, payloadHash } = claim;
  const credential = opts.lookup(parts.accessKeyId);
  checkS3Credential(parts, credential, opts.now);
  const key = signingKey(credential.secretAccessKey, parts.timestamp.slice(0, 8), parts.region, parts.service);
  const signed = sign(req, params, parts, key, payloadHash, true);
  if (!sameSignature(signed.signature, parts.signature)) {
    throw s3Errors.signatureDiffers({ accessKeyId: parts.accessKeyId, signatureProvided: parts.signature, ...signed });
  }
  checkS3Time(parts, opts.now);
  return {
    accessKeyId: parts.accessKeyId,
    credential,
    region: parts.region,
    service: parts.service,
    signedAt: parts.signedAt,
    presigned: parts.presigned,
    payload: payloadSpec(req, parts, payloadHash, key, signed.signature),
  };
}

/** A Transform from the body of a verified S3 request to its payload, checking as it goes. */
export function payloadVerifier(head: VerifiedHead<SigningCredential>): Transform & { trailers?: Record<string, string> } {
  return payloadStream(head.payload);
}

function verifyServiceRequest<C extends SigningCredential>(req: WireRequest, opts: VerifyOptions<C>): VerifiedRequest<C> | null {
  const family = opts.family as Exclude<ServiceFamily, 's3'>;
  const errors = serviceErrors(family);
  const params = parseQuery(req.rawQuery);
  const names = opts.service ? [opts.service] : SIGNING_NAMES[family];
  const parts = readServiceSignature(req, params, errors, opts.now, names);
  if (!parts) return null;
  const credential = checkServiceCredential(parts, opts.lookup(parts.accessKeyId), opts.now, errors);
  const key = signingKey(credential.secretAccessKey, parts.timestamp.slice(0, 8), parts.region, parts.service);
  // These services hash the body themselves: a changed body is a changed signature.
  const bodyHash = req.body.length === 0 ? EMPTY_SHA256 : sha256Hex(req.body);
  let signed = sign(req, params, parts, key, bodyHash, false);
  if (!sameSignature(signed.signature, parts.signature) && parts.presigned) {
    // A presigned URL may have been signed without its payload.
    const unsigned = sign(req, params, parts, key, 'UNSIGNED-PAYLOAD', false);
    if (sameSignature(unsigned.signature, parts.signature)) signed = unsigned;
  }
  if (!sameSignature(signed.signature, parts.signature)) {
    throw errors.signatureDiffers({ accessKeyId: parts.accessKeyId, signatureProvided: parts.signature, ...signed });
  }
  return {
    accessKeyId: parts.accessKeyId,
    credential,
    region: parts.region,
    service: parts.service,
    signedAt: parts.signedAt,
    presigned: parts.presigned,
    body: req.body,
  };
}

/** The signature the request should carry, and the strings it was computed from. */
function sign(req: RequestHead, params: QueryParam[], parts: SignatureParts, key: Buffer, payloadHash: string, s3: boolean) {
  const query = canonicalQuery(params, parts.presigned ? (s3 ? isS3SignatureParam : isSignatureParam) : undefined);
  const request = canonicalRequest(
    req.method,
    canonicalUri(req.path, s3),
    query,
    canonicalHeaders(req.headers, parts.signedNames),
    parts.signedHeaders,
    payloadHash,
  );
  const toSign = stringToSign(ALGORITHM, parts.timestamp, parts.scope, sha256Hex(request));
  return { signature: hmacHex(key, toSign), canonicalRequest: request, stringToSign: toSign };
}

const isSignatureParam = (p: QueryParam) => p.name === 'X-Amz-Signature';
const isS3SignatureParam = (p: QueryParam) => p.name.length === 15 && p.name.toLowerCase() === 'x-amz-signature';

/**
 * Is the key known and usable, with the session token it requires? Unknown, inactive and
 * token-less temporary keys all read "invalid token" to these services; an expired one
 * "expired".
 */
function checkServiceCredential<C extends SigningCredential>(parts: SignatureParts, credential: C | undefined, now: number, errors: ServiceAuthErrors): C {
  if (!credential || !credential.active) throw errors.invalidToken();
  if (parts.sessionToken !== credential.sessionToken) throw errors.invalidToken();
  if (credential.expiresAt !== undefined && now >= credential.expiresAt) throw errors.expiredToken();
  return credential;
}

/** S3 tells a missing key (or a temporary one without its token) from a bad token. */
function checkS3Credential<C extends SigningCredential>(parts: SignatureParts, credential: C | undefined, now: number): asserts credential is C {
  if (!credential || !credential.active) throw s3Errors.unknownKey(parts.accessKeyId);
  const token = parts.sessionToken;
  if (credential.sessionToken !== undefined && token === undefined) throw s3Errors.unknownKey(parts.accessKeyId);
  if (token !== undefined && token !== credential.sessionToken) throw s3Errors.invalidToken(token);
  if (credential.expiresAt !== undefined && now >= credential.expiresAt) throw s3Errors.expiredToken(token ?? '');
}

/** S3 looks at the time only once the key and the signature hold. */
function checkS3Time(parts: SignatureParts, now: number): void {
  if (!parts.presigned) {
    if (Math.abs(now - parts.signedAt) > MAX_SKEW_MS) throw s3Errors.skewed(parts.rawTime, now);
    return;
  }
  const expires = parts.expiresSeconds ?? 0;
  if (parts.signedAt - now > MAX_SKEW_MS) throw s3Errors.presignNotYetValid(parts.rawTime, now);
  const expiresAt = parts.signedAt + expires * 1000;
  if (expires === 0 || now > expiresAt) throw s3Errors.presignExpired(expires, expiresAt, now);
}

import { constants, createPublicKey, verify as verifySignature, type JsonWebKey, type KeyObject } from 'node:crypto';

/**
 * JSON Web Tokens (RFC 7519) in compact form, verified against a JSON Web Key Set with
 * node:crypto. Synchronous on purpose: the pipeline authorizes and runs an operation
 * inside one store snapshot, where nothing may wait.
 *
 * Only asymmetric algorithms: an identity provider's token must be checkable with its
 * public keys alone ("none" and HMAC are refused, as AWS refuses them).
 */
export interface Jwk {
  kty: string;
  kid?: string;
  alg?: string;
  use?: string;
  [member: string]: unknown;
}

export interface JwkSet {
  keys: Jwk[];
}

export interface DecodedJwt {
  header: { alg: string; kid?: string; typ?: string; [member: string]: unknown };
  claims: Record<string, unknown>;
  /** base64url(header) + "." + base64url(claims): the bytes the signature covers. */
  signingInput: string;
  signature: Buffer;
}

export type JwtProblem = 'malformed' | 'algorithm' | 'no-key' | 'signature';

export class JwtError extends Error {
  constructor(readonly problem: JwtProblem, message: string) {
    super(message);
    this.name = 'JwtError';
  }
}

interface Algorithm {
  hash: 'sha256' | 'sha384' | 'sha512';
  kty: 'RSA' | 'EC';
  pss?: boolean;
  crv?: string;
}

const ALGORITHMS: Record<string, Algorithm> = {
  RS256: { hash: 'sha256', kty: 'RSA' },
  RS384: { hash: 'sha384', kty: 'RSA' },
  RS512: { hash: 'sha512', kty: 'RSA' },
  PS256: { hash: 'sha256', kty: 'RSA', pss: true },
  PS384: { hash: 'sha384', kty: 'RSA', pss: true },
  PS512: { hash: 'sha512', kty: 'RSA', pss: true },
  ES256: { hash: 'sha256', kty: 'EC', crv: 'P-256' },
  ES384: { hash: 'sha384', kty: 'EC', crv: 'P-384' },
  ES512: { hash: 'sha512', kty: 'EC', crv: 'P-521' },
};

const BASE64URL = /^[A-Za-z0-9_-]*$/;

function jsonPart(part: string): Record<string, unknown> {
  if (!BASE64URL.test(part)) throw new JwtError('malformed', 'not base64url');
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
  } catch {
    throw new JwtError('malformed', 'not JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new JwtError('malformed', 'not a JSON object');
  return value as Record<string, unknown>;
}

/** The parts of a compact JWS, unverified. Throws JwtError('malformed'). */
export function decodeJwt(token: string): DecodedJwt {
  const parts = token.trim().split('.');
  if (parts.length !== 3 || !BASE64URL.test(parts[2])) throw new JwtError('malformed', 'a JWT has three base64url parts');
  const header = jsonPart(parts[0]);
  const claims = jsonPart(parts[1]);
  if (typeof header.alg !== 'string') throw new JwtError('malformed', 'the header has no alg');
  if (header.kid !== undefined && typeof header.kid !== 'string') throw new JwtError('malformed', 'kid is not a string');
  return { header: header as DecodedJwt['header'], claims, signingInput: `${parts[0]}.${parts[1]}`, signature: Buffer.from(parts[2], 'base64url') };
}

/** The keys of a set that may have signed this token: its kid if it names one, its algorithm's key type. */
function candidates(jwt: DecodedJwt, alg: Algorithm, keys: readonly Jwk[]): Jwk[] {
  return keys.filter((k) =>
    k.kty === alg.kty &&
    (jwt.header.kid === undefined || k.kid === jwt.header.kid) &&
    (k.alg === undefined || k.alg === jwt.header.alg) &&
    (k.use === undefined || k.use === 'sig') &&
    (alg.crv === undefined || k.crv === alg.crv));
}

function publicKeyOf(jwk: Jwk): KeyObject | undefined {
  try {
    return createPublicKey({ key: jwk as JsonWebKey, format: 'jwk' });
  } catch {
    return undefined;
  }
}

/**
 * Checks the token's signature with the set's keys; returns the key that verified it.
 * Throws JwtError: 'algorithm' (none, HMAC, unknown), 'no-key' (no key of the set
 * fits), 'signature' (a key fits, the signature does not match).
 */
export function verifyJwtSignature(jwt: DecodedJwt, keys: readonly Jwk[]): Jwk {
  const alg = ALGORITHMS[jwt.header.alg];
  if (!alg) throw new JwtError('algorithm', `unsupported algorithm ${jwt.header.alg}`);
  const fitting = candidates(jwt, alg, keys);
  if (fitting.length === 0) throw new JwtError('no-key', jwt.header.kid === undefined ? 'no key of the set fits' : `no key with kid ${jwt.header.kid}`);
  const data = Buffer.from(jwt.signingInput, 'ascii');
  for (const jwk of fitting) {
    const key = publicKeyOf(jwk);
    if (!key) continue;
    const ok = alg.kty === 'EC'
      ? verifySignature(alg.hash, data, { key, dsaEncoding: 'ieee-p1363' }, jwt.signature)
      : verifySignature(alg.hash, data, alg.pss ? { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST } : key, jwt.signature);
    if (ok) return jwk;
  }
  throw new JwtError('signature', 'the signature does not match');
}

/** A JWKS document's keys, or undefined when it is not one. */
export function parseJwks(value: unknown): JwkSet | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const keys = (value as { keys?: unknown }).keys;
  if (!Array.isArray(keys)) return undefined;
  if (!keys.every((k) => typeof k === 'object' && k !== null && typeof (k as Jwk).kty === 'string')) return undefined;
  return { keys: keys as Jwk[] };
}

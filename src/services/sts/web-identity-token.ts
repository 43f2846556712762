import type { Store } from '../../store/store.js';
import type { Tag } from '../../identity/tags.js';
import { decodeJwt, JwtError, verifyJwtSignature, type DecodedJwt } from '../../auth/jwt/jwt.js';
import { checkTokenTimes, stringClaim, stringList } from '../../auth/jwt/claims.js';
import { providerKeyOfIssuer } from '../../identity/oidc-issuer-url.js';
import { expiredToken, invalidIdentityToken, WEB_IDENTITY } from './federation-errors.js';
import { localIssuerKeys, type FetchedKeys } from './issuer-keys.js';

/**
 * Checks an OpenID Connect ID token as AssumeRoleWithWebIdentity does, in this order:
 * a JWT at all; an IAM OIDC provider in the role's account for its iss; a key that
 * verifies its signature; exp / nbf / iat against the server clock; an aud (or azp) among
 * the provider's client ids; a sub. What comes out is what the trust policy and the
 * session see: <provider>:sub, :aud, :azp, :amr, and the token's session tags and source
 * identity (https://aws.amazon.com/tags, https://aws.amazon.com/source_identity).
 */
export interface WebIdentity {
  providerArn: string;
  subject: string;
  /** The client id the token was accepted for. */
  audience: string;
  /** Trust policy keys: <host/path>:sub, :aud, and :azp, :amr when the token has them. */
  keys: Record<string, string | string[]>;
  /** The provider keys that stay in the session's request context (sub, aud, amr). */
  sessionKeys: Record<string, string | string[]>;
  tags: Tag[];
  transitiveTagKeys: string[];
  sourceIdentity?: string;
}

const TAGS_CLAIM = 'https://aws.amazon.com/tags';
const SOURCE_IDENTITY_CLAIM = 'https://aws.amazon.com/source_identity';

function decoded(token: string): DecodedJwt {
  try {
    return decodeJwt(token);
  } catch {
    throw invalidIdentityToken(WEB_IDENTITY.notAJwt);
  }
}

/** The token's iss, unverified: which provider and keys to look for. */
export function unverifiedIssuer(token: string): { iss?: string; kid?: string } {
  try {
    const jwt = decodeJwt(token);
    return { iss: stringClaim(jwt.claims, 'iss'), kid: jwt.header.kid };
  } catch {
    return {};
  }
}

function providerOf(store: Store, accountId: string, iss: string): { arn: string; key: string; clientIds: string[] } {
  const key = providerKeyOfIssuer(iss);
  const row = key === undefined ? undefined
    : store.prepare<{ client_ids: string }>('SELECT client_ids FROM oidc_providers WHERE account_id = ? AND url = ?').get(accountId, key);
  if (!row || key === undefined) throw invalidIdentityToken(WEB_IDENTITY.noProvider(iss));
  return { arn: `arn:aws:iam::${accountId}:oidc-provider/${key}`, key, clientIds: JSON.parse(row.client_ids) as string[] };
}

function checkSignature(jwt: DecodedJwt, store: Store, accountId: string, iss: string, fetched: FetchedKeys | undefined): void {
  const keys = localIssuerKeys(store, accountId, iss);
  if (fetched && 'jwks' in fetched) keys.push(...fetched.jwks.keys);
  try {
    verifyJwtSignature(jwt, keys);
  } catch (err) {
    if (!(err instanceof JwtError)) throw err;
    if (err.problem === 'no-key') throw invalidIdentityToken(WEB_IDENTITY.noKey);
    if (err.problem === 'algorithm') throw invalidIdentityToken(`The web identity token is signed with ${jwt.header.alg}; STS accepts RS256/384/512, PS256/384/512 and ES256/384/512.`);
    throw invalidIdentityToken('The web identity token signature does not verify with the identity provider\'s keys.');
  }
}

function checkTimes(claims: Record<string, unknown>, now: number): void {
  const problem = checkTokenTimes(claims, now);
  if (!problem) return;
  switch (problem.problem) {
    case 'no-exp': throw invalidIdentityToken('The web identity token has no exp claim.');
    case 'expired': throw expiredToken(WEB_IDENTITY.expired(problem.nowSeconds, problem.expSeconds));
    case 'not-yet-valid': throw invalidIdentityToken(`Token not yet valid: current date/time ${problem.nowSeconds} must not be before the not-before date/time ${problem.nbfSeconds}`);
    case 'issued-in-future': throw invalidIdentityToken(`Token issued in the future: current date/time ${problem.nowSeconds} is before the issue date/time ${problem.iatSeconds}`);
  }
}

function sessionTagsOfClaim(value: unknown): { tags: Tag[]; transitiveTagKeys: string[] } {
  if (value === undefined) return { tags: [], transitiveTagKeys: [] };
  const bad = () => invalidIdentityToken(`The ${TAGS_CLAIM} claim must be {"principal_tags": {"KEY": ["VALUE"]}, "transitive_tag_keys": ["KEY"]}.`);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw bad();
  const { principal_tags: principal = {}, transitive_tag_keys: transitive = [] } = value as Record<string, unknown>;
  if (typeof principal !== 'object' || principal === null || Array.isArray(principal) || !Array.isArray(transitive)) throw bad();
  const tags: Tag[] = [];
  for (const [Key, v] of Object.entries(principal)) {
    if (!Array.isArray(v) || v.length !== 1 || typeof v[0] !== 'string') throw bad();
    tags.push({ Key, Value: v[0] });
  }
  if (!transitive.every((k) => typeof k === 'string')) throw bad();
  return { tags, transitiveTagKeys: transitive as string[] };
}

export function verifyWebIdentityToken(store: Store, accountId: string, token: string, now: number, fetched?: FetchedKeys): WebIdentity {
  const jwt = decoded(token);
  const iss = stringClaim(jwt.claims, 'iss');
  if (iss === undefined) throw invalidIdentityToken('The web identity token has no iss claim.');
  const provider = providerOf(store, accountId, iss);
  checkSignature(jwt, store, accountId, iss, fetched);
  checkTimes(jwt.claims, now);
  const azp = stringClaim(jwt.claims, 'azp');
  const audience = stringList(jwt.claims.aud).find((a) => provider.clientIds.includes(a)) ?? (azp !== undefined && provider.clientIds.includes(azp) ? azp : undefined);
  if (audience === undefined) throw invalidIdentityToken(WEB_IDENTITY.audience);
  const subject = stringClaim(jwt.claims, 'sub');
  if (subject === undefined) throw invalidIdentityToken('The web identity token has no sub claim.');

  const sessionKeys: Record<string, string | string[]> = { [`${provider.key}:sub`]: subject, [`${provider.key}:aud`]: audience };
  const amr = stringList(jwt.claims.amr);
  if (amr.length > 0) sessionKeys[`${provider.key}:amr`] = amr;
  const keys = { ...sessionKeys };
  if (azp !== undefined) keys[`${provider.key}:azp`] = azp;
  const out: WebIdentity = { providerArn: provider.arn, subject, audience, keys, sessionKeys, ...sessionTagsOfClaim(jwt.claims[TAGS_CLAIM]) };
  const sourceIdentity = jwt.claims[SOURCE_IDENTITY_CLAIM];
  if (sourceIdentity !== undefined) {
    if (typeof sourceIdentity !== 'string') throw invalidIdentityToken(`The ${SOURCE_IDENTITY_CLAIM} claim must be a string.`);
    out.sourceIdentity = sourceIdentity;
  }
  return out;
}

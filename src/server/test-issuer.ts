import { randomUUID } from 'node:crypto';
import { AwsError, type WireRequest, type WireResponse } from '../protocol/errors.js';
import { signJwtRs256 } from '../auth/jwt/sign.js';
import { ensureTestIssuerKey, TEST_ISSUER_NAME, TEST_ISSUER_PREFIX } from '../services/sts/test-issuer-keys.js';
import type { Principal } from '../identity/principal.js';
import type { App } from './app.js';
import { adminEndpoint } from './admin.js';
import { json } from './json-response.js';
import { profileClaims, type TokenProfile } from './token-profiles.js';

/**
 * The built-in OpenID Connect test issuer, /_iamlocal/oidc/NAME: its URL is this
 * server's own (as the client reached it, from the Host header) plus that path, so an IAM
 * OIDC provider made with it is trusted and AssumeRoleWithWebIdentity finds its keys here.
 *   GET  …/.well-known/openid-configuration   discovery
 *   GET  …/jwks                               its public key
 *   POST …/token   (root-signed)  {"profile": "github"|"eks", "claims": {…}, "expiresIn": s}
 * One RSA key per issuer name, made on first use and kept in the data directory.
 */
const PATH = /^\/_iamlocal\/oidc\/([^/]+)(\/\.well-known\/openid-configuration|\/jwks|\/token)$/;
const HOST = /^[A-Za-z0-9.-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$/;
const DEFAULT_LIFETIME_SECONDS = 3600;

function issuerUrl(req: WireRequest, name: string): string {
  const host = req.headers.host ?? '';
  if (!HOST.test(host)) throw new AwsError('ValidationError', 'The Host header must name this server (host:port).', 400);
  return `http://${host}${TEST_ISSUER_PREFIX}${name}`;
}

interface MintRequest {
  profile?: unknown;
  claims?: unknown;
  expiresIn?: unknown;
}

function mintRequest(req: WireRequest): { profile: TokenProfile; claims: Record<string, unknown>; lifetime: number } {
  let body: MintRequest;
  try {
    body = JSON.parse(req.body.toString('utf8') || '{}') as MintRequest;
  } catch {
    throw new AwsError('ValidationError', 'The body must be JSON: {"profile": "github"|"eks"|"none", "claims": {…}, "expiresIn": seconds}.', 400);
  }
  const profile = body.profile ?? 'github';
  if (profile !== 'github' && profile !== 'eks' && profile !== 'none') throw new AwsError('ValidationError', 'profile must be "github", "eks" or "none".', 400);
  const claims = body.claims ?? {};
  if (typeof claims !== 'object' || claims === null || Array.isArray(claims)) throw new AwsError('ValidationError', 'claims must be a JSON object.', 400);
  const lifetime = body.expiresIn ?? DEFAULT_LIFETIME_SECONDS;
  if (typeof lifetime !== 'number' || !Number.isFinite(lifetime)) throw new AwsError('ValidationError', 'expiresIn must be a number of seconds (negative mints an expired token).', 400);
  return { profile, claims: claims as Record<string, unknown>, lifetime };
}

function answer(app: App, req: WireRequest, now: number, signed: () => Principal): WireResponse {
  const m = PATH.exec(req.path);
  if (!m || !TEST_ISSUER_NAME.test(m[1])) return json(404, { error: 'NotFound', message: `No test issuer endpoint ${req.method} ${req.path}` });
  const [, name, what] = m;
  const issuer = issuerUrl(req, name);
  if (what === '/token') {
    if (req.method !== 'POST') return json(405, { error: 'MethodNotAllowed', message: 'POST a mint request' });
    if (signed().type !== 'root') throw new AwsError('AccessDenied', 'Only a root user can mint test tokens.', 403);
    const { profile, claims, lifetime } = mintRequest(req);
    const key = app.store.write(() => ensureTestIssuerKey(app.store, name, now));
    const iat = Math.floor(now / 1000);
    // iss is always this issuer; iat, nbf and exp may be set by hand to test the time checks.
    const full = { jti: randomUUID(), iat, nbf: iat, exp: iat + Math.round(lifetime), ...profileClaims(profile, claims), iss: issuer };
    return json(200, { token: signJwtRs256(full, key.privateKey, key.kid), issuer, claims: full });
  }
  if (req.method !== 'GET') return json(405, { error: 'MethodNotAllowed', message: 'GET' });
  if (what === '/jwks') {
    const key = app.store.write(() => ensureTestIssuerKey(app.store, name, now));
    return json(200, { keys: [key.publicJwk] });
  }
  return json(200, {
    issuer,
    jwks_uri: `${issuer}/jwks`,
    response_types_supported: ['id_token'],
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: ['RS256'],
    claims_supported: ['sub', 'aud', 'exp', 'iat', 'iss', 'jti', 'nbf'],
  });
}

export const handleTestIssuer = adminEndpoint(answer);

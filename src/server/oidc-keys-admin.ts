import { readFileSync } from 'node:fs';
import { createPublicKey, type JsonWebKey } from 'node:crypto';
import { AwsError, type WireRequest, type WireResponse } from '../protocol/errors.js';
import { parseJwks, type JwkSet } from '../auth/jwt/jwt.js';
import { registeredIssuers, registerJwks, removeJwks } from '../services/sts/registered-jwks.js';
import type { Principal } from '../identity/principal.js';
import type { App } from './app.js';
import { json } from './json-response.js';

/**
 * /_iamlocal/oidc-keys: the keys of identity providers iamlocal cannot fetch, registered
 * by the account's root for an issuer URL (the tokens' iss):
 *   PUT    {"issuer": URL, "jwks": {"keys": [...]}}  or  {"issuer": URL, "jwksFile": PATH}
 *   GET    the issuers registered in the caller's account
 *   DELETE ?issuer=URL
 * Public keys only: a JWKS with private members is refused rather than stored.
 */
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k'];

function bad(message: string): AwsError {
  return new AwsError('ValidationError', message, 400);
}

function checkedJwks(value: unknown): JwkSet {
  const jwks = parseJwks(value);
  if (!jwks || jwks.keys.length === 0) throw bad('jwks must be a JWK Set: {"keys": [ {"kty": …}, … ]} with at least one key.');
  for (const key of jwks.keys) {
    const secret = PRIVATE_MEMBERS.find((m) => m in key);
    if (secret) throw bad(`The key ${key.kid ?? '(no kid)'} holds private key material (${secret}): register public keys only.`);
    try {
      createPublicKey({ key: key as JsonWebKey, format: 'jwk' });
    } catch {
      throw bad(`The key ${key.kid ?? '(no kid)'} is not a public key node:crypto can read.`);
    }
  }
  return jwks;
}

function bodyOf(req: WireRequest): { issuer?: unknown; jwks?: unknown; jwksFile?: unknown } {
  try {
    const body = JSON.parse(req.body.toString('utf8') || '{}') as unknown;
    if (typeof body === 'object' && body !== null) return body as Record<string, unknown>;
  } catch {
    // refused below
  }
  throw bad('The body must be a JSON object.');
}

function jwksFrom(body: { jwks?: unknown; jwksFile?: unknown }): JwkSet {
  if (body.jwks !== undefined) return checkedJwks(body.jwks);
  if (typeof body.jwksFile !== 'string') throw bad('Give the keys as "jwks" (a JWK Set) or "jwksFile" (the path of one on this machine).');
  let text: string;
  try {
    text = readFileSync(body.jwksFile, 'utf8');
  } catch {
    throw bad(`Cannot read ${body.jwksFile}.`);
  }
  try {
    return checkedJwks(JSON.parse(text));
  } catch (err) {
    if (err instanceof AwsError) throw err;
    throw bad(`${body.jwksFile} is not JSON.`);
  }
}

export function answerOidcKeys(app: App, req: WireRequest, now: number, signed: () => Principal): WireResponse {
  const principal = signed();
  if (principal.type !== 'root') throw new AwsError('AccessDenied', 'Only the root user of the account can register identity provider keys.', 403);
  const account = principal.accountId;
  if (req.method === 'GET') return json(200, { issuers: app.store.read(() => registeredIssuers(app.store, account)) });
  if (req.method === 'DELETE') {
    const issuer = new URLSearchParams(req.rawQuery).get('issuer');
    if (!issuer) throw bad('DELETE needs ?issuer=URL.');
    const removed = app.store.write(() => removeJwks(app.store, account, issuer));
    return json(removed ? 200 : 404, { issuer, removed });
  }
  if (req.method !== 'PUT') return json(405, { error: 'MethodNotAllowed', message: 'PUT, GET or DELETE' });
  const body = bodyOf(req);
  if (typeof body.issuer !== 'string' || !/^https?:\/\/[^/\s]+/.test(body.issuer)) throw bad('issuer must be the http(s) URL the tokens name in iss.');
  const jwks = jwksFrom(body);
  const issuer = body.issuer;
  app.store.write(() => registerJwks(app.store, account, issuer, jwks, now));
  return json(200, { issuer, keys: jwks.keys.map((k) => k.kid ?? null) });
}

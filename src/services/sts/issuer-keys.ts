import type { Store } from '../../store/store.js';
import { parseJwks, type Jwk, type JwkSet } from '../../auth/jwt/jwt.js';
import { registeredJwks } from './registered-jwks.js';
import { findTestIssuerKey, testIssuerNameOf } from './test-issuer-keys.js';
import { isLoopbackUrl } from '../../identity/oidc-issuer-url.js';

/**
 * Where the keys that verify a web identity token come from, offline: a JWKS registered
 * for the issuer in the role's account, this server's own test issuer, or — for issuers
 * on this machine only — the issuer's discovery document and jwks_uri, fetched before
 * the request's snapshot opens (Operation.prepare).
 */
export type FetchedKeys = { jwks: JwkSet } | { error: string };

export function localIssuerKeys(store: Store, accountId: string, iss: string): Jwk[] {
  const keys = [...(registeredJwks(store, accountId, iss)?.keys ?? [])];
  const name = testIssuerNameOf(iss);
  const own = name === undefined ? undefined : findTestIssuerKey(store, name);
  if (own) keys.push(own.publicJwk);
  return keys;
}

/** Whether a fetch could find keys the store does not have: a loopback issuer, and no local key with the token's kid. */
export function worthFetching(store: Store, accountId: string, iss: string, kid: string | undefined): boolean {
  if (!isLoopbackUrl(iss)) return false;
  const local = localIssuerKeys(store, accountId, iss);
  return kid === undefined ? local.length === 0 : !local.some((k) => k.kid === kid);
}

async function getJson(url: string, timeoutMs: number): Promise<unknown> {
  const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), redirect: 'error', headers: { accept: 'application/json' } });
  if (!res.ok) throw new Error(`${url} answered ${res.status}`);
  return res.json();
}

/** The issuer's JWKS by OpenID Connect discovery; only loopback URLs are ever fetched. */
export async function fetchIssuerJwks(iss: string, timeoutMs = 3000): Promise<FetchedKeys> {
  try {
    const config = (await getJson(`${iss.replace(/\/+$/, '')}/.well-known/openid-configuration`, timeoutMs)) as { jwks_uri?: unknown };
    const uri = config?.jwks_uri;
    if (typeof uri !== 'string' || !isLoopbackUrl(uri)) return { error: 'the discovery document names no jwks_uri on this machine' };
    const jwks = parseJwks(await getJson(uri, timeoutMs));
    return jwks ? { jwks } : { error: `${uri} is not a JWKS` };
  } catch (err) {
    return { error: err instanceof Error ? err.message : String(err) };
  }
}

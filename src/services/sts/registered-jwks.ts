import type { Store } from '../../store/store.js';
import { parseJwks, type JwkSet } from '../../auth/jwt/jwt.js';

/**
 * JWKS an operator registered for an issuer (PUT /_iamlocal/oidc-keys): how iamlocal,
 * offline, knows the keys of an identity provider it cannot fetch from. Per account,
 * like the IAM OIDC provider that trusts the issuer.
 */

/** An issuer URL as stored and looked up: the token's iss without trailing slashes. */
export function issuerKey(iss: string): string {
  return iss.replace(/\/+$/, '');
}

export function registeredJwks(store: Store, accountId: string, iss: string): JwkSet | undefined {
  const row = store.prepare<{ jwks: string }>('SELECT jwks FROM oidc_jwks WHERE account_id = ? AND issuer = ?').get(accountId, issuerKey(iss));
  return row ? parseJwks(JSON.parse(row.jwks)) : undefined;
}

export function registerJwks(store: Store, accountId: string, iss: string, jwks: JwkSet, now: number): void {
  store
    .prepare('INSERT INTO oidc_jwks (account_id, issuer, jwks, updated_at) VALUES (?, ?, ?, ?) ON CONFLICT (account_id, issuer) DO UPDATE SET jwks = excluded.jwks, updated_at = excluded.updated_at')
    .run(accountId, issuerKey(iss), JSON.stringify(jwks), now);
}

export function removeJwks(store: Store, accountId: string, iss: string): boolean {
  return store.prepare('DELETE FROM oidc_jwks WHERE account_id = ? AND issuer = ?').run(accountId, issuerKey(iss)).changes > 0;
}

export function registeredIssuers(store: Store, accountId: string): Array<{ issuer: string; keys: number; updatedAt: string }> {
  return store
    .prepare<{ issuer: string; jwks: string; updated_at: number }>('SELECT issuer, jwks, updated_at FROM oidc_jwks WHERE account_id = ? ORDER BY issuer')
    .all(accountId)
    .map((r) => ({ issuer: r.issuer, keys: parseJwks(JSON.parse(r.jwks))?.keys.length ?? 0, updatedAt: new Date(r.updated_at).toISOString() }));
}

import { createHash, createPrivateKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import type { Store } from '../../store/store.js';
import type { Jwk } from '../../auth/jwt/jwt.js';

/**
 * The built-in test issuers' signing keys (/_iamlocal/oidc/NAME): one RSA key pair per
 * issuer name, made on first use and kept in the store, so tokens minted before a
 * restart still verify after it. Server-wide: the issuer's URL names no account.
 */
export interface TestIssuerKey {
  name: string;
  /** The RFC 7638 thumbprint of the public key: tokens name it in their header. */
  kid: string;
  privateKey: KeyObject;
  publicJwk: Jwk;
}

/** Issuer names: a path segment that needs no escaping. */
export const TEST_ISSUER_NAME = /^[A-Za-z0-9_.-]{1,64}$/;

interface Row {
  name: string;
  kid: string;
  private_key: string;
  public_jwk: string;
}

function fromRow(row: Row): TestIssuerKey {
  return { name: row.name, kid: row.kid, privateKey: createPrivateKey(row.private_key), publicJwk: JSON.parse(row.public_jwk) as Jwk };
}

export function findTestIssuerKey(store: Store, name: string): TestIssuerKey | undefined {
  const row = store.prepare<Row>('SELECT * FROM test_issuer_keys WHERE name = ?').get(name);
  return row ? fromRow(row) : undefined;
}

function thumbprint(jwk: { e?: string; n?: string }): string {
  return createHash('sha256').update(JSON.stringify({ e: jwk.e, kty: 'RSA', n: jwk.n })).digest('base64url');
}

/** The issuer's key, made now if it has none yet. Call inside a write. */
export function ensureTestIssuerKey(store: Store, name: string, now: number): TestIssuerKey {
  const found = findTestIssuerKey(store, name);
  if (found) return found;
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const exported = publicKey.export({ format: 'jwk' }) as { e?: string; n?: string };
  const kid = thumbprint(exported);
  const publicJwk: Jwk = { kty: 'RSA', kid, use: 'sig', alg: 'RS256', n: exported.n, e: exported.e };
  store
    .prepare('INSERT INTO test_issuer_keys (name, kid, private_key, public_jwk, created_at) VALUES (?, ?, ?, ?, ?)')
    .run(name, kid, privateKey.export({ format: 'pem', type: 'pkcs8' }) as string, JSON.stringify(publicJwk), now);
  return { name, kid, privateKey, publicJwk };
}

/** Where the test issuers live on the server: /_iamlocal/oidc/NAME. */
export const TEST_ISSUER_PREFIX = '/_iamlocal/oidc/';

/** The test issuer an iss names (a loopback URL ending /_iamlocal/oidc/NAME), if any. */
export function testIssuerNameOf(iss: string): string | undefined {
  const m = /^https?:\/\/(localhost|127(?:\.\d{1,3}){3}|\[::1\])(?::\d{1,5})?\/_iamlocal\/oidc\/([^/?#]+)\/?$/i.exec(iss);
  return m && TEST_ISSUER_NAME.test(m[2]) ? m[2] : undefined;
}

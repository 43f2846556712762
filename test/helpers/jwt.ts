import { exportJWK, generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import type { Jwk } from '../../src/auth/jwt/jwt.js';

/**
 * An identity provider's signing key for tests, and tokens signed with jose (an
 * implementation independent of the one under test).
 */
export interface TestSigner {
  alg: 'RS256' | 'ES256' | 'PS256';
  kid: string;
  privateKey: CryptoKey;
  publicJwk: Jwk;
}

export async function testSigner(alg: TestSigner['alg'], kid: string): Promise<TestSigner> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' } as Jwk;
  return { alg, kid, privateKey, publicJwk };
}

/** A token with the claims given; iat/nbf/exp default to now and an hour from now (epoch ms `now`). */
export async function signToken(signer: TestSigner, claims: Record<string, unknown>, now = Date.now(), header: Record<string, unknown> = {}): Promise<string> {
  const iat = Math.floor(now / 1000);
  return new SignJWT({ iat, nbf: iat, exp: iat + 3600, ...claims })
    .setProtectedHeader({ alg: signer.alg, kid: signer.kid, typ: 'JWT', ...header })
    .sign(signer.privateKey);
}

/** The token with one character of its claims part changed (still base64url). */
export function tamperClaims(token: string): string {
  const [h, p, s] = token.split('.');
  const claims = JSON.parse(Buffer.from(p, 'base64url').toString('utf8')) as Record<string, unknown>;
  claims.sub = `${String(claims.sub)}x`;
  return `${h}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${s}`;
}

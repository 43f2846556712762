import { sign, type KeyObject } from 'node:crypto';

/** A compact RS256 JWS over the claims: what the built-in test issuer hands out. */
export function signJwtRs256(claims: Record<string, unknown>, privateKey: KeyObject, kid: string): string {
  const header = Buffer.from(JSON.stringify({ alg: 'RS256', typ: 'JWT', kid })).toString('base64url');
  const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
  const input = `${header}.${payload}`;
  return `${input}.${sign('sha256', Buffer.from(input, 'ascii'), privateKey).toString('base64url')}`;
}

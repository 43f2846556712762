import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * IMDSv2 session tokens: opaque to the caller, bound to one instance, valid for the TTL
 * asked (1–21600 s). They are MACed with a key of this server process: a restart ends
 * them, and SDKs simply ask for a new one (a 401 makes them fetch a token again).
 */
const KEY = randomBytes(32);

export function issueToken(instanceId: string, now: number, ttlSeconds: number): string {
  const body = `${instanceId}.${now + ttlSeconds * 1000}`;
  return `${Buffer.from(body).toString('base64url')}.${mac(body)}`;
}

/** When a valid token of this instance expires (epoch ms), or undefined when it is not one. */
export function tokenExpiry(token: string, instanceId: string, now: number): number | undefined {
  const [encoded, sent] = token.split('.');
  if (!encoded || !sent) return undefined;
  const body = Buffer.from(encoded, 'base64url').toString('utf8');
  const expected = Buffer.from(mac(body));
  const given = Buffer.from(sent);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  const [id, expires] = body.split('.');
  return id === instanceId && Number(expires) > now ? Number(expires) : undefined;
}

function mac(body: string): string {
  return createHmac('sha256', KEY).update(body).digest('base64url');
}

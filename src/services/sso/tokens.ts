import { createHash, randomBytes } from 'node:crypto';
import { AwsError } from '../../protocol/errors.js';
import type { Store } from '../../store/store.js';
import type { InstanceRow, UserRow } from '../identitystore/shared/rows.js';

/**
 * Portal access tokens: what a sign-in gives an Identity Center user, and what the portal
 * API (GetRoleCredentials…) and the aws CLI's SSO cache carry. Only a hash is stored.
 */

/** How long a sign-in lasts: Identity Center's default session duration, 8 hours. */
export const PORTAL_SESSION_MS = 8 * 60 * 60 * 1000;

const hash = (token: string) => createHash('sha256').update(token).digest('hex');

export function issuePortalToken(store: Store, instance: InstanceRow, user: UserRow, now: number): { accessToken: string; expiresAt: number } {
  store.prepare('DELETE FROM sso_portal_tokens WHERE expires_at < ?').run(now);
  const accessToken = `aoa${randomBytes(96).toString('base64url')}`;
  const expiresAt = now + PORTAL_SESSION_MS;
  store
    .prepare('INSERT INTO sso_portal_tokens (token_hash, account_id, instance_id, user_id, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)')
    .run(hash(accessToken), instance.account_id, instance.instance_id, user.user_id, now, expiresAt);
  return { accessToken, expiresAt };
}

export interface PortalSession {
  instance: InstanceRow;
  user: UserRow;
  tokenHash: string;
}

export const unauthorized = () => new AwsError('UnauthorizedException', 'Session token not found or invalid', 401);

/** The signed-in user behind a token, or the portal's UnauthorizedException. */
export function portalSession(store: Store, token: string | undefined, now: number): PortalSession {
  if (!token) throw unauthorized();
  const tokenHash = hash(token);
  const row = store.prepare<{ instance_id: string; user_id: string; expires_at: number }>('SELECT * FROM sso_portal_tokens WHERE token_hash = ?').get(tokenHash);
  if (!row || row.expires_at <= now) throw unauthorized();
  const instance = store.prepare<InstanceRow>('SELECT * FROM sso_instances WHERE instance_id = ?').get(row.instance_id);
  const user = store.prepare<UserRow>('SELECT * FROM ids_users WHERE user_id = ?').get(row.user_id);
  if (!instance || !user) throw unauthorized();
  return { instance, user, tokenHash };
}

/** Ends a sign-in. The row stays, expired, until the next sign-in clears it: Logout's CloudTrail event still names its user. */
export function revokePortalToken(store: Store, tokenHash: string, now: number): void {
  store.prepare('UPDATE sso_portal_tokens SET expires_at = ? WHERE token_hash = ?').run(now, tokenHash);
}

/** Who a portal call came from, for its CloudTrail event: the token's user, even once expired or revoked. */
export function portalCaller(store: Store, token: unknown): { accountId: string; userId: string; identityStoreId: string; userName: string } | undefined {
  if (typeof token !== 'string' || token === '') return undefined;
  return store
    .prepare<{ accountId: string; userId: string; identityStoreId: string; userName: string }>(
      `SELECT t.account_id AS accountId, u.user_id AS userId, u.identity_store_id AS identityStoreId, u.user_name AS userName
       FROM sso_portal_tokens t JOIN ids_users u ON u.user_id = t.user_id WHERE t.token_hash = ?`,
    )
    .get(hash(token));
}

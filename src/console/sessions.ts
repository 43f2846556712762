import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Store } from '../store/store.js';

/**
 * Console sessions: one row per sign-in (table console_sessions). The browser holds a
 * random token in an HttpOnly cookie; the store keeps only its SHA-256, the session's
 * CSRF token, who signed in and how far (MFA awaited, password to change, active), and
 * after Switch role the access key id of the role session STS issued.
 */
export type SessionState = 'mfa' | 'password' | 'active';

export interface ConsoleSessionRow {
  account_id: string;
  token_hash: string;
  csrf_token: string;
  kind: 'root' | 'user';
  user_id: string | null;
  state: SessionState;
  mfa_at: number | null;
  role_access_key_id: string | null;
  role_display: string | null;
  created_at: number;
  expires_at: number;
}

/** How long a signed-in console session lasts (AWS: 12 hours for IAM users). */
export const SESSION_TTL_MS = 12 * 60 * 60 * 1000;
/** How long the MFA code may take once the password was accepted. */
export const MFA_STEP_TTL_MS = 5 * 60 * 1000;
/** A switched-to role's session (AWS's console: one hour). */
export const ROLE_SESSION_SECONDS = 3600;

export function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function createSession(
  store: Store,
  who: { accountId: string; kind: 'root' | 'user'; userId?: string; state: SessionState },
  now: number,
): { token: string; row: ConsoleSessionRow } {
  const token = randomBytes(32).toString('base64url');
  const row: ConsoleSessionRow = {
    account_id: who.accountId,
    token_hash: tokenHash(token),
    csrf_token: randomBytes(24).toString('base64url'),
    kind: who.kind,
    user_id: who.userId ?? null,
    state: who.state,
    mfa_at: null,
    role_access_key_id: null,
    role_display: null,
    created_at: now,
    expires_at: now + (who.state === 'mfa' ? MFA_STEP_TTL_MS : SESSION_TTL_MS),
  };
  // Sessions long expired go as new ones come.
  store.prepare('DELETE FROM console_sessions WHERE account_id = ? AND expires_at < ?').run(who.accountId, now - SESSION_TTL_MS);
  store
    .prepare(
      `INSERT INTO console_sessions (account_id, token_hash, csrf_token, kind, user_id, state, mfa_at, role_access_key_id, role_display, created_at, expires_at)
       VALUES (?, ?, ?, ?, ?, ?, NULL, NULL, NULL, ?, ?)`,
    )
    .run(row.account_id, row.token_hash, row.csrf_token, row.kind, row.user_id, row.state, row.created_at, row.expires_at);
  return { token, row };
}

/** The live session a cookie token names, or undefined (unknown, signed out, or expired). */
export function findSession(store: Store, token: string, now: number): ConsoleSessionRow | undefined {
  const row = store.prepare<ConsoleSessionRow>('SELECT * FROM console_sessions WHERE token_hash = ?').get(tokenHash(token));
  return row && row.expires_at > now ? row : undefined;
}

/** The password (and MFA code, if any) accepted: the session starts its full lifetime. */
export function advanceSession(store: Store, row: ConsoleSessionRow, state: SessionState, now: number, mfaAt?: number): void {
  const expires = row.state === 'mfa' ? now + SESSION_TTL_MS : row.expires_at;
  store
    .prepare('UPDATE console_sessions SET state = ?, mfa_at = coalesce(?, mfa_at), expires_at = ? WHERE token_hash = ?')
    .run(state, mfaAt ?? null, expires, row.token_hash);
}

export function setSessionRole(store: Store, row: ConsoleSessionRow, role: { accessKeyId: string; display: string } | undefined): void {
  store
    .prepare('UPDATE console_sessions SET role_access_key_id = ?, role_display = ? WHERE token_hash = ?')
    .run(role?.accessKeyId ?? null, role?.display ?? null, row.token_hash);
}

export function deleteSession(store: Store, row: ConsoleSessionRow): void {
  store.prepare('DELETE FROM console_sessions WHERE token_hash = ?').run(row.token_hash);
}

/** The CSRF header matches the session's token (compared in constant time). */
export function csrfMatches(row: ConsoleSessionRow, header: string | undefined): boolean {
  if (!header) return false;
  const a = Buffer.from(header);
  const b = Buffer.from(row.csrf_token);
  return a.length === b.length && timingSafeEqual(a, b);
}

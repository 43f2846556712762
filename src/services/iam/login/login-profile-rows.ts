import { hashPassword } from '../../../auth/passwords.js';
import type { Store } from '../../../store/store.js';
import { accountPasswordPolicy } from './account-password-policy.js';
import { noSuchEntity } from '../../../identity/errors.js';
import { validateNewPassword } from './password-policy.js';
import type { UserRow } from '../../../identity/users.js';

/**
 * Login profiles: an IAM user's console password (scrypt hash only), whether it must be
 * reset at next sign-in, and when it last changed. The password history kept alongside
 * serves the account policy's PasswordReusePrevention.
 */
export interface LoginProfileRow {
  account_id: string;
  user_id: string;
  password_hash: string;
  password_reset_required: number;
  created_at: number;
  password_changed_at: number;
}

/** PasswordReusePrevention's maximum: no more history than this is ever needed. */
const MAX_HISTORY = 24;

export function findLoginProfile(store: Store, accountId: string, userId: string): LoginProfileRow | undefined {
  return store.prepare<LoginProfileRow>('SELECT * FROM login_profiles WHERE account_id = ? AND user_id = ?').get(accountId, userId);
}

export function requireLoginProfile(store: Store, user: UserRow): LoginProfileRow {
  const row = findLoginProfile(store, user.account_id, user.user_id);
  if (!row) throw noSuchEntity(`Login Profile for User ${user.user_name} cannot be found.`);
  return row;
}

/** The user's previous password hashes, newest first (the current one included). */
export function passwordHistory(store: Store, accountId: string, userId: string): string[] {
  return store
    .prepare<{ password_hash: string }>('SELECT password_hash FROM password_history WHERE account_id = ? AND user_id = ? ORDER BY set_at DESC LIMIT ?')
    .all(accountId, userId, MAX_HISTORY)
    .map((r) => r.password_hash);
}

/**
 * Checks a new password against the account policy (and, when `checkReuse`, against the
 * user's last passwords), then stores its hash as the current password.
 */
export function setPassword(store: Store, user: UserRow, password: string, now: number, opts: { checkReuse: boolean; resetRequired?: boolean }): void {
  const policy = accountPasswordPolicy(store, user.account_id);
  validateNewPassword(password, policy, opts.checkReuse ? passwordHistory(store, user.account_id, user.user_id) : []);
  const hash = hashPassword(password);
  const reset = opts.resetRequired === undefined ? null : opts.resetRequired ? 1 : 0;
  store
    .prepare(
      `UPDATE login_profiles SET password_hash = ?, password_changed_at = ?, password_reset_required = coalesce(?, password_reset_required)
       WHERE account_id = ? AND user_id = ?`,
    )
    .run(hash, now, reset, user.account_id, user.user_id);
  rememberPassword(store, user, hash, now);
}

/** Adds a password hash to the user's history. */
export function rememberPassword(store: Store, user: UserRow, hash: string, now: number): void {
  store.prepare('INSERT OR IGNORE INTO password_history (account_id, user_id, set_at, password_hash) VALUES (?, ?, ?, ?)').run(user.account_id, user.user_id, now, hash);
  // Keep only what reuse prevention can ask for.
  store
    .prepare(
      `DELETE FROM password_history WHERE account_id = ? AND user_id = ? AND rowid NOT IN
         (SELECT rowid FROM password_history WHERE account_id = ? AND user_id = ? ORDER BY set_at DESC LIMIT ?)`,
    )
    .run(user.account_id, user.user_id, user.account_id, user.user_id, MAX_HISTORY);
}

import { randomBytes } from 'node:crypto';
import { hashPassword, verifyPassword } from '../auth/passwords.js';
import type { Store } from '../store/store.js';

/**
 * The root user's console password, kept (scrypt hash only) on the account row, which an
 * account reset keeps as it keeps the root keys. Made at first start and printed once, or
 * pinned by IAMLOCAL_ROOT_PASSWORD.
 */

/**
 * Makes sure the account's root has a console password. Returns the password when this
 * call set it (new, or pinned and different), so the caller can print it; undefined when
 * the stored one stands.
 */
export function ensureRootPassword(store: Store, accountId: string, pinned?: string): string | undefined {
  const row = store.prepare<{ root_password_hash: string | null }>('SELECT root_password_hash FROM accounts WHERE account_id = ?').get(accountId);
  if (!row) throw new Error(`no account ${accountId}`);
  if (pinned !== undefined) {
    if (row.root_password_hash && verifyPassword(pinned, row.root_password_hash)) return undefined;
    setRootPassword(store, accountId, pinned);
    return pinned;
  }
  if (row.root_password_hash) return undefined;
  // 24 characters of base64url: 144 random bits, and no character a shell quotes.
  const password = randomBytes(18).toString('base64url');
  setRootPassword(store, accountId, password);
  return password;
}

export function setRootPassword(store: Store, accountId: string, password: string): void {
  store.tx(() => store.prepare('UPDATE accounts SET root_password_hash = ? WHERE account_id = ?').run(hashPassword(password), accountId));
}

export function verifyRootPassword(store: Store, accountId: string, password: string): boolean {
  const row = store.prepare<{ root_password_hash: string | null }>('SELECT root_password_hash FROM accounts WHERE account_id = ?').get(accountId);
  return Boolean(row?.root_password_hash) && verifyPassword(password, row!.root_password_hash!);
}

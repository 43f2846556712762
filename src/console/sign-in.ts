import { verifyPassword } from '../auth/passwords.js';
import { findAccount } from '../identity/accounts.js';
import { findUser } from '../identity/users.js';
import type { Store } from '../store/store.js';
import { accountAlias } from '../services/iam/account/account-alias.js';
import { accountPasswordPolicy } from '../services/iam/login/account-password-policy.js';
import { findLoginProfile } from '../services/iam/login/login-profile-rows.js';
import { isPasswordExpired } from '../services/iam/login/password-policy.js';
import { acceptMfaCode, checkMfaCode, isAssigned, mfaDevicesOfRoot, mfaDevicesOfUser, type MfaOwner } from '../services/iam/mfa/mfa-rows.js';
import type { SignInAttempts } from './attempts.js';
import { verifyRootPassword } from './root-password.js';
import type { SessionState } from './sessions.js';

/**
 * The sign-in checks: account (ID or alias), who (root, or an IAM user name), password,
 * then — when the principal has an MFA device — its code. Every failure says the same
 * thing (AWS's wording), so the answer tells nobody which part was wrong; failures are
 * rate-limited per name, never locked out.
 */
export interface SignInRequest {
  /** The account ID or its alias. */
  account: string;
  /** Absent (or "root") for the root user. */
  userName?: string;
  password: string;
}

export type SignInOutcome =
  | { ok: true; accountId: string; kind: 'root' | 'user'; userId?: string; state: SessionState }
  | { ok: false; status: number; code: string; message: string; retryAfterSeconds?: number };

export const BAD_CREDENTIALS = 'Your authentication information is incorrect. Please try again.';

function refused(message = BAD_CREDENTIALS, status = 401, code = 'AuthenticationFailed'): SignInOutcome {
  return { ok: false, status, code, message };
}

function throttled(seconds: number): SignInOutcome {
  return { ok: false, status: 429, code: 'TooManyAttempts', message: `Too many failed sign-in attempts. Try again in ${seconds} seconds.`, retryAfterSeconds: seconds };
}

/** The account a sign-in names: 12 digits are an ID, anything else an alias. */
export function accountNamed(store: Store, account: string): string | undefined {
  const id = /^\d{12}$/.test(account)
    ? account
    : store.prepare<{ account_id: string }>('SELECT account_id FROM account_aliases WHERE alias = ?').get(account.toLowerCase())?.account_id;
  return id && findAccount(store, id) ? id : undefined;
}

export function checkPassword(store: Store, attempts: SignInAttempts, req: SignInRequest, now: number): SignInOutcome {
  const root = req.userName === undefined || req.userName === '' || req.userName === 'root';
  const name = `${req.account.toLowerCase()}/${root ? ':root' : req.userName!.toLowerCase()}`;
  // Per name, not per address: on a local server every browser is 127.0.0.1.
  const keys = [`name:${name}`];
  const wait = attempts.waitSeconds(keys, now);
  if (wait > 0) return throttled(wait);
  const outcome = verify(store, req, root, now);
  if (outcome.ok) attempts.succeeded(`name:${name}`);
  else if (outcome.status === 401) attempts.failed(keys, now);
  return outcome;
}

function verify(store: Store, req: SignInRequest, root: boolean, now: number): SignInOutcome {
  const accountId = accountNamed(store, req.account);
  if (!accountId || typeof req.password !== 'string') return refused();
  if (root) {
    if (!verifyRootPassword(store, accountId, req.password)) return refused();
    const mfa = mfaDevicesOfRoot(store, accountId).some(isAssigned);
    return { ok: true, accountId, kind: 'root', state: mfa ? 'mfa' : 'active' };
  }
  const user = findUser(store, accountId, req.userName!);
  const profile = user && findLoginProfile(store, accountId, user.user_id);
  if (!user || !profile || !verifyPassword(req.password, profile.password_hash)) return refused();
  const policy = accountPasswordPolicy(store, accountId);
  const expired = isPasswordExpired(policy, profile.password_changed_at, now);
  if (expired && policy?.HardExpiry) {
    return refused('Your password has expired. Contact your administrator to reset it.', 403, 'PasswordExpired');
  }
  store.prepare('UPDATE users SET password_last_used_at = ? WHERE account_id = ? AND user_id = ?').run(now, accountId, user.user_id);
  const mfa = mfaDevicesOfUser(store, accountId, user.user_id).some(isAssigned);
  const mustChange = profile.password_reset_required === 1 || expired;
  return { ok: true, accountId, kind: 'user', userId: user.user_id, state: mfa ? 'mfa' : mustChange ? 'password' : 'active' };
}

/** The state after a correct MFA code: the forced password change, if one is pending. */
export function afterMfa(store: Store, accountId: string, userId: string | null, now: number): SessionState {
  if (userId === null) return 'active';
  const profile = findLoginProfile(store, accountId, userId);
  if (!profile) return 'active';
  return profile.password_reset_required === 1 || isPasswordExpired(accountPasswordPolicy(store, accountId), profile.password_changed_at, now) ? 'password' : 'active';
}

/**
 * Checks an MFA code against the principal's assigned devices; accepts it (it cannot be
 * used again) when it matches one. Failures count as failed sign-ins.
 */
export function checkMfaStep(
  store: Store, attempts: SignInAttempts, owner: MfaOwner, code: string, now: number,
): SignInOutcome | { ok: true } {
  const keys = [`mfa:${owner.accountId}/${'root' in owner ? ':root' : owner.userId}`];
  const wait = attempts.waitSeconds(keys, now);
  if (wait > 0) return throttled(wait);
  const devices = 'root' in owner ? mfaDevicesOfRoot(store, owner.accountId) : mfaDevicesOfUser(store, owner.accountId, owner.userId);
  for (const device of devices.filter(isAssigned)) {
    const check = checkMfaCode(store, owner, device.serial_number, String(code ?? ''), now);
    if (check.ok) {
      acceptMfaCode(store, check.device, check.step);
      attempts.succeeded(keys[0]);
      return { ok: true };
    }
  }
  attempts.failed(keys, now);
  return refused('Your authentication information is incorrect. Please try again.');
}

/** What the header shows for the signed-in account: its alias, else its ID. */
export function accountLabel(store: Store, accountId: string): string {
  return accountAlias(store, accountId) ?? accountId;
}

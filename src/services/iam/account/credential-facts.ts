import type { Store } from '../../../store/store.js';
import { accountPasswordPolicy } from '../login/account-password-policy.js';
import { findAccount, rootArn } from '../../../identity/accounts.js';
import type { CredentialReportAccessKey, RootCredentialFacts, UserCredentialFacts } from './credential-report.js';
import { mfaDevicesOfRoot, mfaDevicesOfUser } from '../mfa/mfa-rows.js';
import { passwordExpiresAt } from '../login/password-policy.js';
import { userArn, type UserRow } from '../../../identity/users.js';

/**
 * What the credential report states about the root user and every IAM user, read from
 * the store: access keys and their last use, console passwords and their rotation under
 * the password policy, MFA, signing certificates.
 */

interface KeyRow {
  user_id: string | null;
  status: string;
  created_at: number;
  last_used_at: number | null;
  last_used_region: string | null;
  last_used_service: string | null;
}

function reportKey(k: KeyRow): CredentialReportAccessKey {
  const key: CredentialReportAccessKey = { active: k.status === 'Active', createdAt: k.created_at };
  if (k.last_used_at !== null) key.lastUsedAt = k.last_used_at;
  if (k.last_used_region !== null) key.lastUsedRegion = k.last_used_region;
  if (k.last_used_service !== null) key.lastUsedService = k.last_used_service;
  return key;
}

/** The facts the report states about the root user and every IAM user, read now. */
export function credentialFacts(store: Store, accountId: string, now: number): { root: RootCredentialFacts; users: UserCredentialFacts[] } {
  const keys = store
    .prepare<KeyRow>(
      `SELECT user_id, status, created_at, last_used_at, last_used_region, last_used_service FROM access_keys
       WHERE account_id = ? AND owner_kind IN ('root', 'user') ORDER BY created_at, access_key_id`,
    )
    .all(accountId);
  const rootKeys = keys.filter((k) => k.user_id === null).map(reportKey);
  const keysByUser = new Map<string, CredentialReportAccessKey[]>();
  for (const k of keys) {
    if (k.user_id === null) continue;
    let list = keysByUser.get(k.user_id);
    if (!list) keysByUser.set(k.user_id, (list = []));
    list.push(reportKey(k));
  }
  const profiles = new Map(
    store
      .prepare<{ user_id: string; password_changed_at: number }>('SELECT user_id, password_changed_at FROM login_profiles WHERE account_id = ?')
      .all(accountId)
      .map((p) => [p.user_id, p.password_changed_at]),
  );
  const policy = accountPasswordPolicy(store, accountId);
  const certs = store
    .prepare<{ user_id: string | null; status: string; uploaded_at: number }>(
      'SELECT user_id, status, uploaded_at FROM signing_certificates WHERE account_id = ? ORDER BY uploaded_at, certificate_id',
    )
    .all(accountId);
  const certsOf = (userId: string | null) => certs.filter((c) => c.user_id === userId).map((c) => ({ active: c.status === 'Active', uploadedAt: c.uploaded_at }));

  const root: RootCredentialFacts = {
    arn: rootArn(accountId),
    createdAt: findAccount(store, accountId)?.created_at ?? now,
    mfaActive: mfaDevicesOfRoot(store, accountId).length > 0,
    accessKeys: rootKeys,
    certificates: certsOf(null),
  };
  const users = store
    .prepare<UserRow>('SELECT * FROM users WHERE account_id = ?')
    .all(accountId)
    .map((u) => {
      const facts: UserCredentialFacts = {
        userName: u.user_name,
        arn: userArn(accountId, u.path, u.user_name),
        createdAt: u.created_at,
        mfaActive: mfaDevicesOfUser(store, accountId, u.user_id).length > 0,
        accessKeys: keysByUser.get(u.user_id) ?? [],
        certificates: certsOf(u.user_id),
      };
      const changedAt = profiles.get(u.user_id);
      if (changedAt !== undefined) {
        facts.password = { changedAt };
        const expires = passwordExpiresAt(policy, changedAt);
        if (expires !== undefined) facts.password.nextRotationAt = expires;
      }
      if (u.password_last_used_at !== null) facts.passwordLastUsedAt = u.password_last_used_at;
      return facts;
    });
  return { root, users };
}

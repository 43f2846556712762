import type { Principal } from '../identity/principal.js';
import { rootPrincipal } from '../identity/accounts.js';
import { resolveCredential } from '../identity/credentials.js';
import { tagRecord } from '../identity/tags.js';
import { findUserById, USER_KIND, userArn } from '../identity/users.js';
import type { Store } from '../store/store.js';
import type { ConsoleSessionRow } from './sessions.js';

/**
 * The principal a console session acts as, built afresh on each request as a signed
 * request's is (the user's current name and tags; policies are read by the pipeline):
 * - root or an IAM user, as temporary console credentials: aws:TokenIssueTime is the
 *   sign-in, aws:MultiFactorAuthPresent says whether an MFA code was given;
 * - after Switch role, the role session STS issued (its own expiry and MFA facts).
 * Undefined when it no longer stands for anyone (user deleted, role session expired).
 */
export function consolePrincipal(store: Store, row: ConsoleSessionRow, now: number): Principal | undefined {
  if (row.role_access_key_id) {
    const cred = resolveCredential(store, row.role_access_key_id);
    if (!cred || !cred.active || (cred.expiresAt !== undefined && cred.expiresAt <= now)) return undefined;
    return { ...cred.principal, console: true };
  }
  return signedInPrincipal(store, row);
}

/** Who signed in, whatever role the session has switched to. */
export function signedInPrincipal(store: Store, row: ConsoleSessionRow): Principal | undefined {
  const facts: Partial<Principal> = { console: true, tokenIssuedAt: row.created_at };
  if (row.mfa_at !== null) facts.mfaAuthenticatedAt = row.mfa_at;
  if (row.kind === 'root') {
    const { accessKeyId: _key, ...root } = rootPrincipal(store, row.account_id);
    return { ...root, ...facts };
  }
  const user = row.user_id ? findUserById(store, row.account_id, row.user_id) : undefined;
  if (!user) return undefined;
  return {
    type: 'user',
    accountId: user.account_id,
    arn: userArn(user.account_id, user.path, user.user_name),
    userId: user.user_id,
    userName: user.user_name,
    tags: tagRecord(store, user.account_id, USER_KIND, user.user_id),
    ...facts,
  };
}

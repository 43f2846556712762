import { randomBytes } from 'node:crypto';
import type { Store } from '../store/store.js';
import { newAccessKeyId, newSecretAccessKey } from './ids.js';
import { tagRecord } from './tags.js';
import { findUserById, USER_KIND, userArn } from './users.js';
import type { Principal } from './principal.js';

/**
 * Temporary credentials (ASIA… keys with a session token), as STS issues them.
 *
 * They live in access_keys like every other key (owner_kind 'session'), with the token,
 * the expiry and a SessionRecord as JSON. The record keeps what was fixed when the
 * session began (who, session policies, session tags, MFA and issue time); what can
 * change afterwards is read live on each request, so that revocation is immediate:
 * the role's or user's policies (identityPoliciesFor) and their tags.
 */

/** Which STS operation made the session; it decides what the session may call. */
export type SessionKind = 'session-token' | 'federation' | 'role';

export interface SessionRecord {
  kind: SessionKind;
  /** The session's principal as issued: tags here are the session tags only. */
  principal: Omit<Principal, 'accessKeyId'>;
  /** The entity whose current tags the session's principal tags start from. */
  base?: { kind: 'user' | 'role'; id: string };
  /** Keys of principal.tags that pass on to role sessions this session assumes. */
  transitiveTagKeys?: string[];
}

/** The Credentials member of AssumeRole, GetSessionToken and GetFederationToken. */
export interface IssuedCredentials {
  AccessKeyId: string;
  SecretAccessKey: string;
  SessionToken: string;
  Expiration: Date;
}

/** The tags table's resource_kind for roles (the roles engineer keys role tags so). */
export const ROLE_TAG_KIND = 'role';

/** Expired sessions are kept this long, so their keys answer ExpiredToken rather than "invalid". */
const EXPIRED_RETENTION_MS = 7 * 24 * 60 * 60 * 1000;

/**
 * An opaque session token. AWS's are a few hundred base64 characters and clients must
 * not assume a length; ours carry 288 random bytes (384 characters).
 */
export function newSessionToken(): string {
  return randomBytes(288).toString('base64');
}

/** Stores a new session and returns its credentials. Runs inside the request's transaction. */
export function issueSession(store: Store, record: SessionRecord, now: number, expiresAt: number): IssuedCredentials {
  const accountId = record.principal.accountId;
  store
    .prepare("DELETE FROM access_keys WHERE account_id = ? AND owner_kind = 'session' AND expires_at < ?")
    .run(accountId, now - EXPIRED_RETENTION_MS);
  const credentials: IssuedCredentials = {
    AccessKeyId: newAccessKeyId('ASIA'),
    SecretAccessKey: newSecretAccessKey(),
    SessionToken: newSessionToken(),
    Expiration: new Date(expiresAt),
  };
  store
    .prepare(
      `INSERT INTO access_keys (access_key_id, account_id, owner_kind, user_id, secret_access_key, status, created_at, session_token, expires_at, session)
       VALUES (?, ?, 'session', NULL, ?, 'Active', ?, ?, ?, ?)`,
    )
    .run(credentials.AccessKeyId, accountId, credentials.SecretAccessKey, now, credentials.SessionToken, expiresAt, JSON.stringify(record));
  return credentials;
}

const KIND_OF_TYPE: Partial<Record<Principal['type'], SessionKind>> = { 'assumed-role': 'role', 'federated-user': 'federation' };

/**
 * Reads the record stored with a session key. A bare principal (the form the store's
 * first slice documented) reads as a session with no live base entity.
 */
export function parseSessionRecord(json: string): SessionRecord {
  const parsed = JSON.parse(json) as SessionRecord | Principal;
  if ('principal' in parsed) return parsed;
  return { kind: KIND_OF_TYPE[parsed.type] ?? 'session-token', principal: parsed };
}

/**
 * The principal that signs with a session key, or undefined when the session no longer
 * stands for anyone (its user was deleted). Tags: the base entity's current tags,
 * overlaid by the session tags (a session tag wins over a role or user tag of the same
 * key, case-insensitively, as AWS documents).
 */
export function sessionPrincipal(store: Store, record: SessionRecord, accessKeyId: string): Principal | undefined {
  const issued = record.principal;
  const principal: Principal = { ...issued, tags: {}, accessKeyId };
  let baseTags: Record<string, string> = {};
  if (record.base?.kind === 'user') {
    const user = findUserById(store, issued.accountId, record.base.id);
    if (!user) return undefined;
    baseTags = tagRecord(store, issued.accountId, USER_KIND, user.user_id);
    // GetSessionToken credentials act as the user itself, under its current name.
    if (record.kind === 'session-token') {
      principal.arn = userArn(user.account_id, user.path, user.user_name);
      principal.userName = user.user_name;
    } else {
      principal.parentArn = userArn(user.account_id, user.path, user.user_name);
    }
  } else if (record.base?.kind === 'role') {
    baseTags = tagRecord(store, issued.accountId, ROLE_TAG_KIND, record.base.id);
  }
  principal.tags = overlayTags(baseTags, issued.tags);
  return principal;
}

/** base with over's entries replacing any of the same key in any case. */
export function overlayTags(base: Record<string, string>, over: Record<string, string>): Record<string, string> {
  const overKeys = new Set(Object.keys(over).map((k) => k.toLowerCase()));
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(base)) if (!overKeys.has(k.toLowerCase())) out[k] = v;
  return Object.assign(out, over);
}

/** The session record behind a key id, when it is a session key (for role chaining). */
export function findSessionRecord(store: Store, accessKeyId: string): SessionRecord | undefined {
  const row = store
    .prepare<{ session: string | null }>("SELECT session FROM access_keys WHERE access_key_id = ? AND owner_kind = 'session'")
    .get(accessKeyId);
  return row?.session ? parseSessionRecord(row.session) : undefined;
}

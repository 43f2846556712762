import type { Principal } from './principal.js';
import type { Store } from '../store/store.js';
import { dueForWrite } from '../store/throttle.js';
import { parseSessionRecord, sessionPrincipal } from './sessions.js';
import { rootPrincipal } from './accounts.js';
import { tagRecord } from './tags.js';
import { USER_KIND, userArn } from './users.js';

/** What SigV4 verification needs to know about an access key id, and whom it names. */
export interface ResolvedCredential {
  secretAccessKey: string;
  /** Temporary credentials only: the token the request must carry. */
  sessionToken?: string;
  /** False for Inactive (or Expired) keys: the signature must then be refused. */
  active: boolean;
  /** Temporary credentials only: epoch ms after which they no longer work. */
  expiresAt?: number;
  principal: Principal;
}

interface KeyRow {
  access_key_id: string;
  account_id: string;
  owner_kind: 'root' | 'user' | 'session';
  user_id: string | null;
  secret_access_key: string;
  status: string;
  session_token: string | null;
  expires_at: number | null;
  session: string | null;
  user_name: string | null;
  path: string | null;
}

const KEY_SQL = `
  SELECT k.access_key_id, k.account_id, k.owner_kind, k.user_id, k.secret_access_key, k.status,
         k.session_token, k.expires_at, k.session, u.user_name, u.path
  FROM access_keys k LEFT JOIN users u ON u.account_id = k.account_id AND u.user_id = k.user_id
  WHERE k.access_key_id = ?`;

/**
 * The credential behind an access key id, or undefined when no such key exists. Runs on
 * every request: one prepared lookup, remembered until the next write (src/store/remembered.ts; so
 * UpdateAccessKey Inactive or DeleteAccessKey takes effect on the very next request).
 */
export function resolveCredential(store: Store, accessKeyId: string): ResolvedCredential | undefined {
  const remembered = store.memory.map<ResolvedCredential>('credentials');
  const hit = remembered.get(accessKeyId);
  if (hit) return hit;
  const row = store.prepare<KeyRow>(KEY_SQL).get(accessKeyId);
  if (!row) return undefined;
  const resolved = toCredential(store, row);
  if (resolved) remembered.set(accessKeyId, resolved);
  return resolved;
}

function toCredential(store: Store, row: KeyRow): ResolvedCredential | undefined {
  const base = { secretAccessKey: row.secret_access_key, active: row.status === 'Active' };
  switch (row.owner_kind) {
    case 'root':
      return { ...base, principal: rootPrincipal(store, row.account_id, row.access_key_id) };
    case 'user': {
      if (row.user_name === null || row.path === null || row.user_id === null) return undefined;
      const principal: Principal = {
        type: 'user',
        accountId: row.account_id,
        arn: userArn(row.account_id, row.path, row.user_name),
        userId: row.user_id,
        userName: row.user_name,
        tags: tagRecord(store, row.account_id, USER_KIND, row.user_id),
        accessKeyId: row.access_key_id,
      };
      return { ...base, principal };
    }
    case 'session': {
      // Written by STS (src/auth/sessions.ts): the session as issued, with live tags.
      if (row.session === null) return undefined;
      const principal = sessionPrincipal(store, parseSessionRecord(row.session), row.access_key_id);
      if (!principal) return undefined;
      return {
        ...base,
        principal,
        sessionToken: row.session_token ?? undefined,
        expiresAt: row.expires_at ?? undefined,
      };
    }
  }
}

/**
 * Remembers that a key signed a request (GetAccessKeyLastUsed). Called by the pipeline on
 * every authenticated request, so it writes at most once a minute per key, outside any
 * request transaction (it changes nothing a cache depends on).
 */
export function recordAccessKeyUse(store: Store, accessKeyId: string, use: { service: string; region: string; when: number }): void {
  if (!dueForWrite(store, `key:${accessKeyId}`, use.when)) return;
  store
    .prepare('UPDATE access_keys SET last_used_at = ?, last_used_service = ?, last_used_region = ? WHERE access_key_id = ?')
    .run(use.when, use.service, use.region, accessKeyId);
}

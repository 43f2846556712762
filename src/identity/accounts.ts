import type { Principal } from './principal.js';
import type { Store } from '../store/store.js';
import { newAccessKeyId, newSecretAccessKey } from './ids.js';

/**
 * Accounts and their root credentials. The root's keys live in access_keys like any
 * other key (owner_kind 'root'); accounts.root_access_key_id remembers the one made at
 * bootstrap, which `iamlocal start` prints.
 */
export interface AccountRow {
  account_id: string;
  created_at: number;
  root_access_key_id: string | null;
}

export interface EnsuredAccount {
  accountId: string;
  rootAccessKeyId: string;
  rootSecretAccessKey: string;
  /** True when this call created the account. */
  created: boolean;
}

export function rootArn(accountId: string): string {
  return `arn:aws:iam::${accountId}:root`;
}

export function findAccount(store: Store, accountId: string): AccountRow | undefined {
  return store.prepare<AccountRow>('SELECT * FROM accounts WHERE account_id = ?').get(accountId);
}

/**
 * Creates the account and its root access key once; later calls return what is stored.
 * Pinned credentials (CI) replace the bootstrap key when they differ from it. If the
 * bootstrap key was deleted, another root key is adopted, or a new one made, so the
 * server always has root credentials to print.
 */
export function ensureAccount(
  store: Store,
  accountId: string,
  opts: { rootAccessKeyId?: string; rootSecretAccessKey?: string } = {},
): EnsuredAccount {
  return store.tx(() => {
    const now = Date.now();
    let account = findAccount(store, accountId);
    const created = !account;
    if (!account) {
      store.prepare('INSERT INTO accounts (account_id, created_at, root_access_key_id) VALUES (?, ?, NULL)').run(accountId, now);
      account = { account_id: accountId, created_at: now, root_access_key_id: null };
    }
    const rootKey = (id: string | null) =>
      id === null
        ? undefined
        : store
            .prepare<{ access_key_id: string; secret_access_key: string }>(
              "SELECT access_key_id, secret_access_key FROM access_keys WHERE access_key_id = ? AND account_id = ? AND owner_kind = 'root'",
            )
            .get(id, accountId);
    let key = rootKey(account.root_access_key_id);

    if (opts.rootAccessKeyId && opts.rootSecretAccessKey) {
      const pinnedId = opts.rootAccessKeyId;
      const pinnedSecret = opts.rootSecretAccessKey;
      if (!key || key.access_key_id !== pinnedId || key.secret_access_key !== pinnedSecret) {
        const clash = store.prepare<{ account_id: string; owner_kind: string }>('SELECT account_id, owner_kind FROM access_keys WHERE access_key_id = ?').get(pinnedId);
        if (clash && !(clash.account_id === accountId && clash.owner_kind === 'root')) {
          throw new Error(`pinned root access key id ${pinnedId} already belongs to another identity`);
        }
        if (key && key.access_key_id !== pinnedId) store.prepare('DELETE FROM access_keys WHERE access_key_id = ?').run(key.access_key_id);
        store
          .prepare(
            `INSERT INTO access_keys (access_key_id, account_id, owner_kind, user_id, secret_access_key, status, created_at)
             VALUES (?, ?, 'root', NULL, ?, 'Active', ?)
             ON CONFLICT (access_key_id) DO UPDATE SET secret_access_key = excluded.secret_access_key, status = 'Active'`,
          )
          .run(pinnedId, accountId, pinnedSecret, now);
        key = { access_key_id: pinnedId, secret_access_key: pinnedSecret };
      }
    } else if (!key) {
      key = store
        .prepare<{ access_key_id: string; secret_access_key: string }>(
          "SELECT access_key_id, secret_access_key FROM access_keys WHERE account_id = ? AND owner_kind = 'root' ORDER BY created_at LIMIT 1",
        )
        .get(accountId);
      if (!key) {
        key = { access_key_id: newAccessKeyId('AKIA'), secret_access_key: newSecretAccessKey() };
        store
          .prepare(
            `INSERT INTO access_keys (access_key_id, account_id, owner_kind, user_id, secret_access_key, status, created_at)
             VALUES (?, ?, 'root', NULL, ?, 'Active', ?)`,
          )
          .run(key.access_key_id, accountId, key.secret_access_key, now);
      }
    }
    if (account.root_access_key_id !== key.access_key_id) {
      store.prepare('UPDATE accounts SET root_access_key_id = ? WHERE account_id = ?').run(key.access_key_id, accountId);
    }
    return { accountId, rootAccessKeyId: key.access_key_id, rootSecretAccessKey: key.secret_access_key, created };
  });
}

/**
 * Wipes everything the account owns except its root credentials: every row of every
 * table with an account_id column (so tables added by later migrations are covered
 * without listing them here), then the store's reset hooks (state kept on disk).
 */
export function resetAccount(store: Store, accountId: string): void {
  store.tx(() => {
    // Rows reference each other; check foreign keys once, at commit.
    store.db.pragma('defer_foreign_keys = ON');
    for (const table of accountTables(store)) {
      if (table === 'accounts') continue;
      if (table === 'access_keys') {
        store.db.prepare("DELETE FROM access_keys WHERE account_id = ? AND owner_kind != 'root'").run(accountId);
      } else {
        store.db.prepare(`DELETE FROM "${table}" WHERE account_id = ?`).run(accountId);
      }
    }
    store.runAccountResetHooks(accountId);
    // The rest of a commit group this runs in gets its checks statement by statement again.
    store.db.pragma('defer_foreign_keys = OFF');
  });
}

function accountTables(store: Store): string[] {
  const tables = store.db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all() as Array<{ name: string }>;
  return tables
    .map((t) => t.name)
    .filter((name) => (store.db.pragma(`table_info("${name}")`) as Array<{ name: string }>).some((c) => c.name === 'account_id'));
}

/**
 * The account's root as a principal. Used for requests signed with a root key and, in
 * --auth off, for every request; accessKeyId is the bootstrap key when there is one.
 */
export function rootPrincipal(store: Store, accountId: string, accessKeyId?: string): Principal {
  const p: Principal = { type: 'root', accountId, arn: rootArn(accountId), userId: accountId, tags: {} };
  const keyId = accessKeyId ?? findAccount(store, accountId)?.root_access_key_id ?? undefined;
  if (keyId) p.accessKeyId = keyId;
  return p;
}

import type { Store } from '../../../store/store.js';
import { deleteConflict } from '../../../identity/errors.js';

/**
 * What must go before a user can be deleted, in the order IAM reports the conflict.
 * Each entry names a table with (account_id, user_id) columns; a table that does not
 * exist yet (its feature is not built) is skipped. Engineers adding login profiles, MFA,
 * groups, managed policies… create their table with those columns and it is checked.
 */
const USER_DEPENDENTS: Array<{ table: string; where?: string; mustFirst: string }> = [
  { table: 'login_profiles', mustFirst: 'delete login profile' },
  { table: 'user_policies', mustFirst: 'delete policies' },
  { table: 'user_policy_attachments', mustFirst: 'detach all policies' },
  { table: 'access_keys', where: "owner_kind = 'user'", mustFirst: 'delete access keys' },
  // AWS's words (real DeleteConflict bodies quoted in rebuy-de/aws-nuke #671, #470, #522).
  { table: 'signing_certificates', mustFirst: 'delete certificates' },
  { table: 'ssh_public_keys', mustFirst: 'remove referenced objects' },
  { table: 'service_specific_credentials', mustFirst: 'remove referenced objects' },
  { table: 'mfa_devices', mustFirst: 'delete MFA device' },
  { table: 'group_members', mustFirst: 'remove users from group' },
];

const present = new WeakMap<Store, Set<string>>();

/** Tables only appear through migrations, which run when the store opens: look once. */
function existingTables(store: Store): Set<string> {
  let set = present.get(store);
  if (!set) {
    const rows = store.db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as Array<{ name: string }>;
    set = new Set(rows.map((r) => r.name));
    present.set(store, set);
  }
  return set;
}

/** Throws IAM's DeleteConflict for the first thing the user still has. */
export function assertUserDeletable(store: Store, accountId: string, userId: string): void {
  const tables = existingTables(store);
  for (const dep of USER_DEPENDENTS) {
    if (!tables.has(dep.table)) continue;
    const sql = `SELECT 1 AS found FROM "${dep.table}" WHERE account_id = ? AND user_id = ?${dep.where ? ` AND ${dep.where}` : ''} LIMIT 1`;
    if (store.prepare(sql).get(accountId, userId)) throw deleteConflict(dep.mustFirst);
  }
}

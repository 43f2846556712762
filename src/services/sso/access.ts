import type { Store } from '../../store/store.js';
import { groupIdsOf, type InstanceRow, type UserRow } from '../identitystore/shared/rows.js';
import type { PermissionSetRow } from '../sso-admin/shared/sso.js';

/** What an Identity Center user may use: the assignments to them and to every group they belong to. */
export interface Entitlement {
  accountId: string;
  permissionSet: PermissionSetRow;
}

export function entitlements(store: Store, instance: InstanceRow, user: UserRow): Entitlement[] {
  const principals = [user.user_id, ...groupIdsOf(store, user.user_id)];
  const marks = principals.map(() => '?').join(', ');
  const rows = store
    .prepare<PermissionSetRow & { target_account: string }>(
      `SELECT DISTINCT a.target_account, ps.* FROM sso_account_assignments a JOIN sso_permission_sets ps USING (permission_set_id)
       WHERE a.instance_id = ? AND a.principal_id IN (${marks}) ORDER BY a.target_account, ps.name`,
    )
    .all(instance.instance_id, ...principals);
  const seen = new Set<string>();
  const out: Entitlement[] = [];
  for (const { target_account, ...ps } of rows) {
    const key = `${target_account}/${ps.permission_set_id}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ accountId: target_account, permissionSet: ps });
  }
  return out;
}

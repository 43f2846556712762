import type { Store } from '../../../store/store.js';
import type { OrganizationRow } from '../../../identity/organization.js';
import { ouNotFound, parentNotFound } from '../shared/errors.js';
import type { OuRow } from '../shared/shapes.js';

/** Reading the tree: parents (the root or an OU) and OUs. */

export function findOu(store: Store, org: OrganizationRow, ouId: string): OuRow | undefined {
  return store.prepare<OuRow>('SELECT * FROM org_ous WHERE ou_id = ? AND org_id = ?').get(ouId, org.org_id);
}

export function requireOu(store: Store, org: OrganizationRow, ouId: string): OuRow {
  const ou = findOu(store, org, ouId);
  if (!ou) throw ouNotFound();
  return ou;
}

/** The root or OU with this ID, or ParentNotFoundException. */
export function requireParent(store: Store, org: OrganizationRow, id: string): { kind: 'ROOT' | 'ORGANIZATIONAL_UNIT'; id: string } {
  if (id.startsWith('r-')) {
    if (store.prepare('SELECT 1 AS one FROM org_roots WHERE root_id = ? AND org_id = ?').get(id, org.org_id)) return { kind: 'ROOT', id };
  } else if (findOu(store, org, id)) return { kind: 'ORGANIZATIONAL_UNIT', id };
  throw parentNotFound();
}

/** How many OUs deep a parent is: 0 for the root. */
export function depthOf(store: Store, org: OrganizationRow, parentId: string): number {
  let depth = 0;
  let id = parentId;
  while (id.startsWith('ou-') && depth < 10) {
    const ou = findOu(store, org, id);
    if (!ou) break;
    depth++;
    id = ou.parent_id;
  }
  return depth;
}

import type { Store } from '../../../store/store.js';
import { operation } from '../../operation.js';
import type { GroupRow } from '../../../identity/groups.js';
import { fromRow, type ManagedPolicy, type ManagedPolicyRow } from '../../../identity/managed-policies.js';
import type { RoleRow } from '../../../identity/roles.js';
import type { UserRow } from '../../../identity/users.js';
import { accountWide } from '../shared/account-wide.js';
import { paginate, type PageRequest } from '../shared/paginate.js';
import { groupDetail, roleDetail, userDetail } from './identity-details.js';
import { awsPoliciesInUse, policyDetail } from './policy-details.js';

/**
 * GetAccountAuthorizationDetails: every user, group, role and managed policy of the
 * account with what grants them permissions, in one paginated listing. The four lists
 * page as one sequence (users, groups, roles, then customer and AWS managed policies,
 * each by name), so a page may end inside any of them; only the page's entries are read
 * in full. Customer managed policies are all listed; AWS managed policies only when the
 * account uses them (attached, or set as a permissions boundary), as AWS does.
 */

type EntityType = 'User' | 'Group' | 'Role' | 'LocalManagedPolicy' | 'AWSManagedPolicy';
type DetailList = 'UserDetailList' | 'GroupDetailList' | 'RoleDetailList' | 'Policies';

/** One section of the listing: the Filter value that asks for it, its rows (cheap to list), and each row's entry (read in full). */
interface Section<Row> {
  filter: EntityType;
  list: DetailList;
  rows: (store: Store, accountId: string) => Row[];
  name: (row: Row) => string;
  detail: (store: Store, row: Row, accountId: string) => Record<string, unknown>;
}

const section = <Row>(s: Section<Row>): Section<unknown> => s as Section<unknown>;

function rowsOf<Row>(table: string): (store: Store, accountId: string) => Row[] {
  return (store, accountId) => store.prepare<Row>(`SELECT * FROM ${table} WHERE account_id = ?`).all(accountId);
}

function customerPolicies(store: Store, accountId: string): ManagedPolicy[] {
  return rowsOf<ManagedPolicyRow>('managed_policies')(store, accountId).map(fromRow);
}

/** In listing order. */
const SECTIONS: readonly Section<unknown>[] = [
  section<UserRow>({ filter: 'User', list: 'UserDetailList', rows: rowsOf('users'), name: (u) => u.user_name, detail: userDetail }),
  section<GroupRow>({ filter: 'Group', list: 'GroupDetailList', rows: rowsOf('groups'), name: (g) => g.group_name, detail: groupDetail }),
  section<RoleRow>({ filter: 'Role', list: 'RoleDetailList', rows: rowsOf('roles'), name: (r) => r.role_name, detail: roleDetail }),
  section<ManagedPolicy>({ filter: 'LocalManagedPolicy', list: 'Policies', rows: customerPolicies, name: (p) => p.name, detail: policyDetail }),
  section<ManagedPolicy>({ filter: 'AWSManagedPolicy', list: 'Policies', rows: awsPoliciesInUse, name: (p) => p.name, detail: policyDetail }),
];

/** One entry of the combined listing, before its details are read. */
interface Entry {
  /** Its section's place in SECTIONS. */
  section: number;
  name: string;
  row: unknown;
}

/** The entries the filter asks for (all when it names none), cheap to list. */
function entries(store: Store, accountId: string, filter: ReadonlySet<EntityType>): Entry[] {
  const out: Entry[] = [];
  SECTIONS.forEach((s, index) => {
    if (filter.size > 0 && !filter.has(s.filter)) return;
    for (const row of s.rows(store, accountId)) out.push({ section: index, name: s.name(row), row });
  });
  return out;
}

export const GetAccountAuthorizationDetails = operation({
  writes: false,
  authorize: accountWide('iam:GetAccountAuthorizationDetails'),
  run: (ctx, input: PageRequest & { Filter?: EntityType[] }) => {
    const filter = new Set(input.Filter ?? []);
    const { items, more } = paginate(entries(ctx.store, ctx.accountId, filter), input, (e) => `${e.section}/${e.name}`);
    const out: Record<DetailList, unknown[]> = { UserDetailList: [], GroupDetailList: [], RoleDetailList: [], Policies: [] };
    for (const e of items) {
      const s = SECTIONS[e.section];
      out[s.list].push(s.detail(ctx.store, e.row, ctx.accountId));
    }
    return { ...out, ...more };
  },
});

import type { Store } from '../store/store.js';
import type { OrgPlace } from '../policy/index.js';

/**
 * Which organization an account belongs to, where in it, and the service and resource
 * control policies that apply to it, level by level from the root down. The pipeline
 * asks on every request (src/server/authorize.ts), so each answer is remembered until the
 * next write (src/store/remembered.ts); src/services/organizations writes the rows.
 */

export type PolicyTypeName = 'SERVICE_CONTROL_POLICY' | 'RESOURCE_CONTROL_POLICY';

/** The policies AWS manages and attaches by default, one per type (not rows of org_policies). */
export const AWS_MANAGED_ORG_POLICIES: Record<PolicyTypeName, { id: string; name: string; description: string; content: string }> = {
  SERVICE_CONTROL_POLICY: {
    id: 'p-FullAWSAccess',
    name: 'FullAWSAccess',
    description: 'Allows access to every operation',
    content: '{\n  "Version": "2012-10-17",\n  "Statement": [\n    {\n      "Effect": "Allow",\n      "Action": "*",\n      "Resource": "*"\n    }\n  ]\n}',
  },
  RESOURCE_CONTROL_POLICY: {
    id: 'p-RCPFullAWSAccess',
    name: 'RCPFullAWSAccess',
    description: 'Allows access to every operation',
    content: '{\n  "Version": "2012-10-17",\n  "Statement": [\n    {\n      "Effect": "Allow",\n      "Principal": "*",\n      "Action": "*",\n      "Resource": "*"\n    }\n  ]\n}',
  },
};

export interface OrganizationRow {
  org_id: string;
  account_id: string;
  feature_set: string;
  created_at: number;
}

export interface OrgAccountRow {
  member_id: string;
  account_id: string;
  org_id: string;
  parent_id: string;
  name: string;
  email: string;
  status: string;
  joined_method: string;
  joined_at: number;
}

/** One level of the organization above (and including) an account. */
export interface OrgLevel {
  kind: 'root' | 'ou' | 'account';
  id: string;
  name: string;
}

/** An account's place in its organization. */
export interface Membership {
  orgId: string;
  managementAccountId: string;
  /** aws:PrincipalOrgPaths / aws:ResourceOrgPaths: 'o-…/r-…/ou-…/' (to the account's parent). */
  path: string;
  /** The organization as the policy engine sees it (aws:PrincipalOrgID/Paths, aws:ResourceOrgID/Paths). */
  place: OrgPlace;
  /** Root first, then each OU down to the parent, then the account itself. */
  levels: OrgLevel[];
  /** Policy types enabled on the root. */
  enabled: ReadonlySet<PolicyTypeName>;
}

/** A policy that applies at one level, named for explanations. */
export interface OrgPolicyText {
  name: string;
  document: string;
}

/** The control policies of one type that apply to an account: one list per level, and what each level is. */
export interface ControlPolicies {
  levels: OrgLevel[];
  policies: OrgPolicyText[][];
}

export function organizationOfAccount(store: Store, accountId: string): OrganizationRow | undefined {
  const member = memberRow(store, accountId);
  return member && store.prepare<OrganizationRow>('SELECT * FROM org_organizations WHERE org_id = ?').get(member.org_id);
}

export function memberRow(store: Store, accountId: string): OrgAccountRow | undefined {
  return store.prepare<OrgAccountRow>('SELECT * FROM org_accounts WHERE member_id = ?').get(accountId);
}

/** Is there any organization on this server? (A request's fast path when there is none.) */
export function anyOrganization(store: Store): boolean {
  const remembered = store.memory.map<boolean>('org-any');
  let any = remembered.get('');
  if (any === undefined) {
    any = store.prepare('SELECT 1 AS one FROM org_organizations LIMIT 1').get() !== undefined;
    remembered.set('', any);
  }
  return any;
}

/** The account's place in its organization, or null when it is in none. Remembered until the next write. */
export function membership(store: Store, accountId: string): Membership | null {
  if (!anyOrganization(store)) return null;
  const remembered = store.memory.map<Membership | null>('org-membership');
  let found = remembered.get(accountId);
  if (found === undefined) {
    found = lookUpMembership(store, accountId);
    remembered.set(accountId, found);
  }
  return found;
}

function lookUpMembership(store: Store, accountId: string): Membership | null {
  const member = memberRow(store, accountId);
  if (!member) return null;
  const org = store.prepare<OrganizationRow>('SELECT * FROM org_organizations WHERE org_id = ?').get(member.org_id)!;
  const above: OrgLevel[] = [];
  let parent = member.parent_id;
  // Walk up to the root (at most five OUs deep).
  for (let i = 0; i < 8 && parent.startsWith('ou-'); i++) {
    const ou = store.prepare<{ ou_id: string; parent_id: string; name: string }>('SELECT ou_id, parent_id, name FROM org_ous WHERE ou_id = ?').get(parent);
    if (!ou) break;
    above.unshift({ kind: 'ou', id: ou.ou_id, name: ou.name });
    parent = ou.parent_id;
  }
  const root = store.prepare<{ root_id: string; name: string; policy_types: string }>('SELECT root_id, name, policy_types FROM org_roots WHERE org_id = ?').get(org.org_id)!;
  const enabled = new Set<PolicyTypeName>(
    (JSON.parse(root.policy_types) as Array<{ Type: PolicyTypeName; Status: string }>).filter((t) => t.Status === 'ENABLED').map((t) => t.Type),
  );
  const levels: OrgLevel[] = [{ kind: 'root', id: root.root_id, name: root.name }, ...above, { kind: 'account', id: accountId, name: member.name }];
  const path = `${org.org_id}/${levels.slice(0, -1).map((l) => l.id).join('/')}/`;
  return { orgId: org.org_id, managementAccountId: org.account_id, path, place: Object.freeze({ id: org.org_id, paths: Object.freeze([path]) as string[] }), levels, enabled };
}

/**
 * The policies of a type that bound an account, or undefined when none do: the account
 * is in no organization, is its management account (never bound by SCPs or RCPs), or
 * the type is not enabled on the root. Remembered until the next write.
 */
export function controlPolicies(store: Store, accountId: string, type: PolicyTypeName): ControlPolicies | undefined {
  const m = membership(store, accountId);
  if (m === null || m.managementAccountId === accountId || !m.enabled.has(type)) return undefined;
  const remembered = store.memory.map<ControlPolicies>(`org-${type}`);
  let found = remembered.get(accountId);
  if (!found) {
    found = { levels: m.levels, policies: m.levels.map((level) => attachedTexts(store, m.orgId, level, type)) };
    remembered.set(accountId, found);
  }
  return found;
}

/** The policies of a type attached to one target, each named with the level it sits at. */
function attachedTexts(store: Store, orgId: string, level: OrgLevel, type: PolicyTypeName): OrgPolicyText[] {
  const rows = store
    .prepare<{ policy_id: string; name: string | null; content: string | null }>(
      `SELECT a.policy_id, p.name, p.content FROM org_policy_attachments a LEFT JOIN org_policies p ON p.policy_id = a.policy_id
       WHERE a.target_id = ? AND a.org_id = ? AND a.policy_type = ? ORDER BY a.attached_at, a.policy_id`,
    )
    .all(level.id, orgId, type);
  const managed = AWS_MANAGED_ORG_POLICIES[type];
  return rows.map((r) => {
    const own = r.content !== null;
    const name = own ? r.name! : managed.name;
    return { name: `${name} (${r.policy_id}, attached to ${describeLevel(level)})`, document: own ? r.content! : managed.content };
  });
}

/** 'the root r-ab12', 'OU ou-ab12-12345678 "Workloads"', 'account 111111111111 "dev"'. */
export function describeLevel(level: OrgLevel): string {
  if (level.kind === 'root') return `the root ${level.id}`;
  return `${level.kind === 'ou' ? 'OU' : 'account'} ${level.id} "${level.name}"`;
}

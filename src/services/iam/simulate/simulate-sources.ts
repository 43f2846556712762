import type { Store } from '../../../store/store.js';
import { invalidInput, noSuchNamed } from '../../../identity/errors.js';
import { findGroup, groupArn, groupsOfUser, type GroupRow } from '../../../identity/groups.js';
import { awsManagedPolicy } from '../../../identity/aws-managed-catalog.js';
import { findRole, roleArn } from '../../../identity/roles.js';
import { findUser, userArn } from '../../../identity/users.js';

/**
 * The policies a simulation reads for a PolicySourceArn (SimulatePrincipalPolicy,
 * GetContextKeysForPrincipalPolicy), named as the simulator names them in
 * MatchedStatements: an inline policy as "<user|group|role>_<entity name>_<policy name>",
 * a managed policy by its name. They are the same sources enforcement reads
 * (effective-policies.ts): a user's inline and attached policies and those of its
 * groups, a group's own, a role's own, and the boundary of a user or role.
 */

export interface SourcePolicy {
  /** SourcePolicyId in simulation results. */
  id: string;
  document: string;
}

export interface SimulationEntity {
  kind: 'user' | 'group' | 'role';
  accountId: string;
  arn: string;
  name: string;
  /** The permissions policies, in the order they are listed. */
  identity: SourcePolicy[];
  boundary?: SourcePolicy;
}

/** A user, group or role ARN: account, kind, path, name. */
export const ENTITY_ARN = /^arn:aws:iam::(\d{12}):(user|group|role)(\/(?:[^/]+\/)*)([^/]+)$/;

/** A boundary that names a policy that is gone allows nothing, as enforcement does. */
const DENY_ALL = '{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"*","Resource":"*"}]}';

/** The default version's text of a managed policy (AWS's or this account's), if it exists. */
export function managedPolicyText(store: Store, accountId: string, arn: string): string | undefined {
  if (arn.startsWith('arn:aws:iam::aws:policy/')) return awsManagedPolicy(arn)?.document;
  const m = /^arn:aws:iam::(\d{12}):policy(\/(?:[^/]+\/)*)([^/]+)$/.exec(arn);
  if (!m || m[1] !== accountId) return undefined;
  const row = store
    .prepare<{ document: string; path: string }>(
      `SELECT v.document, p.path FROM managed_policies p
       JOIN managed_policy_versions v ON v.account_id = p.account_id AND v.policy_id = p.policy_id AND v.version_id = p.default_version_id
       WHERE p.account_id = ? AND p.policy_name = ?`,
    )
    .get(accountId, m[3]);
  return row && row.path === m[2] ? row.document : undefined;
}

function policyName(arn: string): string {
  return arn.slice(arn.lastIndexOf('/') + 1);
}

function inline(store: Store, table: string, idColumn: string, accountId: string, id: string, prefix: string): SourcePolicy[] {
  return store
    .prepare<{ policy_name: string; document: string }>(`SELECT policy_name, document FROM ${table} WHERE account_id = ? AND ${idColumn} = ? ORDER BY policy_name`)
    .all(accountId, id)
    .map((p) => ({ id: `${prefix}_${p.policy_name}`, document: p.document }));
}

function attached(store: Store, table: string, idColumn: string, accountId: string, id: string): SourcePolicy[] {
  const out: SourcePolicy[] = [];
  const rows = store
    .prepare<{ policy_arn: string }>(`SELECT policy_arn FROM ${table} WHERE account_id = ? AND ${idColumn} = ? ORDER BY attached_at, policy_arn`)
    .all(accountId, id);
  for (const { policy_arn } of rows) {
    const document = managedPolicyText(store, accountId, policy_arn);
    if (document !== undefined) out.push({ id: policyName(policy_arn), document });
  }
  return out;
}

function boundary(store: Store, accountId: string, arn: string | null): SourcePolicy | undefined {
  if (arn === null) return undefined;
  return { id: policyName(arn), document: managedPolicyText(store, accountId, arn) ?? DENY_ALL };
}

function groupPolicies(store: Store, g: GroupRow): SourcePolicy[] {
  return [
    ...inline(store, 'group_policies', 'group_id', g.account_id, g.group_id, `group_${g.group_name}`),
    ...attached(store, 'group_policy_attachments', 'group_id', g.account_id, g.group_id),
  ];
}

/**
 * The user, group or role an ARN names in this account, with its policies. A missing
 * entity is IAM's NoSuchEntity; an ARN that names no user, group or role is InvalidInput.
 */
export function simulationEntity(store: Store, accountId: string, arn: string): SimulationEntity {
  const m = ENTITY_ARN.exec(arn);
  if (!m) throw invalidInput(`Invalid ARN: ${arn}. The ARN must identify an IAM user, group or role.`);
  const [, account, kind, path, name] = m;
  const missing = () => noSuchNamed(kind, name);
  if (account !== accountId) throw missing();
  if (kind === 'user') {
    const u = findUser(store, accountId, name);
    if (!u || u.path !== path) throw missing();
    const identity = [
      ...inline(store, 'user_policies', 'user_id', accountId, u.user_id, `user_${u.user_name}`),
      ...attached(store, 'user_policy_attachments', 'user_id', accountId, u.user_id),
    ];
    for (const g of groupsOfUser(store, accountId, u.user_id)) identity.push(...groupPolicies(store, g));
    const entity: SimulationEntity = { kind, accountId, arn: userArn(accountId, u.path, u.user_name), name: u.user_name, identity };
    const b = boundary(store, accountId, u.permissions_boundary_arn);
    if (b) entity.boundary = b;
    return entity;
  }
  if (kind === 'group') {
    const g = findGroup(store, accountId, name);
    if (!g || g.path !== path) throw missing();
    return { kind, accountId, arn: groupArn(accountId, g.path, g.group_name), name: g.group_name, identity: groupPolicies(store, g) };
  }
  const r = findRole(store, accountId, name);
  if (!r || r.path !== path) throw missing();
  const identity = [
    ...inline(store, 'role_policies', 'role_id', accountId, r.role_id, `role_${r.role_name}`),
    ...attached(store, 'role_policy_attachments', 'role_id', accountId, r.role_id),
  ];
  const entity: SimulationEntity = { kind: 'role', accountId, arn: roleArn(accountId, r.path, r.role_name), name: r.role_name, identity };
  const b = boundary(store, accountId, r.permissions_boundary_arn);
  if (b) entity.boundary = b;
  return entity;
}

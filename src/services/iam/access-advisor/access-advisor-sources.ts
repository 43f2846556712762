import { iamDataCatalog as catalog } from '../../../catalog/iam-data-catalog.js';
import { globRegExp } from '../../../policy/validate-match.js';
import type { Store } from '../../../store/store.js';
import { ATTACHMENTS, type IdentityKind } from '../../../identity/attachment-targets.js';
import { invalidInput, noSuchNamed } from '../../../identity/errors.js';
import { findGroup, groupArn, groupsOfUser, type GroupRow } from '../../../identity/groups.js';
import { GROUP_INLINE, inlinePolicies, ROLE_INLINE } from '../../../identity/inline-policies.js';
import { defaultDocument, findPolicy, policyNotFound, type ManagedPolicy } from '../../../identity/managed-policies.js';
import { findRole, findRoleById, roleArn, type RoleRow } from '../../../identity/roles.js';
import { findUser, findUserById, userArn, type UserRow } from '../../../identity/users.js';

/**
 * What the access advisor APIs read: the entity an ARN names (user, group, role or
 * managed policy), the policies that grant it permissions, the service namespaces each
 * policy allows, and the users and roles whose activity counts for it.
 */

export type AdvisorEntity =
  | { kind: 'user'; arn: string; row: UserRow }
  | { kind: 'group'; arn: string; row: GroupRow }
  | { kind: 'role'; arn: string; row: RoleRow }
  | { kind: 'policy'; arn: string; policy: ManagedPolicy };

/** One policy that grants the entity permissions, in ListPoliciesGrantingServiceAccess's shape. */
export interface GrantingPolicy {
  PolicyName: string;
  PolicyType: 'INLINE' | 'MANAGED';
  PolicyArn?: string;
  EntityType?: 'USER' | 'GROUP' | 'ROLE';
  EntityName?: string;
  document: string;
}

const ARN = /^arn:aws:iam::(\d{12}|aws):(user|group|role|policy)(\/(?:[^/]+\/)*)([^/]+)$/;

/** The entity an ARN names; InvalidInput for a malformed ARN, NoSuchEntity for a missing one. */
export function resolveEntity(store: Store, accountId: string, arn: string, allowPolicy = true): AdvisorEntity {
  const m = ARN.exec(arn);
  if (!m || (m[2] === 'policy' && !allowPolicy) || (m[1] === 'aws' && m[2] !== 'policy')) throw invalidInput(`ARN ${arn} is not valid.`);
  const [, account, kind, path, name] = m;
  if (kind === 'policy') {
    const policy = findPolicy(store, accountId, arn);
    if (!policy) throw policyNotFound(arn);
    return { kind, arn, policy };
  }
  const row = account !== accountId ? undefined : kind === 'user' ? findUser(store, accountId, name) : kind === 'group' ? findGroup(store, accountId, name) : findRole(store, accountId, name);
  if (!row || row.path !== path) throw noSuchNamed(kind, name);
  if (kind === 'user') return { kind, arn: userArn(accountId, path, (row as UserRow).user_name), row: row as UserRow };
  if (kind === 'group') return { kind, arn: groupArn(accountId, path, (row as GroupRow).group_name), row: row as GroupRow };
  return { kind: 'role', arn: roleArn(accountId, path, (row as RoleRow).role_name), row: row as RoleRow };
}

function attached(store: Store, accountId: string, kind: IdentityKind, id: string): GrantingPolicy[] {
  const { table, idColumn } = ATTACHMENTS[kind];
  const arns = store.prepare<{ policy_arn: string }>(`SELECT policy_arn FROM ${table} WHERE account_id = ? AND ${idColumn} = ?`).all(accountId, id);
  const out: GrantingPolicy[] = [];
  for (const { policy_arn } of arns) {
    const p = findPolicy(store, accountId, policy_arn);
    if (p) out.push({ PolicyName: p.name, PolicyType: 'MANAGED', PolicyArn: p.arn, document: defaultDocument(store, p) });
  }
  return out;
}

function groupPolicies(store: Store, g: GroupRow): GrantingPolicy[] {
  const inline = inlinePolicies(store, GROUP_INLINE, { accountId: g.account_id, id: g.group_id }).map(
    (p): GrantingPolicy => ({ PolicyName: p.policy_name, PolicyType: 'INLINE', EntityType: 'GROUP', EntityName: g.group_name, document: p.document }),
  );
  return [...inline, ...attached(store, g.account_id, 'group', g.group_id)];
}

function userPolicies(store: Store, u: UserRow): GrantingPolicy[] {
  const inline = store
    .prepare<{ policy_name: string; document: string }>('SELECT policy_name, document FROM user_policies WHERE account_id = ? AND user_id = ?')
    .all(u.account_id, u.user_id)
    .map((p): GrantingPolicy => ({ PolicyName: p.policy_name, PolicyType: 'INLINE', EntityType: 'USER', EntityName: u.user_name, document: p.document }));
  const out = [...inline, ...attached(store, u.account_id, 'user', u.user_id)];
  for (const g of groupsOfUser(store, u.account_id, u.user_id)) out.push(...groupPolicies(store, g));
  // A managed policy attached to the user and to its group grants once.
  const seen = new Set<string>();
  return out.filter((p) => p.PolicyArn === undefined || (!seen.has(p.PolicyArn) && seen.add(p.PolicyArn) !== undefined));
}

function rolePolicies(store: Store, r: RoleRow): GrantingPolicy[] {
  const inline = inlinePolicies(store, ROLE_INLINE, { accountId: r.account_id, id: r.role_id }).map(
    (p): GrantingPolicy => ({ PolicyName: p.policy_name, PolicyType: 'INLINE', EntityType: 'ROLE', EntityName: r.role_name, document: p.document }),
  );
  return [...inline, ...attached(store, r.account_id, 'role', r.role_id)];
}

/** The policies that grant the entity permissions (a managed policy: itself). */
export function grantingPolicies(store: Store, entity: AdvisorEntity): GrantingPolicy[] {
  switch (entity.kind) {
    case 'user':
      return userPolicies(store, entity.row);
    case 'group':
      return groupPolicies(store, entity.row);
    case 'role':
      return rolePolicies(store, entity.row);
    case 'policy':
      return [{ PolicyName: entity.policy.name, PolicyType: 'MANAGED', PolicyArn: entity.policy.arn, document: defaultDocument(store, entity.policy) }];
  }
}

/** A user or role whose requests count toward the entity's report. */
export type Actor = { kind: 'user'; row: UserRow } | { kind: 'role'; row: RoleRow };

/** The users and roles whose activity the report covers: the entity, a group's members, a policy's holders. */
export function actorsOf(store: Store, accountId: string, entity: AdvisorEntity): Actor[] {
  switch (entity.kind) {
    case 'user':
      return [{ kind: 'user', row: entity.row }];
    case 'role':
      return [{ kind: 'role', row: entity.row }];
    case 'group':
      return membersOf(store, accountId, entity.row.group_id);
    case 'policy': {
      const arn = entity.policy.arn;
      const ids = (kind: IdentityKind) =>
        store.prepare<{ id: string }>(`SELECT ${ATTACHMENTS[kind].idColumn} AS id FROM ${ATTACHMENTS[kind].table} WHERE account_id = ? AND policy_arn = ?`).all(accountId, arn);
      const users = new Map<string, Actor>();
      for (const { id } of ids('user')) {
        const u = findUserById(store, accountId, id);
        if (u) users.set(u.user_id, { kind: 'user', row: u });
      }
      for (const { id } of ids('group')) for (const m of membersOf(store, accountId, id)) users.set((m.row as UserRow).user_id, m);
      const roles: Actor[] = [];
      for (const { id } of ids('role')) {
        const r = findRoleById(store, accountId, id);
        if (r) roles.push({ kind: 'role', row: r });
      }
      return [...users.values(), ...roles];
    }
  }
}

function membersOf(store: Store, accountId: string, groupId: string): Actor[] {
  return store
    .prepare<UserRow>('SELECT u.* FROM group_members m JOIN users u ON u.account_id = m.account_id AND u.user_id = m.user_id WHERE m.account_id = ? AND m.group_id = ?')
    .all(accountId, groupId)
    .map((row) => ({ kind: 'user', row }));
}

/**
 * The service namespaces a policy document allows some action of. "*" and NotAction
 * allow every service (NotAction less the services it names whole, "svc:*").
 */
export function allowedNamespaces(document: string): Set<string> {
  const out = new Set<string>();
  let parsed: any;
  try {
    parsed = JSON.parse(document);
  } catch {
    return out;
  }
  const statements: any[] = Array.isArray(parsed?.Statement) ? parsed.Statement : parsed?.Statement ? [parsed.Statement] : [];
  const list = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : typeof v === 'string' ? [v] : []);
  for (const s of statements) {
    if (s?.Effect !== 'Allow') continue;
    if (s.NotAction !== undefined) {
      const excluded = new Set(list(s.NotAction).filter((a) => /^[^:*?]+:\*$/.test(a)).map((a) => a.split(':')[0].toLowerCase()));
      for (const svc of catalog.allServices()) if (!excluded.has(svc)) out.add(svc);
      continue;
    }
    for (const action of list(s.Action)) {
      if (action === '*') {
        for (const svc of catalog.allServices()) out.add(svc);
        continue;
      }
      const [prefix, name] = action.split(':');
      if (name === undefined) continue;
      for (const svc of servicesMatching(prefix)) {
        if (/[*?]/.test(name) || catalog.findAction(svc, name)) out.add(svc);
      }
    }
  }
  return out;
}

function servicesMatching(prefix: string): string[] {
  if (!/[*?]/.test(prefix)) return catalog.isKnownService(prefix) ? [prefix.toLowerCase()] : [];
  const re = globRegExp(prefix.toLowerCase(), true);
  return catalog.allServices().filter((s) => re.test(s));
}

export function actorArn(actor: Actor): string {
  return actor.kind === 'user' ? userArn(actor.row.account_id, actor.row.path, actor.row.user_name) : roleArn(actor.row.account_id, actor.row.path, actor.row.role_name);
}

/** When each service was last called by the actor's keys (user keys, or the role's sessions). */
export function lastUsesOf(store: Store, actor: Actor): Map<string, { at: number; region: string | null }> {
  const rows =
    actor.kind === 'user'
      ? store
          .prepare<{ service: string; at: number; region: string | null }>(
            `SELECT last_used_service AS service, last_used_at AS at, last_used_region AS region FROM access_keys
             WHERE account_id = ? AND owner_kind = 'user' AND user_id = ? AND last_used_at IS NOT NULL AND last_used_service IS NOT NULL`,
          )
          .all(actor.row.account_id, actor.row.user_id)
      : store
          .prepare<{ service: string; at: number; region: string | null }>(
            `SELECT last_used_service AS service, last_used_at AS at, last_used_region AS region FROM access_keys
             WHERE account_id = ? AND owner_kind = 'session' AND json_extract(session, '$.principal.roleId') = ?
               AND last_used_at IS NOT NULL AND last_used_service IS NOT NULL`,
          )
          .all(actor.row.account_id, actor.row.role_id);
  const out = new Map<string, { at: number; region: string | null }>();
  for (const r of rows) {
    const prev = out.get(r.service);
    if (!prev || r.at > prev.at) out.set(r.service, { at: r.at, region: r.region });
  }
  return out;
}

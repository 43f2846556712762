import { compilePolicy, type CompiledPolicy, type OrgPlace, type PolicySet } from '../policy/index.js';
import type { Principal } from '../identity/principal.js';
import type { Store } from '../store/store.js';
import { anyOrganization, controlPolicies, describeLevel, membership, type ControlPolicies, type OrgLevel } from '../identity/organization.js';

/**
 * AWS Organizations in every decision (orgs_manage_policies_scps_evaluation,
 * orgs_manage_policies_rcps): the SCPs at every level from the root down to the
 * principal's account, and the RCPs of the resource's account, join the policy set; the
 * engine (src/policy/evaluate.ts) then requires each level to allow. The management
 * account is bound by neither, service-linked roles by neither, and RCPs only bound the
 * services that support them. The sets are built once per (set, policies) pair and kept
 * while both live, so decisions on them are remembered as any other (remembered.ts).
 */

/** Services whose resources RCPs govern (orgs_manage_policies_rcps: "supported AWS services"). */
const RCP_SERVICES = new Set(['s3', 'sts', 'kms', 'sqs', 'secretsmanager', 'cognito-identity', 'logs', 'dynamodb', 'ecr', 'es', 'aoss']);

/** What each organization level of a set is, for explanations. */
const levelsOf = new WeakMap<PolicySet, { scp?: OrgLevel[]; rcp?: OrgLevel[] }>();

/** Service-linked roles are never bound by SCPs or RCPs. */
function isServiceLinkedRole(p: Principal): boolean {
  return p.type === 'assumed-role' && p.roleArn !== undefined && p.roleArn.includes(':role/aws-service-role/');
}

/** The principal's set with its account's SCPs, when any bind it. */
export function withServiceControlPolicies(store: Store, principal: Principal, set: PolicySet): PolicySet {
  if (principal.type === 'anonymous' || !anyOrganization(store) || isServiceLinkedRole(principal)) return set;
  const scps = controlPolicies(store, principal.accountId, 'SERVICE_CONTROL_POLICY');
  return scps ? extended(set, scps, 'scp') : set;
}

/** The set with the RCPs of the resource's account, when they govern this action and principal. */
export function withResourceControlPolicies(store: Store, principal: Principal, action: string, resourceAccount: string, set: PolicySet): PolicySet {
  if (!resourceAccount || !anyOrganization(store) || isServiceLinkedRole(principal)) return set;
  if (!RCP_SERVICES.has(action.slice(0, action.indexOf(':')).toLowerCase())) return set;
  const rcps = controlPolicies(store, resourceAccount, 'RESOURCE_CONTROL_POLICY');
  return rcps ? extended(set, rcps, 'rcp') : set;
}

/**
 * The organization of an account (aws:PrincipalOrgID / aws:PrincipalOrgPaths for a
 * caller, aws:ResourceOrgID / aws:ResourceOrgPaths for a resource's owner), or undefined.
 * The engine derives the keys from it (src/policy/evaluate.ts), so the request's keys are
 * neither copied nor changed.
 */
export function orgPlace(store: Store, accountId: string): OrgPlace | undefined {
  if (!accountId || !anyOrganization(store)) return undefined;
  return membership(store, accountId)?.place;
}

/** ' (organization level 1: OU ou-… "Workloads")' for a decision that failed at a level of this set. */
export function levelNote(set: PolicySet, type: 'scp' | 'rcp' | undefined, level: number | undefined): string {
  if (type === undefined || level === undefined || (type !== 'scp' && type !== 'rcp')) return '';
  const found = levelsOf.get(set)?.[type]?.[level];
  return found ? ` (organization level ${level} is ${describeLevel(found)})` : '';
}

const extendedSets = new WeakMap<PolicySet, WeakMap<ControlPolicies, { scp?: PolicySet; rcp?: PolicySet }>>();
const compiledLevels = new WeakMap<ControlPolicies, CompiledPolicy[][]>();

function extended(set: PolicySet, found: ControlPolicies, kind: 'scp' | 'rcp'): PolicySet {
  let byPolicies = extendedSets.get(set);
  if (!byPolicies) extendedSets.set(set, (byPolicies = new WeakMap()));
  let pair = byPolicies.get(found);
  if (!pair) byPolicies.set(found, (pair = {}));
  let out = pair[kind];
  if (!out) {
    let lists = compiledLevels.get(found);
    if (!lists) {
      lists = found.policies.map((level) => level.map((p) => compilePolicy(p.document, { kind, name: p.name })));
      compiledLevels.set(found, lists);
    }
    out = kind === 'scp' ? { ...set, scps: lists } : { ...set, rcps: lists };
    pair[kind] = out;
    levelsOf.set(out, { ...levelsOf.get(set), [kind]: found.levels });
  }
  return out;
}

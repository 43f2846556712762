/**
 * The decision: IAM's evaluation logic over compiled policies
 * (reference_policies_evaluation-logic.md, …-cross-account.md, access_policies_boundaries.md,
 * access_policies.md#policies_session).
 *
 * One pass visits every statement that can apply (by action index, then resource,
 * principal, conditions) and sorts the matches into denies and allows per policy type.
 * The verdict then follows AWS's order: any explicit deny; every SCP level must allow;
 * every RCP level must allow; then the principal-specific rules for resource-based
 * policies, identity policies, boundaries and session policies.
 */
import { actionRef, type ActionRef, type CompiledPolicy, type CompiledStatement } from './compile.js';
import type { ConditionContext } from './conditions.js';
import { matchedStatement, type Decision, type MatchedStatement, type PolicyType } from './decision.js';
import type { EvalPrincipal, Grant, OrgPlace } from './principals.js';

export interface EvalRequest {
  /** 'iam:CreateUser' (any case). */
  action: string;
  /** The resource ARN, or '*'. */
  resource: string;
  principal: EvalPrincipal;
  /** Owner of the resource; default principal.accountId. */
  resourceAccount?: string;
  /** The resource account's organization (aws:ResourceOrgID, aws:ResourceOrgPaths); default the principal's when the account is the same. */
  resourceOrg?: OrgPlace;
  /** Condition keys, any case. Missing keys may be derived from the principal (see DERIVED_KEYS). */
  context: Record<string, string | string[] | undefined>;
  /**
   * False when only the context given counts: the policy simulator fills in no key the
   * caller did not supply (DERIVED_KEYS stay missing). Default true.
   */
  deriveKeys?: boolean;
}

export interface PolicySet {
  /** The user's own and its groups' policies, or the role's. */
  identity: CompiledPolicy[];
  /** Resource-based policies on the resource (bucket policy, role trust policy, …). */
  resource?: CompiledPolicy[];
  boundary?: CompiledPolicy;
  /** Session policies of the credentials (inline and managed); together they set the limit. */
  session?: CompiledPolicy[];
  /** One list per organization level (root, OUs, account); each level must allow. */
  scps?: CompiledPolicy[][];
  rcps?: CompiledPolicy[][];
  /**
   * True when the resource policy itself must allow, whatever the identity policies say:
   * role trust policies (sts:AssumeRole*) and KMS key policies.
   */
  resourcePolicyRequired?: boolean;
}

export type { Decision, MatchedStatement, PolicyType } from './decision.js';

// ---------------------------------------------------------------------------------------
// The request context as conditions and variables see it

const PRINCIPAL_TYPE_NAMES: Record<string, string> = {
  root: 'Account', user: 'User', 'assumed-role': 'AssumedRole', 'federated-user': 'FederatedUser', anonymous: 'Anonymous',
};

/** Keys the engine can fill from the request when the caller did not pass them. */
export const DERIVED_KEYS = [
  'aws:PrincipalArn', 'aws:PrincipalAccount', 'aws:PrincipalType', 'aws:username', 'aws:ResourceAccount', 'aws:PrincipalServiceName',
  'aws:PrincipalOrgID', 'aws:PrincipalOrgPaths', 'aws:ResourceOrgID', 'aws:ResourceOrgPaths',
] as const;

/** The resource's organization: given, or the principal's when the resource is in the principal's account. */
function resourceOrg(req: EvalRequest): OrgPlace | undefined {
  if (req.resourceOrg !== undefined) return req.resourceOrg;
  const p = req.principal;
  return req.resourceAccount === undefined || req.resourceAccount === p.accountId ? p.org : undefined;
}

function derived(keyLower: string, req: EvalRequest): string | string[] | undefined {
  const p = req.principal;
  switch (keyLower) {
    case 'aws:principalarn':
      if (p.type === 'anonymous' || p.type === 'service') return undefined;
      return p.type === 'assumed-role' ? p.roleArn : p.arn;
    case 'aws:principalaccount':
      return p.type === 'anonymous' || p.type === 'service' || !p.accountId ? undefined : p.accountId;
    case 'aws:principaltype':
      return PRINCIPAL_TYPE_NAMES[p.type];
    case 'aws:username':
      return p.type === 'user' ? p.arn.slice(p.arn.lastIndexOf('/') + 1) : undefined;
    case 'aws:resourceaccount':
      return req.resourceAccount ?? (p.accountId || undefined);
    case 'aws:principalservicename':
      return p.type === 'service' ? p.serviceName : undefined;
    case 'aws:principalorgid':
      return p.org?.id;
    case 'aws:principalorgpaths':
      return p.org?.paths;
    case 'aws:resourceorgid':
      return resourceOrg(req)?.id;
    case 'aws:resourceorgpaths':
      return resourceOrg(req)?.paths;
    default:
      return undefined;
  }
}

export class Context implements ConditionContext {
  missing: string[] | undefined;
  /** When set, each key's first lookup is appended as keyLower, key, value (see DecisionMemo). */
  reads: unknown[] | undefined;
  private readKeys: Set<string> | undefined;
  private lower: Map<string, string | string[] | undefined> | undefined;
  constructor(private readonly req: EvalRequest) {}

  value(keyLower: string, key: string): string | string[] | undefined {
    const v = this.lookup(keyLower, key);
    if (this.reads !== undefined && !(this.readKeys ??= new Set()).has(key)) {
      // A key read again (100 policies testing one region) is recorded once: one check on reuse.
      this.readKeys.add(key);
      this.reads.push(keyLower, key, Array.isArray(v) ? [...v] : v);
    }
    return v;
  }

  private lookup(keyLower: string, key: string): string | string[] | undefined {
    const ctx = this.req.context;
    const exact = ctx[key];
    // typeof guards against keys like "constructor" reaching Object.prototype.
    if (typeof exact === 'string' || Array.isArray(exact)) return exact;
    if (this.lower === undefined) {
      this.lower = new Map();
      for (const k of Object.keys(ctx)) this.lower.set(k.toLowerCase(), ctx[k]);
    }
    const v = this.lower.get(keyLower);
    if (v !== undefined) return v;
    return this.req.deriveKeys === false ? undefined : derived(keyLower, this.req);
  }

  variable(keyLower: string, key: string): string | undefined {
    const v = this.value(keyLower, key);
    if (typeof v === 'string') return v;
    if (v === undefined) { this.noteMissing(key); return undefined; }
    // Multivalued keys cannot be variables; a one-element list is just its value.
    return v.length === 1 ? v[0] : undefined;
  }

  noteMissing(key: string): void {
    if (this.missing === undefined) this.missing = [key];
    else if (!this.missing.includes(key)) this.missing.push(key);
  }
}

// ---------------------------------------------------------------------------------------
// One pass over the applicable statements

/**
 * Dense slots for a statement's appearances: one per policy type and organization level.
 * Compares, not a keyed table lookup: this runs for every policy of every decision, and
 * a lookup by a variable key measured 20–30% of a 20-policy decision.
 */
function slotOf(type: PolicyType, level: number): number {
  const t = type === 'identity' ? 0 : type === 'resource' ? 1 : type === 'boundary' ? 2 : type === 'session' ? 3 : type === 'scp' ? 4 : 5;
  return t + 6 * level;
}

/**
 * How a statement appears in decisions when its policy plays another role than its kind's
 * (or sits at another organization level), built once per statement, role and level, then
 * shared. Kept here, keyed weakly, because compiled policies are shared and frozen.
 */
const records = new WeakMap<CompiledStatement, MatchedStatement[]>();

function record(stmt: CompiledStatement, type: PolicyType, level: number, slot: number): MatchedStatement {
  // The usual case, built at compile time.
  const own = stmt.matched;
  if (own.policyType === type && (own.level ?? 0) === level) return own;
  let list = records.get(stmt);
  if (list === undefined) {
    list = [];
    records.set(stmt, list);
  }
  return (list[slot] ??= matchedStatement(stmt.policy.name, stmt.policy.kind, stmt, type, level));
}

function push<T>(list: T[] | null, item: T): T[] {
  if (list === null) return [item];
  list.push(item);
  return list;
}

/** One pass over the applicable statements; match lists stay null until something matches. */
class Scan {
  denies: MatchedStatement[] | null = null;
  identity: MatchedStatement[] | null = null;
  boundary: MatchedStatement[] | null = null;
  session: MatchedStatement[] | null = null;
  /** Resource-policy allows by how they named the requester. */
  direct: MatchedStatement[] | null = null;
  entity: MatchedStatement[] | null = null;
  account: MatchedStatement[] | null = null;
  scp: MatchedStatement[] | null = null;
  rcp: MatchedStatement[] | null = null;
  /** Which organization levels had an Allow. */
  scpLevels = 0;
  rcpLevels = 0;

  constructor(
    readonly action: ActionRef,
    readonly resourceArn: string,
    readonly principal: EvalPrincipal,
    readonly ctx: Context,
  ) {}

  get resourceAllows(): boolean {
    return this.direct !== null || this.entity !== null || this.account !== null;
  }

  policy(p: CompiledPolicy, type: PolicyType, level = 0): void {
    // Candidates already matched the action (see CompiledPolicy.candidates).
    const list = p.candidates(this.action);
    const usesPrincipal = type === 'resource' || type === 'rcp';
    const slot = slotOf(type, level);
    for (let i = 0; i < list.length; i++) {
      const s = list[i];
      if (!s.matchesResource(this.resourceArn, this.ctx)) continue;
      let grant: Grant = 'direct';
      if (usesPrincipal) {
        if (s.principal !== undefined) {
          const g = s.principal.grant(this.principal);
          if (g === undefined) continue;
          grant = g;
        } else if (s.notPrincipal !== undefined && !s.notPrincipal.excludes(this.principal)) {
          continue;
        }
      }
      let ok = true;
      for (let c = 0; c < s.conditions.length; c++) {
        if (!s.conditions[c].test(this.ctx)) { ok = false; break; }
      }
      if (!ok) continue;
      const m = record(s, type, level, slot);
      if (s.effect === 'Deny') { this.denies = push(this.denies, m); continue; }
      switch (type) {
        case 'identity': this.identity = push(this.identity, m); break;
        case 'boundary': this.boundary = push(this.boundary, m); break;
        case 'session': this.session = push(this.session, m); break;
        case 'scp': this.scp = push(this.scp, m); this.scpLevels |= levelBit(level); break;
        case 'rcp': this.rcp = push(this.rcp, m); this.rcpLevels |= levelBit(level); break;
        case 'resource':
          if (grant === 'direct') this.direct = push(this.direct, m);
          else if (grant === 'entity') this.entity = push(this.entity, m);
          else this.account = push(this.account, m);
          break;
      }
    }
  }
}

/** Organization levels as bits (AWS allows at most 7: root, 5 OU levels, account). */
function levelBit(level: number): number {
  return level < 31 ? 1 << level : 0;
}

function concat(...lists: (MatchedStatement[] | null)[]): MatchedStatement[] {
  const out: MatchedStatement[] = [];
  for (const l of lists) if (l !== null) for (let i = 0; i < l.length; i++) out.push(l[i]);
  return out;
}

/** An allow: the granting statements first, then the limits they passed (org levels last). */
function allowedBy(scan: Scan, missing: string[], ...lists: (MatchedStatement[] | null)[]): Decision {
  return { decision: 'allowed', matched: concat(...lists, scan.scp, scan.rcp), missingContextKeys: missing };
}

function implicitDeny(failedToAllow: PolicyType, missingContextKeys: string[], level?: number): Decision {
  const d: Decision = { decision: 'implicitDeny', matched: [], failedToAllow, missingContextKeys };
  if (level !== undefined) d.failedToAllowLevel = level;
  return d;
}

// ---------------------------------------------------------------------------------------

export function evaluate(req: EvalRequest, set: PolicySet): Decision {
  return evaluateIn(new Context(req), req, set);
}

/** evaluate, with the context lookups it made appended to reads (keyLower, key, value, …). */
export function evaluateRecording(req: EvalRequest, set: PolicySet, reads: unknown[]): Decision {
  const ctx = new Context(req);
  ctx.reads = reads;
  return evaluateIn(ctx, req, set);
}

function evaluateIn(ctx: Context, req: EvalRequest, set: PolicySet): Decision {
  const p = req.principal;
  const scan = new Scan(actionRef(req.action), req.resource, p, ctx);
  const isIamPrincipal = p.type === 'user' || p.type === 'assumed-role' || p.type === 'federated-user';

  // Identity-side policies only exist for IAM users and role/federated sessions.
  if (isIamPrincipal) {
    for (let i = 0; i < set.identity.length; i++) scan.policy(set.identity[i], 'identity');
    if (set.boundary !== undefined) scan.policy(set.boundary, 'boundary');
    if (set.session !== undefined) for (let i = 0; i < set.session.length; i++) scan.policy(set.session[i], 'session');
  }
  if (set.resource !== undefined) for (let i = 0; i < set.resource.length; i++) scan.policy(set.resource[i], 'resource');
  const scps = set.scps;
  const rcps = set.rcps;
  if (scps !== undefined) for (let l = 0; l < scps.length; l++) for (const pol of scps[l]) scan.policy(pol, 'scp', l);
  if (rcps !== undefined) for (let l = 0; l < rcps.length; l++) for (const pol of rcps[l]) scan.policy(pol, 'rcp', l);
  const missing = ctx.missing ?? [];

  // 1. An explicit deny anywhere decides.
  if (scan.denies !== null) return { decision: 'explicitDeny', matched: scan.denies, missingContextKeys: missing };

  // 2. Every organization level must allow (SCPs for the principal's account, RCPs for the resource's).
  if (scps !== undefined) for (let l = 0; l < scps.length; l++) if ((scan.scpLevels & levelBit(l)) === 0) return implicitDeny('scp', missing, l);
  if (rcps !== undefined) for (let l = 0; l < rcps.length; l++) if ((scan.rcpLevels & levelBit(l)) === 0) return implicitDeny('rcp', missing, l);
  const resourceAccount = req.resourceAccount ?? p.accountId;

  // 3. Principals with no identity policies: only a resource-based policy can grant.
  if (p.type === 'anonymous' || p.type === 'service') {
    return scan.resourceAllows ? allowedBy(scan, missing, scan.direct, scan.entity, scan.account) : implicitDeny('resource', missing);
  }
  if (p.type === 'root') {
    // The root user has full access in its own account; elsewhere it needs the resource's policy.
    if (resourceAccount === p.accountId && set.resourcePolicyRequired !== true) return allowedBy(scan, missing, scan.direct, scan.entity, scan.account);
    return scan.resourceAllows ? allowedBy(scan, missing, scan.direct, scan.entity, scan.account) : implicitDeny('resource', missing);
  }

  // 4. IAM users and sessions.
  const identityAllows = scan.identity !== null;
  const boundaryOk = set.boundary === undefined || scan.boundary !== null;
  const hasSessionPolicies = set.session !== undefined && set.session.length > 0;
  // A federated-user session without a session policy has no permissions.
  const sessionOk = hasSessionPolicies ? scan.session !== null : p.type !== 'federated-user';
  const principalSideFailure: PolicyType | undefined = !identityAllows ? 'identity' : !boundaryOk ? 'boundary' : !sessionOk ? 'session' : undefined;

  if (resourceAccount !== p.accountId) {
    // Cross-account: the principal's account and the resource's account must both allow.
    if (principalSideFailure !== undefined) return implicitDeny(principalSideFailure, missing);
    if (!scan.resourceAllows) return implicitDeny('resource', missing);
    return allowedBy(scan, missing, scan.direct, scan.entity, scan.account, scan.identity, scan.boundary, scan.session);
  }

  if (set.resourcePolicyRequired === true && !scan.resourceAllows) return implicitDeny('resource', missing);
  // Named directly (the user, the session): implicit denies elsewhere do not matter.
  if (scan.direct !== null) return allowedBy(scan, missing, scan.direct);
  // Named by role (or the federating user): still limited by boundary and session policies.
  if (scan.entity !== null) {
    if (boundaryOk && sessionOk) return allowedBy(scan, missing, scan.entity, scan.boundary, scan.session);
    // The identity policies were never needed here; the limit that failed is what matters.
    return implicitDeny(!boundaryOk ? 'boundary' : 'session', missing);
  }
  if (principalSideFailure !== undefined) return implicitDeny(principalSideFailure, missing);
  return allowedBy(scan, missing, scan.identity, scan.account, scan.boundary, scan.session);
}

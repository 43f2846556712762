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
import type { PolicyKind } from './ast.js';
import { actionRef, type ActionRef, type CompiledPolicy, type CompiledStatement } from './compile.js';
import type { ConditionContext } from './conditions.js';
import type { EvalPrincipal, Grant } from './principals.js';

export interface EvalRequest {
  /** 'iam:CreateUser' (any case). */
  action: string;
  /** The resource ARN, or '*'. */
  resource: string;
  principal: EvalPrincipal;
  /** Owner of the resource; default principal.accountId. */
  resourceAccount?: string;
  /** Condition keys, any case. Missing keys may be derived from the principal (see DERIVED_KEYS). */
  context: Record<string, string | string[] | undefined>;
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

export type PolicyType = 'identity' | 'resource' | 'boundary' | 'session' | 'scp' | 'rcp';

export interface MatchedStatement {
  policyName: string;
  policyKind: PolicyKind;
  /** Which role the policy played in this decision. */
  policyType: PolicyType;
  /** For SCP/RCP: the organization level (index into PolicySet.scps / rcps). */
  level?: number;
  sid?: string;
  /** 0-based position in the policy's Statement array. */
  statementIndex: number;
  effect: 'Allow' | 'Deny';
  line: number;
  column: number;
}

export interface Decision {
  decision: 'allowed' | 'explicitDeny' | 'implicitDeny';
  /** The statements that decided it: the denies, or the allows that granted (and the limits that let them through). */
  matched: MatchedStatement[];
  /** For implicit denies: the policy type that failed to allow. */
  failedToAllow?: PolicyType;
  /** For failedToAllow 'scp' / 'rcp': the organization level that had no Allow. */
  failedToAllowLevel?: number;
  /** Condition keys the policies asked for that the request lacked. */
  missingContextKeys: string[];
}

// ---------------------------------------------------------------------------------------
// The request context as conditions and variables see it

const PRINCIPAL_TYPE_NAMES: Record<string, string> = {
  root: 'Account', user: 'User', 'assumed-role': 'AssumedRole', 'federated-user': 'FederatedUser', anonymous: 'Anonymous',
};

/** Keys the engine can fill from the request when the caller did not pass them. */
export const DERIVED_KEYS = ['aws:PrincipalArn', 'aws:PrincipalAccount', 'aws:PrincipalType', 'aws:username', 'aws:ResourceAccount', 'aws:PrincipalServiceName'] as const;

function derived(keyLower: string, req: EvalRequest): string | undefined {
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
    default:
      return undefined;
  }
}

class Context implements ConditionContext {
  missing: string[] | undefined;
  private lower: Map<string, string | string[] | undefined> | undefined;
  constructor(private readonly req: EvalRequest) {}

  value(keyLower: string, key: string): string | string[] | undefined {
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
    return derived(keyLower, this.req);
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

interface Allow {
  stmt: CompiledStatement;
  grant: Grant;
  level: number;
}

class Scan {
  denies: { stmt: CompiledStatement; type: PolicyType; level: number }[] = [];
  identity: Allow[] = [];
  resource: Allow[] = [];
  boundary: Allow[] = [];
  session: Allow[] = [];
  scp: Allow[] = [];
  rcp: Allow[] = [];

  constructor(
    readonly action: ActionRef,
    readonly resourceArn: string,
    readonly principal: EvalPrincipal,
    readonly ctx: Context,
  ) {}

  policy(p: CompiledPolicy, type: PolicyType, level = 0): void {
    const list = p.candidates(this.action.service);
    const usesPrincipal = type === 'resource' || type === 'rcp';
    for (let i = 0; i < list.length; i++) {
      const s = list[i];
      if (!s.matchesAction(this.action)) continue;
      if (!s.matchesResource(this.resourceArn, this.ctx)) continue;
      let grant: Grant = 'direct';
      if (usesPrincipal) {
        if (s.principal) {
          const g = s.principal.grant(this.principal);
          if (g === undefined) continue;
          grant = g;
        } else if (s.notPrincipal) {
          if (!s.notPrincipal.excludes(this.principal)) continue;
        }
      }
      let ok = true;
      for (let c = 0; c < s.conditions.length; c++) {
        if (!s.conditions[c].test(this.ctx)) { ok = false; break; }
      }
      if (!ok) continue;
      if (s.effect === 'Deny') this.denies.push({ stmt: s, type, level });
      else this[type].push({ stmt: s, grant, level });
    }
  }
}

function toMatched(stmt: CompiledStatement, type: PolicyType, level?: number): MatchedStatement {
  const m: MatchedStatement = {
    policyName: stmt.policy.name,
    policyKind: stmt.policy.kind,
    policyType: type,
    statementIndex: stmt.index,
    effect: stmt.effect,
    line: stmt.line,
    column: stmt.column,
  };
  if (stmt.sid !== undefined) m.sid = stmt.sid;
  if (type === 'scp' || type === 'rcp') m.level = level;
  return m;
}

function allowsOf(list: Allow[], type: PolicyType): MatchedStatement[] {
  return list.map((a) => toMatched(a.stmt, type, a.level));
}

// ---------------------------------------------------------------------------------------

export function evaluate(req: EvalRequest, set: PolicySet): Decision {
  const ctx = new Context(req);
  const p = req.principal;
  const scan = new Scan(actionRef(req.action), req.resource, p, ctx);
  const isIamPrincipal = p.type === 'user' || p.type === 'assumed-role' || p.type === 'federated-user';

  // Identity-side policies only exist for IAM users and role/federated sessions.
  if (isIamPrincipal) {
    for (const pol of set.identity) scan.policy(pol, 'identity');
    if (set.boundary) scan.policy(set.boundary, 'boundary');
    if (set.session) for (const pol of set.session) scan.policy(pol, 'session');
  }
  if (set.resource) for (const pol of set.resource) scan.policy(pol, 'resource');
  const scps = set.scps ?? [];
  const rcps = set.rcps ?? [];
  scps.forEach((level, i) => { for (const pol of level) scan.policy(pol, 'scp', i); });
  rcps.forEach((level, i) => { for (const pol of level) scan.policy(pol, 'rcp', i); });

  const missingContextKeys = ctx.missing ?? [];
  const implicit = (failedToAllow: PolicyType, level?: number): Decision => {
    const d: Decision = { decision: 'implicitDeny', matched: [], failedToAllow, missingContextKeys };
    if (level !== undefined) d.failedToAllowLevel = level;
    return d;
  };

  // 1. An explicit deny anywhere decides.
  if (scan.denies.length > 0) {
    return { decision: 'explicitDeny', matched: scan.denies.map((d) => toMatched(d.stmt, d.type, d.level)), missingContextKeys };
  }

  // 2. Every organization level must allow (SCPs for the principal's account, RCPs for the resource's).
  const limits: MatchedStatement[] = [];
  for (let i = 0; i < scps.length; i++) {
    const at = scan.scp.filter((a) => a.level === i);
    if (at.length === 0) return implicit('scp', i);
    limits.push(...allowsOf(at, 'scp'));
  }
  for (let i = 0; i < rcps.length; i++) {
    const at = scan.rcp.filter((a) => a.level === i);
    if (at.length === 0) return implicit('rcp', i);
    limits.push(...allowsOf(at, 'rcp'));
  }
  const allowed = (granting: MatchedStatement[], ...more: MatchedStatement[][]): Decision => ({
    decision: 'allowed',
    matched: granting.concat(...more, limits),
    missingContextKeys,
  });

  const resourceAll = allowsOf(scan.resource, 'resource');
  const resourceAccount = req.resourceAccount ?? p.accountId;

  // 3. Principals with no identity policies: only a resource-based policy can grant.
  if (p.type === 'anonymous' || p.type === 'service') {
    return scan.resource.length > 0 ? allowed(resourceAll) : implicit('resource');
  }
  if (p.type === 'root') {
    // The root user has full access in its own account; elsewhere it needs the resource's policy.
    if (resourceAccount === p.accountId && !set.resourcePolicyRequired) return allowed(resourceAll);
    return scan.resource.length > 0 ? allowed(resourceAll) : implicit('resource');
  }

  // 4. IAM users and sessions.
  const identityAllows = scan.identity.length > 0;
  const boundaryOk = !set.boundary || scan.boundary.length > 0;
  const hasSessionPolicies = (set.session?.length ?? 0) > 0;
  // A federated-user session without a session policy has no permissions.
  const sessionOk = hasSessionPolicies ? scan.session.length > 0 : p.type !== 'federated-user';
  const limitsOf = (): MatchedStatement[] => [...allowsOf(scan.boundary, 'boundary'), ...allowsOf(scan.session, 'session')];
  const principalSideFailure = (): PolicyType | undefined =>
    !identityAllows ? 'identity' : !boundaryOk ? 'boundary' : !sessionOk ? 'session' : undefined;

  if (resourceAccount !== p.accountId) {
    // Cross-account: the principal's account and the resource's account must both allow.
    const failure = principalSideFailure();
    if (failure) return implicit(failure);
    if (scan.resource.length === 0) return implicit('resource');
    return allowed(resourceAll, allowsOf(scan.identity, 'identity'), limitsOf());
  }

  const direct = scan.resource.filter((a) => a.grant === 'direct');
  const entity = scan.resource.filter((a) => a.grant === 'entity');
  if (set.resourcePolicyRequired && scan.resource.length === 0) return implicit('resource');
  // Named directly (the user, the session): implicit denies elsewhere do not matter.
  if (direct.length > 0) return allowed(allowsOf(direct, 'resource'));
  // Named by role (or the federating user): still limited by boundary and session policies.
  if (entity.length > 0 && boundaryOk && sessionOk) return allowed(allowsOf(entity, 'resource'), limitsOf());
  const failure = principalSideFailure();
  if (failure) {
    // When the resource policy named the role, the identity policies were never needed.
    if (failure === 'identity' && entity.length > 0) return implicit(!boundaryOk ? 'boundary' : 'session');
    return implicit(failure);
  }
  return allowed(allowsOf(scan.identity, 'identity'), allowsOf(scan.resource, 'resource'), limitsOf());
}

/**
 * Policy AST → matchers built once, so a decision only runs the comparisons that apply.
 *
 * - Actions are lower-cased and grouped by service prefix: a statement finds an exact
 *   action with one Set lookup, a "Get*" pattern with one startsWith.
 * - Each policy indexes its statements by the services they name, so a request for
 *   "s3:GetObject" only visits statements that mention s3 (or use a service wildcard /
 *   NotAction).
 * - Resources become ARN matchers; resources with policy variables in the resource part
 *   resolve per request.
 * - Compiled policies are cached by text + kind + name (bounded, least recently used out),
 *   so they are shared and frozen: nothing writes into them after compile (the evaluator
 *   keeps its own per-statement memo).
 */
import { resourceTemplate } from './arn.js';
import type { Effect, Policy, PolicyKind, Statement, ValueList } from './ast.js';
import { KIND_ROLE, matchedStatement, type MatchedStatement } from './decision.js';
import { compileCondition, type CompiledCondition, type ConditionContext } from './conditions.js';
import { compileArnGlob, compileGlob, MatcherCache, type Matcher } from './match.js';
import { parsePolicy } from './parse.js';
import { compilePrincipal, type PrincipalMatcher } from './principals.js';

/** The requested action, split and lower-cased once per request. */
export interface ActionRef {
  /** "s3:getobject" */
  full: string;
  /** "s3" */
  service: string;
  /** A small integer naming the service, for array-indexed lookups (see serviceId). */
  serviceId: number;
  /** "getobject" */
  name: string;
}

const actionRefs = new Map<string, ActionRef>();
const serviceIds = new Map<string, number>();
const MAX_SERVICE_IDS = 8192;

/** Service prefixes get dense ids (there are a few hundred); past the cap, -1 means "look up by name". */
function serviceId(service: string): number {
  let id = serviceIds.get(service);
  if (id === undefined) {
    if (serviceIds.size >= MAX_SERVICE_IDS) return -1;
    id = serviceIds.size;
    serviceIds.set(service, id);
  }
  return id;
}

/** Split and lower-case once per distinct action string (a server sees a few hundred). */
export function actionRef(action: string): ActionRef {
  let ref = actionRefs.get(action);
  if (ref === undefined) {
    const full = action.toLowerCase();
    const colon = full.indexOf(':');
    const service = colon < 0 ? full : full.slice(0, colon);
    ref = { full, service, serviceId: serviceId(service), name: colon < 0 ? '' : full.slice(colon + 1) };
    if (actionRefs.size >= 4096) actionRefs.clear();
    actionRefs.set(action, ref);
  }
  return ref;
}

export interface CompiledStatement {
  policy: CompiledPolicy;
  ast: Statement;
  index: number;
  sid?: string;
  effect: Effect;
  line: number;
  column: number;
  matchesAction(a: ActionRef): boolean;
  matchesResource(resource: string, ctx: ConditionContext): boolean;
  principal?: PrincipalMatcher;
  notPrincipal?: PrincipalMatcher;
  conditions: readonly CompiledCondition[];
  /** How decisions report this statement when its policy plays its kind's role (level 0). */
  matched: MatchedStatement;
}

export interface CompiledPolicy {
  /** Shown in explanations: the policy name or ARN. */
  name: string;
  kind: PolicyKind;
  policy: Policy;
  statements: readonly CompiledStatement[];
  /** The statements whose Action or NotAction matches the action (remembered per action). */
  candidates(a: ActionRef): readonly CompiledStatement[];
}

// ---------------------------------------------------------------------------------------
// Actions

interface ServiceActions {
  all: boolean;
  exact: Set<string>;
  globs: Matcher[];
}

interface ActionSet {
  matches(a: ActionRef): boolean;
  /** Services named without wildcards; undefined when any service could match. */
  services?: Set<string>;
}

function compileActions(list: ValueList): ActionSet {
  const groups = new Map<string, ServiceActions>();
  const global: Matcher[] = [];
  let everything = false;
  for (const { value } of list.values) {
    const p = value.toLowerCase();
    if (p === '*') { everything = true; continue; }
    const colon = p.indexOf(':');
    const svc = colon < 0 ? p : p.slice(0, colon);
    const name = colon < 0 ? '' : p.slice(colon + 1);
    if (/[*?]/.test(svc)) { global.push(compileGlob(p, true)); continue; }
    let g = groups.get(svc);
    if (!g) { g = { all: false, exact: new Set(), globs: [] }; groups.set(svc, g); }
    if (name === '*') g.all = true;
    else if (/[*?]/.test(name)) g.globs.push(compileGlob(name, true));
    else g.exact.add(name);
  }
  if (everything) return { matches: () => true };
  const matches = (a: ActionRef): boolean => {
    const g = groups.get(a.service);
    if (g !== undefined) {
      if (g.all || g.exact.has(a.name)) return true;
      for (let i = 0; i < g.globs.length; i++) if (g.globs[i](a.name)) return true;
    }
    for (let i = 0; i < global.length; i++) if (global[i](a.full)) return true;
    return false;
  };
  return { matches, services: global.length === 0 ? new Set(groups.keys()) : undefined };
}

// ---------------------------------------------------------------------------------------
// Resources

const resourceCache = new MatcherCache(compileArnGlob, 1024);

type ResourceTest = (resource: string, ctx: ConditionContext) => boolean;

function compileResources(list: ValueList, variables: boolean): ResourceTest {
  const tests: ResourceTest[] = [];
  for (const { value } of list.values) {
    if (value === '*') return () => true;
    // Variables count only after the fifth colon (see arn.ts).
    const t = resourceTemplate(value, variables);
    if (t.isStatic) {
      const m = compileArnGlob(t.glob({ variable: () => undefined }) ?? value);
      tests.push((r) => m(r));
    } else {
      // An unresolved variable means this value matches nothing.
      tests.push((r, ctx) => { const g = t.glob(ctx); return g !== undefined && resourceCache.get(g)(r); });
    }
  }
  if (tests.length === 1) return tests[0];
  return (r, ctx) => {
    for (let i = 0; i < tests.length; i++) if (tests[i](r, ctx)) return true;
    return false;
  };
}

// ---------------------------------------------------------------------------------------
// Statements and policies

function compileStatement(policy: CompiledPolicy, s: Statement, variables: boolean): { stmt: CompiledStatement; services?: Set<string> } {
  const actions = s.action ? compileActions(s.action) : s.notAction ? compileActions(s.notAction) : undefined;
  const negateAction = !s.action && !!s.notAction;
  const resources = s.resource ? compileResources(s.resource, variables) : s.notResource ? compileResources(s.notResource, variables) : undefined;
  const negateResource = !s.resource && !!s.notResource;
  const sid = s.sid?.value || undefined;
  const stmt: CompiledStatement = {
    policy,
    ast: s,
    index: s.index,
    sid,
    effect: s.effect,
    line: s.line,
    column: s.column,
    matched: matchedStatement(policy.name, policy.kind, { index: s.index, sid, effect: s.effect, line: s.line, column: s.column }, KIND_ROLE[policy.kind], 0),
    matchesAction: !actions ? () => false : negateAction ? (a) => !actions.matches(a) : actions.matches,
    // Trust policies have no Resource: the role they sit on is the resource.
    matchesResource: !resources ? () => true : negateResource ? (r, c) => !resources(r, c) : resources,
    principal: s.principal ? compilePrincipal(s.principal) : undefined,
    notPrincipal: s.notPrincipal ? compilePrincipal(s.notPrincipal) : undefined,
    conditions: Object.freeze((s.condition?.clauses ?? []).map((c) => compileCondition(c, variables))),
  };
  return { stmt, services: negateAction ? undefined : actions?.services };
}

/** Distinct actions whose matching statements one compiled policy remembers. */
const MAX_ACTIONS_REMEMBERED = 512;

/** Compile an already parsed policy (no cache). */
export function compileParsed(policy: Policy, name: string): CompiledPolicy {
  const variables = policy.languageVersion === '2012-10-17';
  const byId: (CompiledStatement[] | undefined)[] = [];
  const byAction = new Map<string, readonly CompiledStatement[]>();
  const statements: CompiledStatement[] = [];
  const build = (service: string) => compiled.statements.filter((_, i) => wildcardStatement[i] || named[i]!.has(service));
  const compiled: CompiledPolicy = {
    name,
    kind: policy.kind,
    policy,
    statements,
    candidates(a: ActionRef) {
      // Which statements name an action depends on nothing else: remember it per action
      // (bounded), so a decision visits only statements whose Action already matched.
      let list = byAction.get(a.full);
      if (list !== undefined) return list;
      let forService = a.serviceId < 0 ? undefined : byId[a.serviceId];
      if (forService === undefined) {
        forService = build(a.service);
        if (a.serviceId >= 0) byId[a.serviceId] = forService;
      }
      list = forService.filter((st) => st.matchesAction(a));
      if (byAction.size < MAX_ACTIONS_REMEMBERED) byAction.set(a.full, list);
      return list;
    },
  };
  const wildcardStatement: boolean[] = [];
  const named: (Set<string> | undefined)[] = [];
  for (const s of policy.statements) {
    const { stmt, services } = compileStatement(compiled, s, variables);
    statements.push(Object.freeze(stmt));
    wildcardStatement.push(services === undefined);
    named.push(services);
  }
  Object.freeze(statements);
  return Object.freeze(compiled);
}

// ---------------------------------------------------------------------------------------
// Cache

const CACHE_LIMIT = 4096;
/** Keyed by text first: hashing a long string is the expensive part, so do it once. */
const cache = new Map<string, CompiledPolicy[]>();
let cachedCount = 0;

export interface CompileOptions {
  kind: PolicyKind;
  /** Shown in explanations: policy name or ARN. */
  name: string;
}

export function compilePolicy(text: string, opts: CompileOptions): CompiledPolicy {
  const entries = cache.get(text);
  if (entries !== undefined) {
    for (const e of entries) {
      if (e.kind === opts.kind && e.name === opts.name) {
        // Refresh recency: Map keeps insertion order, so the first keys are the least recently used.
        cache.delete(text);
        cache.set(text, entries);
        return e;
      }
    }
  }
  const compiled = compileParsed(parsePolicy(text, { kind: opts.kind, name: opts.name }), opts.name);
  if (cachedCount >= CACHE_LIMIT) {
    // Drop the least recently used quarter.
    let drop = CACHE_LIMIT / 4;
    for (const [k, v] of cache) {
      cache.delete(k);
      cachedCount -= v.length;
      if (--drop <= 0) break;
    }
  }
  if (entries !== undefined && cache.has(text)) entries.push(compiled);
  else cache.set(text, [compiled]);
  cachedCount++;
  return compiled;
}

/** For tests and long-running processes that want to release memory. */
export function clearCompileCache(): void {
  cache.clear();
  cachedCount = 0;
}

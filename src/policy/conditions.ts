/**
 * Condition operators, compiled. One table maps each operator family to a function that
 * turns a policy value into a predicate over one request value; the set qualifiers
 * (ForAnyValue / ForAllValues), negation, IfExists and the missing-key rules are applied
 * uniformly on top, exactly as reference_policies_elements_condition_operators.md and
 * reference_policies_multi-value-conditions.md describe.
 */
import type { ConditionClause, PolicyValue } from './ast.js';
import { parseDate } from './datetime.js';
import { cidrContains, parseCidr, parseIp } from './ip.js';
import { compileArnGlob, compileGlob, MatcherCache, type Matcher } from './match.js';
import { parseOperatorName, type OperatorFamily, type OperatorName } from './operators.js';
import { compileTemplate, type Template, type VariableSource } from './variables.js';

/** What a condition needs from the request. */
export interface ConditionContext extends VariableSource {
  /** A context key's value(s), looked up case-insensitively. */
  value(keyLower: string, keyAsWritten: string): string | string[] | undefined;
  /** Record that the policies asked for a key the request lacked. */
  noteMissing(keyAsWritten: string): void;
}

/** One policy value as a predicate over one request value. */
type ValueTest = (requestValue: string, ctx: ConditionContext) => boolean;

export interface CompiledCondition {
  clause: ConditionClause;
  operator: OperatorName;
  key: string;
  keyLower: string;
  test(ctx: ConditionContext): boolean;
}

const never: ValueTest = () => false;
const NO_VARIABLES: VariableSource = { variable: () => undefined };

const stringLikeCache = new MatcherCache((g) => compileGlob(g));
const arnLikeCache = new MatcherCache((g) => compileArnGlob(g));

/** Glob-based tests (StringLike, Arn*): static globs compile now, dynamic ones per request. */
function globTest(t: Template, compile: (glob: string) => Matcher, cache: MatcherCache): ValueTest {
  if (t.isStatic) {
    const m = compile(t.glob(NO_VARIABLES) ?? '');
    return (v) => m(v);
  }
  return (v, ctx) => {
    const g = t.glob(ctx);
    return g !== undefined && cache.get(g)(v);
  };
}

function numberOf(text: string): number | undefined {
  const t = text.trim();
  if (!/^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(t)) return undefined;
  return Number(t);
}

function numericTest(cmp: (a: number, b: number) => boolean) {
  return (pv: PolicyValue): ValueTest => {
    const p = numberOf(pv.value);
    if (p === undefined) return never;
    return (v) => { const r = numberOf(v); return r !== undefined && cmp(r, p); };
  };
}

function dateTest(cmp: (a: number, b: number) => boolean) {
  return (pv: PolicyValue): ValueTest => {
    const p = parseDate(pv.value);
    if (p === undefined) return never;
    return (v) => { const r = parseDate(v); return r !== undefined && cmp(r, p); };
  };
}

const eq = (a: number, b: number) => a === b;
const lt = (a: number, b: number) => a < b;
const le = (a: number, b: number) => a <= b;
const gt = (a: number, b: number) => a > b;
const ge = (a: number, b: number) => a >= b;

type ValueCompiler = (pv: PolicyValue, substitute: boolean) => ValueTest;

function stringEquals(pv: PolicyValue, substitute: boolean): ValueTest {
  const t = compileTemplate(pv.value, substitute);
  if (t.isStatic) { const s = t.text(NO_VARIABLES) ?? ''; return (v) => v === s; }
  return (v, ctx) => t.text(ctx) === v;
}

function stringEqualsIgnoreCase(pv: PolicyValue, substitute: boolean): ValueTest {
  const t = compileTemplate(pv.value, substitute);
  if (t.isStatic) { const s = (t.text(NO_VARIABLES) ?? '').toLowerCase(); return (v) => v.toLowerCase() === s; }
  return (v, ctx) => { const s = t.text(ctx); return s !== undefined && s.toLowerCase() === v.toLowerCase(); };
}

function boolTest(pv: PolicyValue, substitute: boolean): ValueTest {
  const t = compileTemplate(pv.value, substitute);
  if (t.isStatic) { const s = (t.text(NO_VARIABLES) ?? '').toLowerCase(); return (v) => v.toLowerCase() === s; }
  return (v, ctx) => { const s = t.text(ctx); return s !== undefined && s.toLowerCase() === v.toLowerCase(); };
}

function binaryTest(pv: PolicyValue): ValueTest {
  const p = Buffer.from(pv.value, 'base64');
  return (v) => Buffer.from(v, 'base64').equals(p);
}

function ipTest(pv: PolicyValue): ValueTest {
  const c = parseCidr(pv.value);
  if (!c) return never;
  return (v) => { const ip = parseIp(v); return ip !== undefined && cidrContains(c, ip); };
}

/** The operator table: base operator → how one policy value becomes a predicate. */
const VALUE_COMPILERS: Record<string, ValueCompiler> = {
  StringEquals: stringEquals,
  StringNotEquals: stringEquals,
  StringEqualsIgnoreCase: stringEqualsIgnoreCase,
  StringNotEqualsIgnoreCase: stringEqualsIgnoreCase,
  StringLike: (pv, sub) => globTest(compileTemplate(pv.value, sub), (g) => compileGlob(g), stringLikeCache),
  StringNotLike: (pv, sub) => globTest(compileTemplate(pv.value, sub), (g) => compileGlob(g), stringLikeCache),
  NumericEquals: numericTest(eq),
  NumericNotEquals: numericTest(eq),
  NumericLessThan: numericTest(lt),
  NumericLessThanEquals: numericTest(le),
  NumericGreaterThan: numericTest(gt),
  NumericGreaterThanEquals: numericTest(ge),
  DateEquals: dateTest(eq),
  DateNotEquals: dateTest(eq),
  DateLessThan: dateTest(lt),
  DateLessThanEquals: dateTest(le),
  DateGreaterThan: dateTest(gt),
  DateGreaterThanEquals: dateTest(ge),
  Bool: boolTest,
  BinaryEquals: binaryTest,
  IpAddress: ipTest,
  NotIpAddress: ipTest,
  ArnEquals: (pv, sub) => globTest(compileTemplate(pv.value, sub), compileArnGlob, arnLikeCache),
  ArnLike: (pv, sub) => globTest(compileTemplate(pv.value, sub), compileArnGlob, arnLikeCache),
  ArnNotEquals: (pv, sub) => globTest(compileTemplate(pv.value, sub), compileArnGlob, arnLikeCache),
  ArnNotLike: (pv, sub) => globTest(compileTemplate(pv.value, sub), compileArnGlob, arnLikeCache),
};

/** Families whose values may hold policy variables (see reference_policies_variables.md). */
const SUBSTITUTING: ReadonlySet<OperatorFamily> = new Set(['String', 'Arn', 'Bool']);

function isPresent(v: string | string[] | undefined): v is string | string[] {
  return v !== undefined && !(Array.isArray(v) && v.length === 0);
}

/** Compile one clause. `variables` is true for Version 2012-10-17 policies. */
export function compileCondition(clause: ConditionClause, variables: boolean): CompiledCondition {
  const op = parseOperatorName(clause.operator);
  const key = clause.key;
  const keyLower = key.toLowerCase();
  if (!op) {
    // The parser only lets unknown operators through with an empty block, so this
    // clause cannot exist; treat it as never satisfied to be safe.
    return { clause, operator: { text: clause.operator, base: clause.operator, family: 'String', ifExists: false, negated: false }, key, keyLower, test: () => false };
  }
  const base: CompiledCondition = { clause, operator: op, key, keyLower, test: () => false };

  if (op.family === 'Null') {
    const wants = clause.values.map((v) => v.value.toLowerCase());
    base.test = (ctx) => {
      const present = isPresent(ctx.value(keyLower, key));
      for (const w of wants) if ((w === 'true' && !present) || (w === 'false' && present)) return true;
      return false;
    };
    return base;
  }

  const compileValue = VALUE_COMPILERS[op.base];
  const substitute = variables && SUBSTITUTING.has(op.family);
  const tests = clause.values.map((pv) => compileValue(pv, substitute));
  const anyMatch = (r: string, ctx: ConditionContext): boolean => {
    for (let i = 0; i < tests.length; i++) if (tests[i](r, ctx)) return true;
    return false;
  };
  const { negated, ifExists, set } = op;

  if (set === 'ForAllValues') {
    base.test = (ctx) => {
      const v = ctx.value(keyLower, key);
      if (!isPresent(v)) { if (v === undefined) ctx.noteMissing(key); return true; }
      const rs = typeof v === 'string' ? [v] : v;
      for (const r of rs) if (anyMatch(r, ctx) === negated) return false;
      return true;
    };
  } else if (set === 'ForAnyValue') {
    base.test = (ctx) => {
      const v = ctx.value(keyLower, key);
      if (!isPresent(v)) { if (v === undefined) ctx.noteMissing(key); return ifExists; }
      const rs = typeof v === 'string' ? [v] : v;
      for (const r of rs) if (anyMatch(r, ctx) !== negated) return true;
      return false;
    };
  } else {
    base.test = (ctx) => {
      const v = ctx.value(keyLower, key);
      if (!isPresent(v)) { if (v === undefined) ctx.noteMissing(key); return ifExists || negated; }
      if (typeof v === 'string') return anyMatch(v, ctx) !== negated;
      let any = false;
      for (const r of v) if (anyMatch(r, ctx)) { any = true; break; }
      return any !== negated;
    };
  }
  return base;
}

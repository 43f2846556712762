/**
 * Policy text → typed AST, refusing what IAM refuses with IAM's messages.
 *
 * IAM checks in stages and reports the first stage that fails, so we do the same:
 *   size → JSON syntax → grammar ("Syntax errors in policy.") → per-kind element rules
 *   (Principal allowed/required, Resource prohibited in trust policies) → version
 *   (managed policies) → legacy checks (Effect case, date values, then resource lists
 *   while no resource has a format error) → Sid rules → actions present → the first
 *   resource format error → action vendor format → resources present.
 */
import type {
  ConditionBlock, ConditionClause, Effect, JsonNode, JsonObject, JsonPath, Policy, PolicyKind, PolicyValue,
  PolicyVersion, PrincipalBlock, PrincipalEntry, PrincipalType, Span, Statement, ValueList,
} from './ast.js';
import { parseDate } from './datetime.js';
import { MalformedPolicyError, MSG, PolicySizeError } from './errors.js';
import { JsonSyntaxError, parseJson } from './json.js';
import { parseOperatorName } from './operators.js';
import { legacyProblem, resourceFormatProblem } from './resource-grammar.js';

export interface ParseOptions {
  kind: PolicyKind;
  name?: string;
  /** Quota in characters, white space not counted (see policyLimits in limits.ts). */
  maxLength?: number;
  /** IAM's message for this quota; default "Cannot exceed quota for PolicySize: N". */
  tooLargeMessage?: string;
  /** Managed policies (CreatePolicy/CreatePolicyVersion) must say Version 2012-10-17. */
  requireCurrentVersion?: boolean;
}

const TOP_LEVEL = new Set(['Version', 'Id', 'Statement']);
const STATEMENT_ELEMENTS = new Set(['Sid', 'Effect', 'Principal', 'NotPrincipal', 'Action', 'NotAction', 'Resource', 'NotResource', 'Condition']);
const PRINCIPAL_TYPES = new Set<PrincipalType>(['AWS', 'Service', 'Federated', 'CanonicalUser']);
/** Kinds whose grammar is IAM's own (Sid must be alphanumeric, etc.). */
const IAM_KINDS = new Set<PolicyKind>(['identity', 'boundary', 'session', 'trust']);
/** Kinds that must not name a principal (they attach to one). */
const PRINCIPAL_FORBIDDEN = new Set<PolicyKind>(['identity', 'boundary', 'session', 'scp']);

/** Characters IAM counts against size quotas: everything but white space. */
export function policySize(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (!(c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d)) n++;
  }
  return n;
}

export function parsePolicy(text: string, opts: ParseOptions): Policy {
  const size = policySize(text);
  if (opts.maxLength !== undefined && size > opts.maxLength) {
    throw new PolicySizeError(opts.tooLargeMessage ?? `Cannot exceed quota for PolicySize: ${opts.maxLength}`, size, opts.maxLength);
  }
  // The character range is IAM's rule (reference_iam-quotas.md); other services' resource policies differ.
  if (IAM_KINDS.has(opts.kind)) checkCharacters(text);
  let root: JsonNode;
  try {
    root = parseJson(text);
  } catch (e) {
    if (e instanceof JsonSyntaxError) throw new MalformedPolicyError(MSG.syntax, { line: e.line, column: e.column, detail: e.reason });
    throw e;
  }
  const policy = readPolicy(root, text, size, opts);
  checkKindRules(policy);
  if (opts.requireCurrentVersion && policy.version?.value !== '2012-10-17') {
    throw at(MSG.versionTooOld, policy.version ?? policy.json, 'managed policies must say "Version": "2012-10-17"');
  }
  checkLegacy(policy);
  // IAM finds a resource's format error here but reports it only after the Sid and Action checks.
  const resourceError = checkResources(policy);
  checkSids(policy);
  checkActionsPresent(policy);
  if (resourceError) throw resourceError;
  for (const s of policy.statements) for (const list of [s.action, s.notAction]) if (list) for (const v of list.values) checkActionFormat(v);
  if (policy.kind !== 'trust') checkResourcesPresent(policy);
  if (policy.kind === 'trust') for (const s of policy.statements) if (s.action) for (const v of s.action.values) checkTrustAction(v);
  return policy;
}

// ---------------------------------------------------------------------------------------
// Errors tied to a place

function at(message: string, node: { span: Span; path: JsonPath }, detail?: string): MalformedPolicyError {
  return new MalformedPolicyError(message, { line: node.span.start.line, column: node.span.start.column, path: node.path, detail });
}

function syntax(node: { span: Span; path: JsonPath }, detail: string): MalformedPolicyError {
  return at(MSG.syntax, node, detail);
}

function checkCharacters(text: string): void {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x0a) { line++; lineStart = i + 1; continue; }
    if (c === 0x09 || c === 0x0d || (c >= 0x20 && c <= 0xff) || (i === 0 && c === 0xfeff)) continue;
    throw new MalformedPolicyError(MSG.syntax, {
      line, column: i - lineStart + 1,
      detail: `character U+${c.toString(16).toUpperCase().padStart(4, '0')} is not allowed (policies may use tab, line breaks and U+0020–U+00FF)`,
    });
  }
}

// ---------------------------------------------------------------------------------------
// Grammar: JSON tree → AST

function readPolicy(root: JsonNode, text: string, size: number, opts: ParseOptions): Policy {
  if (root.type !== 'object') throw syntax(root, 'a policy must be a JSON object');
  let version: PolicyValue | undefined;
  let id: PolicyValue | undefined;
  let statementNode: JsonNode | undefined;
  for (const e of root.entries) {
    if (!TOP_LEVEL.has(e.key)) throw syntax({ span: e.keySpan, path: e.value.path }, `Unknown field ${e.key}`);
    if (e.key === 'Version') {
      if (e.value.type !== 'string' || (e.value.value !== '2012-10-17' && e.value.value !== '2008-10-17')) {
        throw syntax(e.value, `Invalid Version ${jsonText(e.value)}: use "2012-10-17" (or the legacy "2008-10-17")`);
      }
      version = scalar(e.value);
    } else if (e.key === 'Id') {
      if (e.value.type !== 'string') throw syntax(e.value, 'Id must be a string');
      id = scalar(e.value);
    } else {
      statementNode = e.value;
    }
  }
  if (!statementNode) throw syntax(root, 'Missing required field Statement');
  let statementObjects: JsonNode[];
  if (statementNode.type === 'object') statementObjects = [statementNode];
  else if (statementNode.type === 'array') statementObjects = statementNode.items;
  else throw syntax(statementNode, 'Statement must be an object or an array of objects');
  if (statementObjects.length === 0) throw syntax(statementNode, 'Statement must not be empty');
  const statements = statementObjects.map((node, index) => readStatement(node, index));
  return {
    kind: opts.kind,
    name: opts.name,
    version,
    languageVersion: (version?.value as PolicyVersion | undefined) ?? '2008-10-17',
    id,
    statements,
    statementIsArray: statementNode.type === 'array',
    statementSpan: statementNode.span,
    json: root,
    text,
    size,
  };
}

function jsonText(node: JsonNode): string {
  if (node.type === 'string') return JSON.stringify(node.value);
  if (node.type === 'number') return node.raw;
  if (node.type === 'boolean' || node.type === 'null') return String(node.value);
  return node.type;
}

function scalar(node: JsonNode): PolicyValue {
  if (node.type === 'string') return { value: node.value, type: 'string', span: node.span, path: node.path };
  if (node.type === 'number') return { value: node.raw, type: 'number', span: node.span, path: node.path };
  if (node.type === 'boolean') return { value: String(node.value), type: 'boolean', span: node.span, path: node.path };
  throw syntax(node, `expected a string, found ${node.type}`);
}

function readStatement(node: JsonNode, index: number): Statement {
  if (node.type !== 'object') throw syntax(node, 'each statement must be a JSON object');
  const s: Partial<Statement> & { index: number } = { index, span: node.span, path: node.path, line: node.span.start.line, column: node.span.start.column };
  for (const e of node.entries) {
    if (!STATEMENT_ELEMENTS.has(e.key)) throw syntax({ span: e.keySpan, path: e.value.path }, `Unknown field ${e.key}`);
    const v = e.value;
    switch (e.key) {
      case 'Sid':
        if (v.type !== 'string') throw syntax(v, 'Sid must be a string');
        s.sid = scalar(v);
        break;
      case 'Effect': {
        if (v.type !== 'string') throw syntax(v, 'Effect must be "Allow" or "Deny"');
        const lower = v.value.toLowerCase();
        if (lower !== 'allow' && lower !== 'deny') throw syntax(v, `Invalid effect ${JSON.stringify(v.value)}: use "Allow" or "Deny"`);
        s.effect = (lower === 'allow' ? 'Allow' : 'Deny') as Effect;
        s.effectValue = scalar(v);
        break;
      }
      case 'Action': s.action = stringList(v, e.keySpan, 'Action'); break;
      case 'NotAction': s.notAction = stringList(v, e.keySpan, 'NotAction'); break;
      case 'Resource': s.resource = stringList(v, e.keySpan, 'Resource'); break;
      case 'NotResource': s.notResource = stringList(v, e.keySpan, 'NotResource'); break;
      case 'Principal': s.principal = readPrincipal(v, e.keySpan, 'Principal'); break;
      case 'NotPrincipal': s.notPrincipal = readPrincipal(v, e.keySpan, 'NotPrincipal'); break;
      case 'Condition': s.condition = readCondition(v, e.keySpan); break;
    }
  }
  if (!s.effectValue) throw syntax(node, 'Statement is missing required element Effect');
  if (s.action && s.notAction) throw syntax(s.notAction, 'a statement cannot have both Action and NotAction');
  if (s.resource && s.notResource) throw syntax(s.notResource, 'a statement cannot have both Resource and NotResource');
  if (s.principal && s.notPrincipal) throw syntax(s.notPrincipal, 'a statement cannot have both Principal and NotPrincipal');
  return s as Statement;
}

function stringList(node: JsonNode, keySpan: Span, element: string): ValueList {
  if (node.type === 'string') return { values: [scalar(node)], isArray: false, span: node.span, path: node.path, keySpan };
  if (node.type === 'array') {
    const values = node.items.map((item) => {
      if (item.type !== 'string') throw syntax(item, `${element} values must be strings`);
      return scalar(item);
    });
    return { values, isArray: true, span: node.span, path: node.path, keySpan };
  }
  throw syntax(node, `${element} must be a string or an array of strings`);
}

function readPrincipal(node: JsonNode, keySpan: Span, element: string): PrincipalBlock {
  if (node.type === 'string') {
    if (node.value !== '*') throw at(MSG.invalidPrincipal(element, node.value), node, `${element} must be "*" or an object such as {"AWS": "…"}`);
    return { wildcard: true, entries: [], span: node.span, path: node.path, keySpan };
  }
  if (node.type !== 'object') throw syntax(node, `${element} must be "*" or an object`);
  if (node.entries.length === 0) throw syntax(node, `${element} must name at least one principal`);
  const entries: PrincipalEntry[] = node.entries.map((e) => {
    if (!PRINCIPAL_TYPES.has(e.key as PrincipalType)) throw syntax({ span: e.keySpan, path: e.value.path }, `Unknown principal type ${e.key}: use AWS, Service, Federated or CanonicalUser`);
    const list = stringList(e.value, e.keySpan, `${element}.${e.key}`);
    if (list.values.length === 0) throw syntax(e.value, `${element}.${e.key} must not be empty`);
    return { type: e.key as PrincipalType, values: list.values, isArray: list.isArray, span: e.value.span, path: e.value.path, keySpan: e.keySpan };
  });
  return { wildcard: false, entries, span: node.span, path: node.path, keySpan };
}

function readCondition(node: JsonNode, keySpan: Span): ConditionBlock {
  if (node.type !== 'object') throw syntax(node, 'Condition must be an object of {operator: {key: values}}');
  const clauses: ConditionClause[] = [];
  for (const op of node.entries) {
    if (op.value.type !== 'object') throw syntax(op.value, `condition operator ${op.key} must map to an object of {key: values}`);
    // IAM tolerates an unknown operator only when its block is empty.
    if (!parseOperatorName(op.key) && op.value.entries.length > 0) {
      throw syntax({ span: op.keySpan, path: op.value.path }, `Invalid condition operator ${op.key}`);
    }
    for (const k of op.value.entries) {
      const v = k.value;
      let values: PolicyValue[];
      if (v.type === 'array') {
        values = v.items.map((item) => {
          if (item.type === 'object' || item.type === 'array' || item.type === 'null') throw syntax(item, 'condition values must be strings, numbers or booleans');
          return scalar(item);
        });
      } else if (v.type === 'object' || v.type === 'null') {
        throw syntax(v, 'condition values must be a string, number, boolean or an array of them');
      } else {
        values = [scalar(v)];
      }
      clauses.push({
        operator: op.key, operatorSpan: op.keySpan, key: k.key, keySpan: k.keySpan,
        values, isArray: v.type === 'array', span: v.span, path: v.path,
      });
    }
  }
  return { clauses, span: node.span, path: node.path, keySpan };
}

// ---------------------------------------------------------------------------------------
// Rules beyond the grammar

function checkKindRules(p: Policy): void {
  for (const s of p.statements) {
    const named = s.principal ?? s.notPrincipal;
    if (PRINCIPAL_FORBIDDEN.has(p.kind) && named) {
      throw at(MSG.noPrincipalAllowed, { span: named.keySpan, path: named.path }, `${s.principal ? 'Principal' : 'NotPrincipal'} is only allowed in resource-based and trust policies`);
    }
    if ((p.kind === 'resource' || p.kind === 'trust' || p.kind === 'rcp') && !named) {
      throw at(MSG.missingPrincipal, s, 'resource-based and trust policies must say who they apply to');
    }
    if (p.kind === 'rcp' && s.principal && !s.principal.wildcard) {
      throw at(MSG.invalidPrincipal('Principal', principalText(s.principal)), s.principal, 'resource control policies must use "Principal": "*"');
    }
    if (p.kind === 'trust') {
      const r = s.resource ?? s.notResource;
      if (r) throw at(MSG.prohibitedField(s.resource ? 'Resource' : 'NotResource'), { span: r.keySpan, path: r.path }, 'a role trust policy applies to the role itself and takes no Resource');
    }
    if (named && !named.wildcard) for (const e of named.entries) if (e.type === 'AWS') for (const v of e.values) checkAwsPrincipal(v);
  }
}

function principalText(b: PrincipalBlock): string {
  const e = b.entries[0];
  return e ? `${e.values[0]?.value ?? ''}` : '*';
}

const AWS_PRINCIPAL = /^(?:\*|\d{12}|arn:aws:iam::(?:\d{12}|\*):(?:root|user\/.+|role\/.+)|arn:aws:sts::\d{12}:(?:assumed-role\/[^/]+\/.+|federated-user\/.+)|A[A-Z]{3}[A-Z0-9]{16,})$/;

function checkAwsPrincipal(v: PolicyValue): void {
  if (!AWS_PRINCIPAL.test(v.value)) {
    throw at(MSG.invalidPrincipal('AWS', v.value), v, 'an AWS principal is "*", an account ID, or an account root, user, role or session ARN');
  }
}

/** The first checks IAM reports as "failed legacy parsing": exact Effect case and date values. */
function checkLegacy(p: Policy): void {
  for (const s of p.statements) {
    if (s.effectValue.value !== 'Allow' && s.effectValue.value !== 'Deny') {
      throw at(MSG.legacy, s.effectValue, `Effect is case-sensitive: write "${s.effect}"`);
    }
    for (const c of s.condition?.clauses ?? []) {
      const op = parseOperatorName(c.operator);
      if (op?.family !== 'Date') continue;
      for (const v of c.values) {
        if (v.value.includes('${')) continue;
        if (parseDate(v.value) === undefined) throw at(MSG.legacy, v, `${JSON.stringify(v.value)} is not an ISO 8601 date or epoch time`);
      }
    }
  }
}

function checkSids(p: Policy): void {
  const seen = new Set<string>();
  for (const s of p.statements) {
    if (!s.sid || s.sid.value === '') continue;
    if (seen.has(s.sid.value)) throw at(MSG.duplicateSid, s.sid, `Sid ${JSON.stringify(s.sid.value)} is used twice`);
    seen.add(s.sid.value);
  }
  if (!IAM_KINDS.has(p.kind)) return;
  for (const s of p.statements) {
    if (s.sid && !/^[0-9A-Za-z]*$/.test(s.sid.value)) throw at(MSG.sidNotAlphanumeric, s.sid);
  }
}

function checkActionsPresent(p: Policy): void {
  for (const s of p.statements) {
    const actions = s.action ?? s.notAction;
    if (!actions || actions.values.length === 0) throw at(MSG.noActions, actions ?? s);
  }
}

function checkResourcesPresent(p: Policy): void {
  for (const s of p.statements) {
    const resources = s.resource ?? s.notResource;
    if (!resources || resources.values.length === 0) throw at(MSG.noResources, resources ?? s);
  }
}

/**
 * Every Resource, then every NotResource, statement by statement: the first format error
 * is returned for later; while there is none, a list that fails legacy parsing is refused
 * now (see resource-grammar.ts).
 */
function checkResources(p: Policy): MalformedPolicyError | undefined {
  let first: MalformedPolicyError | undefined;
  for (const element of ['resource', 'notResource'] as const) {
    for (const s of p.statements) {
      const list = s[element];
      if (!list) continue;
      for (const v of list.values) {
        const problem = first ? undefined : resourceFormatProblem(v.value);
        if (problem) first = at(problem.message, v, problem.detail);
      }
      if (first) continue;
      for (const v of list.values) {
        const why = legacyProblem(v.value);
        if (why) throw at(MSG.legacy, v, why);
      }
    }
  }
  return first;
}

function checkActionFormat(v: PolicyValue): void {
  const a = v.value;
  if (a === '*') return;
  const parts = a.split(':');
  if (parts.length === 1) throw at(MSG.actionNeedsVendor, v);
  if (parts.length > 2) throw at(MSG.actionOneColon, v);
  const vendor = parts[0];
  if (vendor !== '*' && /[^a-zA-Z0-9\-.]/.test(vendor)) throw at(MSG.vendorInvalid(vendor), v);
}

/**
 * The AWS principals a policy names by ARN (users, roles, sessions), for callers that must
 * check they exist: IAM refuses a trust policy naming a missing role or user with
 * MSG.invalidPrincipal('AWS', arn).
 */
export function namedAwsPrincipals(p: Policy): PolicyValue[] {
  const out: PolicyValue[] = [];
  for (const s of p.statements) {
    for (const block of [s.principal, s.notPrincipal]) {
      for (const e of block?.entries ?? []) if (e.type === 'AWS') for (const v of e.values) if (v.value.startsWith('arn:') && !v.value.endsWith(':root')) out.push(v);
    }
  }
  return out;
}

function checkTrustAction(v: PolicyValue): void {
  const a = v.value.toLowerCase();
  if (a === '*' || a.startsWith('sts:')) return;
  throw at('AssumeRole policy may only specify STS AssumeRole actions.', v);
}

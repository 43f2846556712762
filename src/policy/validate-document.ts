/**
 * A forgiving read of a policy's JSON tree for validation.
 *
 * The parser (parse.ts) stops at the first thing IAM refuses, as IAM does. Validation
 * should instead report every problem at once, so this reader notes each structural
 * problem as a finding, skips the broken part and keeps going. What it returns is the
 * usable rest of the document, with positions, for the per-element checks.
 */
import type { JsonBoolean, JsonNode, JsonNumber, JsonObject, JsonPath, JsonString, PolicyKind, Span } from './ast.js';
import { Findings, keyAt, valueAt } from './validate-findings.js';

export type ListElement = 'Action' | 'NotAction' | 'Resource' | 'NotResource';

/** Action, NotAction, Resource or NotResource: a string or an array of strings. */
export interface LooseList {
  element: ListElement;
  keySpan: Span;
  node: JsonNode;
  /** The well-formed string values (others were reported). */
  values: JsonString[];
  isArray: boolean;
}

export interface LoosePrincipalEntry {
  /** AWS, Service, Federated or CanonicalUser. */
  type: string;
  keySpan: Span;
  node: JsonNode;
  values: JsonString[];
}

export interface LoosePrincipal {
  element: 'Principal' | 'NotPrincipal';
  keySpan: Span;
  node: JsonNode;
  wildcard: boolean;
  entries: LoosePrincipalEntry[];
}

export type ConditionValue = JsonString | JsonNumber | JsonBoolean;

export interface LooseClause {
  operator: string;
  operatorSpan: Span;
  /** Path of the operator's block ({key: values}). */
  operatorPath: JsonPath;
  key: string;
  keySpan: Span;
  node: JsonNode;
  values: ConditionValue[];
  isArray: boolean;
}

export interface LooseCondition {
  keySpan: Span;
  node: JsonObject;
  /** Each operator block, for checks on the block itself. */
  blocks: { operator: string; keySpan: Span; node: JsonObject }[];
  clauses: LooseClause[];
}

export interface LooseStatement {
  node: JsonObject;
  index: number;
  sid?: JsonString;
  effect?: 'Allow' | 'Deny';
  action?: LooseList;
  notAction?: LooseList;
  resource?: LooseList;
  notResource?: LooseList;
  principal?: LoosePrincipal;
  notPrincipal?: LoosePrincipal;
  condition?: LooseCondition;
}

export interface LoosePolicy {
  kind: PolicyKind;
  root: JsonObject;
  text: string;
  /** The Version value when it is one IAM knows; absent Version means the 2008 language. */
  version?: '2012-10-17' | '2008-10-17';
  statements: LooseStatement[];
}

/** Access Analyzer's name for each policy type, used in its messages. */
export const ANALYZER_POLICY_TYPE: Record<PolicyKind, string> = {
  identity: 'IDENTITY_POLICY', boundary: 'IDENTITY_POLICY', session: 'IDENTITY_POLICY',
  resource: 'RESOURCE_POLICY', trust: 'RESOURCE_POLICY', scp: 'SERVICE_CONTROL_POLICY', rcp: 'RESOURCE_CONTROL_POLICY',
};

/** Policy kinds attached to an identity: they must not name a principal. */
export const IDENTITY_KINDS: ReadonlySet<PolicyKind> = new Set(['identity', 'boundary', 'session']);

const TOP_LEVEL = new Set(['Version', 'Id', 'Statement']);
const STATEMENT_ELEMENTS = new Set(['Sid', 'Effect', 'Principal', 'NotPrincipal', 'Action', 'NotAction', 'Resource', 'NotResource', 'Condition']);
const PRINCIPAL_KEYS = new Set(['AWS', 'Service', 'Federated', 'CanonicalUser']);
const JSON_TYPE_NAME: Record<JsonNode['type'], string> = {
  string: 'String', number: 'Number', boolean: 'Boolean', null: 'Null', array: 'Array', object: 'Object',
};

function mismatch(f: Findings, node: JsonNode, expected: string): void {
  f.add('DATA_TYPE_MISMATCH', `The text does not match the expected JSON data type ${expected}.`, valueAt(node),
    `found ${JSON_TYPE_NAME[node.type]}`);
}

export function readDocument(root: JsonNode, text: string, kind: PolicyKind, f: Findings): LoosePolicy | undefined {
  if (root.type !== 'object') {
    mismatch(f, root, 'Object');
    return undefined;
  }
  const policy: LoosePolicy = { kind, root, text, statements: [] };
  let statementNode: JsonNode | undefined;
  let sawVersion = false;
  for (const e of root.entries) {
    if (!TOP_LEVEL.has(e.key)) {
      f.add('INVALID_POLICY_ELEMENT', `The policy element ${e.key} is not valid.`, keyAt(root.path, e.key, e.keySpan));
      continue;
    }
    if (e.key === 'Version') {
      sawVersion = true;
      if (e.value.type !== 'string') mismatch(f, e.value, 'String');
      else if (e.value.value === '2012-10-17' || e.value.value === '2008-10-17') policy.version = e.value.value;
      else f.add('INVALID_VERSION', `The version ${e.value.value} is not valid. Use one of the following versions: 2012-10-17, 2008-10-17`, valueAt(e.value));
    } else if (e.key === 'Id') {
      if (e.value.type !== 'string') mismatch(f, e.value, 'String');
    } else {
      statementNode = e.value;
    }
  }
  if (!sawVersion) {
    f.add('MISSING_VERSION', 'We recommend that you specify the Version element to help you with debugging permission issues.',
      { path: [], span: { start: root.span.start, end: root.span.start } });
  }
  if (!statementNode) {
    f.add('MISSING_STATEMENT', 'Add a statement to the policy', valueAt(root));
    return policy;
  }
  let items: JsonNode[];
  if (statementNode.type === 'object') items = [statementNode];
  else if (statementNode.type === 'array') items = statementNode.items;
  else {
    mismatch(f, statementNode, 'Array');
    return policy;
  }
  if (items.length === 0) f.add('MISSING_STATEMENT', 'Add a statement to the policy', valueAt(statementNode));
  items.forEach((item, index) => {
    if (item.type !== 'object') mismatch(f, item, 'Object');
    else policy.statements.push(readStatement(item, index, kind, f));
  });
  return policy;
}

function readStatement(node: JsonObject, index: number, kind: PolicyKind, f: Findings): LooseStatement {
  const s: LooseStatement = { node, index };
  for (const e of node.entries) {
    if (!STATEMENT_ELEMENTS.has(e.key)) {
      f.add('INVALID_POLICY_ELEMENT', `The policy element ${e.key} is not valid.`, keyAt(node.path, e.key, e.keySpan));
      continue;
    }
    const v = e.value;
    switch (e.key) {
      case 'Sid':
        if (v.type !== 'string') mismatch(f, v, 'String');
        else s.sid = v;
        break;
      case 'Effect':
        if (v.type !== 'string') mismatch(f, v, 'String');
        else if (v.value === 'Allow' || v.value === 'Deny') s.effect = v.value;
        else f.add('INVALID_EFFECT', `The effect ${v.value} is not valid. Use Allow or Deny.`, valueAt(v),
          /^(allow|deny)$/i.test(v.value) ? 'Effect is case-sensitive' : undefined);
        break;
      case 'Action': case 'NotAction': case 'Resource': case 'NotResource': {
        const list = readList(e.key, v, e.keySpan, f);
        if (list) s[lowerFirst(e.key)] = list;
        break;
      }
      case 'Principal': case 'NotPrincipal': {
        const p = readPrincipal(e.key, v, e.keySpan, f);
        if (p) s[e.key === 'Principal' ? 'principal' : 'notPrincipal'] = p;
        break;
      }
      case 'Condition':
        s.condition = readCondition(v, e.keySpan, f);
        break;
    }
  }
  checkStatementShape(s, kind, f);
  return s;
}

function lowerFirst(k: ListElement): 'action' | 'notAction' | 'resource' | 'notResource' {
  return (k[0].toLowerCase() + k.slice(1)) as 'action' | 'notAction' | 'resource' | 'notResource';
}

function readList(element: ListElement, node: JsonNode, keySpan: Span, f: Findings): LooseList | undefined {
  if (node.type === 'string') return { element, keySpan, node, values: [node], isArray: false };
  if (node.type !== 'array') {
    mismatch(f, node, 'Array');
    return undefined;
  }
  const values: JsonString[] = [];
  for (const item of node.items) {
    if (item.type === 'string') values.push(item);
    else mismatch(f, item, 'String');
  }
  if (node.items.length === 0) {
    if (element === 'Action' || element === 'NotAction') {
      f.add('EMPTY_ARRAY_ACTION', 'This statement includes no actions and does not affect the policy. Specify actions.', valueAt(node));
    } else {
      f.add('EMPTY_ARRAY_RESOURCE', 'This statement includes no resources and does not affect the policy. Specify resources.', valueAt(node));
    }
  }
  return { element, keySpan, node, values, isArray: true };
}

function readPrincipal(element: 'Principal' | 'NotPrincipal', node: JsonNode, keySpan: Span, f: Findings): LoosePrincipal | undefined {
  const formatError = (): undefined => {
    f.add('INVALID_PRINCIPAL_FORMAT', 'The Principal element contents are not valid. Specify a key-value pair in the Principal element.', valueAt(node));
    return undefined;
  };
  if (node.type === 'string') {
    if (node.value !== '*') return formatError();
    return { element, keySpan, node, wildcard: true, entries: [] };
  }
  if (node.type !== 'object') return formatError();
  if (node.entries.length === 0) {
    f.add('EMPTY_OBJECT_PRINCIPAL', 'This statement includes no principals and does not affect the policy. Specify principals.', valueAt(node));
  }
  const entries: LoosePrincipalEntry[] = [];
  for (const e of node.entries) {
    if (!PRINCIPAL_KEYS.has(e.key)) {
      f.add('INVALID_PRINCIPAL_KEY', `The principal key ${e.key} is not valid.`, keyAt(node.path, e.key, e.keySpan));
      continue;
    }
    const v = e.value;
    let values: JsonString[];
    if (v.type === 'string') values = [v];
    else if (v.type === 'array') {
      values = [];
      for (const item of v.items) {
        if (item.type === 'string') values.push(item);
        else mismatch(f, item, 'String');
      }
      if (v.items.length === 0) {
        f.add('EMPTY_ARRAY_PRINCIPAL', 'This statement includes no principals and does not affect the policy. Specify principals.', valueAt(v));
      }
    } else {
      mismatch(f, v, 'Array');
      continue;
    }
    entries.push({ type: e.key, keySpan: e.keySpan, node: v, values });
  }
  return { element, keySpan, node, wildcard: false, entries };
}

function readCondition(node: JsonNode, keySpan: Span, f: Findings): LooseCondition | undefined {
  if (node.type !== 'object') {
    mismatch(f, node, 'Object');
    return undefined;
  }
  const cond: LooseCondition = { keySpan, node, blocks: [], clauses: [] };
  if (node.entries.length === 0) {
    f.add('EMPTY_OBJECT_CONDITION', 'This condition block is empty and it does not affect the policy. Specify conditions.', valueAt(node));
  }
  for (const op of node.entries) {
    if (op.value.type !== 'object') {
      mismatch(f, op.value, 'Object');
      continue;
    }
    cond.blocks.push({ operator: op.key, keySpan: op.keySpan, node: op.value });
    if (op.value.entries.length === 0) {
      f.add('EMPTY_OBJECT_CONDITION', 'This condition block is empty and it does not affect the policy. Specify conditions.', valueAt(op.value));
    }
    for (const k of op.value.entries) {
      const v = k.value;
      let values: ConditionValue[] = [];
      if (v.type === 'array') {
        for (const item of v.items) {
          if (item.type === 'string' || item.type === 'number' || item.type === 'boolean') values.push(item);
          else mismatch(f, item, 'String');
        }
      } else if (v.type === 'string' || v.type === 'number' || v.type === 'boolean') {
        values = [v];
      } else {
        mismatch(f, v, 'Array');
        continue;
      }
      cond.clauses.push({
        operator: op.key, operatorSpan: op.keySpan, operatorPath: op.value.path,
        key: k.key, keySpan: k.keySpan, node: v, values, isArray: v.type === 'array',
      });
    }
  }
  return cond;
}

/** Which elements a statement must, may and must not have, by policy kind. */
function checkStatementShape(s: LooseStatement, kind: PolicyKind, f: Findings): void {
  const at = valueAt(s.node);
  const has = (name: string) => s.node.entries.some((e) => e.key === name);
  const entry = (name: string) => s.node.entries.find((e) => e.key === name);
  const keyOf = (name: string) => {
    const e = entry(name);
    return e ? keyAt(s.node.path, name, e.keySpan) : at;
  };
  if (!has('Effect')) f.add('MISSING_EFFECT', 'Add an Effect element to the policy statement with a value of Allow or Deny.', at);
  for (const [a, b] of [['Action', 'NotAction'], ['Resource', 'NotResource'], ['Principal', 'NotPrincipal']] as const) {
    if (has(a) && has(b)) {
      f.add('UNSUPPORTED_ELEMENT_COMBINATION', `The policy elements ${a} and ${b} can not be used in the same statement. Remove one of these elements.`, keyOf(b));
    }
  }
  if (!has('Action') && !has('NotAction')) f.add('MISSING_ACTION', 'Add an Action or NotAction element to the policy statement.', at);

  const resourceName = has('Resource') ? 'Resource' : has('NotResource') ? 'NotResource' : undefined;
  if (kind === 'trust') {
    if (resourceName) {
      f.add('ROLE_TRUST_POLICY_SYNTAX_ERROR_RESOURCE',
        'Role trust policies apply to the role that they are attached to. You cannot specify a resource. Remove the Resource or NotResource element.', keyOf(resourceName));
    }
  } else if (!resourceName) {
    f.add('MISSING_RESOURCE', 'Add a Resource or NotResource element to the policy statement.', at);
  }

  const principalName = has('Principal') ? 'Principal' : has('NotPrincipal') ? 'NotPrincipal' : undefined;
  if (IDENTITY_KINDS.has(kind) && principalName) {
    f.add('UNSUPPORTED_PRINCIPAL', `The policy type ${ANALYZER_POLICY_TYPE[kind]} does not support the Principal element. Remove the Principal element.`, keyOf(principalName));
  }
  if ((kind === 'resource' || kind === 'trust' || kind === 'rcp') && !principalName) {
    f.add('MISSING_PRINCIPAL', 'Add a Principal element to the policy statement.', at);
  }
  if (kind === 'trust' && has('NotPrincipal')) {
    f.add('ROLE_TRUST_POLICY_SYNTAX_ERROR_NOTPRINCIPAL', 'Role trust policies do not support NotPrincipal. Update the policy to use a Principal element instead.', keyOf('NotPrincipal'));
  } else if (s.effect === 'Allow' && has('NotPrincipal') && !IDENTITY_KINDS.has(kind) && kind !== 'scp') {
    f.add('ALLOW_WITH_NOTPRINCIPAL', 'Using Allow with NotPrincipal can be overly permissive. We recommend that you use Principal instead.', keyOf('NotPrincipal'));
  }
  if (kind === 'scp') checkScpShape(s, f, keyOf);
}

/** Service control policies: the restrictions AWS Organizations puts on the language. */
function checkScpShape(s: LooseStatement, f: Findings, keyOf: (name: string) => ReturnType<typeof valueAt>): void {
  const has = (name: string) => s.node.entries.some((e) => e.key === name);
  for (const p of ['Principal', 'NotPrincipal']) {
    if (has(p)) f.add('SCP_SYNTAX_ERROR_PRINCIPAL', 'SCPs do not support specifying principals. Remove the Principal or NotPrincipal element.', keyOf(p));
  }
  if (has('NotResource')) f.add('SCP_SYNTAX_ERROR_NOTRESOURCE', 'SCPs do not support the NotResource element. Update the policy to use Resource instead.', keyOf('NotResource'));
  if (s.effect !== 'Allow') return;
  if (has('Condition')) f.add('SCP_SYNTAX_ERROR_ALLOW_CONDITION', 'SCPs do not support the Condition element with effect Allow. Update the element Condition or the effect.', keyOf('Condition'));
  if (has('NotAction')) f.add('SCP_SYNTAX_ERROR_ALLOW_NOTACTION', 'SCPs do not support NotAction with effect Allow. Update the element NotAction or the effect.', keyOf('NotAction'));
  if (s.resource && s.resource.values.some((v) => v.value !== '*')) {
    f.add('SCP_SYNTAX_ERROR_ALLOW_RESOURCE', 'SCPs do not support Resource with effect Allow. Update the element Resource or the effect.', keyOf('Resource'));
  }
}

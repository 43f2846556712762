/**
 * The typed syntax tree of an IAM policy document.
 *
 * Every node keeps where it came from (line/column/offset span and JSON path) because the
 * simulation API, validation findings and explanations all point back into the text.
 * Two layers: a generic positioned JSON tree (JsonNode, produced by json.ts) and the
 * policy tree built on it (Policy, produced by parse.ts). The JSON tree is kept on the
 * Policy so checks that look at raw shapes (empty arrays, value types) can still see them.
 */

/** The policy types the engine knows; the parser applies each kind's grammar rules. */
export type PolicyKind = 'identity' | 'resource' | 'trust' | 'boundary' | 'session' | 'scp' | 'rcp';

/** A point in the text. line and column are 1-based; offset is a 0-based UTF-16 index. */
export interface Position {
  line: number;
  column: number;
  offset: number;
}

/** A range of text: start inclusive, end exclusive. */
export interface Span {
  start: Position;
  end: Position;
}

/** Where a node sits in the JSON document, e.g. ['Statement', 2, 'Action', 0]. */
export type JsonPath = ReadonlyArray<string | number>;

interface JsonBase {
  span: Span;
  path: JsonPath;
}

export interface JsonString extends JsonBase { type: 'string'; value: string }
export interface JsonNumber extends JsonBase { type: 'number'; value: number; /** the literal as written */ raw: string }
export interface JsonBoolean extends JsonBase { type: 'boolean'; value: boolean }
export interface JsonNull extends JsonBase { type: 'null'; value: null }
export interface JsonArray extends JsonBase { type: 'array'; items: JsonNode[] }
export interface JsonEntry {
  key: string;
  keySpan: Span;
  value: JsonNode;
}
export interface JsonObject extends JsonBase { type: 'object'; entries: JsonEntry[] }

export type JsonNode = JsonString | JsonNumber | JsonBoolean | JsonNull | JsonArray | JsonObject;

/** Anything in the policy tree that points back into the text. */
export interface Located {
  span: Span;
  path: JsonPath;
}

/**
 * One scalar value as written in the policy (an action, a resource, a principal ID, a
 * condition value). `value` is its string form, which is what IAM compares; `type`
 * records how it was written (conditions accept unquoted numbers and booleans).
 */
export interface PolicyValue extends Located {
  value: string;
  type: 'string' | 'number' | 'boolean';
}

/** An element whose value may be one scalar or an array of scalars. */
export interface ValueList extends Located {
  values: PolicyValue[];
  /** True when written as a JSON array (even a one-element one). */
  isArray: boolean;
  /** The element name's own position (the key "Action" etc.). */
  keySpan: Span;
}

export type PrincipalType = 'AWS' | 'Service' | 'Federated' | 'CanonicalUser';

export interface PrincipalEntry extends Located {
  type: PrincipalType;
  keySpan: Span;
  values: PolicyValue[];
  isArray: boolean;
}

/** A Principal or NotPrincipal element. `"*"` is kept as wildcard: true, no entries. */
export interface PrincipalBlock extends Located {
  keySpan: Span;
  wildcard: boolean;
  entries: PrincipalEntry[];
}

/** One `operator: { key: values }` pair of a Condition element. */
export interface ConditionClause extends Located {
  /** The operator as written, e.g. "ForAnyValue:StringLikeIfExists". */
  operator: string;
  operatorSpan: Span;
  /** The condition key as written (keys compare case-insensitively). */
  key: string;
  keySpan: Span;
  values: PolicyValue[];
  isArray: boolean;
}

export interface ConditionBlock extends Located {
  keySpan: Span;
  clauses: ConditionClause[];
}

export type Effect = 'Allow' | 'Deny';

export interface Statement extends Located {
  /** Position in the Statement array (0 when Statement is a single object). */
  index: number;
  /** Convenience copies of span.start. */
  line: number;
  column: number;
  sid?: PolicyValue;
  effect: Effect;
  effectValue: PolicyValue;
  principal?: PrincipalBlock;
  notPrincipal?: PrincipalBlock;
  action?: ValueList;
  notAction?: ValueList;
  resource?: ValueList;
  notResource?: ValueList;
  condition?: ConditionBlock;
}

export type PolicyVersion = '2012-10-17' | '2008-10-17';

export interface Policy {
  kind: PolicyKind;
  name?: string;
  /** The Version element, if present. */
  version?: PolicyValue;
  /** The effective language version: absent Version means 2008-10-17 (no policy variables). */
  languageVersion: PolicyVersion;
  id?: PolicyValue;
  statements: Statement[];
  /** True when Statement was written as an array. */
  statementIsArray: boolean;
  /** Span of the Statement element's value. */
  statementSpan: Span;
  /** The positioned JSON tree the policy was read from. */
  json: JsonObject;
  text: string;
  /** Size as IAM counts it against quotas: characters other than white space. */
  size: number;
}

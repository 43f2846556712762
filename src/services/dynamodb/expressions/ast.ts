/**
 * The parsed forms of DynamoDB's expressions. Parsed trees keep the placeholders (#name,
 * :value) as written, so one parse of a text serves every request that repeats it; binding
 * (bind.ts) resolves them against one request's ExpressionAttributeNames/Values.
 */
import type { AttributeValue } from '../values/attribute-values.js';

/** One element of a document path as written: a name, a #placeholder or a [n] index. */
export type PathSegment = { kind: 'name'; name: string } | { kind: 'alias'; alias: string } | { kind: 'index'; index: number };

export interface PathNode {
  kind: 'path';
  segments: PathSegment[];
}

export interface ValueNode {
  kind: 'value';
  /** ":x" as written. */
  alias: string;
}

export interface CallNode {
  kind: 'call';
  name: string;
  args: OperandNode[];
}

/** `a + b`, `a - b`: only on the right of SET. */
export interface ArithmeticNode {
  kind: 'arith';
  op: '+' | '-';
  left: OperandNode;
  right: OperandNode;
}

export type OperandNode = PathNode | ValueNode | CallNode | ArithmeticNode;

export type Comparator = '=' | '<>' | '<' | '<=' | '>' | '>=';

export type ConditionNode =
  | { kind: 'compare'; op: Comparator; left: OperandNode; right: OperandNode }
  | { kind: 'between'; operand: OperandNode; low: OperandNode; high: OperandNode }
  | { kind: 'in'; operand: OperandNode; list: OperandNode[] }
  | { kind: 'and' | 'or'; left: ConditionNode; right: ConditionNode }
  | { kind: 'not'; operand: ConditionNode }
  /** A function used as a condition: attribute_exists(a), begins_with(a, :v), ... */
  | { kind: 'function'; call: CallNode };

export type UpdateSection = 'SET' | 'REMOVE' | 'ADD' | 'DELETE';

export type UpdateAction =
  | { kind: 'SET'; path: PathNode; value: OperandNode }
  | { kind: 'REMOVE'; path: PathNode }
  | { kind: 'ADD'; path: PathNode; value: ValueNode }
  | { kind: 'DELETE'; path: PathNode; value: ValueNode };

export interface UpdateNode {
  actions: UpdateAction[];
}

export interface ProjectionNode {
  paths: PathNode[];
}

// ---- Bound forms: placeholders resolved for one request ----

/** A resolved document path: attribute names and list indexes; the first is always a name. */
export type Path = (string | number)[];

export type BoundOperand =
  | { kind: 'path'; path: Path }
  | { kind: 'value'; value: AttributeValue }
  | { kind: 'size'; arg: BoundOperand }
  | { kind: 'if_not_exists'; path: Path; fallback: BoundOperand }
  | { kind: 'list_append'; left: BoundOperand; right: BoundOperand }
  | { kind: 'arith'; op: '+' | '-'; left: BoundOperand; right: BoundOperand };

export type BoundCondition =
  | { kind: 'compare'; op: Comparator; left: BoundOperand; right: BoundOperand }
  | { kind: 'between'; operand: BoundOperand; low: BoundOperand; high: BoundOperand }
  | { kind: 'in'; operand: BoundOperand; list: BoundOperand[] }
  | { kind: 'and' | 'or'; left: BoundCondition; right: BoundCondition }
  | { kind: 'not'; operand: BoundCondition }
  | { kind: 'attribute_exists' | 'attribute_not_exists'; path: Path }
  | { kind: 'attribute_type'; operand: BoundOperand; type: string }
  | { kind: 'begins_with' | 'contains'; left: BoundOperand; right: BoundOperand };

export type BoundUpdateAction =
  | { kind: 'SET'; path: Path; value: BoundOperand }
  | { kind: 'REMOVE'; path: Path }
  | { kind: 'ADD' | 'DELETE'; path: Path; value: AttributeValue };

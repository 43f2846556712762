/**
 * KeyConditionExpression: the shape DynamoDB allows (`hash = :v` and optionally one range
 * condition: = < <= > >= BETWEEN begins_with), checked first on its own, then against the
 * table's or index's key schema.
 */
import { AwsError } from '../../../protocol/errors.js';
import { typeOf, type AttributeValue } from '../values/attribute-values.js';
import type { BoundCondition, BoundOperand } from './ast.js';

export type KeyOperator = 'EQ' | 'LT' | 'LE' | 'GT' | 'GE' | 'BETWEEN' | 'BEGINS_WITH';

/** One condition on one key attribute. */
export interface KeyPredicate {
  name: string;
  op: KeyOperator;
  /** One value, two for BETWEEN. */
  values: AttributeValue[];
}

/** What a Query reads: one partition, optionally a range of sort keys. */
export interface KeyQuery {
  hash: { name: string; value: AttributeValue };
  range?: KeyPredicate;
}

export interface KeySchema {
  hashKey: string;
  rangeKey?: string;
  /** AttributeDefinitions of the key attributes (S, N or B). */
  types?: Record<string, 'S' | 'N' | 'B'>;
}

function validation(message: string): AwsError {
  return new AwsError('ValidationException', message, 400);
}

const FLIPPED: Record<string, KeyOperator> = { '=': 'EQ', '<': 'GT', '<=': 'GE', '>': 'LT', '>=': 'LE' };
const STRAIGHT: Record<string, KeyOperator> = { '=': 'EQ', '<': 'LT', '<=': 'LE', '>': 'GT', '>=': 'GE' };

/**
 * The key predicates of a bound KeyConditionExpression, or the message (without the
 * "Invalid KeyConditionExpression: " prefix) DynamoDB gives for a shape it does not allow.
 */
export function keyPredicates(cond: BoundCondition): KeyPredicate[] | string {
  const out: KeyPredicate[] = [];
  const visit = (c: BoundCondition): string | undefined => {
    switch (c.kind) {
      case 'and':
        return visit(c.left) ?? visit(c.right);
      case 'or':
      case 'not':
      case 'in':
        return `Invalid operator used in KeyConditionExpression: ${c.kind.toUpperCase()}`;
      case 'attribute_exists':
      case 'attribute_not_exists':
      case 'attribute_type':
      case 'contains':
        return `Invalid operator used in KeyConditionExpression: ${c.kind}`;
      case 'compare': {
        if (c.op === '<>') return 'Invalid operator used in KeyConditionExpression: <>';
        if (c.left.kind === 'size' || c.right.kind === 'size') return 'KeyConditionExpressions cannot contain nested operations';
        const leftKey = c.left.kind === 'path';
        const rightKey = c.right.kind === 'path';
        if (leftKey && rightKey) return 'Invalid condition in KeyConditionExpression: Multiple attribute names used in one condition';
        if (!leftKey && !rightKey) return 'Invalid condition in KeyConditionExpression: No key attribute specified';
        const key = (leftKey ? c.left : c.right) as Extract<BoundOperand, { kind: 'path' }>;
        const value = leftKey ? c.right : c.left;
        return add(key, leftKey ? STRAIGHT[c.op] : FLIPPED[c.op], [value]);
      }
      case 'between': {
        if (c.operand.kind !== 'path') return 'Invalid condition in KeyConditionExpression: BETWEEN operator must have the key attribute as its first operand';
        if (c.low.kind === 'path' || c.high.kind === 'path') return 'Invalid condition in KeyConditionExpression: Multiple attribute names used in one condition';
        return add(c.operand, 'BETWEEN', [c.low, c.high]);
      }
      case 'begins_with': {
        if (c.left.kind !== 'path') return 'Invalid condition in KeyConditionExpression: begins_with operator must have the key attribute as its first operand';
        if (c.right.kind === 'path') return 'Invalid condition in KeyConditionExpression: Multiple attribute names used in one condition';
        return add(c.left, 'BEGINS_WITH', [c.right]);
      }
    }
  };
  const add = (key: Extract<BoundOperand, { kind: 'path' }>, op: KeyOperator, operands: BoundOperand[]): string | undefined => {
    if (key.path.length > 1) return 'KeyConditionExpressions cannot have conditions on nested attributes';
    if (operands.some((o) => o.kind !== 'value')) return 'KeyConditionExpressions cannot contain nested operations';
    const name = key.path[0] as string;
    if (out.some((p) => p.name === name)) return 'KeyConditionExpressions must only contain one condition per key';
    out.push({ name, op, values: operands.map((o) => (o as { value: AttributeValue }).value) });
    return undefined;
  };
  const problem = visit(cond);
  return problem ?? out;
}

/** Matches key predicates to a key schema, with DynamoDB's Query messages. */
export function resolveKeyQuery(predicates: KeyPredicate[], schema: KeySchema): KeyQuery {
  const hash = predicates.find((p) => p.name === schema.hashKey);
  if (!schema.rangeKey && predicates.length > 1) throw validation('Query key condition not supported');
  if (!hash) throw validation(`Query condition missed key schema element: ${schema.hashKey}`);
  const others = predicates.filter((p) => p !== hash);
  const range = others.find((p) => p.name === schema.rangeKey);
  if (others.length > 0 && !range) throw validation(`Query condition missed key schema element: ${schema.rangeKey}`);
  if (others.length > 1) throw validation('Query key condition not supported');
  for (const p of predicates) {
    const type = schema.types?.[p.name];
    if (type && p.values.some((v) => typeOf(v) !== type)) {
      throw validation('One or more parameter values were invalid: Condition parameter type does not match schema type');
    }
  }
  if (hash.op !== 'EQ') throw validation('Query key condition not supported');
  if (range?.op === 'BEGINS_WITH' && schema.types?.[range.name] === 'N') throw validation('Query key condition not supported');
  return { hash: { name: hash.name, value: hash.values[0] }, range };
}

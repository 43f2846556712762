/**
 * The legacy (pre-expression) parameters, translated into the same bound trees as
 * expressions: Expected + ConditionalOperator, KeyConditions, QueryFilter/ScanFilter,
 * AttributeUpdates and AttributesToGet. Messages are DynamoDB's.
 */
import { AwsError } from '../../../protocol/errors.js';
import { compareAttributeValues, normalizeAttributeValue, typeOf, type AttributeValue } from '../values/attribute-values.js';
import type { BoundCondition, BoundOperand, BoundUpdateAction, Comparator } from './ast.js';
import { CompiledCondition, CompiledKeyCondition, CompiledProjection, CompiledUpdate, type CompiledExpressions } from './compile.js';
import type { KeyOperator, KeyPredicate } from './key-condition.js';
import { WRONG_OPERAND_TYPE } from './update.js';

export interface LegacyCondition {
  ComparisonOperator?: string;
  AttributeValueList?: unknown[];
}

export interface LegacyExpected extends LegacyCondition {
  Value?: unknown;
  Exists?: boolean;
}

export interface LegacyInput {
  Expected?: Record<string, LegacyExpected>;
  ConditionalOperator?: string;
  KeyConditions?: Record<string, LegacyCondition>;
  QueryFilter?: Record<string, LegacyCondition>;
  ScanFilter?: Record<string, LegacyCondition>;
  AttributeUpdates?: Record<string, { Value?: unknown; Action?: string }>;
  AttributesToGet?: string[];
}

const INVALID = 'One or more parameter values were invalid: ';

function validation(message: string): AwsError {
  return new AwsError('ValidationException', message, 400);
}

const ARGUMENTS: Record<string, number | 'some'> = {
  NULL: 0, NOT_NULL: 0, EQ: 1, NE: 1, LE: 1, LT: 1, GE: 1, GT: 1, CONTAINS: 1, NOT_CONTAINS: 1, BEGINS_WITH: 1, IN: 'some', BETWEEN: 2,
};
const SCALARS = ['S', 'N', 'B'];
/** Types each operator takes in AttributeValueList (EQ and NE take every type). */
const TYPES: Record<string, string[] | undefined> = {
  LE: SCALARS, LT: SCALARS, GE: SCALARS, GT: SCALARS, CONTAINS: SCALARS, NOT_CONTAINS: SCALARS, BEGINS_WITH: ['S', 'B'], IN: SCALARS, BETWEEN: SCALARS,
};
const COMPARATORS: Record<string, Comparator> = { EQ: '=', NE: '<>', LE: '<=', LT: '<', GE: '>=', GT: '>' };

/** Validates one Condition and returns its values in stored form. */
function conditionValues(c: LegacyCondition): AttributeValue[] {
  const op = c.ComparisonOperator ?? '';
  const list = (c.AttributeValueList ?? []).map((v) => normalizeAttributeValue(v));
  const want = ARGUMENTS[op];
  if (want === undefined) throw validation(`${INVALID}Unsupported operator on KeyConditions: ${op}`);
  if (want === 'some' ? list.length === 0 : list.length !== want) {
    throw validation(`${INVALID}Invalid number of argument(s) for the ${op} ComparisonOperator`);
  }
  if (list.length && list.some((v) => typeOf(v) !== typeOf(list[0]))) {
    throw validation(`${INVALID}AttributeValues inside AttributeValueList must be of same type`);
  }
  const types = TYPES[op];
  for (const v of list) {
    if (types && !types.includes(typeOf(v))) throw validation(`${INVALID}ComparisonOperator ${op} is not valid for ${typeOf(v)} AttributeValue type`);
  }
  if (op === 'BETWEEN' && (compareAttributeValues(list[0], list[1]) ?? 0) > 0) {
    throw validation('The BETWEEN condition was provided a range where the lower bound is greater than the upper bound');
  }
  return list;
}

/** One attribute's Condition as a bound condition. */
function conditionTree(name: string, op: string, values: AttributeValue[]): BoundCondition {
  const path = [name];
  const attr: BoundOperand = { kind: 'path', path };
  const value = (i: number): BoundOperand => ({ kind: 'value', value: values[i] });
  if (op in COMPARATORS) return { kind: 'compare', op: COMPARATORS[op], left: attr, right: value(0) };
  switch (op) {
    case 'NULL':
      return { kind: 'attribute_not_exists', path };
    case 'NOT_NULL':
      return { kind: 'attribute_exists', path };
    case 'CONTAINS':
      return { kind: 'contains', left: attr, right: value(0) };
    case 'NOT_CONTAINS':
      return { kind: 'and', left: { kind: 'attribute_exists', path }, right: { kind: 'not', operand: { kind: 'contains', left: attr, right: value(0) } } };
    case 'BEGINS_WITH':
      return { kind: 'begins_with', left: attr, right: value(0) };
    case 'IN':
      return { kind: 'in', operand: attr, list: values.map((_, i) => value(i)) };
    default:
      return { kind: 'between', operand: attr, low: value(0), high: value(1) };
  }
}

function combine(trees: BoundCondition[], operator: string | undefined): BoundCondition | undefined {
  if (trees.length === 0) return undefined;
  const kind = operator === 'OR' ? 'or' : 'and';
  return trees.reduce((left, right) => ({ kind, left, right }));
}

function conditions(map: Record<string, LegacyCondition>, operator: string | undefined): CompiledCondition | undefined {
  const trees = Object.entries(map).map(([name, c]) => conditionTree(name, c.ComparisonOperator ?? '', conditionValues(c)));
  const tree = combine(trees, operator);
  return tree && new CompiledCondition(tree, Object.keys(map).map((n) => [n]));
}

function expected(map: Record<string, LegacyExpected>, operator: string | undefined): CompiledCondition | undefined {
  const trees = Object.entries(map).map(([name, e]): BoundCondition => {
    if (e.AttributeValueList !== undefined && e.Value !== undefined) {
      throw validation(`${INVALID}Value and AttributeValueList cannot be used together for Attribute: ${name}`);
    }
    if (e.ComparisonOperator !== undefined) {
      if (e.Exists !== undefined) throw validation(`${INVALID}Exists and ComparisonOperator cannot be used together for Attribute: ${name}`);
      const op = e.ComparisonOperator;
      if (op !== 'NULL' && op !== 'NOT_NULL' && e.AttributeValueList === undefined && e.Value === undefined) {
        throw validation(`${INVALID}Value or AttributeValueList must be used with ComparisonOperator: ${op} for Attribute: ${name}`);
      }
      const list = e.AttributeValueList ?? (e.Value !== undefined ? [e.Value] : []);
      return conditionTree(name, op, conditionValues({ ComparisonOperator: op, AttributeValueList: list }));
    }
    if (e.AttributeValueList !== undefined) throw validation(`${INVALID}AttributeValueList can only be used with a ComparisonOperator for Attribute: ${name}`);
    if (e.Exists === false) {
      if (e.Value !== undefined) throw validation(`${INVALID}Value cannot be used when Exists is false for Attribute: ${name}`);
      return { kind: 'attribute_not_exists', path: [name] };
    }
    if (e.Value === undefined) throw validation(`${INVALID}Value must be provided when Exists is ${e.Exists === undefined ? 'null' : e.Exists} for Attribute: ${name}`);
    return conditionTree(name, 'EQ', [normalizeAttributeValue(e.Value)]);
  });
  const tree = combine(trees, operator);
  return tree && new CompiledCondition(tree, Object.keys(map).map((n) => [n]));
}

const KEY_OPERATORS: Record<string, KeyOperator | undefined> = { EQ: 'EQ', LE: 'LE', LT: 'LT', GE: 'GE', GT: 'GT', BEGINS_WITH: 'BEGINS_WITH', BETWEEN: 'BETWEEN' };

function keyConditions(map: Record<string, LegacyCondition>): CompiledKeyCondition {
  const predicates: KeyPredicate[] = Object.entries(map).map(([name, c]) => {
    const values = conditionValues(c);
    const op = KEY_OPERATORS[c.ComparisonOperator ?? ''];
    if (!op) throw validation('Attempted conditional constraint is not an indexable operation');
    return { name, op, values };
  });
  if (predicates.length !== 1 && predicates.length !== 2) throw validation('Conditions can be of length 1 or 2 only');
  const tree = combine(
    predicates.map((p) => conditionTree(p.name, p.op, p.values)),
    'AND',
  )!;
  return new CompiledKeyCondition(predicates, new CompiledCondition(tree, predicates.map((p) => [p.name])));
}

/** AttributeUpdates: its ADD also appends to lists, and its type errors read "Type mismatch for attribute to update". */
class LegacyUpdate extends CompiledUpdate {
  override apply(item: Parameters<CompiledUpdate['apply']>[0], key?: Parameters<CompiledUpdate['apply']>[1]) {
    try {
      return super.apply(item, key);
    } catch (e) {
      if (e instanceof AwsError && e.message === WRONG_OPERAND_TYPE) throw validation('Type mismatch for attribute to update');
      throw e;
    }
  }
}

function attributeUpdates(map: Record<string, { Value?: unknown; Action?: string }>): CompiledUpdate {
  const actions = Object.entries(map).map(([name, u]): BoundUpdateAction => {
    const action = u.Action ?? 'PUT';
    if (u.Value === undefined) {
      if (action !== 'DELETE') throw validation(`${INVALID}Only DELETE action is allowed when no attribute value is specified`);
      return { kind: 'REMOVE', path: [name] };
    }
    const value = normalizeAttributeValue(u.Value);
    const type = typeOf(value);
    if (action === 'DELETE') {
      if (!['SS', 'NS', 'BS'].includes(type)) throw validation(`${INVALID}DELETE action with value is not supported for the type ${type}`);
      return { kind: 'DELETE', path: [name], value };
    }
    if (action === 'ADD') {
      if (!['L', 'SS', 'NS', 'BS', 'N'].includes(type)) throw validation(`${INVALID}ADD action is not supported for the type ${type}`);
      return { kind: 'ADD', path: [name], value };
    }
    return { kind: 'SET', path: [name], value: { kind: 'value', value } };
  });
  return new LegacyUpdate(actions);
}

function attributesToGet(names: string[]): CompiledProjection {
  const seen = new Set<string>();
  for (const n of names) {
    if (seen.has(n)) throw validation(`${INVALID}Duplicate value in attribute name: ${n}`);
    seen.add(n);
  }
  return new CompiledProjection(names.map((n) => [n]));
}

const EXPRESSION_PARAMETERS = ['ProjectionExpression', 'ConditionExpression', 'UpdateExpression', 'KeyConditionExpression', 'FilterExpression'] as const;
const LEGACY_PARAMETERS = ['AttributesToGet', 'Expected', 'AttributeUpdates', 'KeyConditions', 'QueryFilter', 'ScanFilter', 'ConditionalOperator'] as const;

/**
 * DynamoDB refuses a request that mixes expression and legacy parameters (KeyConditions may go
 * with a FilterExpression). Call before compiling either.
 */
export function checkParameterMix(request: Record<string, unknown>): void {
  const expressions = EXPRESSION_PARAMETERS.filter((p) => request[p] !== undefined);
  if (expressions.length === 0) return;
  const legacy = LEGACY_PARAMETERS.filter((p) => request[p] !== undefined && !(p === 'KeyConditions' && request.KeyConditionExpression === undefined));
  if (legacy.length === 0) return;
  throw validation(
    `Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {${legacy.join(', ')}} Expression parameters: {${expressions.join(', ')}}`,
  );
}

/** Compiles the legacy parameters into the same objects compileExpressions returns. */
export function compileLegacy(input: LegacyInput): CompiledExpressions {
  const out: CompiledExpressions = {};
  if (input.AttributeUpdates) out.update = attributeUpdates(input.AttributeUpdates);
  if (input.Expected) out.condition = expected(input.Expected, input.ConditionalOperator);
  if (input.KeyConditions) out.keyCondition = keyConditions(input.KeyConditions);
  const filter = input.QueryFilter ?? input.ScanFilter;
  if (filter) out.filter = conditions(filter, input.ConditionalOperator);
  if (input.AttributesToGet) out.projection = attributesToGet(input.AttributesToGet);
  return out;
}

import {
  checkParameterMix, compileExpressions, compileLegacy, projectPaths, type CompiledExpressions, type KeyQuery, type KeySchema, type LegacyInput, type Path,
} from '../expressions/index.js';
import type { Item } from './item-json.js';
import { validation } from '../errors.js';

/**
 * Where the item operations meet the expression library (expressions/): a request's
 * expressions are compiled once (placeholders checked, AWS's messages) and kept beside
 * the request's input, so authorize (dynamodb:Attributes, LeadingKeys) and run share them.
 */
export interface ExpressionInput extends LegacyInput {
  ConditionExpression?: string;
  FilterExpression?: string;
  ProjectionExpression?: string;
  UpdateExpression?: string;
  KeyConditionExpression?: string;
  ExpressionAttributeNames?: Record<string, string>;
  ExpressionAttributeValues?: Record<string, unknown>;
}

/** Kept on the request's input under a symbol (a WeakMap keyed by every request's input costs the garbage collector dearly). */
const COMPILED = Symbol('dynamodb.compiledExpressions');
type Carrier = ExpressionInput & { [COMPILED]?: CompiledExpressions };

/** The request's expressions, compiled (ValidationException with DynamoDB's message for the first problem). */
export function expressionsOf(input: ExpressionInput): CompiledExpressions {
  // Most item requests (a plain GetItem or PutItem) carry none: nothing to check or compile.
  if (!usesAny(input)) return NONE;
  let c = (input as Carrier)[COMPILED];
  if (!c) {
    checkParameterMix(input as Record<string, unknown>);
    const { Expected, ConditionalOperator, KeyConditions, QueryFilter, ScanFilter, AttributeUpdates, AttributesToGet, ...expressions } = input;
    const legacy = { Expected, ConditionalOperator, KeyConditions, QueryFilter, ScanFilter, AttributeUpdates, AttributesToGet };
    const usesLegacy = Object.values(legacy).some((v) => v !== undefined);
    // The legacy parameters compile to the same objects; KeyConditions may go with a FilterExpression.
    c = usesLegacy ? { ...compileExpressions(expressions), ...compileLegacy(legacy) } : compileExpressions(expressions);
    // Not enumerable: an input spread into another with other expressions must compile its own.
    Object.defineProperty(input, COMPILED, { value: c });
  }
  return c;
}

const NONE: CompiledExpressions = Object.freeze({});

/** Does the request carry any expression, placeholder map or legacy condition parameter? */
function usesAny(input: ExpressionInput): boolean {
  return input.ConditionExpression !== undefined || input.FilterExpression !== undefined || input.ProjectionExpression !== undefined
    || input.UpdateExpression !== undefined || input.KeyConditionExpression !== undefined || input.ExpressionAttributeNames !== undefined
    || input.ExpressionAttributeValues !== undefined || input.Expected !== undefined || input.ConditionalOperator !== undefined
    || input.KeyConditions !== undefined || input.QueryFilter !== undefined || input.ScanFilter !== undefined
    || input.AttributeUpdates !== undefined || input.AttributesToGet !== undefined;
}

/** Does the request carry a condition (ConditionExpression or Expected)? */
export function hasCondition(input: ExpressionInput): boolean {
  return expressionsOf(input).condition !== undefined;
}

/** Refuses bad expressions and placeholders no expression of the request uses. */
export function checkPlaceholders(input: ExpressionInput): void {
  expressionsOf(input);
}

/** Does the item (undefined: none under the key) satisfy the request's ConditionExpression? */
export function conditionHolds(input: ExpressionInput, item: Item | undefined): boolean {
  return expressionsOf(input).condition?.test(item) ?? true;
}

/** Does the item pass the request's FilterExpression? */
export function filterHolds(input: ExpressionInput, item: Item): boolean {
  const filter = expressionsOf(input).filter;
  return filter ? filter.test(item) : true;
}

/** Does the request have a filter (FilterExpression, QueryFilter or ScanFilter)? */
export function filters(input: ExpressionInput): boolean {
  return expressionsOf(input).filter !== undefined;
}

/** Does the request have a projection (ProjectionExpression or AttributesToGet)? */
export function projects(input: ExpressionInput): boolean {
  return expressionsOf(input).projection !== undefined;
}

/** The item as the request's ProjectionExpression (or AttributesToGet) shows it. */
export function projected(input: ExpressionInput, item: Item): Item {
  const projection = expressionsOf(input).projection;
  return projection ? projection.project(item) : item;
}

/** The top-level attribute names a projection reads (dynamodb:Attributes). */
export function projectedNames(input: ExpressionInput): string[] | undefined {
  return expressionsOf(input).projection?.attributes;
}

/** The item after the request's UpdateExpression (a new object; a new item starts from its key), and the paths it wrote. */
export function updated(input: ExpressionInput, item: Item | undefined, key: Item): { item: Item; paths: Path[]; removesOnly: boolean } {
  const update = expressionsOf(input).update;
  if (!update) return { item: item ?? { ...key }, paths: [], removesOnly: false };
  const r = update.apply(item, key);
  return { item: r.item, paths: r.paths, removesOnly: update.removesOnly };
}

/** The top-level attribute names an UpdateExpression writes (dynamodb:Attributes). */
export function updatedNames(input: ExpressionInput): string[] | undefined {
  return expressionsOf(input).update?.attributes;
}

/** A Query's KeyConditionExpression matched to the table's or index's key. */
export function keyQuery(input: ExpressionInput, schema: KeySchema): KeyQuery {
  const key = expressionsOf(input).keyCondition;
  if (!key) throw validation('Either the KeyConditions or KeyConditionExpression parameter must be specified in the request.');
  return key.resolve(schema);
}

export { projectPaths, type Path };

import type { Item } from './item-json.js';
import { validation } from '../errors.js';

/**
 * Where the item operations meet the expression library (expressions/, branch ddb-expr):
 * condition, filter, projection, update and key condition, each with the request's
 * ExpressionAttributeNames/Values. Until that library lands, a request that uses an
 * expression is refused with a ValidationException saying so.
 */
export interface ExpressionInput {
  ConditionExpression?: string;
  FilterExpression?: string;
  ProjectionExpression?: string;
  UpdateExpression?: string;
  KeyConditionExpression?: string;
  ExpressionAttributeNames?: Record<string, string>;
  ExpressionAttributeValues?: Record<string, unknown>;
  AttributesToGet?: string[];
}

function notYet(what: string): never {
  throw validation(`iamlocal does not evaluate ${what} yet`);
}

/** Does the item (undefined: none under the key) satisfy the request's ConditionExpression? */
export function conditionHolds(input: ExpressionInput, item: Item | undefined): boolean {
  if (input.ConditionExpression === undefined) return true;
  void item;
  return notYet('ConditionExpression');
}

/** Does the item pass the request's FilterExpression? */
export function filterHolds(input: ExpressionInput, item: Item): boolean {
  if (input.FilterExpression === undefined) return true;
  void item;
  return notYet('FilterExpression');
}

/** The item as the request's ProjectionExpression (or AttributesToGet) shows it. */
export function projected(input: ExpressionInput, item: Item): Item {
  if (input.ProjectionExpression === undefined) {
    if (!input.AttributesToGet) return item;
    const out: Item = {};
    for (const name of input.AttributesToGet) if (item[name] !== undefined) out[name] = item[name];
    return out;
  }
  return notYet('ProjectionExpression');
}

/** The top-level attribute names a projection reads (dynamodb:Attributes). */
export function projectedNames(input: ExpressionInput): string[] | undefined {
  if (input.AttributesToGet) return input.AttributesToGet;
  return undefined;
}

/** The item after the request's UpdateExpression (a new object; `item` is not changed). */
export function updated(input: ExpressionInput, item: Item): Item {
  if (input.UpdateExpression === undefined) return item;
  return notYet('UpdateExpression');
}

/** The top-level attribute names an UpdateExpression writes (dynamodb:Attributes). */
export function updatedNames(input: ExpressionInput): string[] | undefined {
  void input;
  return undefined;
}

/** A Query's KeyConditionExpression: the partition key value, and the sort key condition if any. */
export interface KeyCondition {
  hash: { name: string; value: import('./item-json.js').AttributeValue };
  range?: { name: string; op: '=' | '<' | '<=' | '>' | '>=' | 'BETWEEN' | 'begins_with'; values: import('./item-json.js').AttributeValue[] };
}

export function keyCondition(input: ExpressionInput): KeyCondition {
  if (input.KeyConditionExpression === undefined) throw validation('Either the KeyConditions or KeyConditionExpression parameter must be specified in the request.');
  return notYet('KeyConditionExpression');
}

/** Refuses placeholders no expression of the request uses, and names/values sent without expressions. */
export function checkPlaceholders(input: ExpressionInput): void {
  void input;
}

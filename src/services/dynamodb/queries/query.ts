import { operation } from '../../operation.js';
import type { RequestContext } from '../../types.js';
import { invalidParameter, validation } from '../errors.js';
import { keyText, tableEntry, tableFor } from '../authz/rules.js';
import { normalizeAttributeValue, type AttributeValue } from '../values/attribute-values.js';
import { keyBytes, prefixEnd } from '../keys/key-bytes.js';
import type { KeyShape } from '../keys/key-schema.js';
import { checkPlaceholders, keyCondition, projectedNames, type KeyCondition } from '../items/expression-use.js';
import { requireTable, tableRef } from '../tables/table-rows.js';
import type { RowRange } from './page-reader.js';
import { indexOf, readPage, selectOf, startAfter, type PageInput } from './read-page.js';

interface QueryInput extends PageInput {
  ScanIndexForward?: boolean;
  KeyConditions?: unknown;
  QueryFilter?: unknown;
}

/** The key condition of a request, parsed once for authorize and run. */
const parsed = new WeakMap<object, KeyCondition>();
function conditionOf(input: QueryInput): KeyCondition {
  let c = parsed.get(input);
  if (!c) {
    c = keyCondition(input);
    parsed.set(input, c);
  }
  return c;
}

/**
 * Query: dynamodb:Query on the table (or …/index/NAME), with LeadingKeys (the partition
 * key value), Attributes (a projection's names) and Select. A range scan of one
 * partition in the store's key order.
 */
export const Query = operation({
  writes: false,
  authorize: (ctx, input: QueryInput) => {
    let leading: string[] | undefined;
    if (tableFor(ctx, input.TableName) && input.KeyConditionExpression !== undefined) {
      const t = keyText(conditionOf(input).hash.value);
      leading = t === undefined ? undefined : [t];
    }
    return tableEntry(ctx, input.TableName, 'dynamodb:Query', {
      leadingKeys: leading,
      attributes: projectedNames(input),
      select: input.Select,
      returnConsumedCapacity: input.ReturnConsumedCapacity,
    }, input.IndexName);
  },
  run: (ctx: RequestContext, input: QueryInput) => {
    if (input.KeyConditions !== undefined || input.QueryFilter !== undefined) {
      throw validation('iamlocal does not support the legacy KeyConditions and QueryFilter parameters; use KeyConditionExpression and FilterExpression');
    }
    checkPlaceholders(input);
    const table = requireTable(ctx.store, tableRef(ctx, input.TableName));
    const index = indexOf(table, input);
    const select = selectOf(input, index);
    const shape = index ? index.key : table.key;
    const range = rangeOf(shape, conditionOf(input), index?.name ?? '', input.ScanIndexForward === false);
    range.after = startAfter(table, index, input);
    return readPage(ctx, table, index, range, input, select);
  },
});

/** The key condition as a range of the store's key: one partition, and sort key bounds. */
function rangeOf(shape: KeyShape, c: KeyCondition, idx: string, backwards: boolean): RowRange {
  if (c.hash.name !== shape.hash) throw validation(`Query condition missed key schema element: ${shape.hash}`);
  const value = (v: AttributeValue, type: string) => {
    const n = normalizeAttributeValue(v);
    if (!(type in n)) throw invalidParameter('Condition parameter type does not match schema type');
    return keyBytes(type as 'S' | 'N' | 'B', n);
  };
  const range: RowRange = { idx, hk: value(c.hash.value, shape.hashType), backwards };
  if (!c.range) return range;
  if (shape.range === undefined || c.range.name !== shape.range) throw validation(`Query key condition not supported`);
  const type = shape.rangeType!;
  const [a, b] = c.range.values.map((v) => value(v, type));
  switch (c.range.op) {
    case '=':
      range.lower = { bytes: a, inclusive: true };
      range.upper = { bytes: a, inclusive: true };
      break;
    case '<':
      range.upper = { bytes: a, inclusive: false };
      break;
    case '<=':
      range.upper = { bytes: a, inclusive: true };
      break;
    case '>':
      range.lower = { bytes: a, inclusive: false };
      break;
    case '>=':
      range.lower = { bytes: a, inclusive: true };
      break;
    case 'BETWEEN':
      if (Buffer.compare(a, b) > 0) {
        throw validation('Invalid KeyConditionExpression: The BETWEEN operator requires upper bound to be greater than or equal to lower bound');
      }
      range.lower = { bytes: a, inclusive: true };
      range.upper = { bytes: b, inclusive: true };
      break;
    case 'begins_with': {
      if (type === 'N') throw validation('Invalid KeyConditionExpression: Incorrect operand type for operator or function; operator or function: begins_with, operand type: N');
      range.lower = { bytes: a, inclusive: true };
      const end = prefixEnd(a);
      if (end) range.upper = { bytes: end, inclusive: false };
      break;
    }
  }
  return range;
}

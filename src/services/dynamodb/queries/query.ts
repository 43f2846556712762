import { operation } from '../../operation.js';
import type { RequestContext } from '../../types.js';
import { validation } from '../errors.js';
import { keyText, tableEntry, tableFor } from '../authz/rules.js';
import type { KeySchema } from '../expressions/index.js';
import { normalizeAttributeValue, type AttributeValue } from '../values/attribute-values.js';
import { keyBytes, prefixEnd } from '../keys/key-bytes.js';
import type { KeyShape } from '../keys/key-schema.js';
import { checkPlaceholders, keyQuery, projectedNames } from '../items/expression-use.js';
import type { KeyQuery } from '../expressions/index.js';
import { itemTable } from '../tables/table-rows.js';
import type { RowRange } from './page-reader.js';
import { indexOf, readPage, selectOf, startAfter, type PageInput } from './read-page.js';

interface QueryInput extends PageInput {
  ScanIndexForward?: boolean;
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
    const table = tableFor(ctx, input.TableName);
    const index = input.IndexName === undefined ? undefined : table?.indexes.get(input.IndexName);
    if (table && (input.IndexName === undefined || index) && (input.KeyConditionExpression !== undefined || input.KeyConditions !== undefined)) {
      // LeadingKeys is the table's partition key: for a GSI keyed otherwise, none is known.
      const shape = index ? index.key : table.key;
      if (shape.hash === table.key.hash) {
        const t = keyText(keyQuery(input, schemaOf(shape)).hash.value);
        leading = t === undefined ? undefined : [t];
      }
    }
    return tableEntry(ctx, input.TableName, 'dynamodb:Query', {
      leadingKeys: leading,
      attributes: projectedNames(input),
      select: input.Select,
      returnConsumedCapacity: input.ReturnConsumedCapacity,
    }, input.IndexName);
  },
  run: (ctx: RequestContext, input: QueryInput) => {
    checkPlaceholders(input);
    const table = itemTable(ctx, input.TableName);
    const index = indexOf(table, input);
    const select = selectOf(input, index);
    const shape = index ? index.key : table.key;
    const range = rangeOf(shape, keyQuery(input, schemaOf(shape)), index?.name ?? '', input.ScanIndexForward === false);
    range.after = startAfter(table, index, input);
    return readPage(ctx, table, index, range, input, select);
  },
});

function schemaOf(shape: KeyShape): KeySchema {
  const types: Record<string, 'S' | 'N' | 'B'> = { [shape.hash]: shape.hashType };
  if (shape.range !== undefined) types[shape.range] = shape.rangeType!;
  return { hashKey: shape.hash, rangeKey: shape.range, types };
}

/** The key condition as a range of the store's key: one partition, and sort key bounds. */
function rangeOf(shape: KeyShape, c: KeyQuery, idx: string, backwards: boolean): RowRange {
  const value = (v: AttributeValue, type: 'S' | 'N' | 'B') => keyBytes(type, normalizeAttributeValue(v));
  const range: RowRange = { idx, hk: value(c.hash.value, shape.hashType), backwards };
  if (!c.range) return range;
  const type = shape.rangeType!;
  const [a, b] = c.range.values.map((v) => value(v, type));
  switch (c.range.op) {
    case 'EQ':
      range.lower = { bytes: a, inclusive: true };
      range.upper = { bytes: a, inclusive: true };
      break;
    case 'LT':
      range.upper = { bytes: a, inclusive: false };
      break;
    case 'LE':
      range.upper = { bytes: a, inclusive: true };
      break;
    case 'GT':
      range.lower = { bytes: a, inclusive: false };
      break;
    case 'GE':
      range.lower = { bytes: a, inclusive: true };
      break;
    case 'BETWEEN':
      if (Buffer.compare(a, b) > 0) {
        throw validation('Invalid KeyConditionExpression: The BETWEEN operator requires upper bound to be greater than or equal to lower bound');
      }
      range.lower = { bytes: a, inclusive: true };
      range.upper = { bytes: b, inclusive: true };
      break;
    case 'BEGINS_WITH': {
      range.lower = { bytes: a, inclusive: true };
      const end = prefixEnd(a);
      if (end) range.upper = { bytes: end, inclusive: false };
      break;
    }
  }
  return range;
}

import type { RequestContext } from '../../types.js';
import { invalidParameter, validation } from '../errors.js';
import { normalizeItem } from '../values/attribute-values.js';
import { checkKeyOf } from '../keys/key-check.js';
import { EMPTY } from '../keys/key-bytes.js';
import { consumed, readUnits, type CapacityMode } from '../items/capacity.js';
import type { RawJson } from '../../../protocol/index.js';
import { filterHolds, filters, projected, type ExpressionInput } from '../items/expression-use.js';
import { rawItem, type Item } from '../items/item-json.js';
import { baseOf, keyBytesOf } from '../items/item-rows.js';
import type { Index, Table } from '../tables/table-rows.js';
import { baseItem, PAGE_BYTES, parseRow, positionIn, rowsIn, type Row, type RowRange } from './page-reader.js';

export type Select = 'ALL_ATTRIBUTES' | 'ALL_PROJECTED_ATTRIBUTES' | 'SPECIFIC_ATTRIBUTES' | 'COUNT';

export interface PageInput extends ExpressionInput {
  TableName: string;
  IndexName?: string;
  Select?: Select;
  Limit?: number;
  ConsistentRead?: boolean;
  ExclusiveStartKey?: Record<string, unknown>;
  ReturnConsumedCapacity?: CapacityMode;
}

/** The index a Query or Scan names, checked; undefined for the table itself. */
export function indexOf(table: Table, input: PageInput): Index | undefined {
  if (input.IndexName === undefined) return undefined;
  const index = table.indexes.get(input.IndexName);
  if (!index) throw validation(`The table does not have the specified index: ${input.IndexName}`);
  if (index.kind === 'global' && input.ConsistentRead) throw validation('Consistent reads are not supported on global secondary indexes');
  return index;
}

/** Select, as the request gives it or as DynamoDB defaults it; refused where DynamoDB refuses it. */
export function selectOf(input: PageInput, index: Index | undefined): Select {
  const select = input.Select ?? (input.ProjectionExpression !== undefined || input.AttributesToGet ? 'SPECIFIC_ATTRIBUTES' : index ? 'ALL_PROJECTED_ATTRIBUTES' : 'ALL_ATTRIBUTES');
  if ((input.ProjectionExpression !== undefined || input.AttributesToGet) && select !== 'SPECIFIC_ATTRIBUTES') {
    throw validation(`Cannot specify the ${input.ProjectionExpression !== undefined ? 'ProjectionExpression' : 'AttributesToGet'} when choosing to get ${select}`);
  }
  if (select === 'ALL_PROJECTED_ATTRIBUTES' && !index) throw validation('ALL_PROJECTED_ATTRIBUTES can be used only when Querying using an IndexName');
  if (select === 'ALL_ATTRIBUTES' && index?.kind === 'global' && index.spec.Projection.ProjectionType !== 'ALL') {
    throw invalidParameter(`Select type ALL_ATTRIBUTES is not supported for global secondary index ${index.name} because its projection type is not ALL`);
  }
  return select;
}

/** ExclusiveStartKey as a position: the table's key (and the index's key, reading an index). */
export function startAfter(table: Table, index: Index | undefined, input: PageInput): RowRange['after'] {
  if (!input.ExclusiveStartKey) return undefined;
  const raw = normalizeItem(input.ExclusiveStartKey);
  const invalid = () => validation('The provided starting key is invalid: The provided key element does not match the schema');
  try {
    if (!index) {
      const key = checkKeyOf(table.key, raw);
      const b = keyBytesOf(table.key, key);
      return { hk: b.hk, rk: b.rk, base: EMPTY };
    }
    const tablePart: Item = {};
    const indexPart: Item = {};
    for (const n of [table.key.hash, table.key.range]) if (n !== undefined && raw[n]) tablePart[n] = raw[n];
    for (const n of [index.key.hash, index.key.range]) if (n !== undefined && raw[n]) indexPart[n] = raw[n];
    const names = new Set([...Object.keys(tablePart), ...Object.keys(indexPart)]);
    if (Object.keys(raw).some((n) => !names.has(n))) throw invalid();
    const tk = keyBytesOf(table.key, checkKeyOf(table.key, tablePart));
    const ik = keyBytesOf(index.key, checkKeyOf(index.key, indexPart));
    return { hk: ik.hk, rk: ik.rk, base: baseOf(tk) };
  } catch (e) {
    if (e instanceof Error && (e as { code?: string }).code === 'ValidationException') throw invalid();
    throw e;
  }
}

/** The key DynamoDB hands back as LastEvaluatedKey for an item read from the table or an index. */
function lastKeyOf(table: Table, index: Index | undefined, item: Item): Item {
  const out: Item = {};
  for (const n of [table.key.hash, table.key.range, index?.key.hash, index?.key.range]) if (n !== undefined && item[n]) out[n] = item[n];
  return out;
}

/**
 * One page of a Query or Scan: rows in key order until Limit items were read or 1 MB
 * scanned, each then filtered (FilterExpression applies after the Limit, as in DynamoDB)
 * and shaped by Select and the projection.
 */
export function readPage(
  ctx: RequestContext, table: Table, index: Index | undefined, range: RowRange, input: PageInput, select: Select, accept?: (row: Row) => boolean,
): Record<string, unknown> {
  const limit = input.Limit ?? Infinity;
  const items: Array<Item | RawJson> = [];
  let scanned = 0;
  let count = 0;
  let bytes = 0;
  let last: Row | undefined;
  let stopped = false;
  const fetchAll = select === 'ALL_ATTRIBUTES' && index?.kind === 'local' && index.spec.Projection.ProjectionType !== 'ALL';
  // Rows shown whole and tested by nothing are answered with their stored text, never parsed.
  const asStored = !fetchAll && select !== 'SPECIFIC_ATTRIBUTES' && !filters(input);
  const position = (row: Row) => positionIn(table, index, parseRow(row));
  for (const row of rowsIn(ctx.store, table, range, Math.min(limit, 1000), position, accept !== undefined)) {
    if (accept && !accept(row)) continue;
    scanned++;
    bytes += row.size;
    last = row;
    if (asStored) {
      count++;
      if (select !== 'COUNT') items.push(rawItem(row.item));
    } else {
      let item = parseRow(row);
      if (fetchAll) item = baseItem(ctx.store, table, item) ?? item;
      if (filterHolds(input, item)) {
        count++;
        if (select !== 'COUNT') items.push(select === 'SPECIFIC_ATTRIBUTES' ? projected(input, item) : item);
      }
    }
    if (scanned >= limit || bytes >= PAGE_BYTES) {
      stopped = true;
      break;
    }
  }
  return {
    ...(select === 'COUNT' ? {} : { Items: items }),
    Count: count,
    ScannedCount: scanned,
    LastEvaluatedKey: stopped && last ? lastKeyOf(table, index, parseRow(last)) : undefined,
    ConsumedCapacity: consumed(table, input.ReturnConsumedCapacity, 'read', readUnits(bytes, input.ConsistentRead)),
  };
}

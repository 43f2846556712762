import { operation } from '../../operation.js';
import type { RequestContext } from '../../types.js';
import { invalidParameter } from '../errors.js';
import { leadingKeys, tableEntry, tableFor } from '../authz/rules.js';
import { attributeValuesEqual } from '../values/attribute-values.js';
import { checkItemSize, UPDATED_ITEM_TOO_LARGE } from '../values/item-size.js';
import { checkItemKeys } from '../keys/key-check.js';
import { itemTable, type Table } from '../tables/table-rows.js';
import { consumed, writeUnits, type CapacityMode } from './capacity.js';
import { checkPlaceholders, projectPaths, updated, updatedNames, type Path } from './expression-use.js';
import { keyFromRequest, requireCondition, type ConditionInput } from './item-input.js';
import type { Item } from './item-json.js';
import { readItem, writeItem, type StoredItem } from './item-rows.js';

export interface UpdateItemInput extends ConditionInput {
  TableName: string;
  Key: Record<string, unknown>;
  ReturnValues?: 'NONE' | 'ALL_OLD' | 'UPDATED_OLD' | 'ALL_NEW' | 'UPDATED_NEW';
  ReturnConsumedCapacity?: CapacityMode;
}

/** UpdateItem: dynamodb:UpdateItem with LeadingKeys, Attributes (the key and what the update writes), ReturnValues. */
export const UpdateItem = operation({
  writes: true,
  authorize: (ctx, input: UpdateItemInput) => {
    const table = tableFor(ctx, input.TableName);
    const names = updatedNames(input);
    return tableEntry(ctx, input.TableName, 'dynamodb:UpdateItem', {
      leadingKeys: leadingKeys(table, [input.Key as Item]),
      attributes: names ? [...new Set([...Object.keys(input.Key), ...names])] : undefined,
      returnValues: input.ReturnValues,
      returnConsumedCapacity: input.ReturnConsumedCapacity,
    });
  },
  run: (ctx: RequestContext, input: UpdateItemInput) => {
    checkPlaceholders(input);
    const table = itemTable(ctx, input.TableName);
    const { key, bytes } = keyFromRequest(table, input.Key);
    const old = readItem(ctx.store, table, bytes);
    requireCondition(input, old);
    const { item, stored, paths } = applyUpdate(ctx, table, key, old, input);
    return {
      Attributes: returnedAttributes(input.ReturnValues, old?.item, item, paths),
      ConsumedCapacity: consumed(table, input.ReturnConsumedCapacity, 'write', writeUnits(Math.max(stored?.size ?? 0, old?.size ?? 0))),
    };
  },
});

/**
 * The update applied to the item under key (or to the key alone), checked and written.
 * An update that only removes leaves a missing item missing (item and stored undefined),
 * as DynamoDB does. Shared with TransactWriteItems.
 */
export function applyUpdate(
  ctx: RequestContext, table: Table, key: Item, old: StoredItem | undefined, input: UpdateItemInput,
): { item: Item | undefined; stored: StoredItem | undefined; paths: Path[] } {
  const { item, paths, removesOnly } = updated(input, old?.item, key);
  for (const name of Object.keys(key)) {
    if (!item[name] || !attributeValuesEqual(item[name], key[name])) throw invalidParameter(`Cannot update attribute ${name}. This attribute is part of the key`);
  }
  checkItemKeys(table, item);
  checkItemSize(item, UPDATED_ITEM_TOO_LARGE);
  if (!old && removesOnly) return { item: undefined, stored: undefined, paths };
  return { item, stored: writeItem(ctx.store, table, item, old), paths };
}

/** ReturnValues: the whole item, or only what the update wrote, before or after. */
function returnedAttributes(mode: UpdateItemInput['ReturnValues'], before: Item | undefined, after: Item | undefined, paths: Path[]): Item | undefined {
  if (mode === undefined || mode === 'NONE') return undefined;
  if (mode === 'ALL_OLD') return before;
  if (mode === 'ALL_NEW') return after;
  const source = mode === 'UPDATED_OLD' ? before : after;
  if (!source || paths.length === 0) return undefined;
  const out = projectPaths(source, paths);
  return Object.keys(out).length ? out : undefined;
}

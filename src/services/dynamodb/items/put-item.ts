import { operation } from '../../operation.js';
import type { RequestContext } from '../../types.js';
import { validation } from '../errors.js';
import { leadingKeys, tableEntry, tableFor } from '../authz/rules.js';
import { itemTable } from '../tables/table-rows.js';
import { consumed, writeUnits, type CapacityMode } from './capacity.js';
import { checkPlaceholders, hasCondition } from './expression-use.js';
import { itemFromRequest, requireCondition, type ConditionInput } from './item-input.js';
import type { Item } from './item-json.js';
import { keyBytesOf, readItem, writeItem } from './item-rows.js';

interface PutItemInput extends ConditionInput {
  TableName: string;
  Item: Record<string, unknown>;
  ReturnValues?: string;
  ReturnConsumedCapacity?: CapacityMode;
}

/** PutItem: dynamodb:PutItem with LeadingKeys, Attributes (the item's names), ReturnValues. */
export const PutItem = operation({
  writes: true,
  authorize: (ctx, input: PutItemInput) => {
    const table = tableFor(ctx, input.TableName);
    return tableEntry(ctx, input.TableName, 'dynamodb:PutItem', {
      leadingKeys: leadingKeys(table, [input.Item as Item]),
      attributes: Object.keys(input.Item),
      returnValues: input.ReturnValues,
      returnConsumedCapacity: input.ReturnConsumedCapacity,
    });
  },
  run: (ctx: RequestContext, input: PutItemInput) => {
    if (input.ReturnValues !== undefined && input.ReturnValues !== 'NONE' && input.ReturnValues !== 'ALL_OLD') {
      throw validation('ReturnValues can only be ALL_OLD or NONE');
    }
    checkPlaceholders(input);
    const table = itemTable(ctx, input.TableName);
    const item = itemFromRequest(table, input.Item);
    // The item it replaces matters only to a condition, ALL_OLD, consumed capacity (the larger
    // of the two sizes) and index entries; otherwise the upsert replaces it unread.
    const needsOld = hasCondition(input) || input.ReturnValues === 'ALL_OLD' || table.indexes.size > 0
      || input.ReturnConsumedCapacity === 'TOTAL' || input.ReturnConsumedCapacity === 'INDEXES';
    const old = needsOld ? readItem(ctx.store, table, keyBytesOf(table.key, item)) : undefined;
    requireCondition(input, old);
    const stored = writeItem(ctx.store, table, item, old);
    return {
      Attributes: input.ReturnValues === 'ALL_OLD' ? old?.item : undefined,
      ConsumedCapacity: consumed(table, input.ReturnConsumedCapacity, 'write', writeUnits(Math.max(stored.size, old?.size ?? 0))),
    };
  },
});

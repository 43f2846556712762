import { operation } from '../../operation.js';
import type { RequestContext } from '../../types.js';
import { validation } from '../errors.js';
import { leadingKeys, tableEntry, tableFor } from '../authz/rules.js';
import { itemTable } from '../tables/table-rows.js';
import { consumed, writeUnits, type CapacityMode } from './capacity.js';
import { checkPlaceholders } from './expression-use.js';
import { keyFromRequest, requireCondition, type ConditionInput } from './item-input.js';
import type { Item } from './item-json.js';
import { deleteItem, readItem } from './item-rows.js';

interface DeleteItemInput extends ConditionInput {
  TableName: string;
  Key: Record<string, unknown>;
  ReturnValues?: string;
  ReturnConsumedCapacity?: CapacityMode;
}

/** DeleteItem: dynamodb:DeleteItem with LeadingKeys and ReturnValues. Deleting nothing succeeds. */
export const DeleteItem = operation({
  writes: true,
  authorize: (ctx, input: DeleteItemInput) => {
    const table = tableFor(ctx, input.TableName);
    return tableEntry(ctx, input.TableName, 'dynamodb:DeleteItem', {
      leadingKeys: leadingKeys(table, [input.Key as Item]),
      returnValues: input.ReturnValues,
      returnConsumedCapacity: input.ReturnConsumedCapacity,
    });
  },
  run: (ctx: RequestContext, input: DeleteItemInput) => {
    if (input.ReturnValues !== undefined && input.ReturnValues !== 'NONE' && input.ReturnValues !== 'ALL_OLD') {
      throw validation('ReturnValues can only be ALL_OLD or NONE');
    }
    checkPlaceholders(input);
    const table = itemTable(ctx, input.TableName);
    const { bytes } = keyFromRequest(table, input.Key);
    const old = readItem(ctx.store, table, bytes);
    requireCondition(input, old);
    if (old) deleteItem(ctx.store, table, old);
    return {
      Attributes: input.ReturnValues === 'ALL_OLD' ? old?.item : undefined,
      ConsumedCapacity: consumed(table, input.ReturnConsumedCapacity, 'write', writeUnits(old?.size ?? 0)),
    };
  },
});

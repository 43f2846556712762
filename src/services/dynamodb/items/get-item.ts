import { operation } from '../../operation.js';
import type { RequestContext } from '../../types.js';
import { leadingKeys, tableEntry, tableFor } from '../authz/rules.js';
import { itemTable } from '../tables/table-rows.js';
import { consumed, readUnits, type CapacityMode } from './capacity.js';
import { checkPlaceholders, projected, projectedNames, projects, type ExpressionInput } from './expression-use.js';
import { keyFromRequest } from './item-input.js';
import { rawItem, type Item } from './item-json.js';
import { readItem } from './item-rows.js';

interface GetItemInput extends ExpressionInput {
  TableName: string;
  Key: Record<string, unknown>;
  ConsistentRead?: boolean;
  ReturnConsumedCapacity?: CapacityMode;
}

/** GetItem: dynamodb:GetItem with LeadingKeys and, with a projection, Attributes. */
export const GetItem = operation({
  writes: false,
  authorize: (ctx, input: GetItemInput) => {
    const table = tableFor(ctx, input.TableName);
    return tableEntry(ctx, input.TableName, 'dynamodb:GetItem', {
      leadingKeys: leadingKeys(table, [input.Key as Item]),
      attributes: projectedNames(input),
      returnConsumedCapacity: input.ReturnConsumedCapacity,
    });
  },
  run: (ctx: RequestContext, input: GetItemInput) => {
    checkPlaceholders(input);
    const table = itemTable(ctx, input.TableName);
    const { bytes } = keyFromRequest(table, input.Key);
    const found = readItem(ctx.store, table, bytes);
    return {
      Item: !found ? undefined : projects(input) ? projected(input, found.item) : rawItem(found.text),
      ConsumedCapacity: consumed(table, input.ReturnConsumedCapacity, 'read', readUnits(found?.size ?? 0, input.ConsistentRead)),
    };
  },
});

import { operation } from '../../operation.js';
import type { AuthzEntry, RequestContext } from '../../types.js';
import { validation } from '../errors.js';
import { leadingKeys, tableEntry, tableFor } from '../authz/rules.js';
import { consumed, readUnits, type CapacityMode } from '../items/capacity.js';
import { checkPlaceholders, projected, projectedNames, type ExpressionInput } from '../items/expression-use.js';
import { keyFromRequest } from '../items/item-input.js';
import type { Item } from '../items/item-json.js';
import { readItem } from '../items/item-rows.js';
import { itemTable } from '../tables/table-rows.js';

/** DynamoDB's limit on the actions of one transaction. */
export const MAX_TRANSACTION_ITEMS = 100;

interface Get extends ExpressionInput {
  TableName: string;
  Key: Record<string, unknown>;
}

interface TransactGetItemsInput {
  TransactItems: Array<{ Get: Get }>;
  ReturnConsumedCapacity?: CapacityMode;
}

/** TransactGetItems: dynamodb:GetItem per item, all read in one snapshot. */
export const TransactGetItems = operation({
  writes: false,
  authorize: (ctx, input: TransactGetItemsInput) =>
    input.TransactItems.map(({ Get: g }): AuthzEntry =>
      tableEntry(ctx, g.TableName, 'dynamodb:GetItem', {
        leadingKeys: leadingKeys(tableFor(ctx, g.TableName), [g.Key as Item]),
        attributes: projectedNames(g),
        returnConsumedCapacity: input.ReturnConsumedCapacity,
      })),
  run: (ctx: RequestContext, input: TransactGetItemsInput) => {
    if (input.TransactItems.length > MAX_TRANSACTION_ITEMS) {
      throw validation(`1 validation error detected: Value at 'transactItems' failed to satisfy constraint: Member must have length less than or equal to ${MAX_TRANSACTION_ITEMS}`);
    }
    const reads = input.TransactItems.map(({ Get: g }) => {
      checkPlaceholders(g);
      const table = itemTable(ctx, g.TableName);
      return { g, table, key: keyFromRequest(table, g.Key) };
    });
    const seen = new Set<string>();
    for (const r of reads) {
      const id = `${r.table.arn}/${r.key.bytes.hk.toString('hex')}/${r.key.bytes.rk.toString('hex')}`;
      if (seen.has(id)) throw validation('Transaction request cannot include multiple operations on one item');
      seen.add(id);
    }
    const units = new Map<string, { table: (typeof reads)[number]['table']; units: number }>();
    const Responses = reads.map(({ g, table, key }) => {
      const stored = readItem(ctx.store, table, key.bytes);
      const u = units.get(table.arn) ?? { table, units: 0 };
      u.units += 2 * readUnits(stored?.size ?? 0, true);
      units.set(table.arn, u);
      return stored ? { Item: projected(g, stored.item) } : {};
    });
    const capacity = [...units.values()].map((u) => consumed(u.table, input.ReturnConsumedCapacity, 'read', u.units)).filter((c) => c !== undefined);
    return { Responses, ConsumedCapacity: capacity.length ? capacity : undefined };
  },
});

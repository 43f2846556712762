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

/** DynamoDB's limits on one BatchGetItem: 100 keys, 16 MB of items in the answer. */
export const MAX_BATCH_GET_KEYS = 100;
export const MAX_BATCH_GET_BYTES = 16 * 1024 * 1024;

interface KeysAndAttributes extends ExpressionInput {
  Keys: Array<Record<string, unknown>>;
  ConsistentRead?: boolean;
}

interface BatchGetItemInput {
  RequestItems: Record<string, KeysAndAttributes>;
  ReturnConsumedCapacity?: CapacityMode;
}

/**
 * BatchGetItem: dynamodb:BatchGetItem on each table named, with that table's LeadingKeys.
 * Keys past the 16 MB answer limit come back in UnprocessedKeys (empty when all were read).
 */
export const BatchGetItem = operation({
  writes: false,
  authorize: (ctx, input: BatchGetItemInput) =>
    Object.entries(input.RequestItems).map(([name, req]): AuthzEntry =>
      tableEntry(ctx, name, 'dynamodb:BatchGetItem', {
        leadingKeys: leadingKeys(tableFor(ctx, name), req.Keys as Item[]),
        attributes: projectedNames(req),
        returnConsumedCapacity: input.ReturnConsumedCapacity,
      })),
  run: (ctx: RequestContext, input: BatchGetItemInput) => {
    const total = Object.values(input.RequestItems).reduce((n, r) => n + r.Keys.length, 0);
    if (total > MAX_BATCH_GET_KEYS) throw validation('Too many items requested for the BatchGetItem call');
    const tables = Object.entries(input.RequestItems).map(([name, req]) => {
      checkPlaceholders(req);
      const table = itemTable(ctx, name);
      const keys = req.Keys.map((k) => keyFromRequest(table, k));
      const seen = new Set<string>();
      for (const k of keys) {
        const id = `${k.bytes.hk.toString('hex')}/${k.bytes.rk.toString('hex')}`;
        if (seen.has(id)) throw validation('Provided list of item keys contains duplicates');
        seen.add(id);
      }
      return { name, req, table, keys };
    });
    const Responses: Record<string, Item[]> = {};
    const UnprocessedKeys: Record<string, KeysAndAttributes> = {};
    const capacity: Array<Record<string, unknown>> = [];
    let bytes = 0;
    for (const { name, req, table, keys } of tables) {
      const found: Item[] = [];
      let tableBytes = 0;
      for (const k of keys) {
        if (bytes >= MAX_BATCH_GET_BYTES) {
          (UnprocessedKeys[name] ??= { ...req, Keys: [] }).Keys.push(k.key);
          continue;
        }
        const stored = readItem(ctx.store, table, k.bytes);
        if (!stored) continue;
        bytes += stored.size;
        tableBytes += stored.size;
        found.push(projected(req, stored.item));
      }
      Responses[name] = found;
      const c = consumed(table, input.ReturnConsumedCapacity, 'read', readUnits(tableBytes, req.ConsistentRead));
      if (c) capacity.push(c);
    }
    return { Responses, UnprocessedKeys, ConsumedCapacity: input.ReturnConsumedCapacity && input.ReturnConsumedCapacity !== 'NONE' ? capacity : undefined };
  },
});

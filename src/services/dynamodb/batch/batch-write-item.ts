import { operation } from '../../operation.js';
import type { AuthzEntry, RequestContext } from '../../types.js';
import { validation } from '../errors.js';
import { leadingKeys, tableEntry, tableFor } from '../authz/rules.js';
import { consumed, writeUnits, type CapacityMode } from '../items/capacity.js';
import { itemFromRequest, keyFromRequest } from '../items/item-input.js';
import type { Item } from '../items/item-json.js';
import { deleteItem, keyBytesOf, readItem, writeItem } from '../items/item-rows.js';
import { itemTable } from '../tables/table-rows.js';

/** DynamoDB's limit on one BatchWriteItem: 25 put or delete requests. */
export const MAX_BATCH_WRITES = 25;

interface WriteRequest {
  PutRequest?: { Item: Record<string, unknown> };
  DeleteRequest?: { Key: Record<string, unknown> };
}

interface BatchWriteItemInput {
  RequestItems: Record<string, WriteRequest[]>;
  ReturnConsumedCapacity?: CapacityMode;
  ReturnItemCollectionMetrics?: string;
}

/**
 * BatchWriteItem: dynamodb:BatchWriteItem on each table, with its LeadingKeys and the
 * attribute names it puts. Every request is checked before any is written; all are
 * written (UnprocessedItems is empty: nothing here throttles).
 */
export const BatchWriteItem = operation({
  writes: true,
  authorize: (ctx, input: BatchWriteItemInput) =>
    Object.entries(input.RequestItems).map(([name, reqs]): AuthzEntry => {
      const items = reqs.map((r) => (r.PutRequest?.Item ?? r.DeleteRequest?.Key) as Item | undefined);
      const attributes = [...new Set(reqs.flatMap((r) => Object.keys(r.PutRequest?.Item ?? r.DeleteRequest?.Key ?? {})))];
      return tableEntry(ctx, name, 'dynamodb:BatchWriteItem', {
        leadingKeys: leadingKeys(tableFor(ctx, name), items),
        attributes,
        returnConsumedCapacity: input.ReturnConsumedCapacity,
      });
    }),
  run: (ctx: RequestContext, input: BatchWriteItemInput) => {
    const total = Object.values(input.RequestItems).reduce((n, r) => n + r.length, 0);
    if (total > MAX_BATCH_WRITES) throw validation('Too many items requested for the BatchWriteItem call');
    const plans = Object.entries(input.RequestItems).map(([name, reqs]) => {
      const table = itemTable(ctx, name);
      const seen = new Set<string>();
      const writes = reqs.map((r) => {
        if ((r.PutRequest === undefined) === (r.DeleteRequest === undefined)) {
          throw validation('1 validation error detected: Value null at \'requestItems.' + name + '.member\' failed to satisfy constraint: A WriteRequest must contain exactly one of PutRequest or DeleteRequest');
        }
        const put = r.PutRequest ? itemFromRequest(table, r.PutRequest.Item) : undefined;
        const bytes = put ? keyBytesOf(table.key, put) : keyFromRequest(table, r.DeleteRequest!.Key).bytes;
        const id = `${bytes.hk.toString('hex')}/${bytes.rk.toString('hex')}`;
        if (seen.has(id)) throw validation('Provided list of item keys contains duplicates');
        seen.add(id);
        return { put, bytes };
      });
      return { table, writes };
    });
    const capacity: Array<Record<string, unknown>> = [];
    for (const { table, writes } of plans) {
      let units = 0;
      for (const w of writes) {
        const old = readItem(ctx.store, table, w.bytes);
        if (w.put) units += writeUnits(writeItem(ctx.store, table, w.put, old).size);
        else {
          units += writeUnits(old?.size ?? 0);
          if (old) deleteItem(ctx.store, table, old);
        }
      }
      const c = consumed(table, input.ReturnConsumedCapacity, 'write', units);
      if (c) capacity.push(c);
    }
    return { UnprocessedItems: {}, ConsumedCapacity: input.ReturnConsumedCapacity && input.ReturnConsumedCapacity !== 'NONE' ? capacity : undefined };
  },
});

import type { RequestContext } from '../../types.js';
import { itemFromText } from '../items/item-json.js';
import { deleteItem } from '../items/item-rows.js';
import { findTable } from '../tables/table-rows.js';

/** DynamoDB leaves alone items whose expiry is more than five years in the past. */
const FIVE_YEARS_S = 5 * 365 * 86_400;

/**
 * TTL by the server clock (the services' housekeeping hook, src/server/housekeeping.ts):
 * every item whose TTL attribute is at or before now (and within the last five years) is
 * deleted with its index entries, as DynamoDB's background process deletes it. Returns
 * how many were.
 */
export function expireItems(ctx: RequestContext): number {
  const nowS = Math.floor(ctx.now / 1000);
  const rows = ctx.store
    .prepare<{ account_id: string; region: string; table_name: string; item: string; size: number }>(
      `SELECT account_id, region, table_name, item, size FROM ddb_items WHERE expires IS NOT NULL AND idx = '' AND expires <= ? AND expires >= ?`,
    )
    .all(nowS, nowS - FIVE_YEARS_S);
  let done = 0;
  for (const r of rows) {
    const table = findTable(ctx.store, { accountId: r.account_id, region: r.region, name: r.table_name });
    if (!table?.ttlAttribute) continue;
    deleteItem(ctx.store, table, { item: itemFromText(r.item), text: r.item, size: r.size });
    done++;
  }
  return done;
}

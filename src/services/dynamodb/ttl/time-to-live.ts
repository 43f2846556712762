import { operation } from '../../operation.js';
import type { RequestContext } from '../../types.js';
import { validation } from '../errors.js';
import { tableEntry } from '../authz/rules.js';
import { itemFromText } from '../items/item-json.js';
import { expiresOf } from '../items/item-rows.js';
import { findTable, refOf, requireNamedTable, setTableColumn, tableRef, type Table } from '../tables/table-rows.js';

interface TtlSpec {
  AttributeName: string;
  Enabled: boolean;
}

/**
 * UpdateTimeToLive / DescribeTimeToLive. While TTL is on, each item's expiry (the TTL
 * attribute, a number of epoch seconds) is kept beside it in the store, and the server's
 * housekeeping (ttl/expire.ts) deletes expired items by its own clock.
 */
export const UpdateTimeToLive = operation({
  writes: true,
  authorize: (ctx, input: { TableName: string; TimeToLiveSpecification: TtlSpec }) => tableEntry(ctx, input.TableName, 'dynamodb:UpdateTimeToLive'),
  run: (ctx: RequestContext, input: { TableName: string; TimeToLiveSpecification: TtlSpec }) => {
    const table = requireNamedTable(ctx.store, tableRef(ctx, input.TableName));
    const want = input.TimeToLiveSpecification;
    const now = table.row.ttl ? (JSON.parse(table.row.ttl) as TtlSpec) : undefined;
    if (want.Enabled && now?.Enabled) throw validation('TimeToLive is already enabled');
    if (!want.Enabled && !now?.Enabled) throw validation('TimeToLive is already disabled');
    if (!want.Enabled && now && now.AttributeName !== want.AttributeName) {
      throw validation(`TimeToLive is active on a different AttributeName: current AttributeName is ${now.AttributeName}`);
    }
    setTableColumn(ctx.store, table, 'ttl', JSON.stringify({ AttributeName: want.AttributeName, Enabled: want.Enabled }));
    refreshExpiries(ctx, findTable(ctx.store, refOf(table))!);
    return { TimeToLiveSpecification: { AttributeName: want.AttributeName, Enabled: want.Enabled } };
  },
});

export const DescribeTimeToLive = operation({
  writes: false,
  authorize: (ctx, input: { TableName: string }) => tableEntry(ctx, input.TableName, 'dynamodb:DescribeTimeToLive'),
  run: (ctx: RequestContext, input: { TableName: string }) => {
    const table = requireNamedTable(ctx.store, tableRef(ctx, input.TableName));
    const spec = table.row.ttl ? (JSON.parse(table.row.ttl) as TtlSpec) : undefined;
    return {
      TimeToLiveDescription: spec?.Enabled ? { TimeToLiveStatus: 'ENABLED', AttributeName: spec.AttributeName } : { TimeToLiveStatus: 'DISABLED' },
    };
  },
});

/** Every item's expiry recomputed for the table's TTL setting (none while it is off). */
function refreshExpiries(ctx: RequestContext, table: Table): void {
  const { account_id, region, name } = table.row;
  if (!table.ttlAttribute) {
    ctx.store.prepare(`UPDATE ddb_items SET expires = NULL WHERE account_id = ? AND region = ? AND table_name = ? AND idx = '' AND expires IS NOT NULL`).run(account_id, region, name);
    return;
  }
  const rows = ctx.store
    .prepare<{ hk: Buffer; rk: Buffer; item: string }>(`SELECT hk, rk, item FROM ddb_items WHERE account_id = ? AND region = ? AND table_name = ? AND idx = ''`)
    .all(account_id, region, name);
  const set = ctx.store.prepare(`UPDATE ddb_items SET expires = ? WHERE account_id = ? AND region = ? AND table_name = ? AND idx = '' AND hk = ? AND rk = ? AND base = x''`);
  for (const r of rows) set.run(expiresOf(table, itemFromText(r.item)), account_id, region, name, r.hk, r.rk);
}

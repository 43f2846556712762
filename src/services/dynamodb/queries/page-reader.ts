import type { Store } from '../../../store/store.js';
import { itemFromText, type Item } from '../items/item-json.js';
import { baseOf, keyBytesOf, readItem } from '../items/item-rows.js';
import { EMPTY } from '../keys/key-bytes.js';
import type { Index, Table } from '../tables/table-rows.js';

/** DynamoDB stops a Query or Scan page once it has read 1 MB of items. */
export const PAGE_BYTES = 1024 * 1024;

/** Where in the table (idx '') or an index a read runs, and which rows it takes. */
export interface RowRange {
  idx: string;
  /** Query: the one partition. Scan: undefined (every partition). */
  hk?: Buffer;
  lower?: { bytes: Buffer; inclusive: boolean };
  upper?: { bytes: Buffer; inclusive: boolean };
  /** Resume strictly after (or, backwards, before) this position. */
  after?: { hk: Buffer; rk: Buffer; base: Buffer };
  backwards: boolean;
}

/** A row as read: the stored item and its size (hk only when asked: a parallel Scan's segment). */
export interface Row {
  hk?: Buffer;
  item: string;
  size: number;
}

/**
 * Rows of a range in key order, a batch at a time (never the whole partition in memory):
 * each batch is one statement over the store's primary key. Only the item and its size
 * are read (no key columns: they are in the item); the next batch starts after the
 * position of the last item, `positionOf` it.
 */
export function* rowsIn(
  store: Store, table: Table, range: RowRange, batch: number, positionOf: (row: Row) => NonNullable<RowRange['after']>, withHk = false,
): Generator<Row> {
  const { account_id, region, name } = table.row;
  let after = range.after;
  for (;;) {
    const where = ['account_id = ?', 'region = ?', 'table_name = ?', 'idx = ?'];
    const params: unknown[] = [account_id, region, name, range.idx];
    if (range.hk) {
      where.push('hk = ?');
      params.push(range.hk);
    }
    if (range.lower) {
      where.push(range.lower.inclusive ? 'rk >= ?' : 'rk > ?');
      params.push(range.lower.bytes);
    }
    if (range.upper) {
      where.push(range.upper.inclusive ? 'rk <= ?' : 'rk < ?');
      params.push(range.upper.bytes);
    }
    const cmp = range.backwards ? '<' : '>';
    if (after) {
      if (range.hk) {
        where.push(`(rk, base) ${cmp} (?, ?)`);
        params.push(after.rk, after.base);
      } else {
        where.push(`(hk, rk, base) ${cmp} (?, ?, ?)`);
        params.push(after.hk, after.rk, after.base);
      }
    }
    const dir = range.backwards ? 'DESC' : 'ASC';
    const order = range.hk ? `rk ${dir}, base ${dir}` : `hk ${dir}, rk ${dir}, base ${dir}`;
    const sql = `SELECT ${withHk ? 'hk, ' : ''}item, size FROM ddb_items WHERE ${where.join(' AND ')} ORDER BY ${order} LIMIT ?`;
    params.push(batch);
    const rows = store.prepare<Row>(sql).all(...params);
    for (const r of rows) yield r;
    if (rows.length < batch) return;
    after = positionOf(rows[rows.length - 1]);
  }
}

/** The table's item behind an index entry (an LSI read of attributes it does not project). */
export function baseItem(store: Store, table: Table, entry: Item): Item | undefined {
  return readItem(store, table, keyBytesOf(table.key, entry))?.item;
}

/** Where an item sits in the table (idx '') or in an index: its key bytes, and for an index its table key. */
export function positionIn(table: Table, index: Index | undefined, item: Item): NonNullable<RowRange['after']> {
  if (!index) {
    const k = keyBytesOf(table.key, item);
    return { hk: k.hk, rk: k.rk, base: EMPTY };
  }
  const k = keyBytesOf(index.key, item);
  return { hk: k.hk, rk: k.rk, base: baseOf(keyBytesOf(table.key, item)) };
}

export function parseRow(row: Row): Item {
  return itemFromText(row.item);
}

import type { Store } from '../../../store/store.js';
import { EMPTY, keyBytes } from '../keys/key-bytes.js';
import type { KeyShape } from '../keys/key-schema.js';
import type { Index, Table } from '../tables/table-rows.js';
import { itemFromText, itemToText, type Item } from './item-json.js';
import { itemSize } from '../values/item-size.js';

/**
 * Items in ddb_items (src/store/schema/dynamodb.ts): the table's row per item under
 * idx '', and one entry per secondary index whose key attributes the item has (indexes
 * are sparse), holding the attributes the index projects. Every write keeps them in step.
 */

export interface StoredItem {
  item: Item;
  /** The item as stored (wire JSON). */
  text: string;
  size: number;
}

export interface KeyBytes {
  hk: Buffer;
  rk: Buffer;
}

/** The bytes of a key shape's attributes in an item (which must have them). */
export function keyBytesOf(shape: KeyShape, item: Item): KeyBytes {
  return {
    hk: keyBytes(shape.hashType, item[shape.hash]),
    rk: shape.range === undefined ? EMPTY : keyBytes(shape.rangeType!, item[shape.range]),
  };
}

/** The table key of an index entry, unique within the index: hk's length, hk, rk. */
export function baseOf(k: KeyBytes): Buffer {
  const len = Buffer.alloc(2);
  len.writeUInt16BE(k.hk.length);
  return Buffer.concat([len, k.hk, k.rk]);
}

export function readItem(store: Store, table: Table, key: KeyBytes): StoredItem | undefined {
  const row = store
    .prepare<{ item: string; size: number }>(
      `SELECT item, size FROM ddb_items WHERE account_id = ? AND region = ? AND table_name = ? AND idx = '' AND hk = ? AND rk = ? AND base = x''`,
    )
    .get(table.row.account_id, table.row.region, table.row.name, key.hk, key.rk);
  return row ? storedItem(row.item, row.size) : undefined;
}

/** A stored item whose text is parsed only if something reads .item (a plain GetItem answers with the text). */
function storedItem(text: string, size: number): StoredItem {
  let item: Item | undefined;
  return {
    get item() {
      return (item ??= itemFromText(text));
    },
    text,
    size,
  };
}

/** Stores the item (replacing old, the item now under its key, if any) and its index entries. */
export function writeItem(store: Store, table: Table, item: Item, old: StoredItem | undefined, text = itemToText(item), size = itemSize(item)): StoredItem {
  // Nothing remembered is computed from items: writing them keeps what is remembered.
  return store.unremembered(() => storeItem(store, table, item, old, text, size));
}

function storeItem(store: Store, table: Table, item: Item, old: StoredItem | undefined, text: string, size: number): StoredItem {
  const key = keyBytesOf(table.key, item);
  const { account_id, region, name } = table.row;
  store
    .prepare(
      `INSERT INTO ddb_items (account_id, region, table_name, idx, hk, rk, base, item, size, expires) VALUES (?, ?, ?, '', ?, ?, x'', ?, ?, ?)
       ON CONFLICT DO UPDATE SET item = excluded.item, size = excluded.size, expires = excluded.expires`,
    )
    .run(account_id, region, name, key.hk, key.rk, text, size, expiresOf(table, item));
  if (table.indexes.size > 0) {
    const base = baseOf(key);
    for (const index of table.indexes.values()) {
      if (old) removeEntry(store, table, index, old.item, base);
      addEntry(store, table, index, item, base);
    }
  }
  return { item, text, size };
}

export function deleteItem(store: Store, table: Table, old: StoredItem): void {
  store.unremembered(() => removeItem(store, table, old));
}

function removeItem(store: Store, table: Table, old: StoredItem): void {
  const key = keyBytesOf(table.key, old.item);
  const { account_id, region, name } = table.row;
  store
    .prepare(`DELETE FROM ddb_items WHERE account_id = ? AND region = ? AND table_name = ? AND idx = '' AND hk = ? AND rk = ? AND base = x''`)
    .run(account_id, region, name, key.hk, key.rk);
  if (table.indexes.size > 0) {
    const base = baseOf(key);
    for (const index of table.indexes.values()) removeEntry(store, table, index, old.item, base);
  }
}

/** Does the item have the index's key attributes (of the index's types)? */
export function inIndex(index: Index, item: Item): boolean {
  const k = index.key;
  const h = item[k.hash];
  if (!h || !(k.hashType in h)) return false;
  if (k.range === undefined) return true;
  const r = item[k.range];
  return r !== undefined && k.rangeType! in r;
}

function addEntry(store: Store, table: Table, index: Index, item: Item, base: Buffer): void {
  if (!inIndex(index, item)) return;
  const k = keyBytesOf(index.key, item);
  const projected = projectForIndex(table, index, item);
  store
    .prepare(`INSERT INTO ddb_items (account_id, region, table_name, idx, hk, rk, base, item, size) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`)
    .run(table.row.account_id, table.row.region, table.row.name, index.name, k.hk, k.rk, base, itemToText(projected), itemSize(projected));
}

function removeEntry(store: Store, table: Table, index: Index, item: Item, base: Buffer): void {
  if (!inIndex(index, item)) return;
  const k = keyBytesOf(index.key, item);
  store
    .prepare(`DELETE FROM ddb_items WHERE account_id = ? AND region = ? AND table_name = ? AND idx = ? AND hk = ? AND rk = ? AND base = ?`)
    .run(table.row.account_id, table.row.region, table.row.name, index.name, k.hk, k.rk, base);
}

/** The attributes an index keeps of an item: its projection, always with the table's and the index's keys. */
export function projectForIndex(table: Table, index: Index, item: Item): Item {
  const type = index.spec.Projection.ProjectionType ?? 'KEYS_ONLY';
  if (type === 'ALL') return item;
  const out: Item = {};
  const keep = [table.key.hash, table.key.range, index.key.hash, index.key.range, ...(type === 'INCLUDE' ? index.spec.Projection.NonKeyAttributes ?? [] : [])];
  for (const name of keep) if (name !== undefined && item[name] !== undefined) out[name] = item[name];
  return out;
}

/** TTL: the epoch second the item expires at, when TTL is on and the item's attribute is a number. */
export function expiresOf(table: Table, item: Item): number | null {
  if (!table.ttlAttribute) return null;
  const n = (item[table.ttlAttribute] as { N?: string } | undefined)?.N;
  if (n === undefined) return null;
  const seconds = Number(n);
  return Number.isFinite(seconds) ? Math.floor(seconds) : null;
}

/** Rebuilds an index's entries from the table's items (an index added by UpdateTable). */
export function backfillIndex(store: Store, table: Table, index: Index): void {
  const { account_id, region, name } = table.row;
  const rows = store.prepare<{ item: string }>(`SELECT item FROM ddb_items WHERE account_id = ? AND region = ? AND table_name = ? AND idx = ''`).all(account_id, region, name);
  for (const r of rows) {
    const item = itemFromText(r.item);
    addEntry(store, table, index, item, baseOf(keyBytesOf(table.key, item)));
  }
}

export function dropIndexEntries(store: Store, table: Table, index: string): void {
  store.prepare('DELETE FROM ddb_items WHERE account_id = ? AND region = ? AND table_name = ? AND idx = ?').run(table.row.account_id, table.row.region, table.row.name, index);
}

/** Item count and bytes of the table (idx '') or one index. */
export function countItems(store: Store, table: Table, idx = ''): { count: number; bytes: number } {
  const r = store
    .prepare<{ n: number; bytes: number | null }>('SELECT count(*) AS n, sum(size) AS bytes FROM ddb_items WHERE account_id = ? AND region = ? AND table_name = ? AND idx = ?')
    .get(table.row.account_id, table.row.region, table.row.name, idx)!;
  return { count: r.n, bytes: r.bytes ?? 0 };
}

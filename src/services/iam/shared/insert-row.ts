import type { Store } from '../../../store/store.js';

/**
 * Inserts a row whose members are named as the table's columns: the statement is written
 * from the row's keys, so the row type is the one list of what is stored.
 */
export function insertRow(store: Store, table: string, row: object): void {
  const columns = Object.keys(row);
  store.prepare(`INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map((c) => '@' + c).join(', ')})`).run(row);
}

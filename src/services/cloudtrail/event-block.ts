/**
 * A block: up to BLOCK_EVENTS consecutive events in one row of cloudtrail_blocks. Event i
 * of a block has seq first_seq + i. Its columns are JSON: the distinct account ids,
 * caller texts and operation texts (event-record.ts) once each, then per event the
 * indexes into them, its time and where its data ends in the row's data (UTF-8 JSON
 * texts, one after another). An event taken out later (retention by age, an account's
 * reset) keeps its place with account -1 and no data, so no seq ever changes meaning.
 */
export const BLOCK_EVENTS = 500;

export interface BlockColumns {
  accounts: string[];
  callers: string[];
  ops: string[];
  account: number[];
  caller: number[];
  op: number[];
  time: number[];
  ends: number[];
}

/** A row of cloudtrail_blocks. */
export interface BlockRow {
  first_seq: number;
  count: number;
  min_time: number;
  max_time: number;
  columns: string;
  data: Buffer;
}

export function encodeBlock(c: BlockColumns, data: Buffer): { count: number; minTime: number; maxTime: number; columns: string; data: Buffer } {
  let minTime = Infinity;
  let maxTime = -Infinity;
  for (let i = 0; i < c.time.length; i++) {
    if (c.account[i] < 0) continue;
    if (c.time[i] < minTime) minTime = c.time[i];
    if (c.time[i] > maxTime) maxTime = c.time[i];
  }
  const { accounts, callers, ops, account, caller, op, time, ends } = c;
  return {
    count: ends.length, minTime: Number.isFinite(minTime) ? minTime : 0, maxTime: Number.isFinite(maxTime) ? maxTime : 0,
    columns: JSON.stringify({ accounts, callers, ops, account, caller, op, time, ends }), data,
  };
}

export function decodeBlock(row: Pick<BlockRow, 'columns' | 'data'>): { columns: BlockColumns; data: Buffer } {
  return { columns: JSON.parse(row.columns) as BlockColumns, data: row.data };
}

/** Event i's data text. */
export function dataText(c: BlockColumns, data: Buffer, i: number): string {
  return data.toString('utf8', i === 0 ? 0 : c.ends[i - 1], c.ends[i]);
}

/** The index of `value` in a short list of distinct values, added if new (the same string object again is the common case). */
export function indexIn(list: string[], value: string): number {
  const last = list.length - 1;
  if (last >= 0 && list[last] === value) return last;
  const i = list.indexOf(value);
  return i >= 0 ? i : list.push(value) - 1;
}

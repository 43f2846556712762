/**
 * A block: up to BLOCK_EVENTS consecutive events in one row of cloudtrail_blocks. Event i
 * of a block has seq first_seq + i. Its columns are JSON: the distinct account ids,
 * caller texts and operation texts (event-record.ts) once each; per event the indexes
 * into them and its time; and its events' data in chunks — a chunk is the JSON array of
 * the data of consecutive events (those of one event-loop turn, encoded in one go), the
 * row's data their UTF-8 texts one after another, `chunkEnds` where each ends and
 * `chunkStops` the index of the event after its last. An event taken out later (retention
 * by age, an account's reset) keeps its place with account -1 and null data, so no seq
 * ever changes meaning.
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
  chunkEnds: number[];
  chunkStops: number[];
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
  const { accounts, callers, ops, account, caller, op, time, chunkEnds, chunkStops } = c;
  return {
    count: time.length, minTime: Number.isFinite(minTime) ? minTime : 0, maxTime: Number.isFinite(maxTime) ? maxTime : 0,
    columns: JSON.stringify({ accounts, callers, ops, account, caller, op, time, chunkEnds, chunkStops }), data,
  };
}

export function decodeBlock(row: Pick<BlockRow, 'columns' | 'data'>): { columns: BlockColumns; data: Buffer } {
  return { columns: JSON.parse(row.columns) as BlockColumns, data: row.data };
}

/** Chunk k's events' data (an array, one entry per event; null for one taken out). */
export function chunkData(c: BlockColumns, data: Buffer, k: number): unknown[] {
  return JSON.parse(data.toString('utf8', k === 0 ? 0 : c.chunkEnds[k - 1], c.chunkEnds[k])) as unknown[];
}

/** A block's events' data, each chunk parsed once when first asked for. */
export function eventDataOf(c: BlockColumns, data: Buffer): (i: number) => unknown {
  const parsed = new Map<number, unknown[]>();
  let k = 0;
  return (i) => {
    // Readers go forwards or backwards: the chunk is found from the last one asked for.
    while (k > 0 && i < c.chunkStops[k - 1]) k--;
    while (i >= c.chunkStops[k]) k++;
    let events = parsed.get(k);
    if (!events) parsed.set(k, (events = chunkData(c, data, k)));
    return events[i - (k === 0 ? 0 : c.chunkStops[k - 1])];
  };
}

/** The index of `value` in a short list of distinct values, added if new (the same string object again is the common case). */
export function indexIn(list: string[], value: string): number {
  const last = list.length - 1;
  if (last >= 0 && list[last] === value) return last;
  const i = list.indexOf(value);
  return i >= 0 ? i : list.push(value) - 1;
}

import type { Store } from '../../store/store.js';
import { BLOCK_EVENTS, decodeBlock, eventDataOf, type BlockRow } from './event-block.js';
import { eventLog } from './event-log.js';
import { eventHead, parseCaller, parseOp, storedEvent, type EventData, type EventHead, type StoredEvent } from './event-record.js';

/** Which events of one account a reader wants: seqs after/before, times from/to (inclusive). */
export interface EventRange {
  accountId: string;
  afterSeq?: number;
  beforeSeq?: number;
  fromTime?: number;
  toTime?: number;
  newestFirst?: boolean;
  /** Only events whose head (their operation's and caller's columns) passes: their own data is never parsed otherwise. */
  where?: (head: EventHead) => boolean;
}

/** Blocks read per query while a reader goes on. */
const BLOCKS_PER_READ = 16;

/**
 * The recorded events of a range, in seq order (or newest first), decoded only as far
 * as the reader goes: a LookupEvents page stops after its 50. Readers flush the recorder
 * first (flushEvents), so everything recorded so far is in the database.
 */
export function* readEvents(store: Store, range: EventRange): Generator<StoredEvent> {
  for (const { seq, block, i } of eventsOf(store, range)) {
    const c = block.columns;
    const caller = block.caller(c.caller[i]);
    const head = eventHead(seq, range.accountId, c.time[i], block.op(c.op[i]), caller.columns);
    if (range.where && !range.where(head)) continue;
    yield storedEvent(head, caller.identityJson, block.eventData(i) as EventData);
  }
}

/** How many events of the range there are, and the newest one's seq (0 if none): without decoding them. */
export function countEvents(store: Store, range: EventRange): { n: number; last: number } {
  let n = 0;
  let last = 0;
  for (const { seq } of eventsOf(store, range)) {
    n++;
    last = Math.max(last, seq);
  }
  return { n, last };
}

/** The newest event's seq, of any account (0 when there has been none). */
export function lastEventSeq(store: Store): number {
  return (eventLog(store).prepare('SELECT next_seq FROM cloudtrail_log').pluck().get() as number) - 1;
}

type DecodedBlock = ReturnType<typeof decodeBlock> & {
  eventData: (i: number) => unknown;
  op: (i: number) => ReturnType<typeof parseOp>;
  caller: (i: number) => ReturnType<typeof parseCaller>;
};

function* eventsOf(store: Store, range: EventRange): Generator<{ seq: number; block: DecodedBlock; i: number }> {
  const db = eventLog(store);
  const floor = db.prepare('SELECT floor_seq FROM cloudtrail_log').pluck().get() as number;
  const after = Math.max(range.afterSeq ?? 0, floor);
  const before = range.beforeSeq ?? Number.MAX_SAFE_INTEGER;
  const from = range.fromTime ?? -Infinity;
  const to = range.toTime ?? Infinity;
  const order = range.newestFirst ? 'DESC' : 'ASC';
  // Paged by first_seq, so nothing holds the connection between the reader's steps.
  const select = db.prepare<[{ low: number; high: number; from: number; to: number }], BlockRow>(
    `SELECT * FROM cloudtrail_blocks WHERE first_seq > @low - ${BLOCK_EVENTS} AND first_seq + count - 1 > @low AND first_seq < @high AND max_time >= @from AND min_time <= @to
     ORDER BY first_seq ${order} LIMIT ${BLOCKS_PER_READ}`,
  );
  let low = after;
  let high = before;
  for (;;) {
    const rows = select.all({ low, high, from: Number.isFinite(from) ? from : -Number.MAX_VALUE, to: Number.isFinite(to) ? to : Number.MAX_VALUE });
    for (const row of rows) {
      const decoded = decodeBlock(row);
      const account = decoded.columns.accounts.indexOf(range.accountId);
      if (account < 0) continue;
      const ops = new Map<number, ReturnType<typeof parseOp>>();
      const callers = new Map<number, ReturnType<typeof parseCaller>>();
      const block: DecodedBlock = {
        ...decoded,
        eventData: eventDataOf(decoded.columns, decoded.data),
        op: (i) => ops.get(i) ?? ops.set(i, parseOp(decoded.columns.ops[i])).get(i)!,
        caller: (i) => callers.get(i) ?? callers.set(i, parseCaller(decoded.columns.callers[i])).get(i)!,
      };
      const c = decoded.columns;
      const n = c.time.length;
      for (let k = 0; k < n; k++) {
        const i = range.newestFirst ? n - 1 - k : k;
        const seq = row.first_seq + i;
        if (c.account[i] !== account || seq <= after || seq >= before || c.time[i] < from || c.time[i] > to) continue;
        yield { seq, block, i };
      }
    }
    if (rows.length < BLOCKS_PER_READ) return;
    if (range.newestFirst) high = rows[rows.length - 1].first_seq;
    else low = rows[rows.length - 1].first_seq + rows[rows.length - 1].count - 1;
  }
}

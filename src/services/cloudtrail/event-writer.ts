import type Database from 'better-sqlite3';
import { openEventLog } from './event-log.js';
import { BLOCK_EVENTS, chunkData, decodeBlock, encodeBlock, indexIn, type BlockColumns, type BlockRow } from './event-block.js';
import type { EventBatch } from './event-batch.js';

export interface RetentionOptions {
  retentionDays: number;
  maxEvents: number;
}

/**
 * The writing half of the event history: each batch into cloudtrail.db as one block row
 * (event-block.ts), so SQLite does per batch what it used to do per event; a small batch
 * fills up the newest block instead of starting one. Retention by count and by age, an
 * account's reset. It runs in the recorder's worker thread (cloudtrail-writer.ts), so
 * neither SQLite nor pruning ever takes time from a request; or, where no worker can be
 * started, in the server's own thread.
 */
export class EventWriter {
  private readonly db: Database.Database;
  private readonly writeBatch: (batch: EventBatch, options: RetentionOptions) => void;
  private readonly raiseFloor: Database.Statement<[number]>;
  private readonly dropBelowFloor: Database.Statement<[number]>;
  private lastExpired = 0;

  constructor(file: string) {
    this.db = openEventLog(file);
    const nextSeq = this.db.prepare<[], number>('SELECT next_seq FROM cloudtrail_log').pluck();
    const newest = this.db.prepare<[], Pick<BlockRow, 'first_seq' | 'count'>>('SELECT first_seq, count FROM cloudtrail_blocks ORDER BY first_seq DESC LIMIT 1');
    const block = this.db.prepare<[number], BlockRow>('SELECT * FROM cloudtrail_blocks WHERE first_seq = ?');
    const insert = this.db.prepare('INSERT OR REPLACE INTO cloudtrail_blocks (first_seq, count, min_time, max_time, columns, data) VALUES (?, ?, ?, ?, ?, ?)');
    const advance = this.db.prepare('UPDATE cloudtrail_log SET next_seq = ?');
    this.raiseFloor = this.db.prepare('UPDATE cloudtrail_log SET floor_seq = max(floor_seq, ?)');
    this.dropBelowFloor = this.db.prepare('DELETE FROM cloudtrail_blocks WHERE first_seq + count - 1 <= ?');
    this.writeBatch = this.db.transaction((b: EventBatch, options: RetentionOptions) => {
      const next = nextSeq.get()!;
      const bytes = Buffer.from(b.bytes.buffer, b.bytes.byteOffset, b.used);
      // A small batch right after the newest block (nothing between) joins it while it has room.
      const last = newest.get();
      const joined = last && last.first_seq + last.count === next && last.count + b.time.length <= BLOCK_EVENTS
        ? appendColumns(decodeBlock(block.get(last.first_seq)!), { columns: b, data: bytes })
        : undefined;
      const row = joined ? encodeBlock(joined.columns, joined.data) : encodeBlock(b, bytes);
      insert.run(joined ? last!.first_seq : next, row.count, row.minTime, row.maxTime, row.columns, row.data);
      advance.run(next + b.time.length);
      this.retain(next + b.time.length - 1, b.time[b.time.length - 1], options);
    });
  }

  /** A sealed batch as made by EventBatch (or its copy posted to the writer thread: the same fields). */
  write(batch: EventBatch, options: RetentionOptions): void {
    // The recorder hands over at most a block's worth (readers rely on a block's size).
    if (batch.time.length > BLOCK_EVENTS) throw new Error(`a batch of ${batch.time.length} events: at most ${BLOCK_EVENTS}`);
    if (batch.time.length > 0) this.writeBatch(batch, options);
  }

  /** An account reset takes its events with it (their seqs stay taken: other accounts' cursors keep their meaning). */
  reset(accountId: string): void {
    this.db.transaction(() => this.rewrite(this.db.prepare<[], BlockRow>('SELECT * FROM cloudtrail_blocks').all(), (c, i) => c.accounts[c.account[i]] !== accountId))();
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  /** Retention by age, as of `now` (the server's clock): events older than the days go. */
  expire(now: number, options: RetentionOptions): void {
    this.lastExpired = now;
    const cut = now - options.retentionDays * 86_400_000;
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM cloudtrail_blocks WHERE max_time < ?').run(cut);
      this.rewrite(this.db.prepare<[number], BlockRow>('SELECT * FROM cloudtrail_blocks WHERE min_time < ?').all(cut), (c, i) => c.time[i] >= cut);
    })();
  }

  /** Retention: beyond the count the oldest go at every batch (below the floor, whole blocks); past the days, once a minute of event time and at housekeeping. */
  private retain(last: number, now: number, options: RetentionOptions): void {
    const floor = last - options.maxEvents;
    if (floor > 0) {
      this.raiseFloor.run(floor);
      this.dropBelowFloor.run(floor);
    }
    if (now - this.lastExpired >= 60_000) this.expire(now, options);
  }

  /** Blocks rewritten keeping only the events `keep` says: the others become gaps (their seqs are not reused); an empty block goes. */
  private rewrite(rows: BlockRow[], keep: (c: BlockColumns, i: number) => boolean): void {
    const update = this.db.prepare('UPDATE cloudtrail_blocks SET min_time = ?, max_time = ?, columns = ?, data = ? WHERE first_seq = ?');
    for (const row of rows) {
      const { columns: c, data } = decodeBlock(row);
      const texts: string[] = [];
      let kept = 0;
      let end = 0;
      const chunks = c.chunkStops.map((_, k) => chunkData(c, data, k)); // read before chunkEnds change below
      for (let k = 0; k < c.chunkStops.length; k++) {
        const events = chunks[k];
        const first = k === 0 ? 0 : c.chunkStops[k - 1];
        for (let i = first; i < c.chunkStops[k]; i++) {
          if (c.account[i] >= 0 && keep(c, i)) kept++;
          else {
            c.account[i] = -1;
            events[i - first] = null;
          }
        }
        const text = JSON.stringify(events);
        texts.push(text);
        end += Buffer.byteLength(text);
        c.chunkEnds[k] = end;
      }
      if (kept === 0) {
        this.db.prepare('DELETE FROM cloudtrail_blocks WHERE first_seq = ?').run(row.first_seq);
        continue;
      }
      const block = encodeBlock(c, Buffer.from(texts.join('')));
      update.run(block.minTime, block.maxTime, block.columns, block.data, row.first_seq);
    }
  }
}

/** Block `a` with batch `b`'s events after its own, their shared texts merged. */
function appendColumns(a: { columns: BlockColumns; data: Buffer }, b: { columns: BlockColumns; data: Buffer }): { columns: BlockColumns; data: Buffer } {
  const c = a.columns;
  const base = a.data.length;
  const remap = (from: string[], into: string[]) => from.map((v) => indexIn(into, v));
  const accounts = remap(b.columns.accounts, c.accounts);
  const callers = remap(b.columns.callers, c.callers);
  const ops = remap(b.columns.ops, c.ops);
  const n = b.columns.time.length;
  const events = c.time.length;
  for (let i = 0; i < n; i++) {
    c.account.push(b.columns.account[i] < 0 ? -1 : accounts[b.columns.account[i]]);
    c.caller.push(callers[b.columns.caller[i]]);
    c.op.push(ops[b.columns.op[i]]);
    c.time.push(b.columns.time[i]);
  }
  for (let k = 0; k < b.columns.chunkStops.length; k++) {
    c.chunkEnds.push(base + b.columns.chunkEnds[k]);
    c.chunkStops.push(events + b.columns.chunkStops[k]);
  }
  return { columns: c, data: Buffer.concat([a.data, b.data]) };
}

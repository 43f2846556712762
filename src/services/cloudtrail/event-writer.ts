import Database from 'better-sqlite3';
import { chmodSync } from 'node:fs';
import { EVENT_LOG_SCHEMA, openEventLog } from './event-log.js';

/**
 * Events ready to be written, their columns computed as their requests ended: by column,
 * each account id and userIdentity text once, and the events' data columns as UTF-8 in
 * one buffer, so that handing a batch to the writer thread copies one block of bytes
 * (posting 500 strings cost the request's thread about 2.5 µs an event in cloning; one
 * joined string costs V8 a slow flatten instead).
 */
export class EventBatch {
  readonly accounts: string[] = [];
  readonly identities: string[] = [];
  /** Per event: an index into accounts, one into identities, its time, where its data ends in `bytes`. */
  readonly account: number[] = [];
  readonly identity: number[] = [];
  readonly time: number[] = [];
  readonly ends: number[] = [];
  bytes: Uint8Array = Buffer.allocUnsafeSlow(INITIAL_BYTES);
  used = 0;

  get length(): number {
    return this.ends.length;
  }

  add(accountId: string, time: number, identityJson: string, data: string): void {
    this.account.push(indexOf(this.accounts, accountId));
    this.identity.push(indexOf(this.identities, identityJson));
    this.time.push(time);
    // At most 3 bytes of UTF-8 per UTF-16 unit.
    const need = this.used + data.length * 3;
    if (need > this.bytes.length) {
      const grown = Buffer.allocUnsafeSlow(Math.max(need, this.bytes.length * 2));
      grown.set(this.bytes.subarray(0, this.used));
      this.bytes = grown;
    }
    this.used += (this.bytes as Buffer).write(data, this.used);
    this.ends.push(this.used);
  }
}

const INITIAL_BYTES = 256 * 1024;

/** The data column of a batch's event `i` (the batch may be the copy posted to the writer thread: plain arrays and a Uint8Array). */
function dataOf(batch: EventBatch, bytes: Buffer, i: number): string {
  return bytes.toString('utf8', i === 0 ? 0 : batch.ends[i - 1], batch.ends[i]);
}

/** The index of `value` in a short list of distinct values, added if new. */
function indexOf(list: string[], value: string): number {
  const last = list.length - 1;
  if (last >= 0 && list[last] === value) return last;
  const i = list.indexOf(value);
  return i >= 0 ? i : list.push(value) - 1;
}

export interface RetentionOptions {
  retentionDays: number;
  maxEvents: number;
}

/**
 * The writing half of the event history: batches of events into cloudtrail.db, one
 * transaction each, with retention. It runs in the recorder's worker thread
 * (cloudtrail-writer.ts), so neither SQLite nor pruning ever takes time from a request;
 * or, where no worker can be started, in the server's own thread.
 */
export class EventWriter {
  private readonly db: Database.Database;
  private readonly insert: Database.Statement;
  private readonly findIdentity: Database.Statement;
  private readonly insertIdentity: Database.Statement;
  private readonly pruneCount: Database.Statement;
  private readonly writeBatch: (batch: EventBatch, options: RetentionOptions) => void;
  private lastPruned = 0;
  /** userIdentity JSON → its row id: a caller's identity is stored once. */
  private readonly identities = new Map<string, number>();

  constructor(file: string) {
    this.db = openEventLog(file);
    chmodSync(file, 0o600);
    this.db.exec(EVENT_LOG_SCHEMA);
    this.insert = this.db.prepare('INSERT INTO cloudtrail_events (account_id, event_time, identity, data) VALUES (?, ?, ?, ?)');
    this.findIdentity = this.db.prepare('SELECT id FROM cloudtrail_identities WHERE json = ?').pluck();
    this.insertIdentity = this.db.prepare('INSERT INTO cloudtrail_identities (account_id, json) VALUES (?, ?)');
    this.pruneCount = this.db.prepare('DELETE FROM cloudtrail_events WHERE seq <= ?');
    this.writeBatch = this.db.transaction((b: EventBatch, options: RetentionOptions) => {
      const ids = b.identities.map((json, i) => this.identityId(json, b.accounts[b.account[b.identity.indexOf(i)]]));
      const bytes = Buffer.from(b.bytes.buffer, b.bytes.byteOffset, b.used);
      let last = 0;
      for (let i = 0; i < b.ends.length; i++) {
        last = Number(this.insert.run(b.accounts[b.account[i]], b.time[i], ids[b.identity[i]], dataOf(b, bytes, i)).lastInsertRowid);
      }
      this.prune(last, b.time[b.time.length - 1], options);
    });
  }

  /** A batch as made by EventBatch (or its copy posted to the writer thread: the same fields). */
  write(batch: EventBatch, options: RetentionOptions): void {
    if (batch.ends.length > 0) this.writeBatch(batch, options);
  }

  /** An account reset takes its events with it. */
  reset(accountId: string): void {
    this.db.prepare('DELETE FROM cloudtrail_events WHERE account_id = ?').run(accountId);
    this.db.prepare('DELETE FROM cloudtrail_identities WHERE account_id = ?').run(accountId);
    this.identities.clear();
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  private identityId(json: string, accountId: string): number {
    let id = this.identities.get(json);
    if (id === undefined) {
      id = (this.findIdentity.get(json) as number | undefined) ?? Number(this.insertIdentity.run(accountId, json).lastInsertRowid);
      if (this.identities.size >= MAX_IDENTITIES) this.identities.clear();
      this.identities.set(json, id);
    }
    return id;
  }

  /** Retention by age, as of `now` (the server's clock): events older than the days go, and identities no event names. */
  expire(now: number, options: RetentionOptions): void {
    this.lastPruned = now;
    this.db.prepare('DELETE FROM cloudtrail_events WHERE event_time < ?').run(now - options.retentionDays * 86_400_000);
    this.db.prepare('DELETE FROM cloudtrail_identities WHERE id NOT IN (SELECT DISTINCT identity FROM cloudtrail_events)').run();
    this.identities.clear();
  }

  /** Retention: beyond the count the oldest go at every batch; past the days, once a minute (of event time) and at housekeeping. */
  private prune(last: number, now: number, options: RetentionOptions): void {
    const cut = last - options.maxEvents;
    if (cut > 0) this.pruneCount.run(cut);
    if (now - this.lastPruned >= 60_000) this.expire(now, options);
  }
}

const MAX_IDENTITIES = 10_000;

import Database from 'better-sqlite3';
import { chmodSync } from 'node:fs';
import { EVENT_LOG_SCHEMA, openEventLog } from './event-log.js';

/**
 * Events ready to be written, their columns computed as their requests ended: by column,
 * each account id and userIdentity text once, so that handing a batch to the writer
 * thread copies little more than the events' data.
 */
export class EventBatch {
  readonly accounts: string[] = [];
  readonly identities: string[] = [];
  /** Per event: an index into accounts, one into identities, its time, its data column. */
  readonly account: number[] = [];
  readonly identity: number[] = [];
  readonly time: number[] = [];
  /** The events' data columns (posted to the writer thread as an array: cheaper than one joined string, which V8 must flatten). */
  readonly data: string[] = [];

  get length(): number {
    return this.data.length;
  }

  add(accountId: string, time: number, identityJson: string, data: string): void {
    this.account.push(indexOf(this.accounts, accountId));
    this.identity.push(indexOf(this.identities, identityJson));
    this.time.push(time);
    this.data.push(data);
  }
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
      const data = b.data;
      let last = 0;
      for (let i = 0; i < data.length; i++) {
        last = Number(this.insert.run(b.accounts[b.account[i]], b.time[i], ids[b.identity[i]], data[i]).lastInsertRowid);
      }
      this.prune(last, b.time[b.time.length - 1], options);
    });
  }

  /** A batch as made by EventBatch (or its copy posted to the writer thread: the same fields). */
  write(batch: EventBatch, options: RetentionOptions): void {
    if (batch.data.length > 0) this.writeBatch(batch, options);
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

import Database from 'better-sqlite3';
import { chmodSync } from 'node:fs';
import { join } from 'node:path';
import type { Store } from '../../store/store.js';
import { migrateEventRows } from './event-rows-migration.js';

/**
 * The event history's own database, cloudtrail.db beside iamlocal.db: an append-only log
 * that must never slow a request. It is written (by the recorder's worker thread, see
 * event-writer.ts) with synchronous=OFF — in WAL mode that survives the process being
 * killed (the OS holds what was written) and can lose only the last moments of events to
 * a power cut, never corrupt — so neither its commits nor its checkpoints wait for an
 * fsync; and being its own file, its checkpoints never stall the store's. This is the
 * durability CloudTrail itself offers: events are "typically" delivered within minutes,
 * not as the call returns. Events are stored a block of them per row (event-block.ts).
 */
const SCHEMA = `
  -- Up to 500 consecutive events per row (see event-block.ts): SQLite's work is per block, not per event.
  CREATE TABLE IF NOT EXISTS cloudtrail_blocks (
    first_seq INTEGER PRIMARY KEY,          -- the seq of its first event; event i is first_seq + i
    count     INTEGER NOT NULL,
    min_time  INTEGER NOT NULL,             -- its events' earliest and latest event_time
    max_time  INTEGER NOT NULL,
    columns   TEXT NOT NULL,
    data      BLOB NOT NULL
  ) STRICT;
  -- Where the log stands: seqs only grow (trail delivery and LookupEvents' tokens are seqs),
  -- and retention by count says below which seq nothing is kept.
  CREATE TABLE IF NOT EXISTS cloudtrail_log (
    id        INTEGER PRIMARY KEY CHECK (id = 1),
    next_seq  INTEGER NOT NULL,
    floor_seq INTEGER NOT NULL
  ) STRICT;
  INSERT OR IGNORE INTO cloudtrail_log (id, next_seq, floor_seq) VALUES (1, 1, 0);
`;

const logs = new WeakMap<Store, Database.Database>();

/** cloudtrail.db of a data directory. */
export function eventLogFile(store: Store): string {
  return join(store.dataDir, 'cloudtrail.db');
}

/** A connection to an event log, as both its writer and its readers open it: the schema made, an older layout's events moved in. */
export function openEventLog(file: string): Database.Database {
  const db = new Database(file);
  chmodSync(file, 0o600);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF');
  db.transaction(() => {
    db.exec(SCHEMA);
    migrateEventRows(db);
  }).immediate();
  return db;
}

/** The store's event log as its readers see it (LookupEvents, delivery, policy generation), opened on first use. */
export function eventLog(store: Store): Database.Database {
  let db = logs.get(store);
  if (!db || !db.open) {
    db = openEventLog(eventLogFile(store));
    logs.set(store, db);
  }
  return db;
}

export function closeEventLog(store: Store): void {
  const db = logs.get(store);
  if (db?.open) db.close();
  logs.delete(store);
}

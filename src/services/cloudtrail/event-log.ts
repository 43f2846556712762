import Database from 'better-sqlite3';
import { chmodSync } from 'node:fs';
import { join } from 'node:path';
import type { Store } from '../../store/store.js';

/**
 * The event history's own database, cloudtrail.db beside iamlocal.db: an append-only log
 * that must never slow a request. It is written (by the recorder's worker thread, see
 * event-writer.ts) with synchronous=OFF — in WAL mode that survives the process being
 * killed (the OS holds what was written) and can lose only the last moments of events to
 * a power cut, never corrupt — so neither its commits nor its checkpoints wait for an
 * fsync; and being its own file, its checkpoints never stall the store's. This is the
 * durability CloudTrail itself offers: events are "typically" delivered within minutes,
 * not as the call returns. Rows are kept small (see event-record.ts).
 */
export const EVENT_LOG_SCHEMA = `
  -- One row per recorded request: seq orders it across accounts, so retention drops the
  -- oldest in one range delete. What varies from call to call is one JSON array (see
  -- event-record.ts), the caller's userIdentity a reference: the record is assembled when read.
  CREATE TABLE IF NOT EXISTS cloudtrail_events (
    seq        INTEGER PRIMARY KEY,
    account_id TEXT NOT NULL,               -- recipientAccountId
    event_time INTEGER NOT NULL,
    identity   INTEGER NOT NULL,            -- cloudtrail_identities.id
    data       TEXT NOT NULL
  ) STRICT;
  -- userIdentity elements, each stored once: a caller makes many calls with one identity.
  CREATE TABLE IF NOT EXISTS cloudtrail_identities (
    id         INTEGER PRIMARY KEY,
    account_id TEXT NOT NULL,
    json       TEXT NOT NULL UNIQUE
  ) STRICT;
`;

const logs = new WeakMap<Store, Database.Database>();

/** cloudtrail.db of a data directory. */
export function eventLogFile(store: Store): string {
  return join(store.dataDir, 'cloudtrail.db');
}

/** A connection to an event log, as both its writer and its readers open it. */
export function openEventLog(file: string): Database.Database {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF');
  return db;
}

/** The store's event log as its readers see it (LookupEvents, delivery, policy generation), opened on first use. */
export function eventLog(store: Store): Database.Database {
  let db = logs.get(store);
  if (!db || !db.open) {
    const file = eventLogFile(store);
    db = openEventLog(file);
    chmodSync(file, 0o600);
    db.exec(EVENT_LOG_SCHEMA);
    logs.set(store, db);
  }
  return db;
}

/** The newest event's seq (0 when there is none). */
export function lastEventSeq(store: Store): number {
  return (eventLog(store).prepare('SELECT max(seq) FROM cloudtrail_events').pluck().get() as number | null) ?? 0;
}

export function closeEventLog(store: Store): void {
  const db = logs.get(store);
  if (db?.open) db.close();
  logs.delete(store);
}

import Database from 'better-sqlite3';
import { mkdirSync, chmodSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The embedded store: one SQLite database in WAL mode. Every write request runs inside
 * one transaction (tx), so a request either commits whole or leaves nothing behind.
 * WAL with synchronous=NORMAL survives a kill -9 of the process: a committed
 * transaction is in the OS's hands before the response is sent.
 */
export class Store {
  readonly db: Database.Database;

  constructor(readonly dataDir: string) {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    chmodSync(dataDir, 0o700);
    const file = join(dataDir, 'iamlocal.db');
    this.db = new Database(file);
    chmodSync(file, 0o600);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('foreign_keys = ON');
  }

  /** Runs fn in one transaction; a throw rolls everything back. */
  tx<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  close(): void {
    this.db.close();
  }
}

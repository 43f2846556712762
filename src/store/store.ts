import Database from 'better-sqlite3';
import { mkdirSync, chmodSync } from 'node:fs';
import { join } from 'node:path';
import { BLOB_REFERENCES, Blobs } from './blobs.js';
import { COUNTED_TABLES, migrate } from './migrations.js';
import { Remembered } from './remembered.js';

/**
 * The embedded store: one SQLite database in WAL mode. Every write request runs inside
 * its own savepoint of a commit group (write), so a request either commits whole or
 * leaves nothing behind. WAL with synchronous=NORMAL survives a kill -9 of the process:
 * a committed transaction is in the OS's hands before any response showing it is sent.
 *
 * The schema is the ordered migration list in migrations.ts, applied when the store opens.
 */
export class Store {
  readonly db: Database.Database;
  /** Everything remembered between requests, forgotten after every write (see remembered.ts). */
  readonly memory = new Remembered();
  private readonly totalChanges: Database.Statement;
  private readonly resetHooks: Array<(accountId: string) => void> = [];
  private readonly statements = new Map<string, StoreStatement<unknown>>();
  private readonly begin: Database.Statement;
  private readonly beginImmediate: Database.Statement;
  private readonly commit: Database.Statement;
  private readonly rollback: Database.Statement;

  constructor(readonly dataDir: string) {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    chmodSync(dataDir, 0o700);
    const file = join(dataDir, 'iamlocal.db');
    this.db = new Database(file);
    chmodSync(file, 0o600);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('foreign_keys = ON');
    // Another process (a CLI, a test) may hold the write lock for a moment.
    this.db.pragma('busy_timeout = 5000');
    migrate(this.db);
    this.totalChanges = this.db.prepare('SELECT total_changes()').pluck();
    this.runInTransaction = this.db.transaction((fn: () => unknown) => fn());
    this.begin = this.db.prepare('BEGIN');
    this.beginImmediate = this.db.prepare('BEGIN IMMEDIATE');
    this.commit = this.db.prepare('COMMIT');
    this.rollback = this.db.prepare('ROLLBACK');
  }

  /**
   * Write generation: changes whenever a transaction run through tx() modified the
   * database. Writes made outside tx() do not count; only bookkeeping that nothing
   * remembered depends on (access-key last use) is written that way.
   */
  get generation(): number {
    return this.memory.generation;
  }

  /**
   * A prepared statement for sql, prepared once per store and shared (hot paths run per
   * request). Its first run inside read() opens that read's snapshot.
   */
  prepare<R = unknown>(sql: string): StoreStatement<R> {
    let stmt = this.statements.get(sql);
    if (!stmt) {
      stmt = new StoreStatement(this, this.db.prepare(sql));
      this.statements.set(sql, stmt);
    }
    return stmt as StoreStatement<R>;
  }

  /** Runs fn in one transaction; a throw rolls everything back. Nested calls are savepoints. */
  tx<T>(fn: () => T): T {
    // A write outside any read or commit group starts its own transaction: not in the turn's snapshot.
    if (this.writing === 0 && this.reading === 0) this.endSnapshot();
    const before = (this.totalChanges.get() as number) - this.unrememberedChanges;
    if (this.writing === 0) this.writeStart = before;
    this.writing++;
    try {
      return this.runInTransaction(fn) as T;
    } finally {
      this.writing--;
      // A rolled-back transaction may have touched rows too; bumping is merely conservative.
      if ((this.totalChanges.get() as number) - this.unrememberedChanges !== before) this.memory.forget();
    }
  }

  /**
   * Runs fn, whose statements change only rows that nothing remembered is computed from
   * (DynamoDB's items: no lookup of them is ever remembered), so they do not make the
   * surrounding write forget what is remembered (remembered.ts). A write of items then
   * keeps the caller's identity policies and decisions warm for the next request.
   */
  unremembered<T>(fn: () => T): T {
    const before = this.totalChanges.get() as number;
    try {
      return fn();
    } finally {
      this.unrememberedChanges += (this.totalChanges.get() as number) - before;
    }
  }

  private unrememberedChanges = 0;

  /**
   * Runs a write request's fn in this turn's commit group: the turn's first write opens a
   * transaction, each write runs in a savepoint of it (a throw undoes only its own), and
   * one COMMIT once the turn's I/O is handled makes them all durable together. Concurrent
   * writers then share one commit (about 140 µs of WAL writing) instead of paying one each.
   * Whoever answers a request must wait for committed(): nothing read or written in the
   * group is shown to a client before it is durable.
   */
  write<T>(fn: () => T): T {
    if (!this.group) this.openGroup();
    return this.tx(fn);
  }

  /** While a commit group is open: settles once it has committed, or rejects if it could not. */
  committed(): Promise<void> | undefined {
    return this.group?.done;
  }

  private group: { done: Promise<void>; settle: (err?: unknown) => void } | undefined;

  private openGroup(): void {
    this.endSnapshot();
    this.beginImmediate.run();
    let settle!: (err?: unknown) => void;
    const done = new Promise<void>((resolve, reject) => {
      settle = (err) => (err === undefined ? resolve() : reject(err));
    });
    done.catch(() => {}); // a group nobody waits for must not be an unhandled rejection
    this.group = { done, settle };
    setImmediate(() => this.commitGroup());
  }

  private commitGroup(): void {
    const group = this.group;
    if (!group) return;
    this.group = undefined;
    try {
      this.commit.run();
      group.settle();
    } catch (err) {
      try {
        if (this.db.inTransaction) this.rollback.run();
      } catch {
        // SQLite has already undone it (an I/O error rolls back by itself).
      }
      this.memory.forget();
      group.settle(err);
    }
  }

  /**
   * Runs a read-only fn in the turn's read snapshot: one read transaction shared by every
   * read request answered in this turn of the event loop, ended once the turn's I/O is
   * handled or as soon as anything writes (openGroup, tx, a write statement), so a read
   * never sees a state older than this process's last write. A read transaction of its
   * own costs each request 10–20 µs of BEGIN, WAL read lock and COMMIT; a statement in an
   * open one about 1 µs. It begins with the turn's first statement, so a read answered
   * wholly from remembered lookups costs no BEGIN and COMMIT at all.
   */
  read<T>(fn: () => T): T {
    if (this.reading > 0 || this.writing > 0) return fn();
    this.reading++;
    try {
      return fn();
    } finally {
      this.reading--;
    }
  }

  /** Ends the turn's read snapshot, if one is open (read-only: COMMIT only releases it). */
  private endSnapshot(): void {
    if (!this.snapshotOpen) return;
    this.snapshotOpen = false;
    this.commit.run();
  }

  private readonly endSnapshotAfterTurn = () => this.endSnapshot();

  /**
   * Called before a statement that changes rows. Inside read() that is a bug: an
   * operation declared as a read (see src/services/operation.ts) would write outside its
   * commit group and leave remembered lookups stale, so it fails loudly instead.
   */
  assertWritable(): void {
    if (this.reading > 0 && this.writing === 0) throw new Error('a write statement ran inside a read-only operation (declare it writes: true)');
  }

  /**
   * Called by each statement before it runs: inside read(), opens the turn's snapshot; a
   * write statement outside read() and tx() (bookkeeping) ends it, to run on its own.
   */
  beforeStatement(writes: boolean): void {
    if (this.reading > 0) {
      // An open commit group is already a transaction, and holds the newest state.
      if (!this.snapshotOpen && this.writing === 0 && !this.group) {
        this.begin.run();
        this.snapshotOpen = true;
        setImmediate(this.endSnapshotAfterTurn);
      }
    } else if (writes && this.writing === 0) this.endSnapshot();
  }

  /**
   * A row lookup's answer, remembered until the next write (remembered.ts). Inside read();
   * with `inWrites`, also inside a write until it changes a row: till then the write sees
   * exactly what was remembered (every earlier change, in its commit group too, was
   * forgotten at its end), and an answer it remembers is forgotten as soon as it, or a
   * savepoint later undone, changes anything. Anywhere else it just computes. Answers are
   * frozen and shared: `inWrites` is for lookups no write handler modifies (a DynamoDB
   * table's row, which PutItem would otherwise query on every call).
   */
  remembered<T>(key: string, compute: () => T, inWrites = false): T {
    if (this.writing > 0) {
      if (!inWrites || (this.totalChanges.get() as number) - this.unrememberedChanges !== this.writeStart) return compute();
    } else if (this.reading === 0) return compute();
    const rows = this.memory.map<unknown>('rows');
    if (rows.has(key)) return rows.get(key) as T;
    const value = freeze(compute());
    if (rows.size < MAX_REMEMBERED) rows.set(key, value);
    return value;
  }

  private reading = 0;
  private writing = 0;
  /** The outermost running tx()'s starting count of remembered-relevant changes. */
  private writeStart = 0;
  private snapshotOpen = false;

  /** better-sqlite3's transaction wrapper, built once rather than per call. */
  private readonly runInTransaction: (fn: () => unknown) => unknown;

  /**
   * Lets state kept outside the database (object bytes on disk…) be wiped by an account
   * reset. resetAccount calls the hooks inside its transaction.
   */
  onAccountReset(hook: (accountId: string) => void): void {
    this.resetHooks.push(hook);
  }

  /** Called by resetAccount; not for handlers. */
  runAccountResetHooks(accountId: string): void {
    for (const hook of this.resetHooks) hook(accountId);
    // The account's object bytes go once the reset is durable (a failed commit keeps them).
    if (this.blobStore) {
      const swept = () => this.sweepBlobs();
      const group = this.committed();
      if (group) group.then(swept, () => {});
      else setImmediate(swept);
    }
  }

  /** Object bytes as files under the data directory (src/store/blobs.ts). */
  get blobs(): Blobs {
    return (this.blobStore ??= new Blobs(this.dataDir));
  }

  private blobStore: Blobs | undefined;

  /** Removes blob files no row names (and half-written ones): at start, and after an account reset. */
  sweepBlobs(): number {
    const referenced = new Set<string>();
    for (const sql of BLOB_REFERENCES) for (const id of this.db.prepare(sql).pluck().all() as string[]) referenced.add(id);
    return this.blobs.sweep(referenced);
  }

  close(): void {
    this.endSnapshot();
    this.commitGroup();
    this.db.close();
  }
}

const MAX_REMEMBERED = 20_000;

/**
 * A shared prepared statement. Shared means: its mode (pluck, raw, expand) never
 * changes; select the shape you want in SQL.
 */
export class StoreStatement<R> {
  constructor(
    private readonly store: Store,
    private readonly stmt: Database.Statement,
  ) {}

  get(...params: unknown[]): R | undefined {
    this.store.beforeStatement(false);
    return this.stmt.get(...params) as R | undefined;
  }

  all(...params: unknown[]): R[] {
    this.store.beforeStatement(false);
    return this.stmt.all(...params) as R[];
  }

  run(...params: unknown[]): Database.RunResult {
    this.store.beforeStatement(!this.stmt.reader);
    if (!this.stmt.reader) this.store.assertWritable();
    return this.stmt.run(...params);
  }
}

/** Rows and lists of rows are shared once remembered: freeze them (one level deep). */
function freeze<T>(value: T): T {
  if (Array.isArray(value)) {
    for (const item of value) if (item && typeof item === 'object') Object.freeze(item);
  }
  if (value && typeof value === 'object') Object.freeze(value);
  return value;
}

/** Rows an account has in one of the COUNTED_TABLES (see migrations.ts), without counting them. */
export function entityCount(store: Store, accountId: string, table: (typeof COUNTED_TABLES)[number]): number {
  return store.prepare<{ n: number }>('SELECT n FROM entity_counts WHERE account_id = ? AND entity = ?').get(accountId, table)?.n ?? 0;
}

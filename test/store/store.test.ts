import { afterEach, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { Store } from '../../src/store/store.js';
import { MIGRATIONS, migrate } from '../../src/store/migrations.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'iamlocal-store-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('Store', () => {
  test('opens in WAL mode with the schema at the last migration; the data is private', () => {
    const store = new Store(dir);
    assert.equal(store.db.pragma('journal_mode', { simple: true }), 'wal');
    assert.equal(store.db.pragma('user_version', { simple: true }), MIGRATIONS.length);
    assert.equal(statSync(dir).mode & 0o777, 0o700);
    assert.equal(statSync(join(dir, 'iamlocal.db')).mode & 0o777, 0o600);
    store.close();
  });

  test('migrations apply in order, once; a newer schema is refused', () => {
    const db = new Database(join(dir, 'm.db'));
    const list = [
      { name: 'one', sql: 'CREATE TABLE a (account_id TEXT)' },
      { name: 'two', sql: 'ALTER TABLE a ADD COLUMN b TEXT' },
    ];
    migrate(db, list.slice(0, 1));
    assert.equal(db.pragma('user_version', { simple: true }), 1);
    migrate(db, list);
    migrate(db, list);
    assert.equal(db.pragma('user_version', { simple: true }), 2);
    assert.deepEqual((db.pragma('table_info(a)') as Array<{ name: string }>).map((c) => c.name), ['account_id', 'b']);
    assert.throws(() => migrate(db, list.slice(0, 1)), /newer iamlocal/);
    db.close();
  });

  test('a failing migration leaves the schema version where it was', () => {
    const db = new Database(join(dir, 'f.db'));
    assert.throws(() => migrate(db, [{ name: 'bad', sql: 'CREATE TABLE x (a TEXT); THIS IS NOT SQL' }]));
    assert.equal(db.pragma('user_version', { simple: true }), 0);
    assert.equal((db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 'x'").get() as { n: number }).n, 0);
    db.close();
  });

  test('tx commits whole or not at all', () => {
    const store = new Store(dir);
    store.tx(() => store.db.prepare('INSERT INTO accounts (account_id, created_at) VALUES (?, 0)').run('111111111111'));
    assert.throws(() =>
      store.tx(() => {
        store.db.prepare('INSERT INTO accounts (account_id, created_at) VALUES (?, 0)').run('222222222222');
        throw new Error('boom');
      }),
    );
    const ids = store.db.prepare('SELECT account_id FROM accounts ORDER BY account_id').all() as Array<{ account_id: string }>;
    assert.deepEqual(ids.map((r) => r.account_id), ['111111111111']);
    store.close();
  });

  test('the write generation moves on writes only', () => {
    const store = new Store(dir);
    const g0 = store.generation;
    store.tx(() => store.db.prepare('SELECT count(*) FROM accounts').get());
    assert.equal(store.generation, g0);
    store.tx(() => store.db.prepare('INSERT INTO accounts (account_id, created_at) VALUES (?, 0)').run('111111111111'));
    assert.ok(store.generation > g0);
    const g1 = store.generation;
    store.tx(() => store.db.prepare("UPDATE accounts SET created_at = 1 WHERE account_id = 'nope'").run());
    assert.equal(store.generation, g1);
    store.close();
  });

  test('writes in one turn share one commit; a throw undoes only its own write', async () => {
    const store = new Store(dir);
    const insert = (id: string) => store.db.prepare('INSERT INTO accounts (account_id, created_at) VALUES (?, 0)').run(id);
    assert.equal(store.committed(), undefined);
    store.write(() => insert('111111111111'));
    assert.throws(() =>
      store.write(() => {
        insert('222222222222');
        throw new Error('boom');
      }),
    );
    store.write(() => insert('333333333333'));
    // A read in the same turn sees the group's writes (and opens no transaction of its own).
    assert.equal(store.read(() => store.prepare<{ n: number }>('SELECT count(*) AS n FROM accounts').get()!.n), 2);
    const committed = store.committed();
    assert.ok(committed instanceof Promise);
    // Another connection sees nothing before the commit...
    const other = new Database(join(dir, 'iamlocal.db'), { readonly: true });
    const count = () => (other.prepare('SELECT count(*) AS n FROM accounts').get() as { n: number }).n;
    assert.equal(count(), 0);
    await committed;
    // ...and both surviving writes after it.
    assert.equal(count(), 2);
    assert.equal(store.committed(), undefined);
    other.close();
    store.close();
  });

  test('reads in one turn share one snapshot, which a write ends: no read sees a state older than the last write', async () => {
    const store = new Store(dir);
    const count = () => store.read(() => store.prepare<{ n: number }>('SELECT count(*) AS n FROM accounts').get()!.n);
    const insert = store.prepare('INSERT INTO accounts (account_id, created_at) VALUES (?, 0)');
    assert.equal(count(), 0);
    assert.equal(store.db.inTransaction, true); // the turn's snapshot, still open for the next read
    assert.equal(count(), 0);
    store.write(() => insert.run('111111111111'));
    assert.equal(count(), 1); // in the commit group
    await store.committed();
    assert.equal(count(), 1);
    // A write outside read() and tx() (bookkeeping) runs on its own, not in the snapshot.
    store.prepare('UPDATE accounts SET created_at = 1').run();
    assert.equal(store.db.inTransaction, false);
    assert.equal(count(), 1);
    store.tx(() => insert.run('222222222222'));
    assert.equal(count(), 2);
    // Once the turn's I/O is handled, the snapshot is gone: other connections may checkpoint past it.
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(store.db.inTransaction, false);
    store.close();
  });

  test('a commit group that cannot commit rejects, keeps nothing and moves the generation', async () => {
    const store = new Store(dir);
    store.write(() => store.db.prepare('INSERT INTO accounts (account_id, created_at) VALUES (?, 0)').run('111111111111'));
    store.write(() => {
      // A deferred foreign key violation only shows at COMMIT.
      store.db.pragma('defer_foreign_keys = ON');
      store.db.prepare("INSERT INTO users (account_id, user_id, user_name, path, created_at) VALUES ('999999999999', 'AIDAX', 'x', '/', 0)").run();
    });
    const before = store.generation;
    await assert.rejects(store.committed()!, /FOREIGN KEY/);
    assert.ok(store.generation > before);
    assert.equal((store.db.prepare('SELECT count(*) AS n FROM accounts').get() as { n: number }).n, 0);
    assert.equal(store.db.inTransaction, false);
    store.close();
  });

  test('a lookup remembered inWrites serves a write until the write changes a row, and is forgotten with it', () => {
    const store = new Store(dir);
    store.db.exec('CREATE TABLE t (k TEXT PRIMARY KEY, v TEXT)');
    store.db.prepare("INSERT INTO t VALUES ('a', 'one')").run();
    let queries = 0;
    const lookup = () => store.remembered('t:a', () => (queries++, store.prepare<{ v: string }>("SELECT v FROM t WHERE k = 'a'").get()!.v), true);
    assert.equal(store.read(lookup), 'one');
    assert.equal(store.tx(lookup), 'one');
    assert.equal(queries, 1, 'the write used the remembered answer');
    store.tx(() => {
      store.prepare("UPDATE t SET v = 'two' WHERE k = 'a'").run();
      assert.equal(lookup(), 'two', 'after its own change a write computes');
    });
    assert.equal(store.read(lookup), 'two', 'the change forgot it');
    // Remembered inside a write whose later change is undone: forgotten, and the old value is read again.
    assert.throws(() => store.tx(() => {
      assert.equal(lookup(), 'two');
      store.prepare("UPDATE t SET v = 'three' WHERE k = 'a'").run();
      throw new Error('undo');
    }), /undo/);
    assert.equal(store.read(lookup), 'two');
    // Without inWrites a write always computes.
    const before = queries;
    store.tx(() => store.remembered('t:a', () => (queries++, 'x')));
    assert.equal(queries, before + 1);
    store.close();
  });

  test('prepare shares one statement per SQL text', () => {
    const store = new Store(dir);
    assert.equal(store.prepare('SELECT 1 AS one'), store.prepare('SELECT 1 AS one'));
    store.close();
  });

  test('committed data, and a commit group still open at close, survive reopening', () => {
    let store = new Store(dir);
    store.tx(() => store.db.prepare('INSERT INTO accounts (account_id, created_at) VALUES (?, 42)').run('111111111111'));
    store.write(() => store.db.prepare('INSERT INTO accounts (account_id, created_at) VALUES (?, 7)').run('222222222222'));
    store.close();
    store = new Store(dir);
    assert.deepEqual(store.db.prepare('SELECT account_id, created_at FROM accounts ORDER BY account_id').all(), [
      { account_id: '111111111111', created_at: 42 },
      { account_id: '222222222222', created_at: 7 },
    ]);
    store.close();
  });

  test('a transaction committed before kill -9 is there after reopening', async () => {
    const here = fileURLToPath(import.meta.url);
    const fromSource = here.endsWith('.ts');
    const child = spawn(
      process.execPath,
      [...(fromSource ? ['--import', 'tsx'] : []), join(here, '..', fromSource ? 'write-and-wait.ts' : 'write-and-wait.js'), dir, '123456789012', 'survivor'],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    await new Promise<void>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        if (out.includes('committed')) resolve();
      });
      child.on('exit', (code) => reject(new Error(`child exited early (${code}): ${out}`)));
    });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
    const store = new Store(dir);
    const row = store.db.prepare("SELECT user_name FROM users WHERE account_id = '123456789012'").get() as { user_name: string } | undefined;
    assert.equal(row?.user_name, 'survivor');
    store.close();
  });
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { EventWriter } from '../../src/services/cloudtrail/event-writer.js';
import { EventBatch } from '../../src/services/cloudtrail/event-batch.js';
import { BLOCK_EVENTS, decodeBlock, eventDataOf, type BlockRow } from '../../src/services/cloudtrail/event-block.js';
import { lastEventSeq, readEvents } from '../../src/services/cloudtrail/event-history.js';
import { closeEventLog, eventLog } from '../../src/services/cloudtrail/event-log.js';
import { eventIdOf } from '../../src/services/cloudtrail/event-record.js';
import { Store } from '../../src/store/store.js';
import { eventSink } from '../../src/services/cloudtrail/writer-thread.js';

/** Every event in cloudtrail.db, from its blocks: its seq and the parts it went in with (gaps left out). */
function eventsIn(file: string): Array<{ seq: number; account: string; time: number; caller: string; op: string; data: unknown }> {
  const db = new Database(file, { readonly: true });
  try {
    const out = [];
    for (const row of db.prepare<[], BlockRow>('SELECT * FROM cloudtrail_blocks ORDER BY first_seq').all()) {
      const { columns: c, data } = decodeBlock(row);
      const dataOf = eventDataOf(c, data);
      for (let i = 0; i < c.time.length; i++) {
        if (c.account[i] < 0) continue;
        out.push({ seq: row.first_seq + i, account: c.accounts[c.account[i]], time: c.time[i], caller: c.callers[c.caller[i]], op: c.ops[c.op[i]], data: dataOf(i) });
      }
    }
    return out;
  } finally {
    db.close();
  }
}

function withWriterMode<T>(mode: 'worker thread' | 'inline', body: () => T): T {
  const saved = process.env.IAMLOCAL_CLOUDTRAIL_WRITER;
  if (mode === 'inline') process.env.IAMLOCAL_CLOUDTRAIL_WRITER = 'inline';
  try {
    return body();
  } finally {
    if (saved === undefined) delete process.env.IAMLOCAL_CLOUDTRAIL_WRITER;
    else process.env.IAMLOCAL_CLOUDTRAIL_WRITER = saved;
  }
}

const KEEP_ALL = { retentionDays: 100_000, maxEvents: 100_000 };

// A batch keeps its events' data as UTF-8 in one growing buffer, handed to the writer
// thread whole: every event must come out as it went in, whatever its characters.
for (const mode of ['worker thread', 'inline'] as const) {
  test(`a batch larger than its first buffer, with non-ASCII data, is written event for event (${mode})`, () => {
    const dir = mkdtempSync(join(tmpdir(), 'iamlocal-batch-'));
    try {
      withWriterMode(mode, () => {
        const file = join(dir, 'cloudtrail.db');
        const sink = eventSink(file);
        const samples = ['plain ascii', 'café crème', 'ключ/объект', '𝄞 music and 😀 emoji', '', '"quoted" \\ back\nslash'];
        const expected: ReturnType<typeof eventsIn> = [];
        const batch = new EventBatch();
        for (let i = 0; i < BLOCK_EVENTS; i++) {
          const account = i % 3 === 0 ? '111111111111' : '000000000000';
          const caller = JSON.stringify([{ type: 'IAMUser', n: i % 4 }, 'us-east-1']);
          const op = JSON.stringify([`Op${i % 5}`, 'iam.amazonaws.com', 1, 1]);
          // 400 to 1,000 UTF-16 units of mixed widths: 500 of them overflow the first 256 KiB.
          const data = [i, samples[i % samples.length].repeat(80).slice(0, 400 + (i % 7) * 100)];
          batch.add(account, 1_700_000_000_000 + i, caller, op, data);
          // Chunks of 1 to 13 events, as turns come.
          if (i % 13 === (i >> 8) % 13) batch.seal();
          expected.push({ seq: i + 1, account, time: 1_700_000_000_000 + i, caller, op, data });
        }
        batch.seal();
        assert.equal(batch.length, BLOCK_EVENTS);
        assert.ok(batch.used > 256 * 1024);
        sink.write(batch, KEEP_ALL);
        sink.settle();
        sink.close();
        assert.deepEqual(eventsIn(file), expected);
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}

function batchOf(n: number, from: number, account = '000000000000'): EventBatch {
  const batch = new EventBatch();
  for (let i = from; i < from + n; i++) {
    batch.add(account, 1_700_000_000_000 + i, '["caller"]', '["op"]', [`req-${i}`, null, null, null, null, null, null]);
    if (i % 7 === 0) batch.seal();
  }
  batch.seal();
  return batch;
}

test('small batches fill up the newest block (seqs consecutive, one row), and a batch that does not fit starts the next', () => {
  const dir = mkdtempSync(join(tmpdir(), 'iamlocal-blocks-'));
  try {
    const file = join(dir, 'cloudtrail.db');
    const writer = new EventWriter(file);
    for (let k = 0; k < 10; k++) writer.write(batchOf(40, k * 40), KEEP_ALL);
    writer.write(batchOf(200, 400), KEEP_ALL);
    writer.close();
    const db = new Database(file, { readonly: true });
    const blocks = db.prepare('SELECT first_seq, count FROM cloudtrail_blocks ORDER BY first_seq').all();
    db.close();
    assert.deepEqual(blocks, [{ first_seq: 1, count: 400 }, { first_seq: 401, count: 200 }]);
    assert.deepEqual(eventsIn(file).map((e) => [e.seq, (e.data as string[])[0]]), Array.from({ length: 600 }, (_, i) => [i + 1, `req-${i}`]));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('retention by count keeps exactly the newest events, and by age drops the older events of a block; an account\'s reset leaves the other account\'s seqs alone', () => {
  const dir = mkdtempSync(join(tmpdir(), 'iamlocal-retain-'));
  const store = new Store(dir);
  try {
    const writer = new EventWriter(join(dir, 'cloudtrail.db'));
    writer.write(batchOf(300, 0), { retentionDays: 100_000, maxEvents: 1000 });
    writer.write(batchOf(300, 300, '111111111111'), { retentionDays: 100_000, maxEvents: 1000 });
    writer.write(batchOf(300, 600), { retentionDays: 100_000, maxEvents: 250 });
    const seqs = (accountId: string) => [...readEvents(store, { accountId })].map((e) => e.seq);
    // 900 written, the newest 250 kept: seqs 651..900 (the block of 600..900 is only partly below the floor).
    assert.deepEqual(seqs('000000000000'), Array.from({ length: 250 }, (_, i) => 651 + i));
    assert.deepEqual(seqs('111111111111'), []);
    // Events are 1 ms apart from 1_700_000_000_000 + seq - 1: a day after the 800th, the ones before it go.
    writer.expire(1_700_000_000_000 + 799 + 86_400_000, { retentionDays: 1, maxEvents: 1000 });
    assert.deepEqual(seqs('000000000000'), Array.from({ length: 101 }, (_, i) => 800 + i));
    writer.write(batchOf(10, 900, '111111111111'), { retentionDays: 100_000, maxEvents: 1000 });
    writer.write(batchOf(10, 910), { retentionDays: 100_000, maxEvents: 1000 });
    writer.reset('111111111111');
    assert.deepEqual(seqs('111111111111'), []);
    assert.deepEqual(seqs('000000000000'), [...Array.from({ length: 101 }, (_, i) => 800 + i), ...Array.from({ length: 10 }, (_, i) => 911 + i)]);
    assert.equal(lastEventSeq(store), 920);
    writer.close();
  } finally {
    closeEventLog(store);
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('an event log of the earlier layout (a row per event) is moved into blocks as it is opened: seqs, ids and fields kept', () => {
  const dir = mkdtempSync(join(tmpdir(), 'iamlocal-legacy-'));
  const store = new Store(dir);
  try {
    const old = new Database(join(dir, 'cloudtrail.db'));
    old.exec(`CREATE TABLE cloudtrail_events (seq INTEGER PRIMARY KEY, account_id TEXT NOT NULL, event_time INTEGER NOT NULL, identity INTEGER NOT NULL, data TEXT NOT NULL) STRICT;
      CREATE TABLE cloudtrail_identities (id INTEGER PRIMARY KEY, account_id TEXT NOT NULL, json TEXT NOT NULL UNIQUE) STRICT;`);
    old.prepare('INSERT INTO cloudtrail_identities VALUES (1, ?, ?)').run('000000000000', '{"type":"IAMUser","userName":"ana"}');
    const insert = old.prepare('INSERT INTO cloudtrail_events VALUES (?, ?, ?, 1, ?)');
    // Seqs 3..702, then a gap (a reset account's events), then 710..711.
    const seqs = [...Array.from({ length: 700 }, (_, i) => i + 3), 710, 711];
    for (const seq of seqs) {
      insert.run(seq, '000000000000', 1_700_000_000_000 + seq, JSON.stringify([
        `e0000000-0000-4000-8000-${String(seq).padStart(12, '0')}`, seq % 2 ? 'GetUser' : 'CreateUser', 'iam.amazonaws.com', 'us-east-1', '10.0.0.1', 'aws-cli/2',
        seq % 2, 1, `arn:aws:iam::000000000000:user/u${seq}`, [['iam:GetUser', `arn:aws:iam::000000000000:user/u${seq}`]], `req-${seq}`,
        seq === 710 ? 'AccessDenied' : null, seq === 710 ? 'denied' : null, { userName: `u${seq}` }, null, 'AKIAOLD', 'ana', 'arn:aws:iam::000000000000:user/ana',
      ]));
    }
    old.close();
    const events = [...readEvents(store, { accountId: '000000000000' })];
    assert.deepEqual(events.map((e) => e.seq), seqs);
    const e = events.find((x) => x.seq === 710)!;
    assert.deepEqual({ ...e, identityJson: JSON.parse(e.identityJson) }, {
      seq: 710, accountId: '000000000000', time: 1_700_000_000_710, identityJson: { type: 'IAMUser', userName: 'ana' },
      eventId: 'e0000000-0000-4000-8000-000000000710', eventName: 'CreateUser', eventSource: 'iam.amazonaws.com', region: 'us-east-1',
      sourceIp: '10.0.0.1', userAgent: 'aws-cli/2', readOnly: false, management: true, resource: 'arn:aws:iam::000000000000:user/u710',
      authz: [['iam:GetUser', 'arn:aws:iam::000000000000:user/u710']], requestId: 'req-710', errorCode: 'AccessDenied', errorMessage: 'denied',
      requestParameters: { userName: 'u710' }, responseElements: null, accessKeyId: 'AKIAOLD', username: 'ana', principalArn: 'arn:aws:iam::000000000000:user/ana',
    });
    assert.equal(lastEventSeq(store), 711);
    const tables = eventLog(store).prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all();
    assert.deepEqual(tables, ['cloudtrail_blocks', 'cloudtrail_log']);
  } finally {
    closeEventLog(store);
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('an event id is a version-4-shaped UUID, the same each time it is made, different for another seq or request', () => {
  const id = eventIdOf('req-1', 7);
  assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.equal(eventIdOf('req-1', 7), id);
  assert.notEqual(eventIdOf('req-1', 8), id);
  assert.notEqual(eventIdOf('req-2', 7), id);
});

test('the writer thread runs at a lower priority than the server\'s thread (nice 5), so recording takes the CPU requests leave', async () => {
  const { readdirSync, readFileSync } = await import('node:fs');
  const niceOf = (tid: string) => {
    const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]); // field 19: nice
  };
  const before = new Set(readdirSync('/proc/self/task'));
  const dir = mkdtempSync(join(tmpdir(), 'iamlocal-nice-'));
  try {
    const sink = eventSink(join(dir, 'cloudtrail.db'));
    const batch = new EventBatch();
    batch.add('000000000000', Date.now(), '[]', '[]', []);
    batch.seal();
    sink.write(batch, { retentionDays: 90, maxEvents: 100 });
    sink.settle();
    const started = readdirSync('/proc/self/task').filter((t) => !before.has(t));
    assert.ok(started.map(niceOf).includes(5), `threads started: ${started.map((t) => `${t}:${niceOf(t)}`).join(', ')}`);
    assert.equal(niceOf(String(process.pid)), 0);
    sink.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

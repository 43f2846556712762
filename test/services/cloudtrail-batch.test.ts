import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { EventBatch } from '../../src/services/cloudtrail/event-writer.js';
import { eventSink } from '../../src/services/cloudtrail/writer-thread.js';

// A batch keeps its events' data as UTF-8 in one growing buffer, handed to the writer
// thread whole: every event must come out as it went in, whatever its characters.
for (const mode of ['worker thread', 'inline'] as const) {
  test(`a batch larger than its first buffer, with non-ASCII data, is written event for event (${mode})`, () => {
    const dir = mkdtempSync(join(tmpdir(), 'iamlocal-batch-'));
    const saved = process.env.IAMLOCAL_CLOUDTRAIL_WRITER;
    if (mode === 'inline') process.env.IAMLOCAL_CLOUDTRAIL_WRITER = 'inline';
    try {
      const file = join(dir, 'cloudtrail.db');
      const sink = eventSink(file);
      const samples = ['plain ascii', 'café crème', 'ключ/объект', '𝄞 music and 😀 emoji', '', '"quoted" \\ back\nslash'];
      const expected: Array<{ account: string; time: number; identity: string; data: string }> = [];
      const batch = new EventBatch();
      for (let i = 0; i < 3000; i++) {
        const account = i % 3 === 0 ? '111111111111' : '000000000000';
        const identity = JSON.stringify({ type: 'IAMUser', n: i % 4 });
        // ~600 UTF-16 units of mixed widths: 3,000 of them overflow the first 256 KiB several times.
        const data = JSON.stringify([i, samples[i % samples.length].repeat(1 + (i % 7) * 20).slice(0, 600)]);
        batch.add(account, 1_700_000_000_000 + i, identity, data);
        expected.push({ account, time: 1_700_000_000_000 + i, identity, data });
      }
      assert.equal(batch.length, 3000);
      sink.write(batch, { retentionDays: 100_000, maxEvents: 100_000 });
      sink.settle();
      sink.close();
      const db = new Database(file, { readonly: true });
      try {
        const rows = db.prepare(`SELECT e.account_id AS account, e.event_time AS time, i.json AS identity, e.data AS data
          FROM cloudtrail_events e JOIN cloudtrail_identities i ON i.id = e.identity ORDER BY e.seq`).all();
        assert.equal(rows.length, expected.length);
        assert.deepEqual(rows, expected);
      } finally {
        db.close();
      }
    } finally {
      if (saved === undefined) delete process.env.IAMLOCAL_CLOUDTRAIL_WRITER;
      else process.env.IAMLOCAL_CLOUDTRAIL_WRITER = saved;
      rmSync(dir, { recursive: true, force: true });
    }
  });
}

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
    batch.add('000000000000', Date.now(), '{}', '[]');
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

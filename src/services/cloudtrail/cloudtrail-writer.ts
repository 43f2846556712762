/**
 * The recorder's worker thread (started by writer-thread.ts): writes the batches it is
 * posted into cloudtrail.db and says how far it got through a shared counter, which the
 * server's thread waits on only when it must read what was recorded.
 */
import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { EventWriter, type RetentionOptions } from './event-writer.js';
import type { EventBatch } from './event-batch.js';

export type WriterMessage =
  | { n: number; kind: 'write'; batch: EventBatch; options: RetentionOptions }
  | { n: number; kind: 'reset'; accountId: string }
  | { n: number; kind: 'expire'; now: number; options: RetentionOptions }
  | { n: number; kind: 'close' };

const { file, done } = workerData as { file: string; done: Int32Array };

/**
 * The writer is bookkeeping: at a lower priority it takes the CPU that requests leave,
 * instead of competing with the server's thread for it. Linux applies a nice value to
 * the one thread whose id is given (/proc/thread-self names it). Still well above idle,
 * so it keeps up with a saturated server (about 1 µs of its CPU per event).
 */
const WRITER_NICE = 5;
try {
  const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
  if (tid > 0) setPriority(tid, WRITER_NICE);
} catch {
  // no /proc (not Linux) or not permitted: the writer runs at the server's priority
}
const writer = new EventWriter(file);

parentPort!.on('message', (m: WriterMessage) => {
  try {
    if (m.kind === 'write') writer.write(m.batch, m.options);
    else if (m.kind === 'reset') writer.reset(m.accountId);
    else if (m.kind === 'expire') writer.expire(m.now, m.options);
    else writer.close();
  } catch (err) {
    // Lost events are CloudTrail's own failure mode; a server that stops answering is not.
    process.stderr.write(`iamlocal: CloudTrail events not written: ${err instanceof Error ? err.stack : String(err)}\n`);
  } finally {
    Atomics.store(done, 0, m.n);
    Atomics.notify(done, 0);
  }
  if (m.kind === 'close') parentPort!.close();
});

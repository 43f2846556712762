import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { WriterMessage } from './cloudtrail-writer.js';
import { EventWriter, type RetentionOptions } from './event-writer.js';
import type { EventBatch } from './event-batch.js';

/** Where the recorder's batches go: a worker thread, or (none could start) the server's own. */
export interface EventSink {
  write(batch: EventBatch, options: RetentionOptions): void;
  /** Returns once everything handed over so far is in the database. */
  settle(): void;
  reset(accountId: string): void;
  /** Retention by age as of `now`; returns once done. */
  expire(now: number, options: RetentionOptions): void;
  close(): void;
}

/**
 * The worker's script: beside this module once compiled (dist/src/services/cloudtrail/),
 * and beside the bundled command (dist/iamlocal.js → dist/cloudtrail-writer.js, see
 * scripts/bundle.mjs), the same relative name from either.
 */
const SCRIPT = new URL('./cloudtrail-writer.js', import.meta.url);

/** A sink for cloudtrail.db at `file`: its own thread where it can. */
export function eventSink(file: string): EventSink {
  if (process.env.IAMLOCAL_CLOUDTRAIL_WRITER !== 'inline' && existsSync(fileURLToPath(SCRIPT))) {
    try {
      return new WorkerSink(file);
    } catch {
      // no worker: the same writer in this thread
    }
  }
  return inlineSink(file);
}

function inlineSink(file: string): EventSink {
  const writer = new EventWriter(file);
  return {
    write: (batch, options) => writer.write(batch, options),
    settle: () => {},
    reset: (accountId) => writer.reset(accountId),
    expire: (now, options) => writer.expire(now, options),
    close: () => writer.close(),
  };
}

/** How long the server waits for the writer before it goes on without it. */
const SETTLE_TIMEOUT_MS = 10_000;

class WorkerSink implements EventSink {
  private readonly worker: Worker;
  /** done[0]: the number of the last message the worker has handled. */
  private readonly done = new Int32Array(new SharedArrayBuffer(4));
  private sent = 0;
  private closed = false;
  /** The writer in this thread, once the worker has failed. */
  private fallback: EventSink | undefined;

  constructor(file: string) {
    this.worker = new Worker(SCRIPT, { workerData: { file, done: this.done } });
    // Never what keeps the process alive: the server's stop closes it after a last settle.
    this.worker.unref();
    this.worker.on('error', (err) => {
      process.stderr.write(`iamlocal: CloudTrail writer thread failed, writing in the server's thread: ${err.stack ?? String(err)}\n`);
      if (!this.closed) this.fallback = inlineSink(file);
      this.closed = true;
    });
  }

  write(batch: EventBatch, options: RetentionOptions): void {
    if (this.fallback) this.fallback.write(batch, options);
    // The batch's bytes move to the worker (transferred, not copied): the recorder has started a new batch.
    else this.post({ n: 0, kind: 'write', batch, options }, [batch.bytes.buffer as ArrayBuffer]);
  }

  reset(accountId: string): void {
    if (this.fallback) return this.fallback.reset(accountId);
    this.post({ n: 0, kind: 'reset', accountId });
    this.settle();
  }

  expire(now: number, options: RetentionOptions): void {
    if (this.fallback) return this.fallback.expire(now, options);
    this.post({ n: 0, kind: 'expire', now, options });
    this.settle();
  }

  settle(): void {
    const target = this.sent;
    const deadline = Date.now() + SETTLE_TIMEOUT_MS;
    for (let seen = Atomics.load(this.done, 0); seen < target && !this.closed; seen = Atomics.load(this.done, 0)) {
      const left = deadline - Date.now();
      if (left <= 0) {
        process.stderr.write('iamlocal: CloudTrail writer thread did not answer; going on without its last events\n');
        return;
      }
      Atomics.wait(this.done, 0, seen, left);
    }
  }

  close(): void {
    this.fallback?.close();
    if (this.closed) return;
    this.post({ n: 0, kind: 'close' });
    this.settle();
    this.closed = true;
  }

  private post(m: WriterMessage, transfer: ArrayBuffer[] = []): void {
    if (this.closed) return;
    m.n = ++this.sent;
    this.worker.postMessage(m, transfer);
  }
}

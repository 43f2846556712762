import { Worker } from 'node:worker_threads';
import type { Digest } from './blobs.js';
import type { HashReply, HashRequest } from './hash-worker.js';

/**
 * A node:crypto hash (MD5 for S3's ETag) computed on the hashing thread (hash-worker.ts),
 * so a large upload's hashing runs beside the event loop instead of on it. One thread
 * serves every upload: started on first use, it keeps the process alive only while it
 * has work.
 *
 * update() returns a promise: the bytes must stay unchanged until it settles (they are
 * read in place when they live in a SharedArrayBuffer, as the blob sink's slabs do;
 * anything else is copied first). digest() resolves once every update is hashed.
 */
export class ThreadedHash implements Digest {
  private readonly id = nextId++;
  /** Answers still due from the thread, in the order they were asked for. */
  private readonly waiting: Array<{ resolve: (digest?: Uint8Array) => void; reject: (err: Error) => void }> = [];
  private readonly thread: HashThread;

  constructor(algorithm: string) {
    this.thread = hashThread();
    this.thread.post({ op: 'start', id: this.id, algorithm }, this);
  }

  update(data: Uint8Array): Promise<void> {
    const shared = data.buffer instanceof SharedArrayBuffer ? data : copyToShared(data);
    return this.ask({ op: 'update', id: this.id, data: shared }).then(() => undefined);
  }

  digest(): Promise<Buffer> {
    return this.ask({ op: 'digest', id: this.id }).then((d) => Buffer.from(d!.buffer, d!.byteOffset, d!.byteLength));
  }

  /** The hash is not wanted any more (the upload failed): the thread forgets it. */
  discard(): void {
    this.thread.post({ op: 'drop', id: this.id }, undefined);
  }

  /** Called by the thread's answer to this hash's oldest request. */
  settle(reply: HashReply): void {
    const next = this.waiting.shift()!;
    if (reply.error) next.reject(new Error(`hashing thread: ${reply.error}`));
    else next.resolve(reply.digest);
  }

  /** The thread failed: every answer still due fails with it. */
  fail(err: Error): void {
    for (const w of this.waiting.splice(0)) w.reject(err);
  }

  get pending(): number {
    return this.waiting.length;
  }

  private ask(msg: HashRequest): Promise<Uint8Array | undefined> {
    if (this.thread.failure) return Promise.reject(this.thread.failure);
    return new Promise((resolve, reject) => {
      this.waiting.push({ resolve, reject });
      this.thread.post(msg, this);
    });
  }
}

let nextId = 1;

/** The one hashing thread, and the hashes waiting for its answers. */
class HashThread {
  private readonly worker: Worker;
  private readonly hashes = new Map<number, ThreadedHash>();
  /** Requests not yet answered: the thread keeps the process alive while there are any. */
  private outstanding = 0;
  /** Why the thread stopped, once it has: its hashes fail, new ones go to a new thread. */
  failure: Error | undefined;

  constructor() {
    this.worker = new Worker(new URL('./hash-worker.js', import.meta.url));
    this.worker.unref();
    this.worker.on('message', (reply: HashReply) => {
      const hash = this.hashes.get(reply.id);
      if (!hash) return;
      this.done();
      hash.settle(reply);
      if (hash.pending === 0) this.hashes.delete(reply.id);
    });
    this.worker.on('error', (err) => this.broken(err));
    this.worker.on('exit', (code) => this.broken(new Error(`hashing thread exited (${code})`)));
  }

  /** Sends a request; `from` is the hash awaiting its answer (none for start and drop). */
  post(msg: HashRequest, from: ThreadedHash | undefined): void {
    if (from && msg.op !== 'start') {
      this.hashes.set(msg.id, from);
      if (this.outstanding++ === 0) this.worker.ref();
    }
    this.worker.postMessage(msg);
  }

  private done(): void {
    if (--this.outstanding === 0) this.worker.unref();
  }

  private broken(err: Error): void {
    this.failure ??= err;
    if (thread === this) thread = undefined;
    for (const hash of this.hashes.values()) hash.fail(err);
    this.hashes.clear();
    this.outstanding = 0;
  }
}

let thread: HashThread | undefined;

function hashThread(): HashThread {
  return (thread ??= new HashThread());
}

function copyToShared(data: Uint8Array): Uint8Array {
  const copy = new Uint8Array(new SharedArrayBuffer(data.byteLength));
  copy.set(data);
  return copy;
}

import { Readable } from 'node:stream';

/**
 * A request's body as its handler sees it: bytes that come off the connection only when
 * someone asks for them. Until then the connection stops reading (TCP pushes back on the
 * client), so what a body holds unasked is at most the socket read that carried its head.
 *
 * Three ways to take it:
 * - complete(): the whole body, when it came in with its head (the common small request:
 *   no promise, no stream — the hot path of IAM and STS stays synchronous);
 * - read(limit): the whole body, up to a bound, refused beyond it without reading on;
 * - stream(): a Readable with backpressure (S3 uploads, any size).
 * The first to ask for the body sends `100 Continue` when the client waits for it.
 */
/** What a streamed body holds before the connection stops reading (per upload). */
const STREAM_BUFFER = 512 * 1024;

export class RequestBody {
  private parts: Buffer[] = [];
  private size = 0;
  private done = false;
  private failure: Error | undefined;
  private mode: 'idle' | 'read' | 'stream' | 'discard' = 'idle';
  private pending: { limit: number; resolve: (b: Buffer) => void; reject: (e: Error) => void } | undefined;
  private readable: Readable | undefined;
  /** The Readable asked for more than it holds. */
  private wanted = false;

  /**
   * @param length the declared Content-Length; undefined for chunked transfer coding.
   * @param flow how the body tells its connection it wants bytes (or a 100 Continue).
   */
  constructor(
    readonly length: number | undefined,
    private readonly flow: BodyFlow,
  ) {
    if (length === 0) this.done = true;
  }

  /** Every byte has arrived. */
  get ended(): boolean {
    return this.done;
  }

  /** Does the body want bytes from the connection now? (The connection reads only then.) */
  get demanding(): boolean {
    if (this.done || this.failure) return false;
    // A body refused or given up on is not read on: the answer closes the connection.
    if (this.mode === 'read') return this.pending !== undefined;
    return this.mode === 'stream' && this.wanted;
  }

  /** The whole body if it has already arrived (and nobody took it otherwise); else undefined. */
  complete(): Buffer | undefined {
    if (!this.done || this.mode !== 'idle') return undefined;
    this.mode = 'read';
    return this.joined();
  }

  /**
   * The whole body, at most `limit` bytes: a body declared or found longer rejects with
   * BodyTooLarge as soon as that is known, and the rest is left unread.
   */
  read(limit: number): Promise<Buffer> {
    if (this.mode !== 'idle') return Promise.reject(new Error('request body already taken'));
    if (this.failure) return Promise.reject(this.failure);
    if ((this.length ?? 0) > limit || this.size > limit) {
      this.mode = 'discard';
      return Promise.reject(new BodyTooLarge(limit));
    }
    this.mode = 'read';
    if (this.done) return Promise.resolve(this.joined());
    return new Promise((resolve, reject) => {
      this.pending = { limit, resolve, reject };
      this.flow.sendContinue();
      this.flow.changed();
    });
  }

  /** The body as a stream: reading it is what makes the connection read on. */
  stream(): Readable {
    if (this.mode !== 'idle') throw new Error('request body already taken');
    this.mode = 'stream';
    const readable = new Readable({
      // Room for a few socket reads while the consumer writes: the connection is paused
      // and resumed (two syscalls) each time this fills, so not every 64 KiB read.
      highWaterMark: STREAM_BUFFER,
      read: () => {
        if (this.wanted) return;
        this.wanted = true;
        this.flow.changed();
      },
      destroy: (err, callback) => {
        // The consumer gave up (or failed): the rest of the body is not wanted.
        if (!this.done) this.mode = 'discard';
        this.wanted = false;
        this.flow.changed();
        callback(err);
      },
    });
    this.readable = readable;
    for (const part of this.parts) readable.push(part);
    this.parts = [];
    if (this.failure) readable.destroy(this.failure);
    else if (this.done) readable.push(null);
    else this.flow.sendContinue();
    return readable;
  }

  /** Called by the connection: the next piece of the body. */
  push(bytes: Buffer): void {
    this.size += bytes.length;
    switch (this.mode) {
      case 'discard':
        return;
      case 'stream':
        if (!this.readable!.push(bytes)) this.wanted = false;
        return;
      case 'read':
        if (this.pending && this.size > this.pending.limit) {
          const { reject, limit } = this.pending;
          this.pending = undefined;
          this.parts = [];
          this.mode = 'discard';
          reject(new BodyTooLarge(limit));
          return;
        }
        this.parts.push(bytes);
        return;
      case 'idle':
        this.parts.push(bytes);
    }
  }

  /** Called by the connection: the body is complete. */
  end(): void {
    this.done = true;
    if (this.mode === 'stream') this.readable!.push(null);
    else if (this.pending) {
      const { resolve } = this.pending;
      this.pending = undefined;
      resolve(this.joined());
    }
  }

  /** Called by the connection: it closed (or broke) before the body ended. */
  fail(err: Error): void {
    if (this.done || this.failure) return;
    this.failure = err;
    this.parts = [];
    if (this.mode === 'stream') this.readable!.destroy(err);
    else if (this.pending) {
      const { reject } = this.pending;
      this.pending = undefined;
      reject(err);
    }
  }

  private joined(): Buffer {
    const parts = this.parts;
    this.parts = [];
    return parts.length === 0 ? EMPTY : parts.length === 1 ? parts[0] : Buffer.concat(parts);
  }
}

/** What a body needs from its connection. */
export interface BodyFlow {
  /** The body's demand may have changed: read on, or stop. */
  changed(): void;
  /** Send `100 Continue` if the client asked for it and has not had it. */
  sendContinue(): void;
}

/** A body longer than its reader takes. */
export class BodyTooLarge extends Error {
  constructor(readonly limit: number) {
    super(`request body larger than ${limit} bytes`);
  }
}

/** The client went away before its body ended. */
export class BodyAborted extends Error {
  constructor() {
    super('the connection closed before the request body ended');
  }
}

const EMPTY = Buffer.alloc(0);

/** A body that has all arrived already (tests, internal calls). */
export function bodyOf(bytes: Buffer): RequestBody {
  const body = new RequestBody(bytes.length, { changed() {}, sendContinue() {} });
  if (bytes.length > 0) {
    body.push(bytes);
    body.end();
  }
  return body;
}

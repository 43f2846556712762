import { close, read } from 'node:fs';
import { Readable } from 'node:stream';

/**
 * A blob's bytes (or a range of them) on their way out. It is a Readable, as any body
 * stream is, and can also send itself straight to a socket (sendTo), which is how the
 * HTTP server answers with it. Why both: as a Readable each 1 MiB read needs a new
 * buffer (the consumer keeps what it is given), and a GiB of fresh 1 MiB buffers costs
 * page faults and garbage collections on the event loop (measured: a third of its time
 * during a 1 GiB GET); sendTo reads into two buffers it reuses, each read into again once
 * the socket has taken its bytes, the file read of one overlapping the send of the other.
 */
export class BlobReader extends Readable {
  private position: number;
  /** Bytes still to read. */
  private remaining: number;
  /** A file read under way: the file closes only once it is over. */
  private reading = false;
  private fdClosed = false;

  /** Reads fd (which it owns and closes) from start to end inclusive. */
  constructor(
    private readonly fd: number,
    start: number,
    end: number,
  ) {
    super({ highWaterMark: CHUNK });
    this.position = start;
    this.remaining = end - start + 1;
  }

  override _read(): void {
    if (this.remaining === 0) return void this.push(null);
    const buf = Buffer.allocUnsafe(Math.min(CHUNK, this.remaining));
    this.readInto(buf, (err, n) => {
      if (err) return this.destroy(err);
      this.push(buf.subarray(0, n));
      if (this.remaining === 0) this.push(null);
    });
  }

  override _destroy(err: Error | null, callback: (error?: Error | null) => void): void {
    this.closeWhenIdle();
    callback(err);
  }

  /**
   * Sends the bytes to socket (after whatever it was given before), then calls done;
   * done(err) if the file or the socket fails. The socket's `close` stops it (destroy()).
   */
  sendTo(socket: NodeJS.WritableStream & { destroyed?: boolean }, done: (err?: Error | null) => void): void {
    const free = [takeBuffer(), takeBuffer()];
    let writing = 0;
    let failed = false;
    const finish = (err?: Error | null): void => {
      if (failed) return;
      if (err) failed = true;
      if (!err && (this.remaining > 0 || writing > 0 || this.reading)) return;
      this.destroy();
      if (!err) for (const b of free.splice(0)) giveBuffer(b);
      done(err);
    };
    const next = (): void => {
      if (failed || this.destroyed || this.reading || this.remaining === 0 || free.length === 0) return;
      const buf = free.pop()!;
      this.readInto(buf, (err, n) => {
        if (err) return finish(err);
        if (failed || this.destroyed) return;
        writing++;
        socket.write(buf.subarray(0, n), (werr?: Error | null) => {
          writing--;
          if (werr) return finish(werr);
          free.push(buf);
          next();
          finish();
        });
        next();
      });
    };
    next();
    finish(); // nothing to send (an empty range): done at once
  }

  /** One read of up to buf.length bytes at the current position; a file shorter than promised is an error. */
  private readInto(buf: Buffer, callback: (err: Error | null, n: number) => void): void {
    this.reading = true;
    const want = Math.min(buf.length, this.remaining);
    read(this.fd, buf, 0, want, this.position, (err, n) => {
      this.reading = false;
      // Given up meanwhile (the client went away): nobody wants these bytes.
      if (this.destroyed) return this.closeWhenIdle();
      if (!err && n === 0) err = new Error('blob file shorter than its row says');
      if (err) return callback(err, 0);
      this.position += n;
      this.remaining -= n;
      callback(null, n);
    });
  }

  private closeWhenIdle(): void {
    if (this.reading || this.fdClosed) return;
    this.fdClosed = true;
    close(this.fd, () => {});
  }
}

/** Bytes per file read: a GiB is a thousand trips through the thread pool. */
const CHUNK = 1024 * 1024;
/** sendTo's buffers, kept for the next answer rather than allocated again. */
const freeBuffers: Buffer[] = [];
const MAX_FREE_BUFFERS = 8;

function takeBuffer(): Buffer {
  return freeBuffers.pop() ?? Buffer.allocUnsafe(CHUNK);
}

function giveBuffer(buf: Buffer): void {
  if (freeBuffers.length < MAX_FREE_BUFFERS) freeBuffers.push(buf);
}

import { randomBytes } from 'node:crypto';
import {
  close, closeSync, createReadStream, fstatSync, fsync, fsyncSync, link, mkdir, mkdirSync, open, openSync, readdirSync, rename, renameSync,
  rmSync, unlink, unlinkSync, write,
} from 'node:fs';
import { join } from 'node:path';
import { pipeline, Readable, Writable, type Transform } from 'node:stream';
import { BlobReader } from './blob-reader.js';

/**
 * Object bytes as files: <dataDir>/blobs/<2 hex>/<id>. The database says which blobs
 * exist (a row names its blob_id); a file no row names is garbage.
 *
 * The discipline that keeps a crash harmless:
 *   1. bytes stream to blobs/tmp/<id> (hashed on the way), are fsynced, the file is
 *      renamed to its place and that folder fsynced (the new name is on disk too, so a
 *      power loss cannot keep a row whose blob it forgot) — all before any row names it;
 *   2. the row naming it is written in the commit group, and the answer waits for COMMIT;
 *   3. a blob a committed write replaced is unlinked only after that COMMIT (afterCommit).
 * A kill -9 anywhere leaves either the old row and its old blob (plus, at worst, a new
 * file nobody names), or the new row and its new blob: never a row without its bytes.
 * At start, sweep() removes blobs/tmp and every file no row names.
 *
 * Durability is the store's: WAL with synchronous=NORMAL survives a kill -9 of the
 * process; the blob's fsync makes its bytes reach the disk before the row can.
 */
export class Blobs {
  readonly dir: string;
  private readonly tmp: string;
  /** Blobs written but not yet named by a committed row: sweep() must leave them. */
  private readonly inFlight = new Set<string>();

  constructor(dataDir: string) {
    this.dir = join(dataDir, 'blobs');
    this.tmp = join(this.dir, 'tmp');
    mkdirSync(this.tmp, { recursive: true, mode: 0o700 });
  }

  /** Where a blob's bytes live. */
  path(id: string): string {
    return join(this.dir, id.slice(0, 2), id);
  }

  /**
   * Writes bytes to a new blob: to a temporary name, hashed as they pass, fsynced, then
   * renamed into place. The source is a Buffer (a small body, one write) or a stream run
   * through `through` (the payload verifier) first; any failure removes what was written.
   * The blob is in flight until settle(id) says its row committed (or never will).
   */
  write(source: Buffer | Readable, hashes: Record<string, Digest>, through?: Transform): Promise<WrittenBlob> {
    const id = randomBytes(16).toString('hex');
    const tmp = join(this.tmp, id);
    this.inFlight.add(id);
    const written = Buffer.isBuffer(source) ? this.writeSmall(tmp, source, hashes) : this.writeStream(tmp, source, hashes, through);
    return written
      .then(({ size, digests }) =>
        this.place(tmp, id).then(
          () => ({ id, size, digests }),
          (err: unknown) => {
            unlink(tmp, () => {});
            throw err;
          },
        ),
      )
      .catch((err: unknown) => {
        this.inFlight.delete(id);
        for (const h of Object.values(hashes)) h.discard?.();
        throw err;
      });
  }

  /**
   * A new blob with the same bytes as `id`, without copying them: a hard link (CopyObject),
   * its folder then fsynced so the new name survives a power loss; async, as the fsync
   * may wait for the file system's journal. In flight until settled, like a written one.
   */
  link(id: string): Promise<string> {
    const copy = randomBytes(16).toString('hex');
    const folder = join(this.dir, copy.slice(0, 2));
    this.inFlight.add(copy);
    return new Promise<string>((resolve, reject) => {
      const failed = (err: Error) => {
        this.inFlight.delete(copy);
        unlink(this.path(copy), () => reject(err));
      };
      mkdir(folder, { recursive: true, mode: 0o700 }, (merr) => {
        if (merr) return failed(merr);
        link(this.path(id), this.path(copy), (lerr) => {
          if (lerr) return failed(lerr);
          fsyncDir(folder, (ferr) => (ferr ? failed(ferr) : resolve(copy)));
        });
      });
    });
  }

  /**
   * A new blob made of byte ranges of others and of bytes in memory, in order
   * (CompleteMultipartUpload, UploadPartCopy with a range): streamed with async I/O through
   * the same sink as an upload (hashed on the way, fsynced, renamed into place), so the
   * event loop serves other requests meanwhile. In flight until settled. A piece's `end`
   * is inclusive. A blob read is opened when its turn comes: one removed meanwhile fails it.
   */
  compose(pieces: ReadonlyArray<ComposePiece>, hashes: Record<string, Digest> = {}): Promise<WrittenBlob> {
    return this.write(Readable.from(this.piecesOf(pieces), { objectMode: false, highWaterMark: COMPOSE_CHUNK }), hashes);
  }

  private async *piecesOf(pieces: ReadonlyArray<ComposePiece>): AsyncGenerator<Buffer> {
    for (const piece of pieces) {
      if ('bytes' in piece) {
        if (piece.bytes.length > 0) yield piece.bytes;
        continue;
      }
      yield* createReadStream(this.path(piece.id), { start: piece.start, end: piece.end, highWaterMark: COMPOSE_CHUNK }) as AsyncIterable<Buffer>;
    }
  }

  /** An empty blob, at once (an empty multipart part: every part names its bytes). In flight until settled. */
  emptySync(): string {
    const id = randomBytes(16).toString('hex');
    const tmp = join(this.tmp, id);
    this.inFlight.add(id);
    try {
      const fd = openSync(tmp, 'wx', 0o600);
      try {
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      const folder = join(this.dir, id.slice(0, 2));
      mkdirSync(folder, { recursive: true, mode: 0o700 });
      renameSync(tmp, this.path(id));
      fsyncDirSync(folder);
    } catch (err) {
      this.inFlight.delete(id);
      rmSync(tmp, { force: true });
      throw err;
    }
    return id;
  }

  /**
   * A body already in memory: one write, then the fsync. Every step goes through the
   * thread pool: creating a file can wait for the file system's journal, which another
   * upload's fsync may be committing, and the event loop must not wait with it.
   */
  private writeSmall(tmp: string, bytes: Buffer, hashes: Record<string, Digest>): Promise<Written> {
    const hashed = Promise.all(Object.values(hashes).map((h) => h.update(bytes))).then(() => digestAll(hashes));
    const written = new Promise<number>((resolve, reject) => {
      open(tmp, 'wx', 0o600, (err, fd) => {
        if (err) return reject(err);
        const done = (failure: Error | null | undefined) =>
          close(fd, (closeErr) => {
            const error = failure ?? closeErr;
            if (error) unlink(tmp, () => reject(error));
            else resolve(bytes.length);
          });
        writeAll(fd, bytes, 0, (werr) => (werr ? done(werr) : fsync(fd, done)));
      });
    });
    return Promise.all([written, hashed]).then(([size, digests]) => ({ size, digests }));
  }

  /** A stream: written as it comes, with backpressure, through `through` (the payload checks) first. */
  private writeStream(tmp: string, source: Readable, hashes: Record<string, Digest>, through?: Transform): Promise<Written> {
    return new Promise<Written>((resolve, reject) => {
      open(tmp, 'wx', 0o600, (err, fd) => {
        if (err) {
          source.destroy();
          return reject(err);
        }
        const sink = new BlobSink(fd, hashes);
        const stages: Array<Readable | Transform | Writable> = through ? [source, through, sink] : [source, sink];
        pipeline(stages as unknown as [Readable, Writable], (failure) => {
          // No write may still be under way on fd when it closes (its number could be reused).
          void sink.idle().then(() =>
            close(fd, (closeErr) => {
              const error = failure ?? closeErr;
              if (error) unlink(tmp, () => reject(error));
              else resolve({ size: sink.size, digests: sink.digests! });
            }),
          );
        });
      });
    });
  }

  /**
   * The temporary file to its place (its folder made the first time one is needed), then
   * the folder fsynced: the rename itself must reach the disk before a row names the blob,
   * or a power loss could keep the row and lose the name (a new folder: its parent too).
   */
  private place(tmp: string, id: string): Promise<void> {
    const to = this.path(id);
    const folder = join(this.dir, id.slice(0, 2));
    return new Promise((resolve, reject) => {
      const synced = (err: Error | null) => (err ? reject(err) : resolve());
      rename(tmp, to, (err) => {
        if (!err) return fsyncDir(folder, synced);
        if (err.code !== 'ENOENT') return reject(err);
        mkdir(folder, { recursive: true, mode: 0o700 }, (merr) => {
          if (merr) return reject(merr);
          rename(tmp, to, (again) => (again ? reject(again) : fsyncDir(folder, (ferr) => (ferr ? reject(ferr) : fsyncDir(this.dir, synced)))));
        });
      });
    });
  }

  /** A written blob's fate is known: its row committed (keep it) or never will (remove it). */
  settle(id: string, keep: boolean): void {
    this.inFlight.delete(id);
    if (!keep) this.remove(id);
  }

  /** Reads a blob, or a byte range of it (end inclusive). The file is opened now: a later unlink does not cut the read short. */
  read(id: string, range?: { start: number; end: number }): BlobReader {
    const fd = openSync(this.path(id), 'r');
    try {
      return new BlobReader(fd, range?.start ?? 0, range?.end ?? fstatSync(fd).size - 1);
    } catch (err) {
      closeSync(fd);
      throw err;
    }
  }

  /** Removes a blob no row names any more (after the COMMIT that stopped naming it). */
  remove(id: string): void {
    unlink(this.path(id), () => {});
  }

  /**
   * Removes blobs/tmp's files and every blob none of `referenced` names, except those in
   * flight. Run at start (nothing in flight) and after an account reset has committed.
   */
  sweep(referenced: ReadonlySet<string>): number {
    let removed = 0;
    for (const name of readdirSync(this.tmp)) {
      if (this.inFlight.has(name)) continue;
      rmSync(join(this.tmp, name), { force: true });
      removed++;
    }
    for (const folder of readdirSync(this.dir)) {
      if (!/^[0-9a-f]{2}$/.test(folder)) continue;
      const sub = join(this.dir, folder);
      for (const name of readdirSync(sub)) {
        if (referenced.has(name) || this.inFlight.has(name)) continue;
        try {
          unlinkSync(join(sub, name));
          removed++;
        } catch {
          // gone already
        }
      }
    }
    return removed;
  }
}

/**
 * An incremental digest (node:crypto's Hash fits, so do the S3 checksums). One computed
 * elsewhere (threaded-hash.ts) returns a promise from update, and the bytes it was given
 * stay unchanged until that settles; its digest may be a promise too.
 */
export interface Digest {
  update(data: Uint8Array): unknown;
  digest(): Buffer | Promise<Buffer>;
  /** The digest will not be asked for (the write failed): let go of it. */
  discard?(): void;
}

/** What writing a blob's bytes gives: their length and each hash's digest. */
interface Written {
  size: number;
  digests: Record<string, Buffer>;
}

/** What compose() puts together: a blob (or a byte range of it, `end` inclusive), or bytes in memory. */
export type ComposePiece = { id: string; start?: number; end?: number } | { bytes: Buffer };

export interface WrittenBlob {
  id: string;
  size: number;
  /** Each hash given to write(), by the same name, over the bytes written. */
  digests: Record<string, Buffer>;
}

/**
 * The queries that name blobs, one blob_id per row: sweep() keeps what they return.
 * A table that names blobs (multipart parts…) adds its query here.
 */
export const BLOB_REFERENCES: string[] = ['SELECT blob_id FROM s3_objects WHERE blob_id IS NOT NULL', 'SELECT blob FROM s3_multipart_parts'];

/** compose()'s reads: big, so a GiB is few trips through the thread pool. */
const COMPOSE_CHUNK = 1024 * 1024;

/** Bytes gathered per file write and per hashing step: a GiB is a thousand of each. */
const SLAB_BYTES = 1024 * 1024;
/**
 * Slabs one upload uses at once: one filling, one being written, one being hashed (the
 * hash of a slab and its write run at once; the next slab's write waits for the last).
 * 3 MiB an upload: eight at once stay well under the 250 MB bound.
 */
const SLABS_PER_UPLOAD = 3;
/** Slabs kept for the next upload rather than given back to the allocator. */
const MAX_FREE_SLABS = 8;
/** In shared memory, so the hashing thread reads them in place. */
const freeSlabs: Buffer[] = [];

function takeSlab(): Buffer {
  return freeSlabs.pop() ?? Buffer.from(new SharedArrayBuffer(SLAB_BYTES));
}

function giveSlab(slab: Buffer): void {
  if (freeSlabs.length < MAX_FREE_SLABS) freeSlabs.push(slab);
}

/**
 * The last stage of an upload. The socket hands over 64 KiB pieces; they are copied into
 * 1 MiB slabs, and each full slab is written to the file (thread pool, at its offset) and
 * hashed (each Digest; the MD5 on the hashing thread) at the same time. The upload reads
 * on while a slab is free: at most SLABS_PER_UPLOAD slabs each, the backpressure bound.
 * fsync and the digests before it finishes.
 */
class BlobSink extends Writable {
  size = 0;
  /** Each hash's digest, once the sink has finished. */
  digests: Record<string, Buffer> | undefined;
  /** The slab being filled, and how far. */
  private slab: Buffer | undefined;
  private filled = 0;
  /** Slabs being written and hashed. */
  private writing = 0;
  /** Where the next slab goes in the file. */
  private position = 0;
  /** The last slab's write: the next starts after it. */
  private lastWrite: Promise<void> = Promise.resolve();
  private failure: Error | undefined;
  /** Waiting for a slab to come back: a write with no free slab, idle(). */
  private waiters: Array<() => void> = [];

  constructor(
    private readonly fd: number,
    private readonly hashes: Record<string, Digest>,
  ) {
    // The slabs are the buffer: the stream itself holds little more than a socket read.
    super({ highWaterMark: 128 * 1024 });
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.size += chunk.length;
    this.copyIn(chunk, 0, callback);
  }

  override _final(callback: (error?: Error | null) => void): void {
    if (this.slab && this.filled > 0) this.flush();
    void this.idle().then(() => {
      if (this.failure) return callback(this.failure);
      Promise.all([fsyncPromise(this.fd), digestAll(this.hashes)]).then(([, digests]) => {
        this.digests = digests;
        callback();
      }, callback);
    });
  }

  /** Resolves once no slab is being written or hashed (the file may then close). A slab still filling is dropped. */
  idle(): Promise<void> {
    if (this.slab) {
      giveSlab(this.slab);
      this.slab = undefined;
    }
    if (this.writing === 0) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(() => void this.idle().then(resolve)));
  }

  private copyIn(chunk: Buffer, from: number, callback: (error?: Error | null) => void): void {
    while (from < chunk.length) {
      if (this.failure) return callback(this.failure);
      if (!this.slab) {
        if (this.writing >= SLABS_PER_UPLOAD - 1) return void this.waiters.push(() => this.copyIn(chunk, from, callback));
        this.slab = takeSlab();
        this.filled = 0;
      }
      const n = chunk.copy(this.slab, this.filled, from);
      this.filled += n;
      from += n;
      if (this.filled === SLAB_BYTES) this.flush();
    }
    callback(this.failure);
  }

  /** The filling slab to the file and to every hash, at once; it comes back when both are done. */
  private flush(): void {
    const slab = this.slab!;
    const bytes = slab.subarray(0, this.filled);
    const position = this.position;
    this.slab = undefined;
    this.position += bytes.length;
    this.writing++;
    // One write at a time: writes to one file wait for each other in the kernel anyway (its
    // inode lock), and waiting there spins, burning CPU the hashing needs (measured: 2 s of
    // system time per GiB with three at once).
    const written = this.lastWrite.then(() => writeAt(this.fd, bytes, position));
    this.lastWrite = written.catch(() => {});
    const work: unknown[] = [written];
    for (const h of Object.values(this.hashes)) work.push(h.update(bytes));
    Promise.all(work).then(
      () => this.release(slab),
      (err: Error) => {
        this.failure ??= err;
        this.release(slab);
      },
    );
  }

  private release(slab: Buffer): void {
    this.writing--;
    giveSlab(slab);
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }
}

/** All of buf written at position (a short write goes on where it stopped). */
function writeAt(fd: number, buf: Buffer, position: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const step = (offset: number): void => {
      if (offset >= buf.length) return resolve();
      write(fd, buf, offset, buf.length - offset, position + offset, (err, n) => (err ? reject(err) : step(offset + n)));
    };
    step(0);
  });
}

function fsyncPromise(fd: number): Promise<void> {
  return new Promise((resolve, reject) => fsync(fd, (err) => (err ? reject(err) : resolve())));
}

function fsyncDirSync(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** fsync of a directory: what makes a rename or a new entry in it durable. */
function fsyncDir(dir: string, callback: (err: Error | null) => void): void {
  open(dir, 'r', (err, fd) => {
    if (err) return callback(err);
    fsync(fd, (ferr) => close(fd, (cerr) => callback(ferr ?? cerr ?? null)));
  });
}

function writeAll(fd: number, buf: Buffer, offset: number, callback: (err?: Error | null) => void): void {
  if (offset >= buf.length) return callback();
  write(fd, buf, offset, buf.length - offset, null, (err, n) => (err ? callback(err) : writeAll(fd, buf, offset + n, callback)));
}

async function digestAll(hashes: Record<string, Digest>): Promise<Record<string, Buffer>> {
  const out: Record<string, Buffer> = {};
  for (const [name, h] of Object.entries(hashes)) out[name] = await h.digest();
  return out;
}

import { createHash, type Hash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import type { AwsError } from '../../protocol/errors.js';
import {
  checksumAlgorithmOf,
  createChecksum,
  decodeChecksumValue,
  type Checksum,
  type ChecksumAlgorithm,
} from './checksums.js';
import { s3Errors } from './errors.js';
import { EMPTY_SHA256, hmacHex, sameSignature, sha256Hex } from './keys.js';

/**
 * The aws-chunked content encoding of S3 uploads:
 *
 *   <hex size>[;chunk-signature=<sig>]\r\n<data>\r\n … 0[;chunk-signature=<sig>]\r\n
 *   [<trailer name>:<value>\r\n …][x-amz-trailer-signature:<sig>\r\n]\r\n
 *
 * Signed chunks chain: each chunk's signature covers the previous one, starting from the
 * seed (the request's own signature), so chunks can be neither altered nor reordered.
 */

/** What a signed chunk stream is signed with: the request's key, time, scope and seed. */
export interface ChunkSigning {
  accessKeyId: string;
  key: Buffer;
  timestamp: string;
  scope: string;
  seedSignature: string;
}

export interface ChunkedSpec {
  /** Present for STREAMING-AWS4-HMAC-SHA256-PAYLOAD[-TRAILER]: every chunk is signed. */
  signing?: ChunkSigning;
  /** The x-amz-content-sha256 value ends in -TRAILER: trailing headers may follow. */
  trailer: boolean;
  /** The trailing header announced by x-amz-trailer, which must then be present. */
  declaredTrailer?: string;
  /** x-amz-decoded-content-length: the length of the payload once decoded. */
  decodedLength: number;
}

const MIN_CHUNK = 8192;
const MAX_LINE = 4096;
const MAX_TRAILERS = 16;

const enum State {
  SizeLine,
  Data,
  DataEnd,
  Trailer,
  Done,
}

/** An incremental decoder: feed it the body as it arrives, it hands back payload slices. */
export class AwsChunkedParser {
  /** The trailing headers, verified (name → value), once the body has ended. */
  readonly trailers: Record<string, string> = {};
  private state = State.SizeLine;
  private line = '';
  private remaining = 0;
  private decoded = 0;
  private chunks = 0;
  private lastSize = -1;
  private previousSignature: string;
  private chunkSignature = '';
  private chunkHash: Hash | undefined;
  private trailerSignature: string | undefined;
  private checksum: { algorithm: ChecksumAlgorithm; name: string; sum: Checksum } | undefined;

  constructor(
    private readonly spec: ChunkedSpec,
    private readonly onData: (slice: Buffer) => void,
  ) {
    this.previousSignature = spec.signing?.seedSignature ?? '';
    const algorithm = spec.declaredTrailer ? checksumAlgorithmOf(spec.declaredTrailer) : undefined;
    if (algorithm && spec.declaredTrailer) this.checksum = { algorithm, name: spec.declaredTrailer, sum: createChecksum(algorithm) };
  }

  /** Consumes the next piece of the body. Throws the AwsError S3 would answer with. */
  write(buf: Buffer): void {
    let at = 0;
    while (at < buf.length) {
      switch (this.state) {
        case State.SizeLine:
        case State.Trailer: {
          const end = this.readLine(buf, at);
          if (end < 0) return;
          at = end;
          if (this.state === State.SizeLine) this.startChunk();
          else this.trailerLine();
          break;
        }
        case State.Data: {
          const n = Math.min(this.remaining, buf.length - at);
          const slice = buf.subarray(at, at + n);
          at += n;
          this.remaining -= n;
          this.decoded += n;
          if (this.decoded > this.spec.decodedLength) throw s3Errors.incompleteBody();
          this.chunkHash?.update(slice);
          this.checksum?.sum.update(slice);
          this.onData(slice);
          if (this.remaining === 0) this.state = State.DataEnd;
          break;
        }
        case State.DataEnd: {
          const end = this.readLine(buf, at);
          if (end < 0) return;
          at = end;
          if (this.line !== '') throw s3Errors.incompleteBody();
          this.line = '';
          this.endChunk(this.chunkHash ? this.chunkHash.digest('hex') : EMPTY_SHA256);
          this.state = State.SizeLine;
          break;
        }
        case State.Done:
          throw s3Errors.incompleteBody();
      }
    }
  }

  /** The body has ended: checks that it was complete and that its trailer holds. */
  end(): void {
    // The SDKs end an unsigned stream without trailers right after "0\r\n".
    const finished = this.state === State.Done || (this.state === State.Trailer && this.line === '');
    if (!finished) throw s3Errors.incompleteBody();
    if (this.state === State.Trailer) this.finish();
  }

  /** Accumulates one CRLF-terminated line into this.line; returns the offset after it, or -1. */
  private readLine(buf: Buffer, at: number): number {
    const lf = buf.indexOf(10, at);
    const stop = lf < 0 ? buf.length : lf + 1;
    // A line is a chunk header or a trailer: short. Anything longer is not aws-chunked.
    if (this.line.length + (stop - at) > MAX_LINE) throw s3Errors.incompleteBody();
    this.line += buf.toString('latin1', at, stop);
    if (lf < 0) return -1;
    if (!this.line.endsWith('\r\n')) throw s3Errors.incompleteBody();
    this.line = this.line.slice(0, -2);
    return stop;
  }

  private startChunk(): void {
    const header = this.line;
    this.line = '';
    const semi = header.indexOf(';');
    const sizeText = semi < 0 ? header : header.slice(0, semi);
    if (!/^[0-9a-fA-F]{1,16}$/.test(sizeText)) throw s3Errors.incompleteBody();
    const size = parseInt(sizeText, 16);
    this.chunkSignature = semi < 0 ? '' : extension(header.slice(semi + 1), 'chunk-signature');
    if (this.spec.signing && this.chunkSignature === '') throw s3Errors.incompleteBody();
    // Every chunk but the last one holding data must carry at least 8 KiB.
    if (size > 0 && this.lastSize >= 0 && this.lastSize < MIN_CHUNK) throw s3Errors.chunkTooSmall(this.chunks, this.lastSize);
    this.chunks++;
    this.lastSize = size;
    if (size === 0) {
      this.endChunk(EMPTY_SHA256);
      this.state = State.Trailer;
      return;
    }
    this.remaining = size;
    this.chunkHash = this.spec.signing ? createHash('sha256') : undefined;
    this.state = State.Data;
  }

  private endChunk(dataHash: string): void {
    const signing = this.spec.signing;
    this.chunkHash = undefined;
    if (!signing) return;
    const stringToSign = `AWS4-HMAC-SHA256-PAYLOAD\n${signing.timestamp}\n${signing.scope}\n${this.previousSignature}\n${EMPTY_SHA256}\n${dataHash}`;
    const expected = hmacHex(signing.key, stringToSign);
    if (!sameSignature(expected, this.chunkSignature)) {
      throw s3Errors.signatureDiffers({ accessKeyId: signing.accessKeyId, signatureProvided: this.chunkSignature, stringToSign });
    }
    this.previousSignature = expected;
  }

  private trailerLine(): void {
    const line = this.line;
    this.line = '';
    if (line === '') {
      this.finish();
      this.state = State.Done;
      return;
    }
    if (!this.spec.trailer) throw s3Errors.malformedTrailer();
    const colon = line.indexOf(':');
    if (colon <= 0) throw s3Errors.malformedTrailer();
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (name === 'x-amz-trailer-signature') this.trailerSignature = value;
    else if (Object.keys(this.trailers).length >= MAX_TRAILERS) throw s3Errors.malformedTrailer();
    else this.trailers[name] = value;
  }

  /** After the last trailing header: the trailer's signature, then the checksum. */
  private finish(): void {
    if (this.decoded !== this.spec.decodedLength) throw s3Errors.incompleteBody();
    const names = Object.keys(this.trailers);
    const declared = this.spec.declaredTrailer;
    if (declared !== undefined && !(declared in this.trailers)) throw s3Errors.malformedTrailer();
    const signing = this.spec.signing;
    if (signing && this.spec.trailer && (names.length > 0 || this.trailerSignature !== undefined)) {
      const canonical = names.map((n) => `${n}:${this.trailers[n]}\n`).join('');
      const stringToSign = `AWS4-HMAC-SHA256-TRAILER\n${signing.timestamp}\n${signing.scope}\n${this.previousSignature}\n${sha256Hex(canonical)}`;
      const expected = hmacHex(signing.key, stringToSign);
      const provided = this.trailerSignature ?? '';
      if (!sameSignature(expected, provided)) {
        throw s3Errors.signatureDiffers({ accessKeyId: signing.accessKeyId, signatureProvided: provided, stringToSign });
      }
    }
    for (const name of names) {
      const algorithm = checksumAlgorithmOf(name);
      if (!algorithm) continue;
      const expected = decodeChecksumValue(algorithm, this.trailers[name]);
      if (!expected) throw s3Errors.invalidTrailerValue(name);
      // A checksum that was not announced could not be computed on the fly: compute it now.
      if (this.checksum?.name !== name) throw s3Errors.malformedTrailer();
      if (!expected.equals(this.checksum.sum.digest())) throw s3Errors.badDigest(algorithm);
    }
  }
}

/** The value of one ";name=value" extension of a chunk header ('' when absent). */
function extension(extensions: string, name: string): string {
  for (const part of extensions.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return '';
}

/** Decodes a whole aws-chunked body at once. Throws the AwsError S3 would answer with. */
export function decodeAwsChunked(body: Buffer, spec: ChunkedSpec): { payload: Buffer; trailers: Record<string, string> } {
  const slices: Buffer[] = [];
  const parser = new AwsChunkedParser(spec, (slice) => slices.push(slice));
  parser.write(body);
  parser.end();
  return { payload: slices.length === 1 ? slices[0] : Buffer.concat(slices), trailers: parser.trailers };
}

/**
 * A Transform from an aws-chunked body to its payload, verifying as it streams; it fails
 * with the AwsError S3 would answer with. The verified trailers are on `.trailers` once
 * the stream has ended.
 */
export class AwsChunkedDecoder extends Transform {
  private readonly parser: AwsChunkedParser;

  constructor(spec: ChunkedSpec) {
    // Room for several socket reads on each side, so the stages hand over big batches.
    super({ readableHighWaterMark: 512 * 1024, writableHighWaterMark: 512 * 1024 });
    this.parser = new AwsChunkedParser(spec, (slice) => this.push(slice));
  }

  get trailers(): Record<string, string> {
    return this.parser.trailers;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    try {
      this.parser.write(chunk);
      callback();
    } catch (err) {
      callback(err as AwsError);
    }
  }

  override _flush(callback: TransformCallback): void {
    try {
      this.parser.end();
      callback();
    } catch (err) {
      callback(err as AwsError);
    }
  }
}

/** True when the request body uses S3's aws-chunked framing (Content-Encoding may list others too). */
export function isAwsChunked(headers: Record<string, string>): boolean {
  const encoding = headers['content-encoding'];
  return encoding !== undefined && encoding.split(',').some((e) => e.trim().toLowerCase() === 'aws-chunked');
}

/**
 * The headers an operation sees of an unframed aws-chunked upload: aws-chunked dropped
 * from Content-Encoding, Content-Length the decoded length, the verified trailers
 * (x-amz-checksum-…) as headers.
 */
export function unframedHeaders(headers: Record<string, string>, trailers: Record<string, string> = {}): Record<string, string> {
  const out = { ...headers, ...trailers };
  const encodings = (headers['content-encoding'] ?? '').split(',').map((e) => e.trim()).filter((e) => e !== '' && e.toLowerCase() !== 'aws-chunked');
  if (encodings.length > 0) out['content-encoding'] = encodings.join(',');
  else delete out['content-encoding'];
  const decoded = headers['x-amz-decoded-content-length'];
  if (decoded !== undefined) out['content-length'] = decoded;
  return out;
}

/**
 * An aws-chunked body unframed without checking chunk signatures: for requests nobody
 * authenticates (--auth off, anonymous). The framing and lengths are still checked.
 */
export function unframeUnverified(headers: Record<string, string>, body: Buffer): { payload: Buffer; trailers: Record<string, string> } {
  return decodeAwsChunked(body, unverifiedChunkedSpec(headers));
}

/** The framing of an aws-chunked body nobody's signature covers: lengths and trailer checked, not signatures. */
export function unverifiedChunkedSpec(headers: Record<string, string>): ChunkedSpec {
  const decoded = headers['x-amz-decoded-content-length'];
  const declared = (headers['x-amz-trailer'] ?? '').trim().toLowerCase();
  if (decoded === undefined || !/^\d{1,15}$/.test(decoded)) throw s3Errors.missingDecodedLength();
  return { trailer: true, decodedLength: Number(decoded), declaredTrailer: declared === '' ? undefined : declared };
}

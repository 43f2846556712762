/**
 * HTTP/1.1 requests read off one connection's bytes as they arrive (RFC 9112): the
 * request line, the header fields, and the body framed by Content-Length or chunked
 * transfer coding. Pure: it never touches a socket, so every rule is testable alone.
 *
 * The reader keeps nothing of a body: it announces a head, then hands each piece of the
 * body on as it arrives (chunked coding removed), then says the body ended. Whoever
 * listens decides what to keep (src/server/request-body.ts). What is malformed throws
 * HttpError with the status to answer and close with.
 */

/** A request's head: everything before its body. */
export interface Http1Head {
  method: string;
  /** The request-target exactly as sent (path and query, not decoded). */
  target: string;
  /** Header names lower-cased; a repeated header's values joined with ','. */
  headers: Record<string, string>;
  /** May the connection carry another request after this one? */
  keepAlive: boolean;
  /** The body's length as framed by Content-Length; undefined for chunked transfer coding. */
  length: number | undefined;
  /** The client waits for 100 Continue before it sends the body. */
  expectsContinue: boolean;
}

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** node:http's limit for the request line and headers together. */
export const MAX_HEAD_BYTES = 16 * 1024;
/**
 * The largest Content-Length taken: 2^53 - 1 bytes (a JavaScript number counts them
 * exactly). The reader buffers no body, so no smaller bound belongs here: each consumer
 * bounds what it keeps (the pipeline, 1 MiB for bodies it must hold; S3, 5 GiB objects).
 */
export const MAX_CONTENT_LENGTH = Number.MAX_SAFE_INTEGER;

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const REQUEST_LINE = /^([!#$%&'*+\-.^_`|~0-9A-Za-z]+) ([^\s]+) HTTP\/1\.([01])$/;
const FIELD_VALUE_FORBIDDEN = /[\x00-\x08\x0a-\x1f\x7f]/;
const CR = 13;
const LF = 10;

export interface ReaderEvents {
  /** A request's head is complete; its body (if any) follows as data, then end. */
  head(head: Http1Head): void;
  /** The next piece of the current request's body (never empty). */
  data(bytes: Buffer): void;
  /** The current request's body is complete (at once, for a request without one). */
  end(): void;
}

export class RequestReader {
  /** Pieces of a head still incomplete, and their total length. */
  private parts: Buffer[] = [];
  private partsLength = 0;
  /** Between a head and the end of its body. */
  private inBody = false;
  /** Content-Length framing: bytes still to come. */
  private remaining = 0;
  private chunks: ChunkedDecoder | undefined;

  constructor(private readonly events: ReaderEvents) {}

  /** True while a head has begun to arrive but is not complete (the head deadline runs). */
  get headPending(): boolean {
    return !this.inBody && this.partsLength > 0;
  }

  /** True between a head and the end of its body. */
  get readingBody(): boolean {
    return this.inBody;
  }

  /** Takes the next bytes of the connection; throws HttpError on malformed input. */
  push(bytes: Buffer): void {
    let input = bytes;
    while (input.length > 0) {
      if (this.inBody) {
        input = this.chunks ? this.takeChunked(input) : this.takeLength(input);
        continue;
      }
      if (this.partsLength === 0) {
        input = skipEmptyLines(input);
        if (input.length === 0) return;
      }
      const end = this.findHeadEnd(input);
      if (end < 0) {
        if (this.partsLength + input.length > MAX_HEAD_BYTES) throw new HttpError(431, 'request head too large');
        this.parts.push(input);
        this.partsLength += input.length;
        return;
      }
      if (this.partsLength + end > MAX_HEAD_BYTES) throw new HttpError(431, 'request head too large');
      const text = this.parts.length === 0
        ? input.toString('latin1', 0, end - 4)
        : Buffer.concat([...this.parts, input.subarray(0, end)]).toString('latin1', 0, this.partsLength + end - 4);
      this.parts = [];
      this.partsLength = 0;
      input = input.subarray(end);
      this.begin(parseHead(text));
    }
  }

  /**
   * The offset in input just past the blank line ending the head, or -1. Every line must
   * end in CRLF: a bare LF is refused (RFC 9112 §2.2 lets a server refuse it, and waiting
   * for a CRLF CRLF that never comes is how such a request used to hang).
   */
  private findHeadEnd(input: Buffer): number {
    let lf = input.indexOf(LF);
    while (lf >= 0) {
      if (this.byteBefore(input, lf, 1) !== CR) throw new HttpError(400, 'bare LF in request head');
      if (this.byteBefore(input, lf, 2) === LF && this.byteBefore(input, lf, 3) === CR) return lf + 1;
      lf = input.indexOf(LF, lf + 1);
    }
    return -1;
  }

  /** The byte `back` places before input[at], looking into the head's earlier pieces. */
  private byteBefore(input: Buffer, at: number, back: number): number {
    let i = at - back;
    if (i >= 0) return input[i];
    for (let p = this.parts.length - 1; p >= 0; p--) {
      const part = this.parts[p];
      i += part.length;
      if (i >= 0) return part[i];
    }
    return -1;
  }

  private begin(head: Http1Head): void {
    this.inBody = true;
    if (head.length === undefined) {
      this.chunks = new ChunkedDecoder();
      this.events.head(head);
      return;
    }
    this.remaining = head.length;
    this.events.head(head);
    if (this.remaining === 0) this.finish();
  }

  private takeLength(input: Buffer): Buffer {
    const whole = this.remaining >= input.length;
    const n = whole ? input.length : this.remaining;
    this.remaining -= n;
    this.events.data(whole ? input : input.subarray(0, n));
    if (this.remaining === 0) this.finish();
    return whole ? EMPTY : input.subarray(n);
  }

  private takeChunked(input: Buffer): Buffer {
    const rest = this.chunks!.push(input, (data) => this.events.data(data));
    if (this.chunks!.done) {
      this.chunks = undefined;
      this.finish();
    }
    return rest;
  }

  private finish(): void {
    this.inBody = false;
    this.events.end();
  }
}

const EMPTY = Buffer.alloc(0);

/** RFC 9112 §2.2: a server should ignore empty lines before a request line. */
function skipEmptyLines(input: Buffer): Buffer {
  let i = 0;
  while (i + 1 < input.length && input[i] === CR && input[i + 1] === LF) i += 2;
  return i === 0 ? input : input.subarray(i);
}

/** The request line and header fields (the text before the blank line). */
function parseHead(text: string): Http1Head {
  const lines = text.split('\r\n');
  const line = REQUEST_LINE.exec(lines[0]);
  if (!line) throw new HttpError(400, 'malformed request line');
  const http10 = line[3] === '0';
  const headers: Record<string, string> = {};
  for (let i = 1; i < lines.length; i++) {
    const field = lines[i];
    const colon = field.indexOf(':');
    // No colon, a name with spaces, or an obsolete folded line: all refused, as RFC 9112 asks.
    if (colon <= 0) throw new HttpError(400, 'malformed header field');
    const name = field.slice(0, colon).toLowerCase();
    if (!TOKEN.test(name)) throw new HttpError(400, 'malformed header name');
    const value = field.slice(colon + 1).trim();
    if (FIELD_VALUE_FORBIDDEN.test(value)) throw new HttpError(400, 'malformed header value');
    const seen = headers[name];
    if (seen === undefined) headers[name] = value;
    else if (name === 'content-length' || name === 'host') {
      // Two lengths (or hosts) that differ are how request smuggling starts.
      if (seen !== value) throw new HttpError(400, `conflicting ${name} headers`);
    } else headers[name] = `${seen},${value}`;
  }
  if (!http10 && headers.host === undefined) throw new HttpError(400, 'missing host header');
  const connection = headers.connection?.toLowerCase() ?? '';
  const keepAlive = http10 ? /\bkeep-alive\b/.test(connection) : !/\bclose\b/.test(connection);
  const expectsContinue = !http10 && headers.expect !== undefined && headers.expect.toLowerCase() === '100-continue';
  return { method: line[1], target: line[2], headers, keepAlive, length: lengthOf(headers), expectsContinue };
}

/**
 * How the body is delimited (RFC 9112 §6.3): its Content-Length, undefined for chunked
 * transfer coding; a request with neither has none.
 */
function lengthOf(headers: Record<string, string>): number | undefined {
  const coding = headers['transfer-encoding'];
  const length = headers['content-length'];
  if (coding !== undefined) {
    if (length !== undefined) throw new HttpError(400, 'both transfer-encoding and content-length');
    if (coding.toLowerCase() !== 'chunked') throw new HttpError(501, `unsupported transfer-encoding '${coding}'`);
    return undefined;
  }
  if (length === undefined) return 0;
  if (!/^\d{1,16}$/.test(length)) throw new HttpError(400, 'malformed content-length');
  const n = Number(length);
  if (n > MAX_CONTENT_LENGTH) throw new HttpError(413, 'request body too large');
  return n;
}

/**
 * The chunked transfer coding, decoded as bytes arrive: size line, data, CRLF, … a zero
 * size, then optional trailer fields (read and dropped) and a blank line.
 */
class ChunkedDecoder {
  done = false;
  private state: 'size' | 'data' | 'data-end' | 'trailer' = 'size';
  private line = '';
  private left = 0;
  private trailerLines = 0;

  /** Consumes what belongs to the body, hands its data to take, and returns the rest. */
  push(input: Buffer, take: (data: Buffer) => void): Buffer {
    let i = 0;
    while (i < input.length && !this.done) {
      if (this.state === 'data') {
        const n = Math.min(this.left, input.length - i);
        take(input.subarray(i, i + n));
        i += n;
        this.left -= n;
        if (this.left === 0) this.state = 'data-end';
        continue;
      }
      // The other states read CRLF-terminated lines.
      const lf = input.indexOf(LF, i);
      const upto = lf < 0 ? input.length : lf + 1;
      this.line += input.toString('latin1', i, upto);
      i = upto;
      if (this.line.length > 4096) throw new HttpError(400, 'chunk line too long');
      if (lf < 0) break;
      if (!this.line.endsWith('\r\n')) throw new HttpError(400, 'malformed chunk line');
      const line = this.line.slice(0, -2);
      this.line = '';
      this.endLine(line);
    }
    return input.subarray(i);
  }

  private endLine(line: string): void {
    if (this.state === 'data-end') {
      if (line !== '') throw new HttpError(400, 'chunk data longer than its size');
      this.state = 'size';
    } else if (this.state === 'size') {
      const size = /^([0-9a-fA-F]{1,8})[ \t]*(?:;.*)?$/.exec(line);
      if (!size) throw new HttpError(400, 'malformed chunk size');
      this.left = parseInt(size[1], 16);
      this.state = this.left === 0 ? 'trailer' : 'data';
    } else if (line === '') {
      this.done = true;
    } else if (++this.trailerLines > 100) {
      throw new HttpError(431, 'too many trailer fields');
    }
  }
}

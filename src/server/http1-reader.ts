/**
 * HTTP/1.1 requests read off one connection's bytes as they arrive (RFC 9112): the
 * request line, the header fields, and the body framed by Content-Length or chunked
 * transfer coding. Pure: it never touches a socket, so every rule is testable alone.
 * What is malformed throws HttpError with the status to answer and close with.
 */

/** One whole request. */
export interface Http1Request {
  method: string;
  /** The request-target exactly as sent (path and query, not decoded). */
  target: string;
  /** Header names lower-cased; a repeated header's values joined with ','. */
  headers: Record<string, string>;
  body: Buffer;
  /** May the connection carry another request after this one? */
  keepAlive: boolean;
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
/** Bodies are buffered whole: bounded so a client cannot exhaust memory. */
export const MAX_BODY_BYTES = 64 * 1024 * 1024;

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const REQUEST_LINE = /^([!#$%&'*+\-.^_`|~0-9A-Za-z]+) ([^\s]+) HTTP\/1\.([01])$/;
const FIELD_VALUE_FORBIDDEN = /[\x00-\x08\x0a-\x1f\x7f]/;
const HEAD_END = Buffer.from('\r\n\r\n');

export interface ReaderEvents {
  /** A request is complete. */
  request(req: Http1Request): void;
  /** A request's head asked to be told to go on (Expect: 100-continue) before its body. */
  continue(): void;
}

interface Head {
  method: string;
  target: string;
  headers: Record<string, string>;
  keepAlive: boolean;
}

export class RequestReader {
  /** Bytes of a head still incomplete. */
  private pending: Buffer | undefined;
  private head: Head | undefined;
  private parts: Buffer[] = [];
  private received = 0;
  /** Content-Length framing: bytes still to come. */
  private remaining = 0;
  private chunks: ChunkedDecoder | undefined;

  constructor(private readonly events: ReaderEvents) {}

  /** Takes the next bytes of the connection; throws HttpError on malformed input. */
  push(bytes: Buffer): void {
    let input = bytes;
    while (input.length > 0) {
      if (!this.head) {
        if (this.pending) {
          input = Buffer.concat([this.pending, input]);
          this.pending = undefined;
        }
        input = skipEmptyLines(input);
        const end = input.indexOf(HEAD_END);
        if (end < 0) {
          if (input.length > MAX_HEAD_BYTES) throw new HttpError(431, 'request head too large');
          if (input.length > 0) this.pending = input;
          return;
        }
        if (end > MAX_HEAD_BYTES) throw new HttpError(431, 'request head too large');
        const text = input.toString('latin1', 0, end);
        input = input.subarray(end + 4);
        this.begin(parseHead(text));
        continue;
      }
      input = this.chunks ? this.takeChunked(input) : this.takeLength(input);
    }
  }

  private begin(head: Head & { framing: Framing }): void {
    this.head = head;
    this.parts = [];
    this.received = 0;
    if (head.framing.kind === 'chunked') {
      this.chunks = new ChunkedDecoder();
    } else {
      this.remaining = head.framing.length;
      if (this.remaining === 0) return this.finish();
    }
    if (head.headers.expect?.toLowerCase() === '100-continue') this.events.continue();
  }

  private takeLength(input: Buffer): Buffer {
    const n = Math.min(this.remaining, input.length);
    this.parts.push(input.subarray(0, n));
    this.remaining -= n;
    if (this.remaining === 0) this.finish();
    return input.subarray(n);
  }

  private takeChunked(input: Buffer): Buffer {
    const rest = this.chunks!.push(input, (data) => {
      this.received += data.length;
      if (this.received > MAX_BODY_BYTES) throw new HttpError(413, 'request body too large');
      this.parts.push(data);
    });
    if (this.chunks!.done) {
      this.chunks = undefined;
      this.finish();
    }
    return rest;
  }

  private finish(): void {
    const head = this.head!;
    this.head = undefined;
    const body = this.parts.length === 0 ? EMPTY : this.parts.length === 1 ? this.parts[0] : Buffer.concat(this.parts);
    this.parts = [];
    this.events.request({ method: head.method, target: head.target, headers: head.headers, body, keepAlive: head.keepAlive });
  }
}

const EMPTY = Buffer.alloc(0);

type Framing = { kind: 'length'; length: number } | { kind: 'chunked' };

/** RFC 9112 §2.2: a server should ignore empty lines before a request line. */
function skipEmptyLines(input: Buffer): Buffer {
  let i = 0;
  while (i + 1 < input.length && input[i] === 13 && input[i + 1] === 10) i += 2;
  return i === 0 ? input : input.subarray(i);
}

/** The request line and header fields (the text before the blank line). */
function parseHead(text: string): Head & { framing: Framing } {
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
  return { method: line[1], target: line[2], headers, keepAlive, framing: framingOf(headers) };
}

/** How the body is delimited (RFC 9112 §6.3); a request without either has none. */
function framingOf(headers: Record<string, string>): Framing {
  const coding = headers['transfer-encoding'];
  const length = headers['content-length'];
  if (coding !== undefined) {
    if (length !== undefined) throw new HttpError(400, 'both transfer-encoding and content-length');
    if (coding.toLowerCase() !== 'chunked') throw new HttpError(501, `unsupported transfer-encoding '${coding}'`);
    return { kind: 'chunked' };
  }
  if (length === undefined) return { kind: 'length', length: 0 };
  if (!/^\d{1,16}$/.test(length)) throw new HttpError(400, 'malformed content-length');
  const n = Number(length);
  if (n > MAX_BODY_BYTES) throw new HttpError(413, 'request body too large');
  return { kind: 'length', length: n };
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
      const lf = input.indexOf(10, i);
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
      if (this.left > MAX_BODY_BYTES) throw new HttpError(413, 'request body too large');
      this.state = this.left === 0 ? 'trailer' : 'data';
    } else if (line === '') {
      this.done = true;
    } else if (++this.trailerLines > 100) {
      throw new HttpError(431, 'too many trailer fields');
    }
  }
}

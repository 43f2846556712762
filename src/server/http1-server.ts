import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { STATUS_CODES } from 'node:http';
import type { WireResponse } from '../protocol/errors.js';
import { HttpError, RequestReader, type Http1Head } from './http1-reader.js';
import { BodyAborted, RequestBody } from './request-body.js';

/**
 * The HTTP/1.1 server every request comes through: node:net sockets, requests read by
 * RequestReader, answered in order (pipelining included), connections kept alive.
 *
 * Why not node:http: its streams cost ~55 µs a request on the 2-core machine we measure
 * on, more than the whole SigV4 + policy + store path (~45 µs); this loop costs under
 * 20 µs (hello-world: 17–20k req/s with node:http, 35–50k with this). A handler answers
 * at once, or with a promise (a write waiting for its commit group, an upload streaming
 * to disk); either way the answers on one connection go out in the order the requests came.
 *
 * A request is handed over with its head and a RequestBody: the body is read off the
 * socket only as the handler asks for it. What a hostile client can hold is bounded:
 * - bytes: a head is at most 16 KiB, a body holds at most the socket read that carried
 *   its head until someone asks for it, at most MAX_QUEUED requests wait behind one;
 * - time: a head must be complete within headTimeoutMs of its first byte (a connection's
 *   first head, of the connection), and a connection idle for IDLE_TIMEOUT_MS is closed;
 * - connections: beyond maxConnections a client gets 503 and the connection is closed.
 */
export interface Http1Request extends Http1Head {
  body: RequestBody;
  /** `100 Continue` was sent. */
  continued?: boolean;
}

export type Http1Handler = (req: Http1Request, remoteAddress: string) => WireResponse | Promise<WireResponse>;

export interface Http1Options {
  /** Open connections served at once; more are answered 503 and closed. */
  maxConnections?: number;
  /** Milliseconds a request head may take to arrive, from its first byte. */
  headTimeoutMs?: number;
}

/** As node:http's keepAliveTimeout was set: longer than SDKs' idle-socket reuse windows. */
export const IDLE_TIMEOUT_MS = 65_000;
export const DEFAULT_MAX_CONNECTIONS = 4096;
/** node:http's headersTimeout is 60 s; a head is 16 KiB at most, so 10 s is generous. */
export const DEFAULT_HEAD_TIMEOUT_MS = 10_000;
/** Requests read ahead (pipelined) while one is answered: beyond it, reading stops. */
const MAX_QUEUED = 16;
/**
 * After an answer that leaves a body unread (a refused upload), how long the connection
 * waits before it is dropped: closing a socket with unread bytes resets it, and a reset
 * can take the answer with it before the client has read it.
 */
const LINGER_MS = 2000;
/** Refused connections lingering at once; beyond it they are dropped at once. */
const MAX_LINGERING = 1024;

export class Http1Server {
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();
  private lingering = 0;

  constructor(handler: Http1Handler, options: Http1Options = {}) {
    const maxConnections = options.maxConnections ?? DEFAULT_MAX_CONNECTIONS;
    const headTimeoutMs = options.headTimeoutMs ?? DEFAULT_HEAD_TIMEOUT_MS;
    this.server = createServer({ noDelay: true }, (socket) => {
      if (this.sockets.size >= maxConnections) return this.refuse(socket);
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
      serveConnection(socket, handler, headTimeoutMs);
    });
  }

  /** Open connections being served. */
  get connections(): number {
    return this.sockets.size;
  }

  listen(port: number, host: string): Promise<AddressInfo> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        this.server.off('error', reject);
        resolve(this.server.address() as AddressInfo);
      });
    });
  }

  /** Stops listening and drops every open connection. */
  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      for (const socket of this.sockets) socket.destroy();
    });
  }

  /** Over the connection cap: a clear 503, then the connection closes. */
  private refuse(socket: Socket): void {
    socket.on('error', () => socket.destroy());
    socket.end(SERVICE_UNAVAILABLE);
    if (this.lingering >= MAX_LINGERING) {
      socket.destroy();
      return;
    }
    // Not read (a socket nobody listens to stays paused): dropped once the client had time to read the 503.
    this.lingering++;
    socket.once('close', () => this.lingering--);
    setTimeout(() => socket.destroy(), LINGER_MS).unref();
  }
}

function serveConnection(socket: Socket, handler: Http1Handler, headTimeoutMs: number): void {
  socket.setTimeout(IDLE_TIMEOUT_MS, () => socket.destroy());
  socket.on('error', () => socket.destroy());
  const remote = unmapped(socket.remoteAddress ?? '127.0.0.1');
  /** Requests whose head is read, waiting for the one being answered (pipelining). */
  const waiting: Http1Request[] = [];
  /** The request being answered: awaited (a body, a commit) or streaming its answer. */
  let current: Http1Request | undefined;
  /** The body the reader's bytes go to (the current request's, or a waiting one's). */
  let receiving: RequestBody | undefined;
  /** Waiting for the socket to drain what was written to a client that does not read. */
  let draining = false;
  let closing = false;
  let paused = false;
  /** The head deadline: from the connection's start, then from each head's first byte. */
  let headTimer: NodeJS.Timeout | undefined = setTimeout(() => headTimeout(), headTimeoutMs);
  /** Answers waiting for the end of this turn of the event loop (see writeSoon); texts in a row joined. */
  let pending: Array<string | Buffer> = [];

  const writeLater = (bytes: string | Buffer): void => {
    const last = pending.length - 1;
    if (last < 0) writeSoon(flushPending);
    if (typeof bytes === 'string' && last >= 0 && typeof pending[last] === 'string') pending[last] += bytes;
    else pending.push(bytes);
  };

  const flushPending = (): void => {
    if (pending.length === 0) return;
    const out = pending;
    pending = [];
    if (socket.destroyed) return;
    if (out.length === 1) socket.write(out[0]);
    else {
      socket.cork();
      for (const bytes of out) socket.write(bytes);
      socket.uncork();
    }
    watchDrain();
  };

  const watchDrain = (): void => {
    if (socket.writableNeedDrain && !draining) {
      // A client that sends without reading: stop reading it until it catches up.
      draining = true;
      socket.once('drain', () => {
        draining = false;
        updateFlow();
      });
    }
  };

  const headTimeout = (): void => {
    headTimer = undefined;
    if (closing) return;
    flushPending();
    if (!current) socket.write(statusOnly(408), 'latin1');
    closing = true;
    socket.destroy();
  };

  /** Reads on when someone wants the bytes, stops when nobody does. */
  const updateFlow = (): void => {
    if (closing || socket.destroyed) return;
    const read = !draining && (receiving ? receiving.demanding : waiting.length < MAX_QUEUED);
    if (read && paused) {
      paused = false;
      socket.resume();
    } else if (!read && !paused) {
      paused = true;
      socket.pause();
    }
  };

  const answer = (req: Http1Request): void => {
    current = req;
    let out: WireResponse | Promise<WireResponse>;
    try {
      out = handler(req, remote);
    } catch (err) {
      out = internalError(err);
    }
    if (out instanceof Promise) {
      out
        .then(
          (res) => send(req, res),
          (err: unknown) => send(req, internalError(err)),
        )
        .catch((err: unknown) => broken(err));
    } else send(req, out);
  };

  const send = (req: Http1Request, out: WireResponse): void => {
    if (socket.destroyed) {
      destroyStream(out);
      return;
    }
    // A body left unread cannot be skipped reliably: the connection closes after the answer.
    // A stream of unknown length ends where the connection does; so does a failure.
    const keepAlive = req.keepAlive && req.body.ended && out !== INTERNAL_ERROR && !(out.stream && lengthOf(out.headers) === undefined);
    const head = responseHead(out.status === 304 ? { ...out, body: '' } : out, keepAlive);
    if (out.stream && req.method !== 'HEAD') {
      flushPending();
      socket.write(head, 'latin1');
      const stream = out.stream as NodeJS.ReadableStream & { destroy?: (err?: Error) => void };
      const dropped = () => stream.destroy?.();
      socket.once('close', dropped);
      stream.on('error', () => socket.destroy());
      if (sendsItself(stream)) {
        // A blob: it reads into buffers it reuses, each once the socket has taken it (src/store/blob-reader.ts).
        stream.sendTo(socket, (err) => {
          socket.off('close', dropped);
          if (err) socket.destroy();
          else next(keepAlive);
        });
        return;
      }
      stream.once('end', () => {
        socket.off('close', dropped);
        next(keepAlive);
      });
      stream.pipe(socket, { end: false });
      return;
    }
    destroyStream(out);
    // HEAD, 204 and 304 answers never carry a body (RFC 9110 §6.4.1): a client reads none.
    const body = req.method === 'HEAD' || out.status === 204 || out.status === 304 ? '' : out.body;
    // One write, so one syscall: a text body joins the head (both go out as UTF-8; the head is ASCII),
    // and goes out once this turn's reads are all answered (writeSoon).
    if (typeof body === 'string') writeLater(head + body);
    else {
      // A small body joins the head in one buffer (one send); a large one follows it.
      if (body.length <= 64 * 1024) {
        const out = Buffer.allocUnsafe(head.length + body.length);
        out.write(head, 0, 'latin1');
        body.copy(out, head.length);
        writeLater(out);
      } else {
        flushPending();
        socket.cork();
        socket.write(head, 'latin1');
        socket.write(body);
        socket.uncork();
      }
    }
    watchDrain();
    next(keepAlive);
  };

  /** After an answer: close, or take the next waiting request. */
  const next = (keepAlive: boolean): void => {
    current = undefined;
    if (!keepAlive) return end();
    pump();
    updateFlow();
  };

  const pump = (): void => {
    if (current || closing || waiting.length === 0) return;
    try {
      answer(waiting.shift()!);
    } catch (err) {
      broken(err);
    }
  };

  /** Our bug while writing an answer: say so, and drop this connection rather than the process. */
  const broken = (err: unknown): void => {
    console.error(err);
    closing = true;
    socket.destroy();
  };

  /**
   * Closes after the answer. A body still on its way is not read: the connection stays
   * paused (the client's bytes wait in kernel buffers, not here) for LINGER_MS, so the
   * client can read the answer before the close resets the connection.
   */
  const end = (): void => {
    closing = true;
    waiting.length = 0;
    clearHead();
    flushPending();
    socket.end();
    if (reader.readingBody || reader.headPending) {
      if (!paused) {
        paused = true;
        socket.pause();
      }
      setTimeout(() => socket.destroy(), LINGER_MS).unref();
    }
  };

  const clearHead = (): void => {
    if (headTimer) clearTimeout(headTimer);
    headTimer = undefined;
  };

  /** How every body of this connection asks for bytes, or for `100 Continue` (only the current request's may). */
  const flow = {
    changed: updateFlow,
    sendContinue: () => {
      const req = current;
      if (req && req.expectsContinue && !req.continued && !socket.destroyed) {
        req.continued = true;
        flushPending();
        socket.write(CONTINUE);
      }
    },
  };

  const reader = new RequestReader({
    head: (head) => {
      if (headTimer) clearHead();
      const req = head as Http1Request;
      req.body = new RequestBody(head.length, flow);
      receiving = req.body;
      waiting.push(req);
    },
    data: (bytes) => receiving?.push(bytes),
    end: () => {
      receiving?.end();
      receiving = undefined;
    },
  });

  socket.on('data', (bytes: Buffer) => {
    if (closing) return;
    try {
      reader.push(bytes);
    } catch (err) {
      if (!(err instanceof HttpError)) return broken(err);
      receiving?.fail(new BodyAborted());
      // What node:http answers to a request it cannot read: the status, nothing more, and close.
      flushPending();
      if (!current) socket.write(statusOnly(err.status), 'latin1');
      return end();
    }
    if (reader.headPending && !headTimer) headTimer = setTimeout(() => headTimeout(), headTimeoutMs);
    pump();
    updateFlow();
  });

  socket.once('close', () => {
    closing = true;
    pending = [];
    clearHead();
    const aborted = new BodyAborted();
    receiving?.fail(aborted);
    current?.body.fail(aborted);
    for (const req of waiting) req.body.fail(aborted);
    waiting.length = 0;
  });
}

/**
 * Answers (all but streams and bodies over 64 KiB) written at the end of the event loop's
 * turn (setImmediate: after the poll phase has read every socket that was ready), not as
 * each is made. Still one write per answer (several, when pipelined on one connection, in
 * one), but the client is woken once
 * this process is done with the batch rather than in the middle of it: on the 2-core
 * machine, answering 16 connections' GetItems this way cost ~18% less CPU per request
 * (kernel time included) than writing inside each read's callback.
 */
let toFlush: Array<() => void> = [];
let afterFlush: Array<() => void> = [];
let flushScheduled = false;

function writeSoon(flush: () => void): void {
  toFlush.push(flush);
  scheduleFlush();
}

/**
 * Work that may wait until this turn's answers are on their way (CloudTrail's encoding of
 * the turn's events): run right after them, never in front of them.
 */
export function afterAnswers(work: () => void): void {
  afterFlush.push(work);
  scheduleFlush();
}

function scheduleFlush(): void {
  if (flushScheduled) return;
  flushScheduled = true;
  setImmediate(flushAll);
}

function flushAll(): void {
  flushScheduled = false;
  const list = toFlush;
  const after = afterFlush;
  toFlush = [];
  afterFlush = [];
  runAll(list);
  runAll(after);
}

function runAll(list: Array<() => void>): void {
  for (const run of list) {
    try {
      run();
    } catch (err) {
      console.error(err);
    }
  }
}

/** A body that writes itself to a socket, better than a pipe would (a blob: src/store/blob-reader.ts). */
interface SendsItself {
  sendTo(socket: Socket, done: (err?: Error | null) => void): void;
}

function sendsItself(stream: object): stream is SendsItself {
  return typeof (stream as Partial<SendsItself>).sendTo === 'function';
}

function destroyStream(out: WireResponse): void {
  const stream = out.stream as { destroy?: () => void } | undefined;
  stream?.destroy?.();
}

/** The pipeline turns every failure into an AWS error; a throw reaching here is a bug. */
function internalError(err: unknown): WireResponse {
  console.error(err);
  return INTERNAL_ERROR;
}
const INTERNAL_ERROR: WireResponse = { status: 500, headers: { 'content-type': 'text/plain' }, body: 'internal error' };

const CONTINUE = Buffer.from('HTTP/1.1 100 Continue\r\n\r\n', 'latin1');
const SERVICE_UNAVAILABLE = Buffer.from(
  'HTTP/1.1 503 Service Unavailable\r\nconnection: close\r\nretry-after: 1\r\ncontent-type: text/plain\r\ncontent-length: 29\r\n\r\ntoo many connections; retry\r\n',
  'latin1',
);
const KEEP_ALIVE = `connection: keep-alive\r\nkeep-alive: timeout=${IDLE_TIMEOUT_MS / 1000}\r\n`;
const CLOSE = 'connection: close\r\n';

function statusOnly(status: number): string {
  return `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nconnection: close\r\ncontent-length: 0\r\n\r\n`;
}

/** Status line and header fields, with Content-Length, Date and Connection added. */
function responseHead(out: WireResponse, keepAlive: boolean): string {
  let head = `HTTP/1.1 ${out.status} ${STATUS_CODES[out.status] ?? 'Unknown'}\r\n`;
  let length = false;
  for (const name in out.headers) {
    const value = out.headers[name];
    if (value === undefined) continue;
    // A CR or LF in a value would let it write headers of its own: such a value is dropped.
    if (BREAKS_LINE.test(value)) continue;
    if (name.length === 14 && name.toLowerCase() === 'content-length') length = true;
    head += `${name}: ${value}\r\n`;
  }
  if (!length && !out.stream) head += `content-length: ${Buffer.byteLength(out.body)}\r\n`;
  return `${head}date: ${httpDate()}\r\n${keepAlive ? KEEP_ALIVE : CLOSE}\r\n`;
}

const BREAKS_LINE = /[\r\n]/;

/** The Content-Length header of an answer, whatever the letter case of its name. */
function lengthOf(headers: Record<string, string>): string | undefined {
  for (const name in headers) if (name.length === 14 && name.toLowerCase() === 'content-length') return headers[name];
  return undefined;
}

/** The Date header's value, formatted once a second (SDKs read it to correct clock skew). */
function httpDate(): string {
  const second = Math.floor(Date.now() / 1000);
  if (second !== dateSecond) {
    dateSecond = second;
    dateText = new Date(second * 1000).toUTCString();
  }
  return dateText;
}
let dateSecond = 0;
let dateText = '';

function unmapped(ip: string): string {
  return ip.startsWith('::ffff:') ? ip.slice(7) : ip;
}

import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { STATUS_CODES } from 'node:http';
import type { WireResponse } from '../protocol/errors.js';
import { HttpError, RequestReader, type Http1Request } from './http1-reader.js';

/**
 * The HTTP/1.1 server every request comes through: node:net sockets, requests read by
 * RequestReader, answered in order (pipelining included), connections kept alive.
 *
 * Why not node:http: its streams cost ~55 µs a request on the 2-core machine we measure
 * on, more than the whole SigV4 + policy + store path (~45 µs); this loop costs under
 * 20 µs (hello-world: 17–20k req/s with node:http, 35–50k with this). A handler answers
 * at once, or with a promise (a write waiting for its commit group); either way the
 * answers on one connection go out in the order the requests came.
 */
export type Http1Handler = (req: Http1Request, remoteAddress: string) => WireResponse | Promise<WireResponse>;

/** As node:http's keepAliveTimeout was set: longer than SDKs' idle-socket reuse windows. */
export const IDLE_TIMEOUT_MS = 65_000;

export class Http1Server {
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();

  constructor(handler: Http1Handler) {
    this.server = createServer({ noDelay: true }, (socket) => {
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
      serveConnection(socket, handler);
    });
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
}

function serveConnection(socket: Socket, handler: Http1Handler): void {
  socket.setTimeout(IDLE_TIMEOUT_MS, () => socket.destroy());
  socket.on('error', () => socket.destroy());
  const remote = unmapped(socket.remoteAddress ?? '127.0.0.1');
  /** Requests read while an earlier one is still being answered (pipelining). */
  const waiting: Http1Request[] = [];
  /** An answer is under way: awaited (until its commit) or streaming. */
  let busy = false;
  let closing = false;

  const answer = (req: Http1Request): void => {
    let out: WireResponse | Promise<WireResponse>;
    try {
      out = handler(req, remote);
    } catch (err) {
      out = internalError(err);
    }
    if (out instanceof Promise) {
      busy = true;
      out
        .then(
          (res) => send(req, res),
          (err: unknown) => send(req, internalError(err)),
        )
        .catch((err: unknown) => broken(err));
    } else send(req, out);
  };

  const send = (req: Http1Request, out: WireResponse): void => {
    if (socket.destroyed) return;
    // A stream of unknown length ends where the connection does; so does a failure.
    const keepAlive = req.keepAlive && out !== INTERNAL_ERROR && !(out.stream && out.headers['content-length'] === undefined);
    const head = responseHead(out, keepAlive);
    if (out.stream && req.method !== 'HEAD') {
      busy = true;
      socket.write(head, 'latin1');
      const stream = out.stream;
      stream.on('error', () => socket.destroy());
      stream.once('end', () => next(keepAlive));
      stream.pipe(socket, { end: false });
      return;
    }
    const body = req.method === 'HEAD' ? '' : out.body;
    // One write, so one syscall: a text body joins the head (both go out as UTF-8; the head is ASCII).
    if (typeof body === 'string') socket.write(head + body);
    else {
      socket.cork();
      socket.write(head, 'latin1');
      if (body.length > 0) socket.write(body);
      socket.uncork();
    }
    if (socket.writableNeedDrain) {
      // A client that sends without reading: stop reading it until it catches up.
      socket.pause();
      socket.once('drain', () => socket.resume());
    }
    next(keepAlive);
  };

  /** After an answer: close, or take the next waiting request. */
  const next = (keepAlive: boolean): void => {
    busy = false;
    if (!keepAlive) return end();
    const req = waiting.shift();
    if (req && !closing) answer(req);
  };

  /** Our bug while writing an answer: say so, and drop this connection rather than the process. */
  const broken = (err: unknown): void => {
    console.error(err);
    closing = true;
    socket.destroy();
  };

  const end = (): void => {
    closing = true;
    waiting.length = 0;
    socket.end();
  };

  const reader = new RequestReader({
    request: (req) => {
      // After Connection: close (or a failure), whatever was pipelined behind it is dropped.
      if (closing) return;
      if (busy || waiting.length > 0) waiting.push(req);
      else answer(req);
    },
    continue: () => {
      if (!busy && waiting.length === 0) socket.write(CONTINUE);
    },
  });

  socket.on('data', (bytes: Buffer) => {
    if (closing) return;
    try {
      reader.push(bytes);
    } catch (err) {
      if (!(err instanceof HttpError)) return broken(err);
      // What node:http answers to a request it cannot read: the status, nothing more, and close.
      if (!busy) socket.write(`HTTP/1.1 ${err.status} ${STATUS_CODES[err.status]}\r\nconnection: close\r\ncontent-length: 0\r\n\r\n`, 'latin1');
      end();
    }
  });
}

/** The pipeline turns every failure into an AWS error; a throw reaching here is a bug. */
function internalError(err: unknown): WireResponse {
  console.error(err);
  return INTERNAL_ERROR;
}
const INTERNAL_ERROR: WireResponse = { status: 500, headers: { 'content-type': 'text/plain' }, body: 'internal error' };

const CONTINUE = Buffer.from('HTTP/1.1 100 Continue\r\n\r\n', 'latin1');
const KEEP_ALIVE = `connection: keep-alive\r\nkeep-alive: timeout=${IDLE_TIMEOUT_MS / 1000}\r\n`;
const CLOSE = 'connection: close\r\n';

/** Status line and header fields, with Content-Length, Date and Connection added. */
function responseHead(out: WireResponse, keepAlive: boolean): string {
  let head = `HTTP/1.1 ${out.status} ${STATUS_CODES[out.status] ?? 'Unknown'}\r\n`;
  let length = false;
  for (const name in out.headers) {
    const value = out.headers[name];
    if (value === undefined) continue;
    // A CR or LF in a value would let it write headers of its own: such a value is dropped.
    if (BREAKS_LINE.test(value)) continue;
    if (name === 'content-length') length = true;
    head += `${name}: ${value}\r\n`;
  }
  if (!length && !out.stream) head += `content-length: ${Buffer.byteLength(out.body)}\r\n`;
  return `${head}date: ${httpDate()}\r\n${keepAlive ? KEEP_ALIVE : CLOSE}\r\n`;
}

const BREAKS_LINE = /[\r\n]/;

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

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { WireRequest, WireResponse } from '../protocol/errors.js';
import type { App } from './app.js';
import { handleAdmin } from './admin.js';
import { serverNow } from './clock.js';
import { handleRequest } from './pipeline.js';

/** The HTTP gateway: one port, raw node:http, every path into the pipeline. */
export function createHttpServer(app: App): Server {
  const server = createServer({ keepAlive: true }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => respond(app, req, res, Buffer.concat(chunks)));
    req.on('error', () => res.destroy());
  });
  server.keepAliveTimeout = 65_000;
  return server;
}

function respond(app: App, req: IncomingMessage, res: ServerResponse, body: Buffer): void {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const wire: WireRequest = {
    method: req.method ?? 'GET',
    path: q < 0 ? url : url.slice(0, q),
    rawQuery: q < 0 ? '' : url.slice(q + 1),
    headers: req.headers as Record<string, string>,
    body,
  };
  const out: WireResponse = wire.path.startsWith('/_iamlocal/')
    ? handleAdmin(app, wire, serverNow(app))
    : handleRequest(app, wire, { sourceIp: sourceIpOf(req), secure: false });
  // An explicit length: writeHead alone would make node send the body chunked.
  if (out.headers['content-length'] === undefined) out.headers['content-length'] = String(Buffer.byteLength(out.body));
  res.writeHead(out.status, out.headers);
  res.end(wire.method === 'HEAD' ? undefined : out.body);
}

function sourceIpOf(req: IncomingMessage): string {
  const ip = req.socket.remoteAddress ?? '127.0.0.1';
  return ip.startsWith('::ffff:') ? ip.slice(7) : ip;
}

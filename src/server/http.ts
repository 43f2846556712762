import type { WireRequest, WireResponse } from '../protocol/errors.js';
import type { App } from './app.js';
import { handleAdmin } from './admin.js';
import { serverNow } from './clock.js';
import type { Http1Request } from './http1-reader.js';
import { Http1Server } from './http1-server.js';
import { handleRequest, whenDurable } from './pipeline.js';

/** The HTTP gateway: one port, every path into the pipeline (admin paths to admin.ts). */
export function createHttpServer(app: App): Http1Server {
  return new Http1Server((req, remoteAddress) => respond(app, req, remoteAddress));
}

function respond(app: App, req: Http1Request, sourceIp: string): WireResponse | Promise<WireResponse> {
  const url = req.target;
  const q = url.indexOf('?');
  const wire: WireRequest = {
    method: req.method,
    path: q < 0 ? url : url.slice(0, q),
    rawQuery: q < 0 ? '' : url.slice(q + 1),
    headers: req.headers,
    body: req.body,
  };
  if (!wire.path.startsWith('/_iamlocal/')) return handleRequest(app, wire, { sourceIp, secure: false });
  return whenDurable(app, handleAdmin(app, wire, serverNow(app)), (err) => ({
    status: 500,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ error: 'InternalFailure', message: String(err) }),
  }));
}

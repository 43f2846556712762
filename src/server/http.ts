import type { WireRequest, WireResponse } from '../protocol/errors.js';
import type { App } from './app.js';
import type { Http1Request } from './http1-reader.js';
import { Http1Server } from './http1-server.js';
import { handleRequest } from './pipeline.js';
import { routeFor } from './routes.js';

/** The HTTP gateway: one port; the routing table first (routes.ts), every other path into the AWS pipeline. */
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
  const conn = { sourceIp, secure: false };
  const route = routeFor(wire.path);
  return route ? route.handle(app, wire, conn) : handleRequest(app, wire, conn);
}

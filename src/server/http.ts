import type { WireRequest, WireResponse } from '../protocol/errors.js';
import type { App } from './app.js';
import { Http1Server, type Http1Request } from './http1-server.js';
import { handleRequest, MAX_BUFFERED_BODY, type Connection } from './pipeline.js';
import { BodyTooLarge } from './request-body.js';
import { routeFor, type Route } from './routes.js';

/** The HTTP gateway: one port; the routing table first (routes.ts), every other path into the AWS pipeline. */
export function createHttpServer(app: App): Http1Server {
  return new Http1Server((req, remoteAddress) => respond(app, req, remoteAddress), {
    maxConnections: app.config.maxConnections,
    headTimeoutMs: app.config.headTimeoutMs,
  });
}

function respond(app: App, req: Http1Request, sourceIp: string): WireResponse | Promise<WireResponse> {
  const url = req.target;
  const q = url.indexOf('?');
  // Most bodies came with their head: then the request is whole, as it always was.
  const whole = req.body.complete();
  const wire: WireRequest = {
    method: req.method,
    path: q < 0 ? url : url.slice(0, q),
    rawQuery: q < 0 ? '' : url.slice(q + 1),
    headers: req.headers,
    body: whole ?? EMPTY,
  };
  const conn: Connection = { sourceIp, secure: false };
  const route = routeFor(wire.path);
  if (route) {
    if (whole !== undefined) return route.handle(app, wire, conn);
    return route.streams?.(wire) ? route.handle(app, wire, conn, req.body) : routed(app, route, wire, req, conn);
  }
  return handleRequest(app, wire, conn, whole === undefined ? req.body : undefined);
}

/** The routes take small bodies (JSON for the admin API): read whole, bounded. */
function routed(app: App, route: Route, wire: WireRequest, req: Http1Request, conn: Connection): Promise<WireResponse> {
  return req.body.read(MAX_BUFFERED_BODY).then(
    (body) => route.handle(app, { ...wire, body }, conn),
    (err: unknown) => ({
      status: err instanceof BodyTooLarge ? 413 : 400,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ error: err instanceof BodyTooLarge ? 'RequestEntityTooLarge' : 'IncompleteBody', message: (err as Error).message }),
    }),
  );
}

const EMPTY = Buffer.alloc(0);

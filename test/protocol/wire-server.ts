import { createServer, Agent, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { WireRequest, WireResponse } from '../../src/protocol/errors.js';

/** Turns a Node request into the WireRequest the protocol layer reads. */
async function toWire(req: IncomingMessage): Promise<WireRequest> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) {
    if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(',') : v;
  }
  return {
    method: req.method ?? 'GET',
    path: q === -1 ? url : url.slice(0, q),
    rawQuery: q === -1 ? '' : url.slice(q + 1),
    headers,
    body: Buffer.concat(chunks),
  };
}

export interface WireServer {
  endpoint: string;
  /** Every request the server saw, in order. */
  requests: WireRequest[];
  close(): Promise<void>;
}

/** A loopback server that answers each request with `respond`, so real SDK clients can talk to our codecs. */
export async function startWireServer(respond: (req: WireRequest) => WireResponse | Promise<WireResponse>): Promise<WireServer> {
  const requests: WireRequest[] = [];
  const server = createServer(async (req, res) => {
    try {
      const wire = await toWire(req);
      requests.push(wire);
      const out = await respond(wire);
      res.writeHead(out.status, out.headers);
      if (out.stream) (out.stream as NodeJS.ReadableStream).pipe(res);
      else res.end(out.body);
    } catch (e) {
      res.writeHead(599, { 'content-type': 'text/plain' });
      res.end(String((e as Error).stack ?? e));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** SDK requestHandler options that send every host name (e.g. bucket.s3.localhost) to 127.0.0.1. */
export function loopbackHandler(): { httpAgent: Agent } {
  const agent = new Agent({
    lookup: ((_host: string, opts: { all?: boolean }, cb: (...args: unknown[]) => void) => {
      if (opts.all) cb(null, [{ address: '127.0.0.1', family: 4 }]);
      else cb(null, '127.0.0.1', 4);
    }) as never,
  });
  return { httpAgent: agent };
}

export const testCredentials = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' };

import { createServer, request, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * One instance's metadata service at the root of a loopback port of its own, relayed to
 * the server's /_iamlocal/imds/<instance-id>/ route. The SDK for JavaScript v3 keeps only
 * the host and port of AWS_EC2_METADATA_SERVICE_ENDPOINT (it asks for /latest/api/token
 * at the root), so `iamlocal run-as` points every SDK here: botocore, the aws CLI and the
 * JavaScript SDK then all reach the instance the way they would on EC2.
 */
export interface ImdsProxy {
  /** http://127.0.0.1:PORT/ */
  url: string;
  close(): Promise<void>;
}

export async function startImdsProxy(serverUrl: string, instanceId: string): Promise<ImdsProxy> {
  const target = new URL(`/_iamlocal/imds/${encodeURIComponent(instanceId)}/`, serverUrl);
  const server: Server = createServer((req: IncomingMessage, res) => {
    const headers = { ...req.headers };
    delete headers.host;
    const upstream = request(
      { protocol: target.protocol, hostname: target.hostname, port: target.port, method: req.method, path: target.pathname + (req.url ?? '/').replace(/^\/+/, ''), headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', (err) => {
      res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(`iamlocal run-as: the server at ${serverUrl} did not answer: ${err.message}\n`);
    });
    req.pipe(upstream);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

/**
 * The baseline of request rates: plain node:http on a free port, reading each request's
 * body and answering 1 KiB, with no authentication, no decision and no storage.
 *   node dist/bench/lib/hello-server.js
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

const body = Buffer.alloc(1024, 0x78);
const server = createServer((req, res) => {
  req.resume();
  req.on('end', () => res.end(body));
});
server.listen(0, '127.0.0.1', () => console.log(`listening on http://127.0.0.1:${(server.address() as AddressInfo).port}`));

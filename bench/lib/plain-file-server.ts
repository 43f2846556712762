/**
 * The ceiling of large transfers for a Node server on this machine: plain node:http with
 * no S3 in the way. PUT /<name> writes the body to a file and fsyncs it (?md5 also hashes
 * it, as any S3 server must for the ETag); GET /<name> streams the file back (?memory: as
 * many bytes from a buffer in memory, no file read: the ceiling of the socket alone).
 *   node dist/bench/lib/plain-file-server.js <directory>
 */
import { createHash } from 'node:crypto';
import { close, createReadStream, createWriteStream, fsync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

const dir = process.argv[2];
const block = Buffer.alloc(1024 * 1024, 0x61);
const server = createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://x');
  const file = join(dir, url.pathname.replace(/[^a-z0-9]/gi, '_'));
  if (req.method === 'PUT') {
    const out = createWriteStream(file, { highWaterMark: 1024 * 1024, autoClose: false });
    let fd = -1;
    out.on('open', (opened) => (fd = opened));
    if (url.searchParams.has('md5')) {
      const md5 = createHash('md5');
      req.on('data', (d: Buffer) => md5.update(d));
      req.on('end', () => md5.digest());
    }
    req.pipe(out);
    out.on('finish', () => fsync(fd, () => close(fd, () => res.end())));
    return;
  }
  const size = statSync(file).size;
  res.setHeader('content-length', size);
  if (!url.searchParams.has('memory')) return void createReadStream(file, { highWaterMark: 1024 * 1024 }).pipe(res);
  // As many bytes, from one buffer in memory: what the socket alone carries to this client.
  let sent = 0;
  const pump = () => {
    while (sent < size) {
      const n = Math.min(block.length, size - sent);
      sent += n;
      if (!res.write(n === block.length ? block : block.subarray(0, n))) return void res.once('drain', pump);
    }
    res.end();
  };
  pump();
});
server.listen(0, '127.0.0.1', () => console.log(`listening on http://127.0.0.1:${(server.address() as AddressInfo).port}`));

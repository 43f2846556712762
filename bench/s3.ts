/**
 * S3 benchmark: a real `iamlocal start` (enforcement on) on loopback, driven from this
 * process with pre-signed requests over raw keep-alive sockets. Prints, next to the same
 * run's raw disk figures:
 *   - 1 KiB GetObject and PutObject req/s (16 connections; a PUT is acknowledged once its
 *     row, which holds bytes this small, is committed: it survives kill -9);
 *   - MiB/s for one 1 GiB PUT and GET (acknowledged once fsynced and committed), next to
 *     the disk alone (dd-like) and plain Node piping a socket to a file and back;
 *   - 8 concurrent 1 GiB uploads: time and the server's peak RSS.
 *   node dist/bench/s3.js [--seconds 5] [--concurrency 16] [--gib 1] [--parallel 8]
 * s3rver (the point of comparison) is not installed here; its figures measured on
 * the same machine are in the issue: 1.4k GET / 1.2k PUT req/s, 211 / 397 MiB/s for 1 GiB.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, createReadStream, createWriteStream, fsyncSync, mkdtempSync, openSync, readFileSync, readSync, rmSync, writeSync } from 'node:fs';
import { connect, createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { drive, formatResult, type PreparedRequest } from './lib/loadgen.js';
import { presignS3, type Creds } from './lib/sign.js';

const arg = (name: string, dflt: number) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const SECONDS = arg('--seconds', 5);
const CONCURRENCY = arg('--concurrency', 16);
const GIB = arg('--gib', 1);
const PARALLEL = arg('--parallel', 8);
const MiB = 1024 * 1024;
const cli = new URL('../iamlocal.js', import.meta.url).pathname;
const root: Creds = { accessKeyId: 'AKIABENCHROOTKEY0000', secretAccessKey: 'benchRootSecret000000000000000000000000x' };

async function startServer(dataDir: string): Promise<{ child: ChildProcess; url: string }> {
  const nodeFlags = process.env.IAMLOCAL_BENCH_NODE_FLAGS?.split(' ').filter(Boolean) ?? [];
  const child = spawn(process.execPath, [...nodeFlags, cli, 'start', '--port', '0', '--data-dir', dataDir, '--log-format', 'none', '--auth', 'enforce'], {
    env: { ...process.env, IAMLOCAL_ROOT_ACCESS_KEY_ID: root.accessKeyId, IAMLOCAL_ROOT_SECRET_ACCESS_KEY: root.secretAccessKey },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) resolve(m[1]);
    });
    child.once('exit', (c) => reject(new Error(`server exited (${c})`)));
  });
  return { child, url };
}

function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

async function call(url: string, r: PreparedRequest): Promise<string> {
  const res = await fetch(url + r.path, { method: r.method, headers: r.headers, body: r.body });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`setup call failed: ${res.status} ${text}`);
  return text;
}

/** One raw request: the head, then `bytes` of body in 1 MiB writes (with backpressure); resolves with the answer's status. */
function upload(url: string, req: PreparedRequest, bytes: number): Promise<number> {
  const u = new URL(url);
  const piece = Buffer.alloc(MiB, 0x61);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(u.port), u.hostname);
    let head = `${req.method} ${req.path} HTTP/1.1\r\n`;
    for (const [k, v] of Object.entries({ ...req.headers, 'content-length': String(bytes), connection: 'close' })) head += `${k}: ${v}\r\n`;
    let text = '';
    socket.on('data', (d) => (text += d.toString('latin1')));
    socket.on('end', () => resolve(Number(text.slice(9, 12))));
    socket.on('error', reject);
    let sent = 0;
    const pump = () => {
      while (sent < bytes) {
        const n = Math.min(piece.length, bytes - sent);
        sent += n;
        if (!socket.write(n === piece.length ? piece : piece.subarray(0, n))) return void socket.once('drain', pump);
      }
    };
    socket.on('connect', () => {
      socket.write(head + '\r\n');
      pump();
    });
  });
}

/** One raw GET, its body counted and dropped: the bytes received. */
function download(url: string, req: PreparedRequest): Promise<number> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(u.port), u.hostname);
    let head = `${req.method} ${req.path} HTTP/1.1\r\n`;
    for (const [k, v] of Object.entries({ ...req.headers, connection: 'close' })) head += `${k}: ${v}\r\n`;
    let received = 0;
    let headSeen = false;
    let prefix = '';
    socket.on('data', (d: Buffer) => {
      if (headSeen) return void (received += d.length);
      prefix += d.toString('latin1');
      const end = prefix.indexOf('\r\n\r\n');
      if (end < 0) return;
      if (!prefix.startsWith('HTTP/1.1 200')) reject(new Error(prefix.slice(0, 300)));
      headSeen = true;
      received = Buffer.byteLength(prefix, 'latin1') - end - 4;
    });
    socket.on('end', () => resolve(received));
    socket.on('error', reject);
    socket.on('connect', () => socket.write(head + '\r\n'));
  });
}

/** dd-like: `bytes` written in 1 MiB blocks then fsynced, and read back in 1 MiB blocks; MiB/s of each. */
function rawDisk(dir: string, bytes: number): { write: number; read: number } {
  const file = join(dir, 'raw-disk-test');
  const block = Buffer.alloc(MiB, 0x61);
  let t0 = performance.now();
  const fd = openSync(file, 'w');
  for (let at = 0; at < bytes; at += MiB) writeSync(fd, block);
  fsyncSync(fd);
  closeSync(fd);
  const write = bytes / MiB / ((performance.now() - t0) / 1000);
  t0 = performance.now();
  const rfd = openSync(file, 'r');
  while (readSync(rfd, block, 0, MiB, null) > 0);
  closeSync(rfd);
  const read = bytes / MiB / ((performance.now() - t0) / 1000);
  rmSync(file);
  return { write, read };
}

/**
 * What plain Node does on this machine with no S3 in the way: a socket piped to a file
 * (then fsync), and a file piped to a socket, over loopback. The ceiling a Node server
 * can reach here, whatever the disk could do alone.
 */
async function plainNode(dir: string, bytes: number): Promise<{ upload: number; download: number }> {
  const file = join(dir, 'plain-node-test');
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as AddressInfo).port;
  const piece = Buffer.alloc(MiB, 0x61);
  let t0 = performance.now();
  await new Promise<void>((resolve) => {
    server.once('connection', (socket) => {
      const out = createWriteStream(file);
      socket.pipe(out);
      out.on('finish', () => {
        const fd = openSync(file, 'r+');
        fsyncSync(fd);
        closeSync(fd);
        resolve();
      });
    });
    const client = connect(port, '127.0.0.1');
    let sent = 0;
    const pump = () => {
      while (sent < bytes) {
        sent += MiB;
        if (!client.write(piece)) return void client.once('drain', pump);
      }
      client.end();
    };
    client.on('connect', pump);
  });
  const upload = bytes / MiB / ((performance.now() - t0) / 1000);
  t0 = performance.now();
  await new Promise<void>((resolve) => {
    server.once('connection', (socket) => createReadStream(file, { highWaterMark: 256 * 1024 }).pipe(socket));
    const client = connect(port, '127.0.0.1');
    client.on('data', () => {});
    client.on('end', () => resolve());
  });
  const download = bytes / MiB / ((performance.now() - t0) / 1000);
  server.close();
  rmSync(file);
  return { upload, download };
}

async function main() {
  const dataDir = mkdtempSync(join(tmpdir(), 'iamlocal-bench-s3-'));
  const { child, url } = await startServer(dataDir);
  const pid = child.pid!;
  try {
    await new Promise((r) => setTimeout(r, 300));
    console.log(`idle RSS                                          ${rssMb(pid).toFixed(1)} MB`);
    await call(url, await presignS3(url, 'PUT', '/bench', root, ''));

    const body = 'x'.repeat(1024);
    const puts: PreparedRequest[] = [];
    for (let i = 0; i < 1000; i++) puts.push(await presignS3(url, 'PUT', `/bench/small/${i}`, root, body));
    const gets: PreparedRequest[] = [];
    for (let i = 0; i < 1000; i++) gets.push(await presignS3(url, 'GET', `/bench/small/${i}`, root));
    await drive(url, puts, { total: 1000, concurrency: CONCURRENCY, maxSeconds: 30 }); // every key exists before GETs
    const run = async (name: string, reqs: PreparedRequest[]) => {
      await drive(url, reqs, { total: 500, concurrency: CONCURRENCY, maxSeconds: 2 }); // warm up
      console.log(formatResult(name, await drive(url, reqs, { total: 1_000_000, concurrency: CONCURRENCY, maxSeconds: SECONDS })));
    };
    await run(`GetObject 1 KiB (root, ${CONCURRENCY} connections)`, gets);
    await run(`PutObject 1 KiB (root, ${CONCURRENCY} connections, durable)`, puts);

    const bytes = GIB * 1024 * MiB;
    const disk = rawDisk(dataDir, bytes);
    const plain = await plainNode(dataDir, bytes);
    let t0 = performance.now();
    const status = await upload(url, await presignS3(url, 'PUT', '/bench/large', root), bytes);
    if (status !== 200) throw new Error(`large PUT answered ${status}`);
    const put = bytes / MiB / ((performance.now() - t0) / 1000);
    t0 = performance.now();
    const got = await download(url, await presignS3(url, 'GET', '/bench/large', root));
    if (got !== bytes) throw new Error(`large GET returned ${got} bytes`);
    const get = bytes / MiB / ((performance.now() - t0) / 1000);
    console.log(`${GIB} GiB PUT (UNSIGNED-PAYLOAD, MD5 + fsync)            ${put.toFixed(0).padStart(5)} MiB/s   raw disk write+fsync ${disk.write.toFixed(0)} MiB/s (${(100 * put / disk.write).toFixed(0)}%); plain Node socket→file+fsync ${plain.upload.toFixed(0)} MiB/s (${(100 * put / plain.upload).toFixed(0)}%)`);
    console.log(`${GIB} GiB GET                                        ${get.toFixed(0).padStart(5)} MiB/s   raw disk read        ${disk.read.toFixed(0)} MiB/s (${(100 * get / disk.read).toFixed(0)}%); plain Node file→socket ${plain.download.toFixed(0)} MiB/s (${(100 * get / plain.download).toFixed(0)}%)`);

    if (PARALLEL > 0) {
      let peak = rssMb(pid);
      const timer = setInterval(() => (peak = Math.max(peak, rssMb(pid))), 25);
      t0 = performance.now();
      const statuses = await Promise.all(Array.from({ length: PARALLEL }, async (_, i) => upload(url, await presignS3(url, 'PUT', `/bench/parallel/${i}`, root), bytes)));
      const seconds = (performance.now() - t0) / 1000;
      clearInterval(timer);
      if (statuses.some((s) => s !== 200)) throw new Error(`parallel PUTs answered ${statuses.join(',')}`);
      console.log(`${PARALLEL} × ${GIB} GiB PUT at once                         ${seconds.toFixed(1).padStart(5)} s      ${((PARALLEL * bytes) / MiB / seconds).toFixed(0)} MiB/s, server peak RSS ${peak.toFixed(0)} MB`);
    }
    console.log(`RSS after load                                    ${rssMb(pid).toFixed(1)} MB`);
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((e) => { console.error(e); process.exitCode = 1; });

/**
 * S3 benchmark: a real `iamlocal start` (enforcement on) on loopback, and s3rver (a Node S3
 * emulator, the issue's point of comparison) started beside it, each in a process of its
 * own, driven from this process with pre-signed requests over raw keep-alive sockets.
 * Prints, for both and next to the same run's baselines:
 *   - 1 KiB GetObject and PutObject req/s (16 connections; an iamlocal PUT is
 *     acknowledged once its row, which holds bytes this small, is committed: it survives
 *     kill -9; s3rver never fsyncs), beside plain node:http answering 1 KiB;
 *   - MiB/s for one 1 GiB PUT and GET (iamlocal: acknowledged once fsynced and committed),
 *     beside the disk alone (dd-like write+fsync; read with O_DIRECT, and from the page
 *     cache) and plain node:http piping a socket to a file (+fsync; and with MD5) and back;
 *   - iamlocal alone: 8 concurrent 1 GiB uploads, their time and the server's peak RSS.
 *   node dist/bench/s3.js [--seconds 5] [--concurrency 16] [--gib 1 | --mib 256] [--parallel 8] [--no-s3rver] [--small-only | --large-only]
 * IAMLOCAL_BENCH_S3_MIB=256 picks a smaller size for a quick run, as --mib does.
 */
import { spawnSync, type ChildProcess } from 'node:child_process';
import { closeSync, fsyncSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { benchScript, cpuSeconds, rssMb, spawnListening, stop } from './lib/children.js';
import { drive, formatResult, type LoadResult, type PreparedRequest } from './lib/loadgen.js';
import { presignS3, type Creds } from './lib/sign.js';

const arg = (name: string, dflt: number) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const flag = (name: string) => process.argv.includes(name);
const SECONDS = arg('--seconds', 5);
const CONCURRENCY = arg('--concurrency', 16);
const MiB = 1024 * 1024;
const GiB = 1024 * MiB;
const LARGE_MIB = arg('--mib', Number(process.env.IAMLOCAL_BENCH_S3_MIB ?? 0) || arg('--gib', 1) * 1024);
const PARALLEL = arg('--parallel', 8);
const WITH_S3RVER = !flag('--no-s3rver');
const SMALL_ONLY = flag('--small-only');
const LARGE_ONLY = flag('--large-only');
/** IAMLOCAL_BENCH_CLI: another build's dist/iamlocal.js, to compare two builds on one machine. */
const cli = process.env.IAMLOCAL_BENCH_CLI ?? new URL('../iamlocal.js', import.meta.url).pathname;
const root: Creds = { accessKeyId: 'AKIABENCHROOTKEY0000', secretAccessKey: 'benchRootSecret000000000000000000000000x' };
/** s3rver's own credentials: it checks signatures made with them. */
const s3rverCreds: Creds = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

function startIamlocal(dataDir: string): Promise<{ child: ChildProcess; url: string }> {
  const nodeFlags = process.env.IAMLOCAL_BENCH_NODE_FLAGS?.split(' ').filter(Boolean) ?? [];
  return spawnListening([...nodeFlags, cli, 'start', '--port', '0', '--data-dir', dataDir, '--log-format', 'none', '--auth', 'enforce'], {
    ...process.env, IAMLOCAL_ROOT_ACCESS_KEY_ID: root.accessKeyId, IAMLOCAL_ROOT_SECRET_ACCESS_KEY: root.secretAccessKey,
  });
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

/**
 * dd-like: `bytes` written in 1 MiB blocks then fsynced; read back by dd with O_DIRECT
 * (the disk itself) and in 1 MiB blocks from the page cache (where a GET of a file just
 * written reads from); MiB/s of each.
 */
function rawDisk(dir: string, bytes: number): { write: number; read: number; cached: number } {
  const file = join(dir, 'raw-disk-test');
  const block = Buffer.alloc(MiB, 0x61);
  let t0 = performance.now();
  const fd = openSync(file, 'w');
  for (let at = 0; at < bytes; at += MiB) writeSync(fd, block);
  fsyncSync(fd);
  closeSync(fd);
  const write = bytes / MiB / ((performance.now() - t0) / 1000);
  t0 = performance.now();
  const dd = spawnSync('dd', [`if=${file}`, 'of=/dev/null', 'bs=1M', 'iflag=direct'], { stdio: 'ignore' });
  const read = dd.status === 0 ? bytes / MiB / ((performance.now() - t0) / 1000) : NaN;
  t0 = performance.now();
  const rfd = openSync(file, 'r');
  while (readSync(rfd, block, 0, MiB, null) > 0);
  closeSync(rfd);
  const cached = bytes / MiB / ((performance.now() - t0) / 1000);
  rmSync(file);
  return { write, read, cached };
}

/** 1 KiB GETs then PUTs, replayed on CONCURRENCY connections; `bucket` made first. */
async function smallObjects(url: string, creds: Creds, bucket: string): Promise<{ get: LoadResult; put: LoadResult }> {
  await call(url, await presignS3(url, 'PUT', `/${bucket}`, creds, ''));
  const body = 'x'.repeat(1024);
  const puts: PreparedRequest[] = [];
  for (let i = 0; i < 1000; i++) puts.push(await presignS3(url, 'PUT', `/${bucket}/small/${i}`, creds, body));
  const gets: PreparedRequest[] = [];
  for (let i = 0; i < 1000; i++) gets.push(await presignS3(url, 'GET', `/${bucket}/small/${i}`, creds));
  await drive(url, puts, { total: 1000, concurrency: CONCURRENCY, maxSeconds: 30 }); // every key exists before GETs
  return { get: await timed(url, gets), put: await timed(url, puts) };
}

async function timed(url: string, reqs: PreparedRequest[]): Promise<LoadResult> {
  await drive(url, reqs, { total: 500, concurrency: CONCURRENCY, maxSeconds: 2 }); // warm up
  const result = await drive(url, reqs, { total: 1_000_000, concurrency: CONCURRENCY, maxSeconds: SECONDS });
  if (result.errors > 0) throw new Error(`${result.errors} requests failed: ${result.firstError}`);
  return result;
}

/** The 1 KiB figures: iamlocal and s3rver (when started), beside plain node:http. */
async function smallFigures(iamlocalUrl: string, s3rverUrl: string | undefined, helloUrl: string): Promise<void> {
  console.log(`\n1 KiB objects, ${CONCURRENCY} connections, ${SECONDS} s each, enforcement on (iamlocal PUT durable: survives kill -9)`);
  const mine = await smallObjects(iamlocalUrl, root, 'bench');
  console.log(formatResult('iamlocal GetObject', mine.get));
  console.log(formatResult('iamlocal PutObject', mine.put));
  if (s3rverUrl) {
    const theirs = await smallObjects(s3rverUrl, s3rverCreds, 'bench');
    console.log(formatResult('s3rver   GetObject', theirs.get));
    console.log(formatResult('s3rver   PutObject (no fsync)', theirs.put));
  }
  const host = { host: new URL(helloUrl).host };
  const helloGets: PreparedRequest[] = [{ method: 'GET', path: '/hello', headers: host }];
  const helloPuts: PreparedRequest[] = [{ method: 'PUT', path: '/hello', headers: host, body: 'x'.repeat(1024) }];
  console.log(formatResult('baseline: plain node:http GET 1 KiB', await timed(helloUrl, helloGets)));
  console.log(formatResult('baseline: plain node:http PUT 1 KiB', await timed(helloUrl, helloPuts)));
}

/** MiB/s of one GET of `bytes` from a server that needs no signature. */
async function timedDownload(url: string, path: string, bytes: number): Promise<number> {
  const t0 = performance.now();
  const got = await download(url, { method: 'GET', path, headers: { host: new URL(url).host } });
  if (got !== bytes) throw new Error(`GET ${path} returned ${got} bytes`);
  return bytes / MiB / ((performance.now() - t0) / 1000);
}

/**
 * One large PUT then its GET: MiB/s of each, and the CPU seconds per GiB the server spent
 * on each (all its threads): the figure a busy machine disturbs least.
 */
async function largeObject(url: string, creds: Creds, path: string, bytes: number, pid: number): Promise<LargeFigures> {
  const putReq = await presignS3(url, 'PUT', path, creds);
  let cpu0 = cpuSeconds(pid);
  let t0 = performance.now();
  const status = await upload(url, putReq, bytes);
  if (status !== 200) throw new Error(`large PUT to ${url} answered ${status}`);
  const put = bytes / MiB / ((performance.now() - t0) / 1000);
  const putCpu = ((cpuSeconds(pid) - cpu0) * GiB) / bytes;
  const getReq = await presignS3(url, 'GET', path, creds);
  cpu0 = cpuSeconds(pid);
  t0 = performance.now();
  const got = await download(url, getReq);
  if (got !== bytes) throw new Error(`large GET from ${url} returned ${got} bytes`);
  return { put, get: bytes / MiB / ((performance.now() - t0) / 1000), putCpu, getCpu: ((cpuSeconds(pid) - cpu0) * GiB) / bytes };
}

interface LargeFigures {
  /** MiB/s. */
  put: number;
  get: number;
  /** Server CPU seconds per GiB. */
  putCpu: number;
  getCpu: number;
}

const pct = (a: number, b: number) => (Number.isFinite(b) ? `${((100 * a) / b).toFixed(0)}%` : 'n/a');
const col = (v: number | string, w = 9) => (typeof v === 'number' ? v.toFixed(0) : v).padStart(w);

async function main() {
  const dataDir = mkdtempSync(join(tmpdir(), 'iamlocal-bench-s3-'));
  const s3rverDir = mkdtempSync(join(tmpdir(), 'iamlocal-bench-s3rver-'));
  const children: ChildProcess[] = [];
  try {
    const iamlocal = await startIamlocal(dataDir);
    children.push(iamlocal.child);
    const pid = iamlocal.child.pid!;
    const s3rver = WITH_S3RVER ? await spawnListening([benchScript('s3rver-server'), s3rverDir]) : undefined;
    if (s3rver) children.push(s3rver.child);
    const hello = await spawnListening([benchScript('hello-server')]);
    children.push(hello.child);
    await new Promise((r) => setTimeout(r, 300));
    console.log(`iamlocal idle RSS ${rssMb(pid).toFixed(1)} MB${s3rver ? `; s3rver idle RSS ${rssMb(s3rver.child.pid!).toFixed(1)} MB` : ''}`);
    if (LARGE_ONLY) await call(iamlocal.url, await presignS3(iamlocal.url, 'PUT', '/bench', root, ''));
    if (LARGE_ONLY && s3rver) await call(s3rver.url, await presignS3(s3rver.url, 'PUT', '/bench', s3rverCreds, ''));
    if (!LARGE_ONLY) await smallFigures(iamlocal.url, s3rver?.url, hello.url);
    await stop(hello.child);
    if (SMALL_ONLY) return;

    const bytes = LARGE_MIB * MiB;
    const size = LARGE_MIB % 1024 === 0 ? `${LARGE_MIB / 1024} GiB` : `${LARGE_MIB} MiB`;
    const disk = rawDisk(dataDir, bytes);
    const plainDir = mkdtempSync(join(dataDir, 'plain-'));
    const plainServer = await spawnListening([benchScript('plain-file-server'), plainDir]);
    children.push(plainServer.child);
    const plainPid = plainServer.child.pid!;
    const plain = await largeObject(plainServer.url, root, '/plain', bytes, plainPid);
    const plainMd5 = await largeObject(plainServer.url, root, '/plain?md5', bytes, plainPid);
    const socketOnly = await timedDownload(plainServer.url, '/plain?memory', bytes);
    await stop(plainServer.child);
    rmSync(plainDir, { recursive: true, force: true });
    const large = await largeObject(iamlocal.url, root, '/bench/large', bytes, pid);
    const other = s3rver ? await largeObject(s3rver.url, s3rverCreds, '/bench/large', bytes, s3rver.child.pid!) : undefined;
    console.log(`\n${size}, one request, MiB/s        iamlocal   s3rver   baselines (same run)`);
    console.log(
      `PUT (UNSIGNED-PAYLOAD)            ${col(large.put)} ${col(other?.put ?? '-')}   disk write+fsync ${disk.write.toFixed(0)} (iamlocal ${pct(large.put, disk.write)});` +
        ` plain node:http socket→file+fsync ${plain.put.toFixed(0)} (iamlocal ${pct(large.put, plain.put)}), with MD5 ${plainMd5.put.toFixed(0)} (iamlocal ${pct(large.put, plainMd5.put)})`,
    );
    console.log(
      `GET                               ${col(large.get)} ${col(other?.get ?? '-')}   disk read O_DIRECT ${disk.read.toFixed(0)} (iamlocal ${pct(large.get, disk.read)}),` +
        ` from page cache ${disk.cached.toFixed(0)}; plain node:http file→socket ${plain.get.toFixed(0)} (iamlocal ${pct(large.get, plain.get)}),` +
        ` memory→socket ${socketOnly.toFixed(0)} (iamlocal ${pct(large.get, socketOnly)})`,
    );
    const cpu = (f: LargeFigures | undefined, which: 'putCpu' | 'getCpu') => (f ? f[which].toFixed(2) : '-');
    console.log(
      `server CPU s per GiB: PUT iamlocal ${cpu(large, 'putCpu')}, s3rver ${cpu(other, 'putCpu')}, plain ${cpu(plain, 'putCpu')}, plain with MD5 ${cpu(plainMd5, 'putCpu')};` +
        ` GET iamlocal ${cpu(large, 'getCpu')}, s3rver ${cpu(other, 'getCpu')}, plain ${cpu(plain, 'getCpu')}`,
    );
    if (s3rver) await stop(s3rver.child);

    if (PARALLEL > 0) {
      let peak = rssMb(pid);
      const timer = setInterval(() => (peak = Math.max(peak, rssMb(pid))), 25);
      const t0 = performance.now();
      const statuses = await Promise.all(Array.from({ length: PARALLEL }, async (_, i) => upload(iamlocal.url, await presignS3(iamlocal.url, 'PUT', `/bench/parallel/${i}`, root), bytes)));
      const seconds = (performance.now() - t0) / 1000;
      clearInterval(timer);
      if (statuses.some((st) => st !== 200)) throw new Error(`parallel PUTs answered ${statuses.join(',')}`);
      console.log(`\niamlocal: ${PARALLEL} × ${size} PUT at once: ${seconds.toFixed(1)} s, ${((PARALLEL * bytes) / MiB / seconds).toFixed(0)} MiB/s, server peak RSS ${peak.toFixed(0)} MB`);
    }
    console.log(`iamlocal RSS after load ${rssMb(pid).toFixed(1)} MB`);
  } finally {
    for (const child of children) await stop(child);
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(s3rverDir, { recursive: true, force: true });
  }
}

main().catch((e) => { console.error(e); process.exitCode = 1; });

/**
 * CloudTrail recording overhead: GetUser req/s (an IAM user, policy-checked) on a server
 * recording every request (IAMLOCAL_CLOUDTRAIL=on, the default) and on one that records
 * nothing (off), in the same run, rounds alternated so both see the same machine; next to
 * a plain Node HTTP server answering a fixed 200, the ceiling of this load generator.
 * Also reports the events the recording server kept, to show it recorded them.
 *   node dist/bench/trail.js [--seconds 5] [--concurrency 32] [--rounds 3]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import Database from 'better-sqlite3';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { drive, formatResult, type LoadResult, type PreparedRequest } from './lib/loadgen.js';
import { presignQuery, type Creds } from './lib/sign.js';

const arg = (name: string, dflt: number) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const SECONDS = arg('--seconds', 5);
const CONCURRENCY = arg('--concurrency', 32);
const ROUNDS = arg('--rounds', 3);
const cli = new URL('../iamlocal.js', import.meta.url).pathname;
const root: Creds = { accessKeyId: 'AKIABENCHROOTKEY0000', secretAccessKey: 'benchRootSecret000000000000000000000000x' };

async function startServer(dataDir: string, cloudtrail: 'on' | 'off'): Promise<{ child: ChildProcess; url: string }> {
  // IAMLOCAL_BENCH_NODE_FLAGS (e.g. --cpu-prof) lets the servers be profiled under load.
  const nodeFlags = process.env.IAMLOCAL_BENCH_NODE_FLAGS?.split(' ').filter(Boolean) ?? [];
  const child = spawn(process.execPath, [...nodeFlags, cli, 'start', '--port', '0', '--data-dir', dataDir, '--log-format', 'none', '--cloudtrail', cloudtrail], {
    env: { ...process.env, IAMLOCAL_ROOT_ACCESS_KEY_ID: root.accessKeyId, IAMLOCAL_ROOT_SECRET_ACCESS_KEY: root.secretAccessKey },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d;
      const m = /listening on (http:\/\/\S+) /.exec(out);
      if (m) resolve(m[1]);
    });
    child.once('exit', (c) => reject(new Error(`server exited (${c})`)));
  });
  return { child, url };
}

async function call(url: string, r: PreparedRequest): Promise<string> {
  const res = await fetch(url + r.path, { method: r.method, headers: r.headers, body: r.body });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`setup call failed: ${res.status} ${text}`);
  return text;
}

/** A user allowed to read IAM, with its own key: the GetUser request it signs. */
async function getUserRequest(url: string): Promise<PreparedRequest> {
  await call(url, await presignQuery(url, 'iam', { Action: 'CreateUser', UserName: 'bench' }, root));
  await call(url, await presignQuery(url, 'iam', {
    Action: 'PutUserPolicy', UserName: 'bench', PolicyName: 'read',
    PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['iam:Get*', 'iam:List*'], Resource: '*' }] }),
  }, root));
  const xml = await call(url, await presignQuery(url, 'iam', { Action: 'CreateAccessKey', UserName: 'bench' }, root));
  const user = { accessKeyId: /<AccessKeyId>([^<]+)/.exec(xml)![1], secretAccessKey: /<SecretAccessKey>([^<]+)/.exec(xml)![1] };
  return presignQuery(url, 'iam', { Action: 'GetUser', UserName: 'bench' }, user);
}

/** Plain Node, in a process of its own like the servers: node:http answering a fixed 200, no parsing, no signature, no store. */
async function plainNode(): Promise<{ child: ChildProcess; url: string }> {
  const script = `const body = '<GetUserResponse/>';
    const s = require('node:http').createServer((q, r) => { r.writeHead(200, { 'content-type': 'text/xml', 'content-length': body.length }); r.end(body); });
    s.listen(0, '127.0.0.1', () => console.log('listening on http://127.0.0.1:' + s.address().port + ' '));`;
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      const m = /listening on (http:\/\/\S+) /.exec(String(d));
      if (m) resolve(m[1]);
    });
    child.once('exit', (c) => reject(new Error(`plain server exited (${c})`)));
  });
  return { child, url };
}

/** CPU time the process has used in user space, in ms: /proc/PID/stat's utime, in clock ticks of 10 ms. */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return Number(fields[11]) * 10;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

async function main() {
  const dirs = { on: mkdtempSync(join(tmpdir(), 'iamlocal-bench-trail-on-')), off: mkdtempSync(join(tmpdir(), 'iamlocal-bench-trail-off-')) };
  const on = await startServer(dirs.on, 'on');
  const off = await startServer(dirs.off, 'off');
  const plain = await plainNode();
  try {
    const requests = { on: await getUserRequest(on.url), off: await getUserRequest(off.url) };
    const results: Record<'on' | 'off', LoadResult[]> = { on: [], off: [] };
    // Server CPU per request: unlike req/s, it does not depend on what else the machine runs.
    const cpuPerRequest: Record<'on' | 'off', number[]> = { on: [], off: [] };
    for (const which of ['on', 'off'] as const) {
      const url = which === 'on' ? on.url : off.url;
      await drive(url, [requests[which]], { total: 2000, concurrency: CONCURRENCY, maxSeconds: 2 }); // warm up
    }
    for (let round = 0; round < ROUNDS; round++) {
      // Alternate which goes first, so neither always gets the fresher machine.
      const order = round % 2 === 0 ? (['off', 'on'] as const) : (['on', 'off'] as const);
      for (const which of order) {
        const server = which === 'on' ? on : off;
        const cpu0 = cpuMs(server.child.pid!);
        const r = await drive(server.url, [requests[which]], { total: 10_000_000, concurrency: CONCURRENCY, maxSeconds: SECONDS });
        // Events still waiting are written within 100 ms: let the recording server's last flush count too.
        await new Promise((res) => setTimeout(res, 250));
        const perRequest = (1000 * (cpuMs(server.child.pid!) - cpu0)) / r.requests;
        results[which].push(r);
        cpuPerRequest[which].push(perRequest);
        console.log(`${formatResult(`round ${round + 1}: GetUser, CloudTrail ${which}`, r)}   server CPU ${perRequest.toFixed(0)} µs/request`);
      }
    }
    const baseline = await drive(plain.url, [{ method: 'GET', path: '/', headers: { host: '127.0.0.1' } }], { total: 10_000_000, concurrency: CONCURRENCY, maxSeconds: SECONDS });
    console.log(formatResult('plain Node http, fixed 200 (load generator ceiling)', baseline));
    const rpsOn = median(results.on.map((r) => r.rps));
    const rpsOff = median(results.off.map((r) => r.rps));
    const overhead = (100 * (rpsOff - rpsOn)) / rpsOff;
    const cpuOn = median(cpuPerRequest.on);
    const cpuOff = median(cpuPerRequest.off);
    console.log(`GetUser req/s (median of ${ROUNDS}): recording off ${rpsOff.toFixed(0)}, on ${rpsOn.toFixed(0)}: ${overhead.toFixed(1)}% fewer (target ≤ 10%); plain Node ${baseline.rps.toFixed(0)}`);
    console.log(`server CPU per GetUser (median of ${ROUNDS}): recording off ${cpuOff.toFixed(0)} µs, on ${cpuOn.toFixed(0)} µs: +${(100 * (cpuOn - cpuOff) / cpuOff).toFixed(1)}%`);
  } finally {
    for (const s of [on, off]) {
      s.child.kill('SIGTERM');
      await new Promise((r) => s.child.once('exit', r));
    }
    // What the recording server kept (it writes out what it holds as it stops); the other kept nothing.
    const count = (dir: string) => {
      if (!existsSync(join(dir, 'cloudtrail.db'))) return 0;
      const db = new Database(join(dir, 'cloudtrail.db'), { readonly: true });
      try {
        return db.prepare('SELECT count(*) FROM cloudtrail_events').pluck().get() as number;
      } finally {
        db.close();
      }
    };
    console.log(`events recorded: on ${count(dirs.on)}, off ${count(dirs.off)} (retention: the newest 100,000)`);
    plain.child.kill('SIGTERM');
    rmSync(dirs.on, { recursive: true, force: true });
    rmSync(dirs.off, { recursive: true, force: true });
  }
}

main().catch((e) => { console.error(e); process.exitCode = 1; });

/**
 * CloudTrail recording overhead: GetUser req/s (an IAM user, policy-checked) on a server
 * recording every request (IAMLOCAL_CLOUDTRAIL=on, the default) and on one that records
 * nothing (off), in the same run, rounds alternated so both see the same machine; next to
 * a plain Node HTTP server (the ceiling of this load generator). See lib/overhead.ts.
 * Also reports the events the recording server kept, to show it recorded them.
 *   node dist/bench/trail.js [--seconds 2] [--concurrency 32] [--rounds 20] [--control]
 */
import type { ChildProcess } from 'node:child_process';
import Database from 'better-sqlite3';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { Store } from '../src/store/store.js';
import type { Principal } from '../src/identity/principal.js';
import { closeRecorder, flushEvents, recorderFor, type CallFacts } from '../src/services/cloudtrail/recorder.js';
import type { PreparedRequest } from './lib/loadgen.js';
import { compareOverhead, type Side } from './lib/overhead.js';
import { spawnListening, stop } from './lib/children.js';
import { presignQuery, type Creds } from './lib/sign.js';

const arg = (name: string, dflt: number) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const SECONDS = arg('--seconds', 2);
const CONCURRENCY = arg('--concurrency', 32);
const ROUNDS = arg('--rounds', 20);
const CONTROL = process.argv.includes('--control');
const cli = new URL('../iamlocal.js', import.meta.url).pathname;
const root: Creds = { accessKeyId: 'AKIABENCHROOTKEY0000', secretAccessKey: 'benchRootSecret000000000000000000000000x' };

/** A server on `dataDir`, recording or not; IAMLOCAL_BENCH_NODE_FLAGS (e.g. --cpu-prof) lets it be profiled under load. */
function startServer(dataDir: string, cloudtrail: 'on' | 'off'): Promise<{ child: ChildProcess; url: string }> {
  const nodeFlags = process.env.IAMLOCAL_BENCH_NODE_FLAGS?.split(' ').filter(Boolean) ?? [];
  return spawnListening(
    [...nodeFlags, cli, 'start', '--port', '0', '--data-dir', dataDir, '--log-format', 'none', '--cloudtrail', cloudtrail],
    { ...process.env, IAMLOCAL_ROOT_ACCESS_KEY_ID: root.accessKeyId, IAMLOCAL_ROOT_SECRET_ACCESS_KEY: root.secretAccessKey },
  );
}

async function call(url: string, r: PreparedRequest): Promise<string> {
  const res = await fetch(url + r.path, { method: r.method, headers: r.headers, body: r.body });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`setup call failed: ${res.status} ${text}`);
  return text;
}

/** A user allowed to read IAM, with its own key: the key that signs the GetUser requests. */
async function benchUser(url: string): Promise<Creds> {
  await call(url, await presignQuery(url, 'iam', { Action: 'CreateUser', UserName: 'bench' }, root));
  await call(url, await presignQuery(url, 'iam', {
    Action: 'PutUserPolicy', UserName: 'bench', PolicyName: 'read',
    PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['iam:Get*', 'iam:List*'], Resource: '*' }] }),
  }, root));
  const xml = await call(url, await presignQuery(url, 'iam', { Action: 'CreateAccessKey', UserName: 'bench' }, root));
  return { accessKeyId: /<AccessKeyId>([^<]+)/.exec(xml)![1], secretAccessKey: /<SecretAccessKey>([^<]+)/.exec(xml)![1] };
}

/** One side of the comparison: a server on its own data directory, restartable (the user and its key stay in the store). */
async function serverSide(name: string, dataDir: string, cloudtrail: 'on' | 'off'): Promise<Side & { stop: () => Promise<void> }> {
  let server = await startServer(dataDir, cloudtrail);
  const user = await benchUser(server.url);
  const side = {
    name, url: server.url, pid: server.child.pid!, requests: [await presignQuery(server.url, 'iam', { Action: 'GetUser', UserName: 'bench' }, user)],
    stop: () => stop(server.child),
    restart: async () => {
      await side.stop();
      server = await startServer(dataDir, cloudtrail);
      side.url = server.url;
      side.pid = server.child.pid!;
      side.requests = [await presignQuery(server.url, 'iam', { Action: 'GetUser', UserName: 'bench' }, user)];
    },
  };
  return side;
}

/** This process's main thread's CPU time (user + system) in µs, from /proc (clock ticks of 10 ms). */
function mainThreadCpuUs(): number {
  const stat = readFileSync(`/proc/${process.pid}/task/${process.pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(') ') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10_000;
}

/**
 * The recorder alone, in this process: synthetic GetUser facts pushed through it as the
 * server's record step pushes them. Unlike req/s this hardly moves with other load: the
 * request path's share (computing the events, handing batches to the writer thread) and
 * the writer thread's (SQLite), per event.
 */

async function recorderAlone(events: number): Promise<{ pathUs: number; totalUs: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'iamlocal-bench-recorder-'));
  const store = new Store(dir);
  try {
    const principal: Principal = {
      type: 'user', accountId: '000000000000', arn: 'arn:aws:iam::000000000000:user/bench', userId: 'AIDABENCHUSER0000000', userName: 'bench',
      accessKeyId: 'AKIABENCHUSERKEY0000', tags: {},
    };
    const recorder = recorderFor(store);
    const cpu0 = process.cpuUsage();
    const main0 = mainThreadCpuUs();
    for (let i = 0; i < events; i++) {
      const facts: CallFacts = {
        principal, service: 'iam', operation: 'GetUser', region: 'us-east-1', sourceIp: '127.0.0.1', userAgent: 'aws-sdk-js/3.0 ua/2.1 os/linux lang/js md/nodejs#20',
        input: { UserName: 'bench' }, output: { User: { UserName: 'bench', Arn: principal.arn, UserId: principal.userId, Path: '/', CreateDate: new Date() } },
        time: Date.now(), requestId: randomUUID(), recipientAccountId: '000000000000', authz: [['iam:GetUser', principal.arn]], resource: principal.arn,
      };
      recorder.push(facts);
      if (i % 500 === 499) await new Promise((r) => setImmediate(r)); // let the hand-over timer and the writer run, as a server's event loop does
    }
    const main = mainThreadCpuUs() - main0;
    flushEvents(store);
    const cpu = process.cpuUsage(cpu0);
    return { pathUs: main / events, totalUs: (cpu.user + cpu.system) / events };
  } finally {
    closeRecorder(store);
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main() {
  const alone = await recorderAlone(100_000);
  console.log(`recorder alone, CPU per GetUser event: ${alone.pathUs.toFixed(1)} µs in the server's thread (event computed, handed over), ${alone.totalUs.toFixed(1)} µs with the writer thread's (both with making the test's facts)`);
  const dirs = { on: mkdtempSync(join(tmpdir(), 'iamlocal-bench-trail-on-')), off: mkdtempSync(join(tmpdir(), 'iamlocal-bench-trail-off-')) };
  const off = await serverSide('GetUser, CloudTrail off', dirs.off, 'off');
  // --control: the "with" side records nothing either: what the comparison shows when there is no difference (its noise).
  const on = CONTROL ? await serverSide('GetUser, CloudTrail off (control)', dirs.on, 'off') : await serverSide('GetUser, CloudTrail on', dirs.on, 'on');
  try {
    await compareOverhead(off, on, { rounds: ROUNDS, seconds: SECONDS, concurrency: CONCURRENCY, feature: 'CloudTrail recording', targetPercent: 10 },
      // Events are handed to the writer thread within 100 ms: its work counts too.
      250,
    );
  } finally {
    await on.stop();
    await off.stop();
    // What the recording server kept (it writes out what it holds as it stops); the other kept nothing.
    const count = (dir: string) => {
      if (!existsSync(join(dir, 'cloudtrail.db'))) return 0;
      const db = new Database(join(dir, 'cloudtrail.db'), { readonly: true });
      try {
        // Events above the retention floor (a block's oldest may be below it).
        return db.prepare('SELECT coalesce(sum(min(count, first_seq + count - 1 - floor_seq)), 0) FROM cloudtrail_blocks, cloudtrail_log').pluck().get() as number;
      } finally {
        db.close();
      }
    };
    console.log(`  events recorded: on ${count(dirs.on)}, off ${count(dirs.off)} (retention: the newest 100,000)`);
    rmSync(dirs.on, { recursive: true, force: true });
    rmSync(dirs.off, { recursive: true, force: true });
  }
}

main().catch((e) => { console.error(e); process.exitCode = 1; });

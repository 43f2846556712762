/**
 * Server benchmark: a real `iamlocal start` child process on loopback, driven with
 * pre-signed requests from this process (boto3 tops out near 300 req/s, far below us).
 * Prints req/s and p50/p99 per call, cold-start time and idle RSS.
 *   node dist/bench/server.js [--seconds 5] [--concurrency 32]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { drive, formatResult, type PreparedRequest } from './lib/loadgen.js';
import { presignQuery, type Creds } from './lib/sign.js';

const arg = (name: string, dflt: number) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const SECONDS = arg('--seconds', 5);
const CONCURRENCY = arg('--concurrency', 32);
const cli = new URL('../src/cli/main.js', import.meta.url).pathname;
const root: Creds = { accessKeyId: 'AKIABENCHROOTKEY0000', secretAccessKey: 'benchRootSecret000000000000000000000000x' };

async function startServer(dataDir: string, port: number): Promise<{ child: ChildProcess; ms: number }> {
  const t0 = performance.now();
  // IAMLOCAL_BENCH_NODE_FLAGS (e.g. --cpu-prof) lets the server process be profiled under load.
  const nodeFlags = process.env.IAMLOCAL_BENCH_NODE_FLAGS?.split(' ').filter(Boolean) ?? [];
  const child = spawn(process.execPath, [...nodeFlags, cli, 'start', '--port', String(port), '--data-dir', dataDir, '--log-format', 'none'], {
    env: { ...process.env, IAMLOCAL_ROOT_ACCESS_KEY_ID: root.accessKeyId, IAMLOCAL_ROOT_SECRET_ACCESS_KEY: root.secretAccessKey },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => { if (d.toString().includes('listening on')) resolve(); });
    child.once('exit', (c) => reject(new Error(`server exited (${c})`)));
  });
  return { child, ms: performance.now() - t0 };
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

async function main() {
  const dataDir = mkdtempSync(join(tmpdir(), 'iamlocal-bench-'));
  const port = 47000 + Math.floor(Math.random() * 1000);
  const url = `http://127.0.0.1:${port}`;
  const { child, ms } = await startServer(dataDir, port);
  try {
    await new Promise((r) => setTimeout(r, 300));
    const idle = rssMb(child.pid!);
    console.log(`cold start (spawn → listening, fresh data dir)    ${ms.toFixed(0)} ms`);
    console.log(`idle RSS                                          ${idle.toFixed(1)} MB`);

    // A user with a policy that allows what it calls, and its own key.
    await call(url, await presignQuery(url, 'iam', { Action: 'CreateUser', UserName: 'bench' }, root));
    await call(url, await presignQuery(url, 'iam', {
      Action: 'PutUserPolicy', UserName: 'bench', PolicyName: 'read',
      PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['iam:Get*', 'iam:List*'], Resource: '*' }] }),
    }, root));
    const keyXml = await call(url, await presignQuery(url, 'iam', { Action: 'CreateAccessKey', UserName: 'bench' }, root));
    const user: Creds = { accessKeyId: /<AccessKeyId>([^<]+)/.exec(keyXml)![1], secretAccessKey: /<SecretAccessKey>([^<]+)/.exec(keyXml)![1] };

    const total = 1_000_000;
    const run = async (name: string, reqs: PreparedRequest[], n = total) => {
      await drive(url, reqs, { total: Math.min(n, 500), concurrency: CONCURRENCY, maxSeconds: 2 }); // warm up
      console.log(formatResult(name, await drive(url, reqs, { total: n, concurrency: CONCURRENCY, maxSeconds: SECONDS })));
    };
    await run('GetCallerIdentity (IAM user, enforce)', [await presignQuery(url, 'sts', { Action: 'GetCallerIdentity' }, user)]);
    await run('GetUser (IAM user, policy-checked)', [await presignQuery(url, 'iam', { Action: 'GetUser', UserName: 'bench' }, user)]);

    // A role the user may assume, and a call signed with the session's temporary credentials.
    const roleArn = 'arn:aws:iam::000000000000:role/bench-role';
    await call(url, await presignQuery(url, 'iam', {
      Action: 'CreateRole', RoleName: 'bench-role',
      AssumeRolePolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::000000000000:root' }, Action: 'sts:AssumeRole' }] }),
    }, root));
    await call(url, await presignQuery(url, 'iam', {
      Action: 'PutRolePolicy', RoleName: 'bench-role', PolicyName: 'read',
      PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['iam:Get*', 'iam:List*'], Resource: '*' }] }),
    }, root));
    await call(url, await presignQuery(url, 'iam', {
      Action: 'PutUserPolicy', UserName: 'bench', PolicyName: 'assume',
      PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: roleArn }] }),
    }, root));
    const assume = await presignQuery(url, 'sts', { Action: 'AssumeRole', RoleArn: roleArn, RoleSessionName: 'bench' }, user);
    await run('AssumeRole (IAM user → role, one transaction each)', [assume], 50_000);
    const sessionXml = await call(url, assume);
    const session: Creds = {
      accessKeyId: /<AccessKeyId>([^<]+)/.exec(sessionXml)![1],
      secretAccessKey: /<SecretAccessKey>([^<]+)/.exec(sessionXml)![1],
      sessionToken: /<SessionToken>([^<]+)/.exec(sessionXml)![1],
    };
    await run('GetRole (role session credentials, policy-checked)', [await presignQuery(url, 'iam', { Action: 'GetRole', RoleName: 'bench-role' }, session)]);

    const creates: PreparedRequest[] = [];
    const nCreate = 20_000;
    for (let i = 0; i < nCreate; i++) creates.push(await presignQuery(url, 'iam', { Action: 'CreateUser', UserName: `c${i}` }, root));
    console.log(formatResult('CreateUser (root, one transaction each)', await drive(url, creates, { total: nCreate, concurrency: CONCURRENCY, maxSeconds: SECONDS })));
    console.log(`RSS after load                                    ${rssMb(child.pid!).toFixed(1)} MB`);
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((e) => { console.error(e); process.exitCode = 1; });

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
// What `npm start` runs: the bundled command.
const cli = new URL('../iamlocal.js', import.meta.url).pathname;
const root: Creds = { accessKeyId: 'AKIABENCHROOTKEY0000', secretAccessKey: 'benchRootSecret000000000000000000000000x' };

/** Starts the server on `--port 0` (the kernel picks a free port) and reads back the URL it prints. */
async function startServer(dataDir: string): Promise<{ child: ChildProcess; url: string; ms: number }> {
  const t0 = performance.now();
  // IAMLOCAL_BENCH_NODE_FLAGS (e.g. --cpu-prof) lets the server process be profiled under load.
  const nodeFlags = process.env.IAMLOCAL_BENCH_NODE_FLAGS?.split(' ').filter(Boolean) ?? [];
  const child = spawn(process.execPath, [...nodeFlags, cli, 'start', '--port', '0', '--data-dir', dataDir, '--log-format', 'none'], {
    // AWS's quota is 5,000 users; raised (as Service Quotas would) to list over 10,000.
    env: { ...process.env, IAMLOCAL_ROOT_ACCESS_KEY_ID: root.accessKeyId, IAMLOCAL_ROOT_SECRET_ACCESS_KEY: root.secretAccessKey, IAMLOCAL_QUOTAS: 'UsersPerAccount=20000' },
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
  return { child, url, ms: performance.now() - t0 };
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

/** Access keys out of a CreateAccessKey or AssumeRole response. */
function keysOf(xml: string): Creds {
  const token = /<SessionToken>([^<]+)/.exec(xml)?.[1];
  return {
    accessKeyId: /<AccessKeyId>([^<]+)/.exec(xml)![1],
    secretAccessKey: /<SecretAccessKey>([^<]+)/.exec(xml)![1],
    ...(token ? { sessionToken: token } : {}),
  };
}

let presignUrl = '';
async function presignMany(n: number, params: (i: number) => Record<string, string>): Promise<PreparedRequest[]> {
  const out: PreparedRequest[] = [];
  for (let i = 0; i < n; i++) out.push(await presignQuery(presignUrl, 'iam', params(i), root));
  return out;
}

/** Follows Marker from page to page, one request at a time, as a client listing everything does. */
async function walkPages(url: string, params: Record<string, string>, member: string): Promise<{ pages: number; items: number; ms: number }> {
  const t0 = performance.now();
  let pages = 0;
  let items = 0;
  let marker: string | undefined;
  do {
    const xml = await call(url, await presignQuery(url, 'iam', marker ? { ...params, Marker: marker } : params, root));
    pages++;
    const list = new RegExp(`<${member}>([\\s\\S]*?)</${member}>`).exec(xml)?.[1] ?? '';
    items += list.split('<member>').length - 1 - (list.match(/<member>\s*<member>/g)?.length ?? 0);
    marker = /<IsTruncated>true<\/IsTruncated>/.test(xml) ? /<Marker>([^<]+)<\/Marker>/.exec(xml)?.[1] : undefined;
  } while (marker);
  return { pages, items, ms: performance.now() - t0 };
}

async function main() {
  const dataDir = mkdtempSync(join(tmpdir(), 'iamlocal-bench-'));
  const { child, url, ms } = await startServer(dataDir);
  presignUrl = url;
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
    const user = keysOf(keyXml);

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
    await run('AssumeRole (IAM user → role, a session written each)', [assume], 50_000);
    const sessionXml = await call(url, assume);
    const session = keysOf(sessionXml);
    await run('GetRole (role session credentials, policy-checked)', [await presignQuery(url, 'iam', { Action: 'GetRole', RoleName: 'bench-role' }, session)]);

    // A user in 10 groups, each with 10 customer managed policies: 100 policies decide.
    for (let g = 0; g < 10; g++) {
      await call(url, await presignQuery(url, 'iam', { Action: 'CreateGroup', GroupName: `g${g}` }, root));
      for (let p = 0; p < 10; p++) {
        const name = `g${g}p${p}`;
        await call(url, await presignQuery(url, 'iam', {
          Action: 'CreatePolicy', PolicyName: name,
          PolicyDocument: JSON.stringify({
            Version: '2012-10-17',
            Statement: [
              { Sid: 'Read', Effect: 'Allow', Action: [`iam:Get${p}*`, 'iam:List*'], Resource: `arn:aws:iam::000000000000:user/team${g}/*` },
              { Sid: 'Region', Effect: 'Allow', Action: 'iam:GetUser', Resource: '*', Condition: { StringEquals: { 'aws:RequestedRegion': `ap-southeast-${p}` } } },
            ],
          }),
        }, root));
        await call(url, await presignQuery(url, 'iam', { Action: 'AttachGroupPolicy', GroupName: `g${g}`, PolicyArn: `arn:aws:iam::000000000000:policy/${name}` }, root));
      }
    }
    await call(url, await presignQuery(url, 'iam', { Action: 'CreateUser', UserName: 'wide' }, root));
    for (let g = 0; g < 10; g++) await call(url, await presignQuery(url, 'iam', { Action: 'AddUserToGroup', GroupName: `g${g}`, UserName: 'wide' }, root));
    // The one grant that lets it read itself sits in the last group's last policy.
    await call(url, await presignQuery(url, 'iam', {
      Action: 'CreatePolicyVersion', PolicyArn: 'arn:aws:iam::000000000000:policy/g9p9', SetAsDefault: 'true',
      PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iam:GetUser', Resource: 'arn:aws:iam::000000000000:user/wide' }] }),
    }, root));
    const wide = keysOf(await call(url, await presignQuery(url, 'iam', { Action: 'CreateAccessKey', UserName: 'wide' }, root)));
    await run('GetUser (user in 10 groups × 10 managed policies)', [await presignQuery(url, 'iam', { Action: 'GetUser', UserName: 'wide' }, wide)]);

    // 1,000 users, then GetAccountAuthorizationDetails over them.
    const first = await presignMany(1000, (i) => ({ Action: 'CreateUser', UserName: `a${String(i).padStart(4, '0')}` }));
    await drive(url, first, { total: first.length, concurrency: CONCURRENCY, maxSeconds: 60 });
    const details = await presignQuery(url, 'iam', { Action: 'GetAccountAuthorizationDetails', Filter: 'User' }, root);
    await run('GetAccountAuthorizationDetails, 1,000 users (page of 100)', [details], 20_000);
    const walk = await walkPages(url, { Action: 'GetAccountAuthorizationDetails', Filter: 'User' }, 'UserDetailList');
    console.log(`GetAccountAuthorizationDetails, 1,000 users: all ${walk.pages} pages in ${walk.ms.toFixed(0)} ms (${walk.items} users)`);

    // CreateUser until the account holds over 10,000 users, then ListUsers over them.
    const creates = await presignMany(11_000, (i) => ({ Action: 'CreateUser', UserName: `c${i}` }));
    console.log(formatResult('CreateUser (root, 32 writers sharing commits)', await drive(url, creates, { total: creates.length, concurrency: CONCURRENCY, maxSeconds: 60 })));
    await run('ListUsers over 12,000 users (page of 100)', [await presignQuery(url, 'iam', { Action: 'ListUsers' }, root)], 50_000);
    const listed = await walkPages(url, { Action: 'ListUsers' }, 'Users');
    console.log(`ListUsers over 12,000 users: all ${listed.pages} pages in ${listed.ms.toFixed(0)} ms (${(listed.pages / (listed.ms / 1000)).toFixed(0)} pages/s, ${listed.items} users)`);
    console.log(`RSS after load                                    ${rssMb(child.pid!).toFixed(1)} MB`);
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((e) => { console.error(e); process.exitCode = 1; });

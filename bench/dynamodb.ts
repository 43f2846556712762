/**
 * DynamoDB benchmark: a real `iamlocal start` (enforcement on) on loopback, driven with
 * requests signed by an IAM user whose inline policy allows the table, next to dynalite
 * (an in-memory DynamoDB emulator, started here in a child process of its own) and a
 * plain Node hello-world server, all running at once and measured in turns with the same
 * load generator (raw keep-alive sockets, one request in flight per connection):
 *   - GetItem and PutItem req/s (a PutItem is acknowledged once committed: it survives kill -9);
 *   - Query pages/s: pages of 100 items (Limit 100, ExclusiveStartKey spread over the
 *     partition) from one partition of 100,000 items.
 *   node dist/bench/dynamodb.js [--seconds 3] [--rounds 3] [--concurrency 16] [--items 100000] [--no-baselines] [--only GetItem,PutItem,Query]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { drive, formatResult, type LoadResult, type PreparedRequest } from './lib/loadgen.js';
import { cpuMs, systemCpuMs } from './lib/cpu-time.js';
import { presignDynamo, presignQuery, type Creds } from './lib/sign.js';

const arg = (name: string, dflt: number) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const SECONDS = arg('--seconds', 3);
const ROUNDS = arg('--rounds', 3);
const CONCURRENCY = arg('--concurrency', 16);
const ITEMS = arg('--items', 100_000);
const PAGE = 100;
/** --baselines no: iamlocal alone (profiling). */
const BASELINES = !process.argv.includes('--no-baselines');
/** --only GetItem (comma-separated operation names): measure just those (profiling one path). */
const ONLY = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1].split(',') : undefined;
const TABLE = 'bench';
const cli = new URL('../iamlocal.js', import.meta.url).pathname;
const root: Creds = { accessKeyId: 'AKIABENCHROOTKEY0000', secretAccessKey: 'benchRootSecret000000000000000000000000x' };

/** Starts a child process and reads the URL it prints. */
function startChild(args: string[], env: NodeJS.ProcessEnv, pattern: RegExp): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    // IAMLOCAL_BENCH_CHILD_OUT=FILE: the children's stdout kept (with --trace-gc in IAMLOCAL_BENCH_NODE_FLAGS, say).
    if (process.env.IAMLOCAL_BENCH_CHILD_OUT) child.stdout!.pipe(createWriteStream(process.env.IAMLOCAL_BENCH_CHILD_OUT, { flags: 'a' }));
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = pattern.exec(out);
      if (m) resolve({ child, url: m[1] });
    });
    child.once('exit', (c) => reject(new Error(`child exited (${c}): ${out}`)));
  });
}

const DYNALITE = `
const dynalite = require('dynalite')({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
dynalite.listen(0, '127.0.0.1', () => console.log('listening on http://127.0.0.1:' + dynalite.address().port));
`;
const HELLO = `
require('node:http').createServer((req, res) => { req.resume(); req.on('end', () => { res.setHeader('content-type', 'application/x-amz-json-1.0'); res.end('{}'); }); })
  .listen(0, '127.0.0.1', function () { console.log('listening on http://127.0.0.1:' + this.address().port); });
`;

async function call(url: string, r: PreparedRequest): Promise<string> {
  const res = await fetch(url + r.path, { method: r.method, headers: r.headers, body: r.body });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`setup call failed: ${res.status} ${text}`);
  return text;
}

/** An IAM user allowed the bench table, with an access key: every request is decided by its policy. */
async function benchUser(url: string): Promise<Creds> {
  const iam = async (params: Record<string, string>) => call(url, await presignQuery(url, 'iam', params, root));
  await iam({ Action: 'CreateUser', UserName: 'bench' });
  const policy = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'dynamodb:*', Resource: [`arn:aws:dynamodb:us-east-1:*:table/${TABLE}`, `arn:aws:dynamodb:us-east-1:*:table/${TABLE}/index/*`] }] };
  await iam({ Action: 'PutUserPolicy', UserName: 'bench', PolicyName: 'bench', PolicyDocument: JSON.stringify(policy) });
  const xml = await iam({ Action: 'CreateAccessKey', UserName: 'bench' });
  return { accessKeyId: /<AccessKeyId>([^<]+)/.exec(xml)![1], secretAccessKey: /<SecretAccessKey>([^<]+)/.exec(xml)![1] };
}

const sk = (i: number) => `item#${String(i).padStart(7, '0')}`;

/** The table, ITEMS items in partition "big" (loaded with BatchWriteItem), and 1,000 small items. */
async function load(url: string, creds: Creds): Promise<void> {
  await call(url, await presignDynamo(url, 'CreateTable', {
    TableName: TABLE, BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'S' }],
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
  }, creds));
  const batches: PreparedRequest[] = [];
  for (let i = 0; i < ITEMS; i += 25) {
    const puts = [];
    for (let j = i; j < Math.min(ITEMS, i + 25); j++) puts.push({ PutRequest: { Item: { pk: { S: 'big' }, sk: { S: sk(j) }, n: { N: String(j) }, data: { S: 'x'.repeat(100) } } } });
    batches.push(await presignDynamo(url, 'BatchWriteItem', { RequestItems: { [TABLE]: puts } }, creds));
  }
  const r = await drive(url, batches, { total: batches.length, concurrency: CONCURRENCY, maxSeconds: 300 });
  if (r.errors) throw new Error(`loading failed: ${r.firstError}`);
}

interface Workload { gets: PreparedRequest[]; puts: PreparedRequest[]; queries: PreparedRequest[] }

async function workload(url: string, creds: Creds): Promise<Workload> {
  const gets: PreparedRequest[] = [];
  const puts: PreparedRequest[] = [];
  const queries: PreparedRequest[] = [];
  for (let i = 0; i < 1000; i++) {
    const key = { pk: { S: `user#${i}` }, sk: { S: 'profile' } };
    puts.push(await presignDynamo(url, 'PutItem', { TableName: TABLE, Item: { ...key, name: { S: `user ${i}` }, age: { N: String(20 + (i % 50)) }, bio: { S: 'y'.repeat(200) } } }, creds));
    gets.push(await presignDynamo(url, 'GetItem', { TableName: TABLE, Key: key }, creds));
    const start = Math.floor((i * (ITEMS - PAGE)) / 1000);
    queries.push(await presignDynamo(url, 'Query', {
      TableName: TABLE, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': { S: 'big' } }, Limit: PAGE,
      ...(start > 0 ? { ExclusiveStartKey: { pk: { S: 'big' }, sk: { S: sk(start - 1) } } } : {}),
    }, creds));
  }
  return { gets, puts, queries };
}

/** One measurement: req/s and the server process's CPU time per request. */
interface Measured { r: LoadResult; cpuUs?: number; sysUs?: number }

async function measure(t: Target, reqs: PreparedRequest[]): Promise<Measured> {
  await drive(t.url, reqs, { total: 300, concurrency: CONCURRENCY, maxSeconds: 2 }); // warm up
  const cpu0 = cpuMs(t.pid);
  const sys0 = systemCpuMs(t.pid);
  const r = await drive(t.url, reqs, { total: 10_000_000, concurrency: CONCURRENCY, maxSeconds: SECONDS });
  const cpu1 = cpuMs(t.pid);
  const sys1 = systemCpuMs(t.pid);
  const perRequest = (a?: number, b?: number) => (a === undefined || b === undefined || !r.requests ? undefined : ((b - a) * 1000) / r.requests);
  return { r, cpuUs: perRequest(cpu0, cpu1), sysUs: perRequest(sys0, sys1) };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function describe(label: string, ms: Measured[]): string {
  const best = ms.reduce((a, b) => (b.r.rps > a.r.rps ? b : a));
  const cpus = ms.map((m) => m.cpuUs).filter((c): c is number => c !== undefined);
  const sys = ms.map((m) => m.sysUs).filter((c): c is number => c !== undefined);
  return formatResult(label, best.r) + (cpus.length ? `   CPU ${median(cpus).toFixed(0)} µs/req` : '') + (sys.length ? ` (kernel ${median(sys).toFixed(0)})` : '');
}

async function stop(child: ChildProcess): Promise<void> {
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
}

interface Target { name: string; url: string; pid?: number; w: Workload }

async function main() {
  // All three servers run side by side (each in its own process) and are measured in
  // turns, operation by operation, so a change in the machine's load hits them alike.
  const dataDir = mkdtempSync(join(tmpdir(), 'iamlocal-bench-ddb-'));
  // IAMLOCAL_BENCH_NODE_FLAGS (e.g. --cpu-prof) lets the server process be profiled under load.
  const nodeFlags = process.env.IAMLOCAL_BENCH_NODE_FLAGS?.split(' ').filter(Boolean) ?? [];
  const children: ChildProcess[] = [];
  try {
    const iamlocal = await startChild([...nodeFlags, cli, 'start', '--port', '0', '--data-dir', dataDir, '--log-format', 'none', '--auth', 'enforce'],
      { IAMLOCAL_ROOT_ACCESS_KEY_ID: root.accessKeyId, IAMLOCAL_ROOT_SECRET_ACCESS_KEY: root.secretAccessKey }, /listening on (http:\/\/\S+)/);
    children.push(iamlocal.child);
    const targets: Target[] = [];
    const prepare = async (name: string, url: string, pid: number | undefined, creds: Creds) => {
      const t0 = performance.now();
      await load(url, creds);
      console.log(`${name}: ${ITEMS} items loaded with BatchWriteItem in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
      const w = await workload(url, creds);
      await drive(url, w.puts, { total: w.puts.length, concurrency: CONCURRENCY, maxSeconds: 60 });
      targets.push({ name, url, pid, w });
    };
    await prepare('iamlocal', iamlocal.url, iamlocal.child.pid, await benchUser(iamlocal.url));
    let hello: Target | undefined;
    if (BASELINES) {
      const dynalite = await startChild(['-e', DYNALITE], { NODE_PATH: new URL('../../node_modules', import.meta.url).pathname }, /listening on (http:\/\/\S+)/);
      children.push(dynalite.child);
      await prepare('dynalite', dynalite.url, dynalite.child.pid, { accessKeyId: 'AKIAANYTHING', secretAccessKey: 'anything' });
      const plain = await startChild(['-e', HELLO], {}, /listening on (http:\/\/\S+)/);
      children.push(plain.child);
      hello = { name: 'hello', url: plain.url, pid: plain.child.pid, w: await workload(plain.url, root) };
    }
    console.log('');
    console.log(`${CONCURRENCY} connections, ${ROUNDS} rounds of ${SECONDS} s each, servers measured in turns within a round; iamlocal with enforcement on (IAM user, signed requests), PutItem durable`);
    console.log('req/s: the best round; ratio: the median of the rounds\' ratios; CPU: the server process\'s CPU time per request (median of the rounds), steadier than req/s on a shared machine');
    const ops: Array<[string, keyof Workload]> = [['GetItem', 'gets'], ['PutItem', 'puts'], [`Query, pages of ${PAGE} of ${ITEMS}`, 'queries']];
    for (const [label, op] of ops) {
      if (ONLY && !ONLY.includes(label.split(',')[0])) continue;
      const runs: Record<string, Measured[]> = {};
      for (let round = 0; round < ROUNDS; round++) for (const t of targets) (runs[t.name] ??= []).push(await measure(t, t.w[op]));
      const ratio = runs.dynalite ? median(runs.iamlocal.map((m, i) => m.r.rps / runs.dynalite[i].r.rps)) : undefined;
      console.log(describe(`${label} iamlocal`, runs.iamlocal));
      if (runs.dynalite) console.log(describe(`${label} dynalite`, runs.dynalite) + `   → iamlocal ${ratio!.toFixed(2)}× (rounds: ${runs.iamlocal.map((m, i) => (m.r.rps / runs.dynalite[i].r.rps).toFixed(2)).join(', ')})`);
      for (const [name, ms] of Object.entries(runs)) for (const m of ms) if (m.r.errors) console.log(`  ${name}: ${m.r.errors} errors (${m.r.firstError})`);
    }
    if (hello) console.log(describe('plain Node hello-world (GetItem requests)', [await measure(hello, hello.w.gets)]));
  } finally {
    for (const child of children) await stop(child);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((e) => { console.error(e); process.exitCode = 1; });

/**
 * EC2 benchmark: DescribeInstances over 1,000 instances, against a real `iamlocal start`
 * (enforcement on, the caller an IAM user whose policy is evaluated on every request),
 * driven with pre-signed requests over raw keep-alive sockets. Prints req/s and ms per
 * page for a whole page of 1,000, pages of 100, and a tag filter matching one instance,
 * next to a plain Node HTTP server answering the same 1,000-instance XML from memory in
 * the same run (the floor: HTTP and bytes, no work).
 *   node dist/bench/ec2.js [--seconds 5] [--concurrency 16] [--instances 1000] [--cpu-prof DIR]
 * (--cpu-prof: the server writes a V8 CPU profile into DIR when it stops.)
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SignatureV4 } from '@smithy/signature-v4';
import { HttpRequest } from '@smithy/protocol-http';
import { Sha256 } from '@aws-crypto/sha256-js';
import { EC2Client, RunInstancesCommand, DescribeImagesCommand } from '@aws-sdk/client-ec2';
import { IAMClient, CreateUserCommand, PutUserPolicyCommand, CreateAccessKeyCommand } from '@aws-sdk/client-iam';
import { drive, formatResult, type PreparedRequest } from './lib/loadgen.js';
import type { Creds } from './lib/sign.js';

const arg = (name: string, dflt: number) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const SECONDS = arg('--seconds', 5);
const CONCURRENCY = arg('--concurrency', 16);
const INSTANCES = arg('--instances', 1000);
const PROFILE_DIR = process.argv.includes('--cpu-prof') ? process.argv[process.argv.indexOf('--cpu-prof') + 1] : undefined;
const cli = new URL('../iamlocal.js', import.meta.url).pathname;
const root: Creds = { accessKeyId: 'AKIABENCHROOTKEY0000', secretAccessKey: 'benchRootSecret000000000000000000000000x' };

function listen(child: ChildProcess): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) resolve(m[1]);
    });
    child.once('exit', (c) => reject(new Error(`server exited (${c})`)));
  });
}

async function startServer(dataDir: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [...(PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${PROFILE_DIR}`] : []), cli, 'start', '--port', '0', '--data-dir', dataDir, '--log-format', 'none', '--auth', 'enforce'], {
    env: { ...process.env, IAMLOCAL_ROOT_ACCESS_KEY_ID: root.accessKeyId, IAMLOCAL_ROOT_SECRET_ACCESS_KEY: root.secretAccessKey },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return { child, url: await listen(child) };
}

/** The baseline: node:http answering a fixed body, in a process of its own like the server. */
async function startPlainServer(bodyFile: string): Promise<{ child: ChildProcess; url: string }> {
  const code = `
    const body = require('fs').readFileSync(${JSON.stringify(bodyFile)});
    const server = require('http').createServer((req, res) => {
      req.resume();
      req.on('end', () => { res.writeHead(200, { 'content-type': 'text/xml;charset=UTF-8', 'content-length': body.length }); res.end(body); });
    });
    server.keepAliveTimeout = 60000;
    server.listen(0, '127.0.0.1', () => console.log('listening on http://127.0.0.1:' + server.address().port + ' '));`;
  const child = spawn(process.execPath, ['-e', code], { stdio: ['ignore', 'pipe', 'inherit'] });
  return { child, url: await listen(child) };
}

/** An EC2 query-protocol call, signed ahead of time so the load generator only replays bytes. */
async function presignEc2(url: string, params: Record<string, string>, creds: Creds): Promise<PreparedRequest> {
  const u = new URL(url);
  const body = new URLSearchParams({ Version: '2016-11-15', ...params }).toString();
  const signer = new SignatureV4({ service: 'ec2', region: 'us-east-1', credentials: creds, sha256: Sha256 });
  const signed = await signer.sign(new HttpRequest({
    method: 'POST', protocol: 'http:', hostname: u.hostname, port: Number(u.port), path: '/',
    headers: { host: u.host, 'content-type': 'application/x-www-form-urlencoded; charset=utf-8', 'content-length': String(Buffer.byteLength(body)) },
    body,
  }));
  return { method: 'POST', path: '/', headers: signed.headers as Record<string, string>, body };
}

async function timed(url: string, req: PreparedRequest): Promise<{ ms: number; text: string }> {
  const t0 = performance.now();
  const res = await fetch(url + req.path, { method: req.method, headers: req.headers, body: req.body });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`${res.status} ${text.slice(0, 300)}`);
  return { ms: performance.now() - t0, text };
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'iamlocal-bench-ec2-'));
  const { child, url } = await startServer(dataDir);
  let plain: ChildProcess | undefined;
  try {
    const config = { endpoint: url, region: 'us-east-1', credentials: root, maxAttempts: 1 };
    const ec2 = new EC2Client(config);
    const image = (await ec2.send(new DescribeImagesCommand({ Filters: [{ Name: 'name', Values: ['al2023-*-x86_64'] }] }))).Images![0].ImageId!;
    const t0 = performance.now();
    for (let launched = 0; launched < INSTANCES; launched += 100) {
      const n = Math.min(100, INSTANCES - launched);
      await ec2.send(new RunInstancesCommand({
        ImageId: image, InstanceType: 't3.micro', MinCount: n, MaxCount: n,
        TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'Name', Value: `web-${launched / 100}` }, { Key: 'team', Value: launched % 200 ? 'blue' : 'red' }] }],
      }));
    }
    console.log(`launched ${INSTANCES} instances in ${((performance.now() - t0) / 1000).toFixed(1)} s (RunInstances of 100)`);
    const iam = new IAMClient(config);
    await iam.send(new CreateUserCommand({ UserName: 'bench' }));
    await iam.send(new PutUserPolicyCommand({ UserName: 'bench', PolicyName: 'describe', PolicyDocument: JSON.stringify({
      Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'ec2:Describe*', Resource: '*', Condition: { StringEquals: { 'ec2:Region': 'us-east-1' } } }],
    }) }));
    const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: 'bench' }));
    const user: Creds = { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! };
    await new Promise((r) => setTimeout(r, 2200)); // pending → running

    const whole = await presignEc2(url, { Action: 'DescribeInstances', MaxResults: '1000' }, user);
    const page100 = await presignEc2(url, { Action: 'DescribeInstances', MaxResults: '100' }, user);
    const filtered = await presignEc2(url, { Action: 'DescribeInstances', 'Filter.1.Name': 'tag:Name', 'Filter.1.Value.1': 'web-3', 'Filter.2.Name': 'instance-state-name', 'Filter.2.Value.1': 'running' }, user);
    const first = await timed(url, whole);
    const count = (first.text.match(/<instanceId>/g) ?? []).length;
    if (count !== INSTANCES) throw new Error(`expected ${INSTANCES} instances in the page, got ${count}`);
    const bodyFile = join(dataDir, 'page.xml');
    writeFileSync(bodyFile, first.text);
    console.log(`one page of ${count} instances: ${(first.text.length / 1024).toFixed(0)} KiB of XML; first request (cold) ${first.ms.toFixed(1)} ms`);

    const total = 1_000_000;
    const results: string[] = [];
    const rWhole = await drive(url, [whole], { total, concurrency: CONCURRENCY, maxSeconds: SECONDS });
    results.push(formatResult(`iamlocal DescribeInstances, page of ${INSTANCES}`, rWhole));
    const r100 = await drive(url, [page100], { total, concurrency: CONCURRENCY, maxSeconds: SECONDS });
    results.push(formatResult('iamlocal DescribeInstances, page of 100', r100));
    const rFilter = await drive(url, [filtered], { total, concurrency: CONCURRENCY, maxSeconds: SECONDS });
    results.push(formatResult('iamlocal DescribeInstances, tag filter (100 match)', rFilter));
    const single = await drive(url, [whole], { total: 50, concurrency: 1, maxSeconds: SECONDS });
    results.push(`iamlocal DescribeInstances, page of ${INSTANCES}, one client: p50 ${single.p50.toFixed(2)} ms per page`);

    const base = await startPlainServer(bodyFile);
    plain = base.child;
    const rPlain = await drive(base.url, [whole], { total, concurrency: CONCURRENCY, maxSeconds: SECONDS });
    results.push(formatResult(`baseline: plain node:http, same ${(first.text.length / 1024).toFixed(0)} KiB body`, rPlain));
    const plainSingle = await drive(base.url, [whole], { total: 50, concurrency: 1, maxSeconds: SECONDS });
    results.push(`baseline: plain node:http, one client: p50 ${plainSingle.p50.toFixed(2)} ms per page`);
    console.log(`\n${CONCURRENCY} connections, ${SECONDS} s each, enforcement on (an IAM user's policy decides every request):`);
    for (const line of results) console.log(line);
  } finally {
    child.kill('SIGTERM');
    plain?.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 300));
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});

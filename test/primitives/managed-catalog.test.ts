import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { managedCatalogFile, managedVersionsFile } from '../../src/identity/aws-managed-catalog.js';

const catalogFile = managedCatalogFile();
const repoRoot = dirname(dirname(catalogFile));
const buildScript = join(repoRoot, 'scripts', 'build-managed-policies.mjs');

function runBuild(): string {
  return execFileSync(process.execPath, [buildScript], { encoding: 'utf8' });
}

// Build first (idempotent), then import the catalogue fresh so the load is timed honestly.
test('build script writes the catalogue and is idempotent', () => {
  runBuild();
  assert.ok(existsSync(catalogFile));
  const first = readFileSync(catalogFile);
  const mtime = statSync(catalogFile).mtimeMs;
  const versions = readFileSync(managedVersionsFile());
  const versionsMtime = statSync(managedVersionsFile()).mtimeMs;
  const out = runBuild();
  assert.match(out, /unchanged/);
  assert.deepEqual(readFileSync(catalogFile), first);
  assert.equal(statSync(catalogFile).mtimeMs, mtime);
  assert.deepEqual(readFileSync(managedVersionsFile()), versions);
  assert.equal(statSync(managedVersionsFile()).mtimeMs, versionsMtime);
  // Minified: no pretty-print newlines, and far smaller than the 74 MB source.
  assert.ok(!first.includes('\n'));
  assert.ok(first.length < 8_000_000, `catalogue is ${first.length} bytes`);
});

// How fast it loads is the cold-start figure of bench/server.ts, not a timed test.
test('catalogue loads and looks every policy up by its ARN', async () => {
  const { awsManagedPolicy, listAwsManagedPolicies } = await import('../../src/identity/aws-managed-catalog.js');
  const all = listAwsManagedPolicies();
  assert.ok(all.length > 1000, `only ${all.length} policies`);
  for (const p of all) assert.equal(awsManagedPolicy(p.arn), p);
});

test('well-known policies exist with their real documents', async () => {
  const { awsManagedPolicy } = await import('../../src/identity/aws-managed-catalog.js');
  const names = [
    'AdministratorAccess', 'ReadOnlyAccess', 'PowerUserAccess', 'IAMFullAccess', 'AmazonS3FullAccess',
    'AmazonS3ReadOnlyAccess', 'AmazonDynamoDBFullAccess', 'AmazonEC2FullAccess', 'IAMReadOnlyAccess',
    'AmazonDynamoDBReadOnlyAccess', 'AmazonEC2ReadOnlyAccess', 'IAMUserChangePassword',
  ];
  for (const name of names) {
    const p = awsManagedPolicy(`arn:aws:iam::aws:policy/${name}`);
    assert.ok(p, `${name} missing`);
    assert.equal(p.name, name);
    assert.equal(p.path, '/');
    assert.match(p.policyId, /^ANPA[A-Z2-7]{17}$/);
    assert.match(p.defaultVersionId, /^v\d+$/);
    assert.ok(!Number.isNaN(Date.parse(p.createDate)) && !Number.isNaN(Date.parse(p.updateDate)));
    assert.ok(Date.parse(p.createDate) <= Date.parse(p.updateDate));
    assert.equal(JSON.parse(p.document).Version, '2012-10-17');
  }

  const admin = JSON.parse(awsManagedPolicy('arn:aws:iam::aws:policy/AdministratorAccess')!.document);
  assert.deepEqual(admin.Statement, [{ Effect: 'Allow', Action: '*', Resource: '*' }]);

  const s3Full = JSON.parse(awsManagedPolicy('arn:aws:iam::aws:policy/AmazonS3FullAccess')!.document);
  const s3Actions = s3Full.Statement.flatMap((s: { Action: string | string[] }) => [s.Action].flat());
  assert.ok(s3Actions.includes('s3:*'));
  assert.ok(s3Actions.includes('s3-object-lambda:*'));

  const s3Read = JSON.parse(awsManagedPolicy('arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess')!.document);
  const readActions = s3Read.Statement.flatMap((s: { Action: string | string[] }) => [s.Action].flat());
  assert.ok(readActions.includes('s3:Get*') && readActions.includes('s3:List*'));
  assert.ok(!readActions.includes('s3:*'));

  // PowerUserAccess: everything except IAM/Organizations/Account, through NotAction.
  const power = JSON.parse(awsManagedPolicy('arn:aws:iam::aws:policy/PowerUserAccess')!.document);
  assert.ok(power.Statement.some((s: { NotAction?: string[] }) => s.NotAction?.includes('iam:*')));
});

test('ARNs carry the policy path (service-role, aws-service-role, job-function)', async () => {
  const { awsManagedPolicy, listAwsManagedPolicies } = await import('../../src/identity/aws-managed-catalog.js');
  const lambdaBasic = awsManagedPolicy('arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole');
  assert.ok(lambdaBasic);
  assert.equal(lambdaBasic.path, '/service-role/');
  assert.equal(lambdaBasic.name, 'AWSLambdaBasicExecutionRole');
  assert.equal(awsManagedPolicy('arn:aws:iam::aws:policy/AWSLambdaBasicExecutionRole'), undefined);

  const dbAdmin = awsManagedPolicy('arn:aws:iam::aws:policy/job-function/DatabaseAdministrator');
  assert.equal(dbAdmin?.path, '/job-function/');

  const all = listAwsManagedPolicies();
  for (const p of all) {
    assert.equal(p.arn, `arn:aws:iam::aws:policy${p.path}${p.name}`);
  }
  assert.ok(all.some((p) => p.path === '/aws-service-role/'));
  assert.equal(awsManagedPolicy('arn:aws:iam::aws:policy/NoSuchPolicyAtAll'), undefined);
  assert.equal(awsManagedPolicy('arn:aws:iam::123456789012:policy/AdministratorAccess'), undefined);
});

test('list is sorted by name, PolicyIds are unique, entries are frozen', async () => {
  const { listAwsManagedPolicies } = await import('../../src/identity/aws-managed-catalog.js');
  const all = listAwsManagedPolicies();
  for (let i = 1; i < all.length; i++) assert.ok(all[i - 1].name < all[i].name, `${all[i - 1].name} !< ${all[i].name}`);
  assert.equal(new Set(all.map((p) => p.policyId)).size, all.length);
  assert.ok(Object.isFrozen(all) && Object.isFrozen(all[0]));
});

test('older versions: each policy\'s line of the versions file, newest first, none of them the default', async () => {
  const { awsManagedPolicy, awsManagedPolicyVersions, listAwsManagedPolicies } = await import('../../src/identity/aws-managed-catalog.js');
  // The versions file is valid JSON as a whole, keyed by ARN.
  const whole = JSON.parse(readFileSync(managedVersionsFile(), 'utf8')) as Record<string, unknown>;
  let withHistory = 0;
  for (const p of listAwsManagedPolicies()) {
    const versions = awsManagedPolicyVersions(p);
    assert.deepEqual(versions, whole[p.arn] ?? []);
    if (versions.length > 0) withHistory++;
    const numbers = versions.map((v) => Number(v.versionId.slice(1)));
    assert.deepEqual(numbers, [...numbers].sort((a, b) => b - a), p.name);
    assert.ok(!versions.some((v) => v.versionId === p.defaultVersionId), p.name);
    // versionsCount is there only where the data lacks versions AWS has.
    if (p.versionsCount !== undefined) assert.ok(p.versionsCount > versions.length + 1, p.name);
  }
  assert.ok(withHistory > 900, `only ${withHistory} policies with older versions`);
  const s3 = awsManagedPolicy('arn:aws:iam::aws:policy/AmazonS3FullAccess')!;
  assert.deepEqual(awsManagedPolicyVersions(s3).map((v) => v.versionId), ['v1']);
  assert.equal(awsManagedPolicyVersions(s3), awsManagedPolicyVersions(s3), 'read once');
});

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  AccessAnalyzerClient, ValidatePolicyCommand, CheckNoNewAccessCommand, CheckAccessNotGrantedCommand, CheckNoPublicAccessCommand,
  CreateAnalyzerCommand, GetAnalyzerCommand, ListAnalyzersCommand, DeleteAnalyzerCommand, ListFindingsCommand, GetFindingCommand,
  ListFindingsV2Command, StartPolicyGenerationCommand, GetGeneratedPolicyCommand, ListPolicyGenerationsCommand,
} from '@aws-sdk/client-accessanalyzer';
import {
  IAMClient, CreateRoleCommand, PutRolePolicyCommand, GetUserCommand, ListUsersCommand, CreateUserCommand, ListRolesCommand,
  UpdateAssumeRolePolicyCommand, TagUserCommand, GetRoleCommand, PutUserPolicyCommand, CreateAccessKeyCommand,
} from '@aws-sdk/client-iam';
import { STSClient, AssumeRoleCommand } from '@aws-sdk/client-sts';
import { S3Client, CreateBucketCommand, PutBucketPolicyCommand, PutPublicAccessBlockCommand, GetBucketPolicyCommand } from '@aws-sdk/client-s3';
import { clientConfig, startTestServer, type TestServer } from '../helpers/server.js';
import { doc, rejects } from '../helpers/aws.js';

let server: TestServer;
let account: string;

before(async () => {
  server = await startTestServer();
  account = server.app.config.accountId;
});
after(() => server.stop());

const aa = () => new AccessAnalyzerClient(clientConfig(server));
const iam = (creds = server.root) => new IAMClient(clientConfig(server, creds));
const s3 = (creds = server.root) => new S3Client({ ...clientConfig(server, creds), forcePathStyle: true });

const MAIN = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));

/** `iamlocal policy validate --json` on a policy text: its findings. */
function cliFindings(text: string, kind: string): unknown[] {
  const file = join(mkdtempSync(join(tmpdir(), 'iamlocal-aa-')), 'policy.json');
  writeFileSync(file, text);
  let out: string;
  try {
    out = execFileSync(process.execPath, [MAIN, 'policy', 'validate', file, '--kind', kind, '--json'], { encoding: 'utf8' });
  } catch (e) {
    out = (e as { stdout: string }).stdout; // exit status 1 when there is an ERROR finding
  }
  return (JSON.parse(out) as Array<{ findings: Array<Record<string, unknown>> }>)[0].findings.map(({ hint: _hint, ...f }) => f);
}

const RISKY = `{
  "Version": "2012-10-17",
  "Statement": [
    {"Effect": "Allow", "Action": ["s3:GetObject", "s3:GetObject", "s3:Get*"], "Resource": "arn:aws:s3:::bucket/*"},
    {"Effect": "Allow", "Action": "iam:PassRole", "Resource": "*"},
    {"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"},
    {"Effect": "Allow", "Action": "ec2:RunInstances", "Resource": "*", "Condition": {"StringEquals": {"aws:RequestedRegion": 12}}},
    {"Effect": "Allow", "Action": "s3:GetObjekt", "Resource": "arn:aws:s3:::bucket/*"}
  ]
}`;

test('ValidatePolicy answers with the findings `iamlocal policy validate` gives, in the API\'s shape', async () => {
  for (const [policyType, kind, text] of [
    ['IDENTITY_POLICY', 'identity', RISKY],
    ['IDENTITY_POLICY', 'identity', '{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:GetObject"'],
    ['RESOURCE_POLICY', 'resource', doc([{ Effect: 'Allow', Principal: '*', Action: ['s3:GetObject', 's3:GetObjekt'], Resource: 'arn:aws:s3:::b/*' }])],
    ['SERVICE_CONTROL_POLICY', 'scp', doc([{ Effect: 'Deny', Action: 'iam:DeleteRole', Resource: '*', Principal: '*' }])],
    ['RESOURCE_CONTROL_POLICY', 'rcp', doc([{ Effect: 'Deny', Action: ['s3:*', 's3:GetObjekt'], Resource: '*', Principal: '*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }])],
  ] as const) {
    const { findings } = await aa().send(new ValidatePolicyCommand({ policyDocument: text, policyType }));
    const expected = cliFindings(text, kind);
    assert.ok(expected.length > 0, `${policyType}: the CLI finds something`);
    assert.deepEqual(JSON.parse(JSON.stringify(findings)), expected, policyType);
  }
  const { findings } = await aa().send(new ValidatePolicyCommand({ policyDocument: RISKY, policyType: 'IDENTITY_POLICY' }));
  const types = new Set(findings!.map((f) => f.findingType));
  for (const t of ['ERROR', 'SECURITY_WARNING', 'SUGGESTION']) assert.ok(types.has(t as never), `has a ${t}`);
  const passRole = findings!.find((f) => f.issueCode === 'PASS_ROLE_WITH_STAR_IN_RESOURCE')!;
  assert.equal(passRole.findingType, 'SECURITY_WARNING');
  assert.match(passRole.learnMoreLink!, /^https:\/\/docs\.aws\.amazon\.com\/IAM\/latest\/UserGuide\//);
  assert.deepEqual(Object.keys(passRole.locations![0].span!.start!).sort(), ['column', 'line', 'offset']);
  // paging
  const first = await aa().send(new ValidatePolicyCommand({ policyDocument: RISKY, policyType: 'IDENTITY_POLICY', maxResults: 2 }));
  assert.equal(first.findings!.length, 2);
  const rest = await aa().send(new ValidatePolicyCommand({ policyDocument: RISKY, policyType: 'IDENTITY_POLICY', nextToken: first.nextToken }));
  assert.equal(first.findings!.length + rest.findings!.length, findings!.length);
});

test('CheckNoNewAccess: decided by the engine, with the statements that add access', async () => {
  const existing = doc([{ Effect: 'Allow', Action: ['s3:GetObject', 's3:ListBucket'], Resource: ['arn:aws:s3:::data', 'arn:aws:s3:::data/*'] }]);
  const narrower = doc([{ Sid: 'Read', Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::data/reports/*' }]);
  const pass = await aa().send(new CheckNoNewAccessCommand({ existingPolicyDocument: existing, newPolicyDocument: narrower, policyType: 'IDENTITY_POLICY' }));
  assert.equal(pass.result, 'PASS');
  assert.deepEqual(pass.reasons, []);
  const wider = doc([
    { Sid: 'Read', Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::data/*' },
    { Sid: 'Write', Effect: 'Allow', Action: 's3:Put*', Resource: 'arn:aws:s3:::data/*' },
  ]);
  const fail = await aa().send(new CheckNoNewAccessCommand({ existingPolicyDocument: existing, newPolicyDocument: wider, policyType: 'IDENTITY_POLICY' }));
  assert.equal(fail.result, 'FAIL');
  assert.deepEqual(fail.reasons!.map((r) => [r.statementIndex, r.statementId]), [[1, 'Write']]);
  // A deny in the existing policy makes the same allow new access.
  const denied = doc([{ Effect: 'Allow', Action: 's3:*', Resource: '*' }, { Effect: 'Deny', Action: 's3:DeleteObject', Resource: '*' }]);
  const all = await aa().send(new CheckNoNewAccessCommand({ existingPolicyDocument: denied, newPolicyDocument: doc([{ Effect: 'Allow', Action: 's3:*', Resource: '*' }]), policyType: 'IDENTITY_POLICY' }));
  assert.equal(all.result, 'FAIL');
  await rejects(aa().send(new CheckNoNewAccessCommand({ existingPolicyDocument: '{', newPolicyDocument: narrower, policyType: 'IDENTITY_POLICY' })), 'InvalidParameterException');
});

test('CheckAccessNotGranted: actions and resources', async () => {
  const policy = doc([
    { Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::data/*' },
    { Effect: 'Allow', Action: 'iam:*', Resource: '*' },
  ]);
  const granted = await aa().send(new CheckAccessNotGrantedCommand({ policyDocument: policy, policyType: 'IDENTITY_POLICY', access: [{ actions: ['iam:DeleteRole'] }] }));
  assert.equal(granted.result, 'FAIL');
  assert.deepEqual(granted.reasons!.map((r) => r.statementIndex), [1]);
  const notGranted = await aa().send(new CheckAccessNotGrantedCommand({ policyDocument: policy, policyType: 'IDENTITY_POLICY', access: [{ actions: ['s3:PutObject', 'dynamodb:DeleteTable'] }] }));
  assert.equal(notGranted.result, 'PASS');
  const resource = await aa().send(new CheckAccessNotGrantedCommand({ policyDocument: policy, policyType: 'IDENTITY_POLICY', access: [{ resources: ['arn:aws:s3:::data/secret.txt'] }] }));
  assert.equal(resource.result, 'FAIL');
  const other = await aa().send(new CheckAccessNotGrantedCommand({
    policyDocument: doc([{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::data/*' }]), policyType: 'IDENTITY_POLICY', access: [{ resources: ['arn:aws:s3:::other/x'] }],
  }));
  assert.equal(other.result, 'PASS');
});

test('CheckNoPublicAccess: a bucket policy open to everyone fails, one limited to an account passes', async () => {
  const open = await aa().send(new CheckNoPublicAccessCommand({
    policyDocument: doc([{ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::bucket/*' }]), resourceType: 'AWS::S3::Bucket',
  }));
  assert.equal(open.result, 'FAIL');
  const closed = await aa().send(new CheckNoPublicAccessCommand({
    policyDocument: doc([{ Effect: 'Allow', Principal: { AWS: '111122223333' }, Action: 's3:GetObject', Resource: 'arn:aws:s3:::bucket/*' }]), resourceType: 'AWS::S3::Bucket',
  }));
  assert.equal(closed.result, 'PASS');
  const conditioned = await aa().send(new CheckNoPublicAccessCommand({
    policyDocument: doc([{ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::bucket/*', Condition: { StringEquals: { 'aws:PrincipalAccount': '111122223333' } } }]),
    resourceType: 'AWS::S3::Bucket',
  }));
  assert.equal(conditioned.result, 'PASS');
});

test('an external-access analyzer finds roles trusted by other accounts and buckets shared outside, and follows changes', async () => {
  const created = await aa().send(new CreateAnalyzerCommand({ analyzerName: 'account-zone', type: 'ACCOUNT' }));
  assert.equal(created.arn, `arn:aws:access-analyzer:us-east-1:${account}:analyzer/account-zone`);
  await rejects(aa().send(new CreateAnalyzerCommand({ analyzerName: 'account-zone', type: 'ACCOUNT' })), 'ConflictException');
  assert.equal((await aa().send(new GetAnalyzerCommand({ analyzerName: 'account-zone' }))).analyzer!.status, 'ACTIVE');
  assert.deepEqual((await aa().send(new ListAnalyzersCommand({}))).analyzers!.map((a) => a.name), ['account-zone']);

  await iam().send(new CreateRoleCommand({
    RoleName: 'partner-access',
    AssumeRolePolicyDocument: doc([{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111111111111:root' }, Action: 'sts:AssumeRole', Condition: { StringEquals: { 'sts:ExternalId': 'x-1' } } }]),
  }));
  await iam().send(new CreateRoleCommand({
    RoleName: 'internal', AssumeRolePolicyDocument: doc([{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${account}:root` }, Action: 'sts:AssumeRole' }]),
  }));
  await s3().send(new CreateBucketCommand({ Bucket: 'shared-bucket' }));
  await s3().send(new PutPublicAccessBlockCommand({ Bucket: 'shared-bucket', PublicAccessBlockConfiguration: { BlockPublicAcls: false, IgnorePublicAcls: false, BlockPublicPolicy: false, RestrictPublicBuckets: false } }));
  await s3().send(new PutBucketPolicyCommand({ Bucket: 'shared-bucket', Policy: doc([{ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::shared-bucket/*' }]) }));

  const { findings } = await aa().send(new ListFindingsCommand({ analyzerArn: created.arn }));
  const byResource = Object.fromEntries(findings!.map((f) => [f.resource, f]));
  assert.deepEqual(Object.keys(byResource).sort(), [`arn:aws:iam::${account}:role/partner-access`, 'arn:aws:s3:::shared-bucket']);
  const role = byResource[`arn:aws:iam::${account}:role/partner-access`];
  assert.deepEqual(role.principal, { AWS: 'arn:aws:iam::111111111111:root' });
  assert.deepEqual(role.action, ['sts:AssumeRole']);
  assert.deepEqual(role.condition, { 'sts:ExternalId': 'x-1' });
  assert.equal(role.isPublic, false);
  assert.equal(role.resourceType, 'AWS::IAM::Role');
  assert.equal(byResource['arn:aws:s3:::shared-bucket'].isPublic, true);
  const one = await aa().send(new GetFindingCommand({ analyzerArn: created.arn, id: role.id! }));
  assert.equal(one.finding!.resource, role.resource);
  const v2 = await aa().send(new ListFindingsV2Command({ analyzerArn: created.arn }));
  assert.equal(v2.findings!.length, 2);
  assert.equal(v2.findings![0].findingType, 'ExternalAccess');

  // The trust goes back inside the account: the finding goes with it.
  await iam().send(new UpdateAssumeRolePolicyCommand({
    RoleName: 'partner-access', PolicyDocument: doc([{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${account}:root` }, Action: 'sts:AssumeRole' }]),
  }));
  const after = await aa().send(new ListFindingsCommand({ analyzerArn: created.arn }));
  assert.deepEqual(after.findings!.map((f) => f.resource), ['arn:aws:s3:::shared-bucket']);
  await aa().send(new DeleteAnalyzerCommand({ analyzerName: 'account-zone' }));
  await rejects(aa().send(new GetAnalyzerCommand({ analyzerName: 'account-zone' })), 'ResourceNotFoundException');
});

test('a policy generated from a role session\'s activity allows exactly what it did', async () => {
  await iam().send(new CreateUserCommand({ UserName: 'gen-target' }));
  const trust = doc([{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${account}:root` }, Action: 'sts:AssumeRole' }]);
  await iam().send(new CreateRoleCommand({ RoleName: 'busy', AssumeRolePolicyDocument: trust }));
  await iam().send(new PutRolePolicyCommand({ RoleName: 'busy', PolicyName: 'broad', PolicyDocument: doc([{ Effect: 'Allow', Action: ['iam:*', 's3:*'], Resource: '*' }]) }));
  await iam().send(new CreateUserCommand({ UserName: 'gen-caller' }));
  await iam().send(new PutUserPolicyCommand({ UserName: 'gen-caller', PolicyName: 'assume', PolicyDocument: doc([{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: '*' }]) }));
  const { AccessKey: key } = await iam().send(new CreateAccessKeyCommand({ UserName: 'gen-caller' }));
  const sts = new STSClient(clientConfig(server, { accessKeyId: key!.AccessKeyId!, secretAccessKey: key!.SecretAccessKey! }));
  const session = async (roleName: string) => {
    const { Credentials: c } = await sts.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${account}:role/${roleName}`, RoleSessionName: 'work' }));
    return { accessKeyId: c!.AccessKeyId!, secretAccessKey: c!.SecretAccessKey!, sessionToken: c!.SessionToken! };
  };
  // What the session does: the same calls replayed later.
  const replay = async (creds: Awaited<ReturnType<typeof session>>) => {
    await iam(creds).send(new GetUserCommand({ UserName: 'gen-target' }));
    await iam(creds).send(new ListUsersCommand({}));
    await iam(creds).send(new TagUserCommand({ UserName: 'gen-target', Tags: [{ Key: 'seen', Value: 'yes' }] }));
    await iam(creds).send(new GetRoleCommand({ RoleName: 'busy' }));
    // S3 object-level calls are data events, which the generator does not read (as AWS's); bucket-level ones are management events.
    await s3(creds).send(new GetBucketPolicyCommand({ Bucket: 'shared-bucket' }));
  };
  await replay(await session('busy'));

  const { jobId } = await aa().send(new StartPolicyGenerationCommand({
    policyGenerationDetails: { principalArn: `arn:aws:iam::${account}:role/busy` },
    cloudTrailDetails: { trails: [{ cloudTrailArn: `arn:aws:cloudtrail:us-east-1:${account}:trail/main`, allRegions: true }], accessRole: `arn:aws:iam::${account}:role/busy`, startTime: new Date(Date.now() - 3600_000) },
  }));
  const generated = await aa().send(new GetGeneratedPolicyCommand({ jobId }));
  assert.equal(generated.jobDetails!.status, 'SUCCEEDED');
  assert.equal(generated.generatedPolicyResult!.properties!.principalArn, `arn:aws:iam::${account}:role/busy`);
  const policy = JSON.parse(generated.generatedPolicyResult!.generatedPolicies![0].policy!);
  const actions = policy.Statement.flatMap((s: { Action: string | string[] }) => [s.Action].flat()).sort();
  assert.deepEqual(actions, ['iam:GetRole', 'iam:GetUser', 'iam:ListUsers', 'iam:TagUser', 's3:GetBucketPolicy']);
  const getUser = policy.Statement.find((s: { Action: string | string[] }) => [s.Action].flat().includes('iam:GetUser'));
  assert.deepEqual([getUser.Resource].flat(), [`arn:aws:iam::${account}:user/gen-target`]);
  assert.ok(!policy.Statement.some((s: { Action: string | string[] }) => [s.Action].flat().includes('sts:AssumeRole')), 'the calls that made the session are not the role\'s');
  assert.equal((await aa().send(new ListPolicyGenerationsCommand({ principalArn: `arn:aws:iam::${account}:role/busy` }))).policyGenerations!.length, 1);

  // Replayed under the generated policy alone: all allowed; one more action: denied.
  await iam().send(new CreateRoleCommand({ RoleName: 'least', AssumeRolePolicyDocument: trust }));
  await iam().send(new PutRolePolicyCommand({ RoleName: 'least', PolicyName: 'generated', PolicyDocument: generated.generatedPolicyResult!.generatedPolicies![0].policy! }));
  const least = await session('least');
  await replay(least);
  await rejects(iam(least).send(new ListRolesCommand({})), 'AccessDenied');
  await rejects(iam(least).send(new GetUserCommand({ UserName: 'someone-else' })), 'AccessDenied');
});

test('a caller without access-analyzer:ValidatePolicy gets AccessDeniedException (HTTP 403, as the model says) in IAM\'s words', async () => {
  await iam().send(new CreateUserCommand({ UserName: 'no-analyzer' }));
  const { AccessKey } = await iam().send(new CreateAccessKeyCommand({ UserName: 'no-analyzer' }));
  const client = new AccessAnalyzerClient(clientConfig(server, { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! }));
  await rejects(client.send(new ValidatePolicyCommand({ policyType: 'IDENTITY_POLICY', policyDocument: doc([{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }]) })),
    'AccessDeniedException', /is not authorized to perform: access-analyzer:ValidatePolicy on resource: .* because no identity-based policy allows the access-analyzer:ValidatePolicy action$/, 403);
});

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  DescribeImagesCommand, DescribeInstancesCommand, DisassociateIamInstanceProfileCommand, EC2Client, ModifyInstanceMetadataOptionsCommand, RunInstancesCommand, StopInstancesCommand,
  TerminateInstancesCommand,
} from '@aws-sdk/client-ec2';
import { AddRoleToInstanceProfileCommand, CreateInstanceProfileCommand, CreateRoleCommand, ListRolesCommand, PutRolePolicyCommand, IAMClient } from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { CreateBucketCommand, ListBucketsCommand } from '@aws-sdk/client-s3';
import { fromInstanceMetadata } from '@smithy/credential-provider-imds';
import { clientConfig, startTestServer, type TestServer } from '../helpers/server.js';
import { rejects } from '../helpers/aws.js';
import { iam, s3, type Creds } from './s3-support.js';
import { adminPost, TestClock } from './sts-support.js';
import { ec2, EC2_TRUST, sleep, TRANSITION_WAIT_MS } from './ec2-support.js';
import { startImdsProxy } from '../../src/cli/imds-proxy.js';

let server: TestServer;
let client: EC2Client;
let image: string;
let oldImage: string;
/** The server's clock as these tests move it (the last tests do). */
const clock = new TestClock();
before(async () => {
  process.env.IAMLOCAL_TEST_CLOCK = '1';
  server = await startTestServer();
  client = ec2(server);
  const images = (await client.send(new DescribeImagesCommand({ Owners: ['amazon'] }))).Images!;
  image = images.find((i) => i.Name!.startsWith('al2023') && i.Architecture === 'x86_64')!.ImageId!;
  oldImage = images.find((i) => i.Name!.startsWith('amzn2-'))!.ImageId!;
  await iam(server).send(new CreateRoleCommand({ RoleName: 'app-role', AssumeRolePolicyDocument: EC2_TRUST }));
  await iam(server).send(new PutRolePolicyCommand({
    RoleName: 'app-role', PolicyName: 'app', PolicyDocument: JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Action: ['s3:ListAllMyBuckets', 'iam:ListRoles'], Resource: '*' },
        { Effect: 'Allow', Action: 's3:CreateBucket', Resource: '*', Condition: { StringLike: { 'ec2:SourceInstanceARN': 'arn:aws:ec2:us-east-1:000000000000:instance/*', 'aws:SourceInstanceARN': 'arn:aws:ec2:*' } } },
      ],
    }),
  }));
  await iam(server).send(new CreateInstanceProfileCommand({ InstanceProfileName: 'app-profile' }));
  await iam(server).send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: 'app-profile', RoleName: 'app-role' }));
  // A role EC2 may not assume: its trust policy names another service.
  await iam(server).send(new CreateRoleCommand({ RoleName: 'lambda-role', AssumeRolePolicyDocument: EC2_TRUST.replace('ec2.amazonaws.com', 'lambda.amazonaws.com') }));
  await iam(server).send(new CreateInstanceProfileCommand({ InstanceProfileName: 'lambda-profile' }));
  await iam(server).send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: 'lambda-profile', RoleName: 'lambda-role' }));
});
after(async () => {
  await server.stop();
});

async function running(extra: Record<string, unknown> = {}): Promise<string> {
  const { Instances } = await client.send(new RunInstancesCommand({ ImageId: image, InstanceType: 't3.micro', MinCount: 1, MaxCount: 1, IamInstanceProfile: { Name: 'app-profile' }, ...extra }));
  await sleep(TRANSITION_WAIT_MS);
  return Instances![0].InstanceId!;
}

const base = (id: string) => `${server.url}/_iamlocal/imds/${id}/latest`;

async function token(id: string, ttl = '21600'): Promise<string> {
  const res = await fetch(`${base(id)}/api/token`, { method: 'PUT', headers: { 'x-aws-ec2-metadata-token-ttl-seconds': ttl } });
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('x-aws-ec2-metadata-token-ttl-seconds'), ttl);
  return res.text();
}

async function get(id: string, path: string, tok?: string): Promise<{ status: number; text: string }> {
  const res = await fetch(`${base(id)}/${path}`, { headers: tok ? { 'x-aws-ec2-metadata-token': tok } : {} });
  return { status: res.status, text: await res.text() };
}

test('IMDSv2: a token (TTL 1–21600 s) then the instance\'s metadata; IMDSv1 refused while HttpTokens is required, served once optional', async () => {
  const id = await running({ UserData: Buffer.from('#!/bin/bash\nexport PHOTOS_BUCKET=photos\n').toString('base64') });
  for (const bad of ['0', '21601', 'x']) {
    const res = await fetch(`${base(id)}/api/token`, { method: 'PUT', headers: { 'x-aws-ec2-metadata-token-ttl-seconds': bad } });
    assert.equal(res.status, 400, `TTL ${bad}`);
  }
  assert.equal((await fetch(`${base(id)}/api/token`, { method: 'PUT' })).status, 400, 'the TTL header is required');
  assert.equal((await fetch(`${base(id)}/api/token`, { method: 'PUT', headers: { 'x-aws-ec2-metadata-token-ttl-seconds': '60', 'x-forwarded-for': '10.0.0.1' } })).status, 403);
  const tok = await token(id);
  assert.deepEqual(await get(id, 'meta-data/instance-id', tok), { status: 200, text: id });
  assert.equal((await get(id, 'meta-data/instance-type', tok)).text, 't3.micro');
  assert.equal((await get(id, 'meta-data/ami-id', tok)).text, image);
  assert.equal((await get(id, 'meta-data/placement/region', tok)).text, 'us-east-1');
  assert.equal((await get(id, 'meta-data/placement/availability-zone', tok)).text, 'us-east-1a');
  assert.match((await get(id, 'meta-data/local-ipv4', tok)).text, /^172\.31\.\d+\.\d+$/);
  const listing = (await get(id, 'meta-data/', tok)).text.split('\n');
  assert.ok(listing.includes('iam/') && listing.includes('instance-id') && listing.includes('placement/'));
  assert.equal((await get(id, 'user-data', tok)).text, '#!/bin/bash\nexport PHOTOS_BUCKET=photos\n');
  const document = JSON.parse((await get(id, 'dynamic/instance-identity/document', tok)).text);
  assert.equal(document.instanceId, id);
  assert.equal(document.region, 'us-east-1');
  assert.equal(document.accountId, '000000000000');
  assert.equal(document.imageId, image);
  assert.equal((await get(id, 'meta-data/nope', tok)).status, 404);
  // IMDSv1 (no token): refused while required; a bad or foreign token is refused always.
  assert.equal((await get(id, 'meta-data/instance-id')).status, 401);
  assert.equal((await get(id, 'meta-data/instance-id', 'forged')).status, 401);
  const other = await running();
  assert.equal((await get(id, 'meta-data/instance-id', await token(other))).status, 401);
  await client.send(new ModifyInstanceMetadataOptionsCommand({ InstanceId: id, HttpTokens: 'optional' }));
  assert.deepEqual(await get(id, 'meta-data/instance-id'), { status: 200, text: id });
  await client.send(new ModifyInstanceMetadataOptionsCommand({ InstanceId: id, HttpEndpoint: 'disabled' }));
  assert.equal((await get(id, 'meta-data/instance-id')).status, 403);
  // An AMI without IMDSv2 support launches with IMDSv1 allowed.
  const v1 = await running({ ImageId: oldImage });
  assert.deepEqual(await get(v1, 'meta-data/instance-id'), { status: 200, text: v1 });
});

test('answers look like EC2\'s: Server EC2ws, the token\'s remaining seconds on each answer, JSON laid out as IMDS does, the identity document\'s fields', async () => {
  const id = await running();
  const put = await fetch(`${base(id)}/api/token`, { method: 'PUT', headers: { 'x-aws-ec2-metadata-token-ttl-seconds': '300' } });
  assert.equal(put.headers.get('server'), 'EC2ws');
  const tok = await put.text();
  const res = await fetch(`${base(id)}/meta-data/instance-id`, { headers: { 'x-aws-ec2-metadata-token': tok } });
  assert.equal(res.headers.get('server'), 'EC2ws');
  assert.equal(res.headers.get('content-type'), 'text/plain');
  const left = Number(res.headers.get('x-aws-ec2-metadata-token-ttl-seconds'));
  assert.ok(left > 290 && left <= 300, String(left));
  assert.equal((await fetch(`${base(id)}/api/token`)).status, 405, 'a token is asked for with PUT');
  assert.equal((await fetch(`${base(id)}/api/token`)).headers.get('allow'), 'OPTIONS, PUT');
  const info = (await get(id, 'meta-data/iam/info', tok)).text;
  assert.match(info, /^\{\n {2}"Code" : "Success",\n {2}"LastUpdated" : "\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ",\n {2}"InstanceProfileArn" : "arn:aws:iam::000000000000:instance-profile\/app-profile",\n {2}"InstanceProfileId" : "AIPA[A-Z2-7]{17}"\n\}$/);
  const doc = (await get(id, 'dynamic/instance-identity/document', tok)).text;
  assert.match(doc, /"instanceId" : "i-[0-9a-f]{17}"/);
  assert.deepEqual(Object.keys(JSON.parse(doc)), [
    'accountId', 'architecture', 'availabilityZone', 'billingProducts', 'devpayProductCodes', 'marketplaceProductCodes', 'imageId', 'instanceId',
    'instanceType', 'kernelId', 'pendingTime', 'privateIp', 'ramdiskId', 'region', 'version',
  ]);
  assert.equal(JSON.parse(doc).version, '2017-09-30');
  const mac = (await get(id, 'meta-data/mac', tok)).text;
  assert.match(mac, /^0e(:[0-9a-f]{2}){5}$/);
  assert.equal((await get(id, 'meta-data/network/interfaces/macs/', tok)).text, `${mac}/`);
  const net = (p: string) => get(id, `meta-data/network/interfaces/macs/${mac}/${p}`, tok).then((r) => r.text);
  const described = (await client.send(new DescribeInstancesCommand({ InstanceIds: [id] }))).Reservations![0].Instances![0];
  assert.equal(await net('interface-id'), described.NetworkInterfaces![0].NetworkInterfaceId);
  assert.equal(await net('subnet-id'), described.SubnetId);
  assert.equal(await net('vpc-ipv4-cidr-block'), '172.31.0.0/16');
  assert.match(await net('subnet-ipv4-cidr-block'), /^172\.31\.\d+\.0\/20$/);
  assert.equal(await net('security-group-ids'), described.SecurityGroups![0].GroupId);
  assert.equal((await get(id, 'meta-data/block-device-mapping/root', tok)).text, '/dev/xvda');
  const top = (await get(id, 'meta-data/', tok)).text.split('\n');
  for (const entry of ['ami-id', 'block-device-mapping/', 'iam/', 'instance-id', 'mac', 'network/', 'placement/', 'services/']) assert.ok(top.includes(entry), entry);
});

test('the role credentials: assumed-role/ROLE/i-…, ASIA keys for about 6 hours, that work for S3 and IAM and carry the source instance', async () => {
  const id = await running();
  const tok = await token(id);
  const info = JSON.parse((await get(id, 'meta-data/iam/info', tok)).text);
  assert.equal(info.Code, 'Success');
  assert.equal(info.InstanceProfileArn, 'arn:aws:iam::000000000000:instance-profile/app-profile');
  assert.match(info.InstanceProfileId, /^AIPA/);
  assert.equal((await get(id, 'meta-data/iam/security-credentials/', tok)).text, 'app-role');
  const raw = await get(id, 'meta-data/iam/security-credentials/app-role', tok);
  const c = JSON.parse(raw.text);
  assert.equal(c.Code, 'Success');
  assert.equal(c.Type, 'AWS-HMAC');
  assert.match(c.AccessKeyId, /^ASIA[A-Z2-7]{16}$/);
  assert.match(c.Expiration, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  const hours = (Date.parse(c.Expiration) - Date.parse(c.LastUpdated)) / 3_600_000;
  assert.equal(hours, 6);
  assert.equal((await get(id, 'meta-data/iam/security-credentials/other-role', tok)).status, 404);
  const creds: Creds = { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.Token };
  const me = await new STSClient(clientConfig(server, creds)).send(new GetCallerIdentityCommand({}));
  assert.equal(me.Arn, `arn:aws:sts::000000000000:assumed-role/app-role/${id}`);
  assert.match(me.UserId!, new RegExp(`^AROA[A-Z2-7]+:${id}$`));
  await s3(server, creds).send(new ListBucketsCommand({}));
  await new IAMClient(clientConfig(server, creds)).send(new ListRolesCommand({}));
  // ec2:SourceInstanceARN and aws:SourceInstanceARN are in the context of its calls.
  await s3(server, creds).send(new CreateBucketCommand({ Bucket: `from-${id}` }));
  const manual = await roleSessionWithout();
  await rejects(s3(server, manual).send(new CreateBucketCommand({ Bucket: 'nope-bucket' })), 'AccessDenied');
  // The same credentials until they are due for refresh.
  const again = JSON.parse((await get(id, 'meta-data/iam/security-credentials/app-role', tok)).text);
  assert.equal(again.AccessKeyId, c.AccessKeyId);
});

/** A session of app-role that did not come from an instance: AssumeRole by a user the trust policy lets in too. */
async function roleSessionWithout(): Promise<Creds> {
  const { userWith } = await import('./s3-support.js');
  const { AssumeRoleCommand } = await import('@aws-sdk/client-sts');
  const { UpdateAssumeRolePolicyCommand } = await import('@aws-sdk/client-iam');
  const user = await userWith(server, `assumer-${Date.now()}`, [{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: '*' }]);
  await iam(server).send(new UpdateAssumeRolePolicyCommand({
    RoleName: 'app-role',
    PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com', AWS: 'arn:aws:iam::000000000000:root' }, Action: 'sts:AssumeRole' }] }),
  }));
  const out = await new STSClient(clientConfig(server, user)).send(new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::000000000000:role/app-role', RoleSessionName: 'manual' }));
  return { accessKeyId: out.Credentials!.AccessKeyId!, secretAccessKey: out.Credentials!.SecretAccessKey!, sessionToken: out.Credentials!.SessionToken! };
}

test('the metadata service refuses once the instance is stopped or terminated, and has no credentials once the profile is disassociated', async () => {
  const id = await running();
  const tok = await token(id);
  const { IamInstanceProfileAssociations } = await client.send(new (await import('@aws-sdk/client-ec2')).DescribeIamInstanceProfileAssociationsCommand({ Filters: [{ Name: 'instance-id', Values: [id] }] }));
  await client.send(new DisassociateIamInstanceProfileCommand({ AssociationId: IamInstanceProfileAssociations![0].AssociationId }));
  assert.equal((await get(id, 'meta-data/iam/security-credentials/app-role', tok)).status, 404);
  assert.equal((await get(id, 'meta-data/iam/info', tok)).status, 404);
  assert.ok(!(await get(id, 'meta-data/', tok)).text.includes('iam/'));
  await client.send(new StopInstancesCommand({ InstanceIds: [id] }));
  const stopped = await fetch(`${base(id)}/api/token`, { method: 'PUT', headers: { 'x-aws-ec2-metadata-token-ttl-seconds': '60' } });
  assert.equal(stopped.status, 503);
  assert.equal((await get(id, 'meta-data/instance-id', tok)).status, 503);
  const other = await running();
  await client.send(new TerminateInstancesCommand({ InstanceIds: [other] }));
  assert.equal((await get(other, 'meta-data/instance-id', await tokenOrNull(other))).status, 503);
  assert.equal((await get('i-0123456789abcdef0', 'meta-data/instance-id')).status, 404);
  const pending = (await client.send(new RunInstancesCommand({ ImageId: image, InstanceType: 't3.micro', MinCount: 1, MaxCount: 1 }))).Instances![0].InstanceId!;
  assert.equal((await get(pending, 'meta-data/instance-id')).status, 503, 'not yet booted');
});

async function tokenOrNull(id: string): Promise<string | undefined> {
  const res = await fetch(`${base(id)}/api/token`, { method: 'PUT', headers: { 'x-aws-ec2-metadata-token-ttl-seconds': '60' } });
  return res.ok ? res.text() : undefined;
}

test('a role EC2 may not assume (its trust policy) gets AssumeRoleUnauthorizedAccess instead of credentials', async () => {
  const id = await running({ IamInstanceProfile: { Name: 'lambda-profile' } });
  const tok = await token(id);
  const c = JSON.parse((await get(id, 'meta-data/iam/security-credentials/lambda-role', tok)).text);
  assert.equal(c.Code, 'AssumeRoleUnauthorizedAccess');
  assert.equal(c.AccessKeyId, undefined);
});

test('the SDK for JavaScript v3 gets the role credentials from the instance\'s endpoint (as iamlocal run-as serves it)', async () => {
  const id = await running();
  const proxy = await startImdsProxy(server.url, id);
  const saved = process.env.AWS_EC2_METADATA_SERVICE_ENDPOINT;
  process.env.AWS_EC2_METADATA_SERVICE_ENDPOINT = proxy.url;
  try {
    const provider = fromInstanceMetadata({ timeout: 2000 });
    const creds = await provider();
    assert.match(creds.accessKeyId, /^ASIA/);
    const me = await new STSClient({ endpoint: server.url, region: 'us-east-1', credentials: provider, maxAttempts: 1 }).send(new GetCallerIdentityCommand({}));
    assert.equal(me.Arn, `arn:aws:sts::000000000000:assumed-role/app-role/${id}`);
    await client.send(new StopInstancesCommand({ InstanceIds: [id] }));
    await assert.rejects(fromInstanceMetadata({ timeout: 2000 })(), /instance metadata service|Error response/i);
  } finally {
    if (saved === undefined) delete process.env.AWS_EC2_METADATA_SERVICE_ENDPOINT;
    else process.env.AWS_EC2_METADATA_SERVICE_ENDPOINT = saved;
    await proxy.close();
  }
});

// Last: it moves the server clock, which every later signed request would have to follow.
test('credentials are refreshed before they expire: a new session once less than 15 minutes remain', async () => {
  const id = await running();
  const tok = await token(id);
  const first = JSON.parse((await get(id, 'meta-data/iam/security-credentials/app-role', tok)).text);
  const moved = await adminPost(server, '/_iamlocal/clock', { advanceSeconds: 6 * 3600 - 10 * 60 }, server.root, clock);
  assert.equal(moved.status, 200);
  clock.offsetMs = moved.json.offsetSeconds * 1000;
  const tok2 = await token(id);
  const second = JSON.parse((await get(id, 'meta-data/iam/security-credentials/app-role', tok2)).text);
  assert.notEqual(second.AccessKeyId, first.AccessKeyId);
  assert.ok(Date.parse(second.Expiration) > Date.parse(first.Expiration));
  assert.equal((await get(id, 'meta-data/instance-id', tok)).status, 200, 'the 6-hour token is still good');
});

test('an hour after it terminated, an instance is no longer listed (housekeeping forgets it)', async () => {
  const { Instances } = await ec2Client(clock).send(new RunInstancesCommand({ ImageId: image, InstanceType: 't3.micro', MinCount: 1, MaxCount: 1 }));
  const id = Instances![0].InstanceId!;
  await ec2Client(clock).send(new TerminateInstancesCommand({ InstanceIds: [id] }));
  await adminPost(server, '/_iamlocal/clock', { advanceSeconds: 30 * 60 }, server.root, clock).then((r) => (clock.offsetMs = r.json.offsetSeconds * 1000));
  const half = await ec2Client(clock).send(new DescribeInstancesCommand({ InstanceIds: [id] }));
  assert.equal(half.Reservations![0].Instances![0].State!.Name, 'terminated');
  await adminPost(server, '/_iamlocal/clock', { advanceSeconds: 31 * 60 }, server.root, clock).then((r) => (clock.offsetMs = r.json.offsetSeconds * 1000));
  await rejects(ec2Client(clock).send(new DescribeInstancesCommand({ InstanceIds: [id] })), 'InvalidInstanceID.NotFound');
});

/**
 * A client signing by the moved clock. One per call: the SDK re-learns its clock offset
 * from each answer's Date header, which is real time, not the test clock.
 */
function ec2Client(clock: TestClock): EC2Client {
  return new EC2Client({ ...clientConfig(server, server.root), systemClockOffset: clock.offsetMs });
}

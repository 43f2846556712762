import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { gunzipSync } from 'node:zlib';
import {
  CloudTrailClient, CreateTrailCommand, GetTrailStatusCommand, LookupEventsCommand, StartLoggingCommand, StopLoggingCommand,
  DescribeTrailsCommand, GetTrailCommand, DeleteTrailCommand, PutEventSelectorsCommand, GetEventSelectorsCommand,
} from '@aws-sdk/client-cloudtrail';
import {
  IAMClient, CreateUserCommand, CreateAccessKeyCommand, GetUserCommand, CreateLoginProfileCommand, CreateRoleCommand, PutRolePolicyCommand,
  PutUserPolicyCommand,
} from '@aws-sdk/client-iam';
import { STSClient, AssumeRoleCommand, GetFederationTokenCommand } from '@aws-sdk/client-sts';
import { S3Client, CreateBucketCommand, PutBucketPolicyCommand, ListObjectsV2Command, GetObjectCommand, PutObjectCommand, ListBucketsCommand } from '@aws-sdk/client-s3';
import { DynamoDBClient, CreateTableCommand, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { clientConfig, startTestServer, type TestServer } from '../helpers/server.js';
import { doc, rejects } from '../helpers/aws.js';
import { advance, config as clockConfig, TestClock } from './sts-support.js';

let server: TestServer;
let account: string;

before(async () => {
  server = await startTestServer({ cloudtrailDeliverySeconds: 1 });
  account = server.app.config.accountId;
});
after(() => server.stop());

const ct = (creds = server.root, region = 'us-east-1') => new CloudTrailClient(clientConfig(server, creds, region));
const iam = (creds = server.root) => new IAMClient(clientConfig(server, creds));
const s3 = () => new S3Client({ ...clientConfig(server), forcePathStyle: true });

async function userWithKey(name: string, policy?: string) {
  await iam().send(new CreateUserCommand({ UserName: name }));
  if (policy) await iam().send(new PutUserPolicyCommand({ UserName: name, PolicyName: 'p', PolicyDocument: policy }));
  const { AccessKey } = await iam().send(new CreateAccessKeyCommand({ UserName: name }));
  return { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! };
}

async function lookup(key: string, value: string) {
  const out = await ct().send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: key as never, AttributeValue: value }] }));
  return out.Events!.map((e) => ({ ...e, record: JSON.parse(e.CloudTrailEvent!) }));
}

async function until<T>(what: () => Promise<T | undefined>, ms = 8000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await what();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 200));
  }
}

const TRAIL_BUCKET_POLICY = (bucket: string, prefix = '') => doc([
  { Sid: 'AWSCloudTrailAclCheck', Effect: 'Allow', Principal: { Service: 'cloudtrail.amazonaws.com' }, Action: 's3:GetBucketAcl', Resource: `arn:aws:s3:::${bucket}` },
  {
    Sid: 'AWSCloudTrailWrite', Effect: 'Allow', Principal: { Service: 'cloudtrail.amazonaws.com' }, Action: 's3:PutObject',
    Resource: `arn:aws:s3:::${bucket}/${prefix}AWSLogs/*`,
    Condition: { StringEquals: { 's3:x-amz-acl': 'bucket-owner-full-control' } },
  },
]);

test('LookupEvents shows a denied call: errorCode AccessDenied, the IAMUser, parameters, no response', async () => {
  const alice = await userWithKey('alice');
  await rejects(iam(alice).send(new GetUserCommand({ UserName: 'bob' })), 'AccessDenied');
  const events = await lookup('Username', 'alice');
  const denied = events.find((e) => e.EventName === 'GetUser');
  assert.ok(denied, 'the denied GetUser is in the history');
  assert.equal(denied.EventSource, 'iam.amazonaws.com');
  assert.equal(denied.AccessKeyId, alice.accessKeyId);
  assert.equal(denied.ReadOnly, 'true');
  const r = denied.record;
  assert.equal(r.errorCode, 'AccessDenied');
  assert.match(r.errorMessage, /User: arn:aws:iam::\d{12}:user\/alice is not authorized to perform: iam:GetUser/);
  assert.equal(r.userIdentity.type, 'IAMUser');
  assert.equal(r.userIdentity.userName, 'alice');
  assert.equal(r.userIdentity.arn, `arn:aws:iam::${account}:user/alice`);
  assert.match(r.userIdentity.principalId, /^AIDA/);
  assert.deepEqual(r.requestParameters, { userName: 'bob' });
  assert.equal(r.responseElements, null);
  assert.equal(r.eventType, 'AwsApiCall');
  assert.equal(r.awsRegion, 'us-east-1');
  assert.equal(r.recipientAccountId, account);
  assert.equal(r.managementEvent, true);
  assert.equal(r.eventCategory, 'Management');
  assert.match(r.eventID, /^[0-9a-f-]{36}$/);
  assert.equal(r.eventID, denied.EventId);
  assert.match(r.userAgent, /aws-sdk-js/);
  assert.equal(r.sourceIPAddress, '127.0.0.1');
});

test('every lookup attribute finds its events: EventId (the same id the record carries, each time), ReadOnly, EventSource, ResourceType', async () => {
  await iam().send(new CreateUserCommand({ UserName: 'dora' }));
  await iam().send(new GetUserCommand({ UserName: 'dora' }));
  const [created] = (await lookup('ResourceName', 'dora')).filter((e) => e.EventName === 'CreateUser');
  assert.match(created.EventId!, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.equal(created.record.eventID, created.EventId);
  const byId = await lookup('EventId', created.EventId!);
  assert.deepEqual(byId.map((e) => [e.EventName, e.EventId, e.CloudTrailEvent]), [['CreateUser', created.EventId, created.CloudTrailEvent]]);
  const reads = await lookup('ReadOnly', 'true');
  assert.ok(reads.some((e) => e.EventName === 'GetUser' && e.Resources![0]?.ResourceName === 'dora'));
  assert.ok(reads.every((e) => e.record.readOnly === true));
  const writes = await lookup('ReadOnly', 'false');
  assert.ok(writes.some((e) => e.EventId === created.EventId));
  assert.ok(writes.every((e) => e.record.readOnly === false));
  assert.ok((await lookup('EventSource', 'iam.amazonaws.com')).every((e) => e.EventSource === 'iam.amazonaws.com'));
  assert.deepEqual(await lookup('EventSource', 'ec2.amazonaws.com'), []);
  const users = await lookup('ResourceType', 'AWS::IAM::User');
  assert.ok(users.some((e) => e.EventId === created.EventId));
  assert.ok(users.every((e) => e.Resources![0].ResourceType === 'AWS::IAM::User'));
});

test('secrets are removed: CreateAccessKey keeps the key id, not the secret; CreateLoginProfile keeps no password', async () => {
  await iam().send(new CreateUserCommand({ UserName: 'carol' }));
  const { AccessKey } = await iam().send(new CreateAccessKeyCommand({ UserName: 'carol' }));
  await iam().send(new CreateLoginProfileCommand({ UserName: 'carol', Password: 'Sup3r-secret-Pa55!' }));
  const events = await lookup('ResourceName', 'carol');
  const created = events.find((e) => e.EventName === 'CreateAccessKey')!.record;
  assert.equal(created.userIdentity.type, 'Root');
  assert.equal(created.readOnly, false);
  assert.equal(created.responseElements.accessKey.accessKeyId, AccessKey!.AccessKeyId);
  assert.equal(created.responseElements.accessKey.secretAccessKey, undefined);
  assert.ok(!JSON.stringify(created).includes(AccessKey!.SecretAccessKey!));
  const profile = events.find((e) => e.EventName === 'CreateLoginProfile')!;
  assert.ok(!profile.CloudTrailEvent!.includes('Sup3r-secret-Pa55!'));
  assert.equal(profile.record.requestParameters.userName, 'carol');
  assert.deepEqual(profile.Resources, [{ ResourceType: 'AWS::IAM::User', ResourceName: 'carol' }]);
  // a policy document is kept
  await iam().send(new PutUserPolicyCommand({ UserName: 'carol', PolicyName: 'kept', PolicyDocument: doc([{ Effect: 'Allow', Action: 's3:ListAllMyBuckets', Resource: '*' }]) }));
  const put = (await lookup('EventName', 'PutUserPolicy')).find((e) => e.record.requestParameters.policyName === 'kept')!;
  assert.match(put.record.requestParameters.policyDocument, /s3:ListAllMyBuckets/);
});

test('a role session is an AssumedRole with its session context (issuer, creationDate, mfaAuthenticated)', async () => {
  await iam().send(new CreateRoleCommand({
    RoleName: 'auditor',
    AssumeRolePolicyDocument: doc([{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${account}:root` }, Action: 'sts:AssumeRole' }]),
  }));
  await iam().send(new PutRolePolicyCommand({ RoleName: 'auditor', PolicyName: 'p', PolicyDocument: doc([{ Effect: 'Allow', Action: 'iam:GetUser', Resource: '*' }]) }));
  const dave = await userWithKey('dave', doc([{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: '*' }]));
  const { Credentials } = await new STSClient(clientConfig(server, dave)).send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${account}:role/auditor`, RoleSessionName: 'audit-1' }));
  const session = { accessKeyId: Credentials!.AccessKeyId!, secretAccessKey: Credentials!.SecretAccessKey!, sessionToken: Credentials!.SessionToken! };
  await iam(session).send(new GetUserCommand({ UserName: 'dave' }));
  const [ev] = (await lookup('Username', 'audit-1')).filter((e) => e.EventName === 'GetUser');
  const id = ev.record.userIdentity;
  assert.equal(id.type, 'AssumedRole');
  assert.equal(id.arn, `arn:aws:sts::${account}:assumed-role/auditor/audit-1`);
  assert.match(id.principalId, /^AROA[A-Z0-9]+:audit-1$/);
  assert.equal(id.accessKeyId, Credentials!.AccessKeyId);
  assert.deepEqual(id.sessionContext.sessionIssuer, {
    type: 'Role', principalId: id.principalId.split(':')[0], arn: `arn:aws:iam::${account}:role/auditor`, accountId: account, userName: 'auditor',
  });
  assert.equal(id.sessionContext.attributes.mfaAuthenticated, 'false');
  assert.match(id.sessionContext.attributes.creationDate, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  // AssumeRole itself: the caller is dave; the session token and secret are not in the record
  const [assume] = (await lookup('EventName', 'AssumeRole'));
  assert.equal(assume.record.userIdentity.userName, 'dave');
  assert.equal(assume.record.requestParameters.roleSessionName, 'audit-1');
  assert.ok(!assume.CloudTrailEvent!.includes(Credentials!.SecretAccessKey!));
});

test('a federated user session is a FederatedUser whose session issuer is the IAM user', async () => {
  const fed = await userWithKey('fed-maker', doc([{ Effect: 'Allow', Action: ['sts:GetFederationToken', 's3:ListAllMyBuckets'], Resource: '*' }]));
  const { Credentials } = await new STSClient(clientConfig(server, fed)).send(new GetFederationTokenCommand({
    Name: 'contractor', Policy: doc([{ Effect: 'Allow', Action: 's3:ListAllMyBuckets', Resource: '*' }]),
  }));
  const session = { accessKeyId: Credentials!.AccessKeyId!, secretAccessKey: Credentials!.SecretAccessKey!, sessionToken: Credentials!.SessionToken! };
  // (IAM refuses federated sessions, as AWS does: an S3 call it is.)
  await new S3Client({ ...clientConfig(server, session), forcePathStyle: true }).send(new ListBucketsCommand({}));
  const [ev] = (await lookup('AccessKeyId', Credentials!.AccessKeyId!)).filter((e) => e.EventName === 'ListBuckets');
  assert.equal(ev.EventSource, 's3.amazonaws.com');
  const id = ev.record.userIdentity;
  assert.equal(id.type, 'FederatedUser');
  assert.equal(id.arn, `arn:aws:sts::${account}:federated-user/contractor`);
  assert.equal(id.principalId, `${account}:contractor`);
  assert.equal(id.sessionContext.sessionIssuer.type, 'IAMUser');
  assert.equal(id.sessionContext.sessionIssuer.userName, 'fed-maker');
  assert.equal(id.sessionContext.sessionIssuer.arn, `arn:aws:iam::${account}:user/fed-maker`);
  // GetFederationToken's own record keeps the session's key id, not its secret or token
  const [made] = await lookup('EventName', 'GetFederationToken');
  assert.equal(made.record.responseElements.credentials.accessKeyId, Credentials!.AccessKeyId);
  assert.ok(!made.CloudTrailEvent!.includes(Credentials!.SessionToken!));
  assert.ok(!made.CloudTrailEvent!.includes(Credentials!.SecretAccessKey!));
});

test('LookupEvents pages 50 at most, with NextToken; one attribute at most; time range', async () => {
  const first = await ct().send(new LookupEventsCommand({ MaxResults: 2 }));
  assert.equal(first.Events!.length, 2);
  assert.ok(first.NextToken);
  const second = await ct().send(new LookupEventsCommand({ MaxResults: 2, NextToken: first.NextToken }));
  assert.equal(second.Events!.length, 2);
  assert.notEqual(second.Events![0].EventId, first.Events![0].EventId);
  assert.ok(second.Events![0].EventTime! <= first.Events![1].EventTime!);
  await rejects(ct().send(new LookupEventsCommand({ MaxResults: 51 })), 'ValidationException');
  await rejects(ct().send(new LookupEventsCommand({
    LookupAttributes: [{ AttributeKey: 'Username', AttributeValue: 'a' }, { AttributeKey: 'EventName', AttributeValue: 'b' }],
  })), 'InvalidLookupAttributesException');
  const old = await ct().send(new LookupEventsCommand({ StartTime: new Date(Date.now() - 3600_000 * 48), EndTime: new Date(Date.now() - 3600_000 * 24) }));
  assert.deepEqual(old.Events, []);
  await rejects(ct().send(new LookupEventsCommand({ StartTime: new Date(), EndTime: new Date(Date.now() - 1000) })), 'InvalidTimeRangeException');
});

test('CreateTrail refuses a missing bucket and a bucket whose policy does not allow CloudTrail', async () => {
  await rejects(ct().send(new CreateTrailCommand({ Name: 'main', S3BucketName: 'no-such-trail-bucket' })), 'S3BucketDoesNotExistException', 'S3 bucket no-such-trail-bucket does not exist.');
  await s3().send(new CreateBucketCommand({ Bucket: 'plain-bucket' }));
  await rejects(ct().send(new CreateTrailCommand({ Name: 'main', S3BucketName: 'plain-bucket' })), 'InsufficientS3BucketPolicyException',
    'Incorrect S3 bucket policy is detected for bucket: plain-bucket');
  // A policy without the ACL condition's value CloudTrail sends still allows; one for another prefix does not.
  await s3().send(new PutBucketPolicyCommand({ Bucket: 'plain-bucket', Policy: TRAIL_BUCKET_POLICY('plain-bucket', 'other/') }));
  await rejects(ct().send(new CreateTrailCommand({ Name: 'main', S3BucketName: 'plain-bucket' })), 'InsufficientS3BucketPolicyException');
  await rejects(ct().send(new CreateTrailCommand({ Name: 'x', S3BucketName: 'plain-bucket' })), 'InvalidTrailNameException');
});

test('a logging trail delivers gzipped log files to its bucket under AWS\'s key layout', async () => {
  await s3().send(new CreateBucketCommand({ Bucket: 'trail-logs' }));
  await s3().send(new PutBucketPolicyCommand({ Bucket: 'trail-logs', Policy: TRAIL_BUCKET_POLICY('trail-logs', 'audit/') }));
  const created = await ct().send(new CreateTrailCommand({ Name: 'main', S3BucketName: 'trail-logs', S3KeyPrefix: 'audit', IsMultiRegionTrail: true }));
  assert.equal(created.TrailARN, `arn:aws:cloudtrail:us-east-1:${account}:trail/main`);
  assert.equal(created.IncludeGlobalServiceEvents, true);
  await rejects(ct().send(new CreateTrailCommand({ Name: 'main', S3BucketName: 'trail-logs', S3KeyPrefix: 'audit' })), 'TrailAlreadyExistsException');
  assert.equal((await ct().send(new GetTrailStatusCommand({ Name: 'main' }))).IsLogging, false);
  await ct().send(new StartLoggingCommand({ Name: created.TrailARN }));
  await iam().send(new CreateUserCommand({ UserName: 'logged-user' }));
  const erin = await userWithKey('erin');
  await rejects(iam(erin).send(new GetUserCommand({ UserName: 'logged-user' })), 'AccessDenied');

  const records = await until(async () => {
    const list = await s3().send(new ListObjectsV2Command({ Bucket: 'trail-logs', Prefix: `audit/AWSLogs/${account}/CloudTrail/us-east-1/` }));
    const all: any[] = [];
    for (const o of list.Contents ?? []) {
      assert.match(o.Key!, new RegExp(`^audit/AWSLogs/${account}/CloudTrail/us-east-1/\\d{4}/\\d\\d/\\d\\d/${account}_CloudTrail_us-east-1_\\d{8}T\\d{4}Z_[A-Za-z0-9]{16}\\.json\\.gz$`));
      const obj = await s3().send(new GetObjectCommand({ Bucket: 'trail-logs', Key: o.Key! }));
      const body = Buffer.from(await obj.Body!.transformToByteArray());
      all.push(...JSON.parse(gunzipSync(body).toString('utf8')).Records);
    }
    return all.some((r) => r.eventName === 'GetUser' && r.errorCode === 'AccessDenied') ? all : undefined;
  });
  const createUser = records.find((r) => r.eventName === 'CreateUser' && r.requestParameters.userName === 'logged-user');
  assert.ok(createUser);
  assert.equal(createUser.responseElements.user.userName, 'logged-user');
  assert.match(createUser.responseElements.user.createDate, /^[A-Z][a-z]{2} \d{1,2}, \d{4}, \d{1,2}:\d\d:\d\d [AP]M$/);
  // What happened before StartLogging is not delivered.
  assert.ok(!records.some((r) => r.eventName === 'CreateTrail'));
  const status = await ct().send(new GetTrailStatusCommand({ Name: 'main' }));
  assert.equal(status.IsLogging, true);
  assert.ok(status.LatestDeliveryTime instanceof Date);
  assert.equal(status.LatestDeliveryError, undefined);

  const { trailList } = await ct().send(new DescribeTrailsCommand({}));
  assert.deepEqual(trailList!.map((t) => [t.Name, t.S3BucketName, t.S3KeyPrefix, t.HomeRegion]), [['main', 'trail-logs', 'audit', 'us-east-1']]);
  assert.equal((await ct().send(new GetTrailCommand({ Name: 'main' }))).Trail!.IsMultiRegionTrail, true);
});

test('S3 object calls are data events: logged only once a trail selects them, never in the event history', async () => {
  await s3().send(new CreateBucketCommand({ Bucket: 'data-bucket' }));
  await s3().send(new PutObjectCommand({ Bucket: 'data-bucket', Key: 'before.txt', Body: 'x' }));
  const selectors = await ct().send(new PutEventSelectorsCommand({
    TrailName: 'main',
    EventSelectors: [{ ReadWriteType: 'All', IncludeManagementEvents: true, DataResources: [{ Type: 'AWS::S3::Object', Values: ['arn:aws:s3:::data-bucket/'] }] }],
  }));
  assert.equal(selectors.TrailARN, `arn:aws:cloudtrail:us-east-1:${account}:trail/main`);
  assert.equal((await ct().send(new GetEventSelectorsCommand({ TrailName: 'main' }))).EventSelectors![0].DataResources![0].Values![0], 'arn:aws:s3:::data-bucket/');
  await s3().send(new PutObjectCommand({ Bucket: 'data-bucket', Key: 'after.txt', Body: 'y' }));
  const data = await until(async () => {
    const list = await s3().send(new ListObjectsV2Command({ Bucket: 'trail-logs', Prefix: 'audit/' }));
    for (const o of list.Contents ?? []) {
      const obj = await s3().send(new GetObjectCommand({ Bucket: 'trail-logs', Key: o.Key! }));
      const recs = JSON.parse(gunzipSync(Buffer.from(await obj.Body!.transformToByteArray())).toString('utf8')).Records;
      const hit = recs.find((r: any) => r.eventName === 'PutObject');
      if (hit) return { hit, recs };
    }
    return undefined;
  });
  assert.equal(data.hit.requestParameters.key, 'after.txt');
  assert.equal(data.hit.requestParameters.bucketName, 'data-bucket');
  assert.equal(data.hit.managementEvent, false);
  assert.equal(data.hit.eventCategory, 'Data');
  assert.deepEqual(data.hit.resources[0], { type: 'AWS::S3::Object', ARN: 'arn:aws:s3:::data-bucket/after.txt' });
  const putEvents = await lookup('EventName', 'PutObject');
  assert.deepEqual(putEvents, [], 'data events are not in the event history');
  await ct().send(new StopLoggingCommand({ Name: 'main' }));
  assert.equal((await ct().send(new GetTrailStatusCommand({ Name: 'main' }))).IsLogging, false);
  await ct().send(new DeleteTrailCommand({ Name: 'main' }));
  await rejects(ct().send(new GetTrailCommand({ Name: 'main' })), 'TrailNotFoundException');
});

test('DynamoDB item calls are data events (AWS::DynamoDB::Table): logged only for a trail that selects the table, never in the event history', async () => {
  const ddb = new DynamoDBClient(clientConfig(server));
  await s3().send(new CreateBucketCommand({ Bucket: 'ddb-trail-logs' }));
  await s3().send(new PutBucketPolicyCommand({ Bucket: 'ddb-trail-logs', Policy: TRAIL_BUCKET_POLICY('ddb-trail-logs') }));
  await ct().send(new CreateTrailCommand({ Name: 'tables', S3BucketName: 'ddb-trail-logs' }));
  await ct().send(new StartLoggingCommand({ Name: 'tables' }));
  const table = (name: string) => ddb.send(new CreateTableCommand({
    TableName: name, BillingMode: 'PAY_PER_REQUEST', AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
  }));
  await table('Logged');
  await table('Unlogged');
  await ddb.send(new PutItemCommand({ TableName: 'Logged', Item: { id: { S: 'before' } } }));
  const tableArn = `arn:aws:dynamodb:us-east-1:${account}:table/Logged`;
  await ct().send(new PutEventSelectorsCommand({
    TrailName: 'tables', EventSelectors: [{ ReadWriteType: 'All', IncludeManagementEvents: true, DataResources: [{ Type: 'AWS::DynamoDB::Table', Values: [tableArn] }] }],
  }));
  await ddb.send(new PutItemCommand({ TableName: 'Unlogged', Item: { id: { S: 'elsewhere' } } }));
  await ddb.send(new PutItemCommand({ TableName: 'Logged', Item: { id: { S: 'after' } } }));
  await ddb.send(new GetItemCommand({ TableName: 'Logged', Key: { id: { S: 'after' } } }));
  const records = await until(async () => {
    const list = await s3().send(new ListObjectsV2Command({ Bucket: 'ddb-trail-logs' }));
    const all: any[] = [];
    for (const o of list.Contents ?? []) {
      const obj = await s3().send(new GetObjectCommand({ Bucket: 'ddb-trail-logs', Key: o.Key! }));
      all.push(...JSON.parse(gunzipSync(Buffer.from(await obj.Body!.transformToByteArray())).toString('utf8')).Records);
    }
    return all.some((r) => r.eventName === 'GetItem') ? all.filter((r) => r.eventSource === 'dynamodb.amazonaws.com') : undefined;
  });
  const items = records.filter((r) => r.eventName === 'PutItem' || r.eventName === 'GetItem');
  assert.deepEqual(items.map((r) => [r.eventName, r.requestParameters.tableName, r.readOnly, r.managementEvent, r.eventCategory]),
    [['PutItem', 'Logged', false, false, 'Data'], ['GetItem', 'Logged', true, false, 'Data']]);
  assert.deepEqual(items[0].resources, [{ accountId: account, type: 'AWS::DynamoDB::Table', ARN: tableArn }]);
  assert.deepEqual(await lookup('EventName', 'PutItem'), [], 'data events are not in the event history');
  assert.equal((await lookup('EventName', 'CreateTable')).length, 2, 'CreateTable is a management event');
  await ct().send(new DeleteTrailCommand({ Name: 'tables' }));
});

test('retention: no more than --cloudtrail-max-events are kept, the newest', async () => {
  const small = await startTestServer({ cloudtrailMaxEvents: 5 });
  try {
    const client = new IAMClient(clientConfig(small));
    for (let i = 0; i < 12; i++) await client.send(new CreateUserCommand({ UserName: `kept-${i}` }));
    const out = await new CloudTrailClient(clientConfig(small)).send(new LookupEventsCommand({}));
    const names = out.Events!.map((e) => JSON.parse(e.CloudTrailEvent!).requestParameters.userName);
    assert.deepEqual(names, ['kept-11', 'kept-10', 'kept-9', 'kept-8', 'kept-7']);
  } finally {
    await small.stop();
  }
});

test('retention: events older than --cloudtrail-retention-days go once the clock passes them', async () => {
  process.env.IAMLOCAL_TEST_CLOCK = '1';
  const aged = await startTestServer({ cloudtrailRetentionDays: 2 });
  try {
    const clock = new TestClock();
    const history = async () => {
      const out = await new CloudTrailClient(clockConfig(aged, clock)).send(new LookupEventsCommand({
        LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'CreateUser' }],
      }));
      return out.Events!.map((e) => JSON.parse(e.CloudTrailEvent!).requestParameters.userName);
    };
    await new IAMClient(clockConfig(aged, clock)).send(new CreateUserCommand({ UserName: 'day-0' }));
    await advance(aged, clock, 86_400 + 60);
    await new IAMClient(clockConfig(aged, clock)).send(new CreateUserCommand({ UserName: 'day-1' }));
    assert.deepEqual(await history(), ['day-1', 'day-0'], 'a day old: both kept');
    // Two days and a bit after the first: it goes, with no new event needed to prune it (housekeeping does).
    await advance(aged, clock, 86_400);
    assert.deepEqual(await history(), ['day-1']);
    await advance(aged, clock, 86_400);
    assert.deepEqual(await history(), []);
  } finally {
    await aged.stop();
    delete process.env.IAMLOCAL_TEST_CLOCK;
  }
});

test('--cloudtrail off records nothing', async () => {
  const quiet = await startTestServer({ cloudtrail: 'off' });
  try {
    await new IAMClient(clientConfig(quiet)).send(new GetUserCommand({}));
    const out = await new CloudTrailClient(clientConfig(quiet)).send(new LookupEventsCommand({}));
    assert.deepEqual(out.Events, []);
  } finally {
    await quiet.stop();
  }
});

test('a caller without cloudtrail:LookupEvents gets AccessDeniedException (HTTP 400) in IAM\'s words, as CloudTrail answers', async () => {
  const creds = await userWithKey('no-trail-reader');
  await rejects(ct(creds).send(new LookupEventsCommand({ MaxResults: 1 })), 'AccessDeniedException',
    /^User: arn:aws:iam::\d{12}:user\/no-trail-reader is not authorized to perform: cloudtrail:LookupEvents on resource: \* because no identity-based policy allows the cloudtrail:LookupEvents action$/, 400);
});

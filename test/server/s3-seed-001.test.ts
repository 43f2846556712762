import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  CreateBucketCommand, DeleteObjectCommand, GetBucketEncryptionCommand, GetBucketVersioningCommand, GetObjectCommand, GetPublicAccessBlockCommand,
  ListBucketsCommand, ListObjectsV2Command, PutBucketEncryptionCommand, PutBucketPolicyCommand, PutBucketVersioningCommand, PutObjectCommand,
  DeleteBucketCommand, DeleteBucketPolicyCommand, GetBucketPolicyStatusCommand,
} from '@aws-sdk/client-s3';
import {
  AddUserToGroupCommand, AttachGroupPolicyCommand, CreateAccessKeyCommand, CreateGroupCommand, CreatePolicyCommand, CreateUserCommand,
} from '@aws-sdk/client-iam';
import { SignatureV4 } from '@smithy/signature-v4';
import { HttpRequest } from '@smithy/protocol-http';
import { Sha256 } from '@aws-crypto/sha256-js';
import { packageRoot } from '../../src/package.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { rejects } from '../helpers/aws.js';
import { iam, otherAccount, s3, s3Error, userWith, type Creds } from './s3-support.js';

/**
 * Seed 001 ("AWS data engineering setup"), its S3 steps end to end with the AWS SDK:
 * an admin limited to ap-southeast-2 makes <name>-landing-zone and <name>-analysis with
 * versioning, all public access blocked and SSE-S3; the engineer group's policy (its two
 * named buckets, aws:RequestedRegion) lets its user put, get and delete objects there and
 * nothing else; an analyst reads one bucket; a bucket policy refuses unencrypted uploads;
 * another account reads through a bucket policy; presigned GET and PUT, an expired one refused.
 */
const REGION = 'ap-southeast-2';
const LANDING = 'erika-landing-zone';
const ANALYSIS = 'erika-analysis';
const OTHER = '222222222222';
const fixture = (name: string) => readFileSync(join(packageRoot(), 'test', 'policy', 'fixtures', name), 'utf8');

let server: TestServer;
let admin: Creds;
let engineer: Creds;
let analyst: Creds;

async function member(group: string, user: string, policyArn: string): Promise<Creds> {
  const client = iam(server);
  await client.send(new CreateGroupCommand({ GroupName: group }));
  await client.send(new AttachGroupPolicyCommand({ GroupName: group, PolicyArn: policyArn }));
  await client.send(new CreateUserCommand({ UserName: user }));
  await client.send(new AddUserToGroupCommand({ GroupName: group, UserName: user }));
  const { AccessKey } = await client.send(new CreateAccessKeyCommand({ UserName: user }));
  return { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! };
}

async function policy(name: string, document: string): Promise<string> {
  return (await iam(server).send(new CreatePolicyCommand({ PolicyName: name, PolicyDocument: document }))).Policy!.Arn!;
}

before(async () => {
  // Decisions are explained in the log (the test keeps the events).
  server = await startTestServer({ logFormat: 'json' });
  admin = await member('admin', 'admin_erika', await policy('admin_access', fixture('seed001-admin_access.json')));
  engineer = await member('engineer', 'engineer_erika', await policy('engineer_access', fixture('seed001-engineer_access.json')));
  analyst = await member('analyst', 'analyst_erika', await policy('analyst_access', JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Allow', Action: ['s3:ListBucket', 's3:GetBucketLocation'], Resource: `arn:aws:s3:::${ANALYSIS}` },
      { Effect: 'Allow', Action: ['s3:GetObject', 's3:GetObjectVersion'], Resource: `arn:aws:s3:::${ANALYSIS}/*` },
      { Effect: 'Allow', Action: 's3:ListAllMyBuckets', Resource: '*' },
    ],
  })));
});
after(async () => {
  await server.stop();
});

const sydney = (creds: Creds) => s3(server, creds, REGION);

describe('seed 001: S3 buckets for data engineering', () => {
  test('the admin makes both buckets in ap-southeast-2: versioned, public access blocked, SSE-S3', async () => {
    // Outside ap-southeast-2 the admin's policy grants nothing in S3.
    await rejects(
      s3(server, admin, 'us-east-1').send(new CreateBucketCommand({ Bucket: LANDING })),
      'AccessDenied',
      `User: arn:aws:iam::000000000000:user/admin_erika is not authorized to perform: s3:CreateBucket on resource: "arn:aws:s3:::${LANDING}" because no identity-based policy allows the s3:CreateBucket action`,
    );
    for (const Bucket of [LANDING, ANALYSIS, 'erika-elsewhere']) {
      await sydney(admin).send(new CreateBucketCommand({ Bucket, CreateBucketConfiguration: { LocationConstraint: REGION }, ObjectOwnership: 'BucketOwnerEnforced' }));
      await sydney(admin).send(new PutBucketVersioningCommand({ Bucket, VersioningConfiguration: { Status: 'Enabled' } }));
      await sydney(admin).send(new PutBucketEncryptionCommand({ Bucket, ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] } }));
    }
    for (const Bucket of [LANDING, ANALYSIS]) {
      assert.equal((await sydney(admin).send(new GetBucketVersioningCommand({ Bucket }))).Status, 'Enabled');
      const pab = (await sydney(admin).send(new GetPublicAccessBlockCommand({ Bucket }))).PublicAccessBlockConfiguration;
      assert.deepEqual(pab, { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true });
      const enc = await sydney(admin).send(new GetBucketEncryptionCommand({ Bucket }));
      assert.equal(enc.ServerSideEncryptionConfiguration?.Rules?.[0].ApplyServerSideEncryptionByDefault?.SSEAlgorithm, 'AES256');
    }
  });

  test('the engineer puts, gets and deletes objects in its two buckets, from ap-southeast-2 only', async () => {
    const client = sydney(engineer);
    for (const Bucket of [LANDING, ANALYSIS]) {
      const put = await client.send(new PutObjectCommand({ Bucket, Key: 'raw/data.csv', Body: 'a,b\n1,2\n', ServerSideEncryption: 'AES256' }));
      assert.equal(put.ServerSideEncryption, 'AES256');
      assert.ok(put.VersionId);
      const got = await client.send(new GetObjectCommand({ Bucket, Key: 'raw/data.csv' }));
      assert.equal(await got.Body?.transformToString(), 'a,b\n1,2\n');
      assert.equal(got.ServerSideEncryption, 'AES256');
      const listed = await client.send(new ListObjectsV2Command({ Bucket, Prefix: 'raw/' }));
      assert.deepEqual(listed.Contents?.map((c) => c.Key), ['raw/data.csv']);
      const del = await client.send(new DeleteObjectCommand({ Bucket, Key: 'raw/data.csv' }));
      assert.equal(del.DeleteMarker, true);
      await client.send(new PutObjectCommand({ Bucket, Key: 'raw/data.csv', Body: 'a,b\n3,4\n' }));
    }
    assert.deepEqual((await client.send(new ListBucketsCommand({}))).Buckets?.map((b) => b.Name), ['erika-analysis', 'erika-elsewhere', 'erika-landing-zone']);
  });

  test('… and nothing else', async () => {
    const client = sydney(engineer);
    await rejects(
      client.send(new PutObjectCommand({ Bucket: 'erika-elsewhere', Key: 'x', Body: 'x' })),
      'AccessDenied',
      'User: arn:aws:iam::000000000000:user/engineer_erika is not authorized to perform: s3:PutObject on resource: "arn:aws:s3:::erika-elsewhere/x" because no identity-based policy allows the s3:PutObject action',
    );
    await rejects(client.send(new GetObjectCommand({ Bucket: 'erika-elsewhere', Key: 'x' })), 'AccessDenied');
    await rejects(client.send(new DeleteBucketCommand({ Bucket: LANDING })), 'AccessDenied');
    await rejects(client.send(new CreateBucketCommand({ Bucket: 'erika-new', CreateBucketConfiguration: { LocationConstraint: REGION } })), 'AccessDenied');
    await rejects(client.send(new PutBucketVersioningCommand({ Bucket: LANDING, VersioningConfiguration: { Status: 'Suspended' } })), 'AccessDenied');
    // The same calls signed for us-east-1 fail the aws:RequestedRegion condition.
    const virginia = s3(server, engineer, 'us-east-1');
    await rejects(virginia.send(new PutObjectCommand({ Bucket: LANDING, Key: 'y', Body: 'y' })), 'AccessDenied', /because no identity-based policy allows the s3:PutObject action$/);
    await rejects(virginia.send(new ListBucketsCommand({})), 'AccessDenied');
    const denial = server.events.findLast((e) => e.principal.endsWith('user/engineer_erika') && e.decision === 'implicitDeny');
    assert.equal(denial?.action, 's3:ListAllMyBuckets');
  });

  test('the analyst reads the analysis bucket and nothing more', async () => {
    const client = sydney(analyst);
    assert.equal(await (await client.send(new GetObjectCommand({ Bucket: ANALYSIS, Key: 'raw/data.csv' }))).Body?.transformToString(), 'a,b\n3,4\n');
    assert.equal((await client.send(new ListObjectsV2Command({ Bucket: ANALYSIS }))).KeyCount, 1);
    await rejects(client.send(new PutObjectCommand({ Bucket: ANALYSIS, Key: 'mine.csv', Body: 'x' })), 'AccessDenied');
    await rejects(client.send(new DeleteObjectCommand({ Bucket: ANALYSIS, Key: 'raw/data.csv' })), 'AccessDenied');
    await rejects(client.send(new GetObjectCommand({ Bucket: LANDING, Key: 'raw/data.csv' })), 'AccessDenied');
    await rejects(client.send(new ListObjectsV2Command({ Bucket: LANDING })), 'AccessDenied');
  });

  test('a bucket policy refuses uploads without encryption, whatever the identity policies allow', async () => {
    const denyUnencrypted = JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        { Sid: 'DenyUnencryptedUploads', Effect: 'Deny', Principal: '*', Action: 's3:PutObject', Resource: `arn:aws:s3:::${LANDING}/*`, Condition: { Null: { 's3:x-amz-server-side-encryption': 'true' } } },
        { Sid: 'DenyOtherEncryption', Effect: 'Deny', Principal: '*', Action: 's3:PutObject', Resource: `arn:aws:s3:::${LANDING}/*`, Condition: { StringNotEqualsIfExists: { 's3:x-amz-server-side-encryption': 'AES256' } } },
      ],
    });
    await sydney(admin).send(new PutBucketPolicyCommand({ Bucket: LANDING, Policy: denyUnencrypted }));
    assert.equal((await sydney(admin).send(new GetBucketPolicyStatusCommand({ Bucket: LANDING }))).PolicyStatus?.IsPublic, false);
    const client = sydney(engineer);
    await rejects(
      client.send(new PutObjectCommand({ Bucket: LANDING, Key: 'plain.csv', Body: 'x' })),
      'AccessDenied',
      `User: arn:aws:iam::000000000000:user/engineer_erika is not authorized to perform: s3:PutObject on resource: "arn:aws:s3:::${LANDING}/plain.csv" with an explicit deny in a resource-based policy`,
    );
    await rejects(client.send(new PutObjectCommand({ Bucket: LANDING, Key: 'kms.csv', Body: 'x', ServerSideEncryption: 'aws:kms' })), 'AccessDenied');
    await client.send(new PutObjectCommand({ Bucket: LANDING, Key: 'sealed.csv', Body: 'x', ServerSideEncryption: 'AES256' }));
    // The analysis bucket has no such policy.
    await client.send(new PutObjectCommand({ Bucket: ANALYSIS, Key: 'plain.csv', Body: 'x' }));
    const denied = server.events.findLast((e) => e.operation === 'PutObject' && e.decision === 'explicitDeny' && e.resource?.endsWith('plain.csv'));
    assert.match(denied?.reason ?? '', /DenyUnencryptedUploads/);
  });

  test('another account reads the analysis bucket through its bucket policy', async () => {
    const other = await otherAccount(server, OTHER);
    const partner = await userWith(server, 'partner', [
      { Effect: 'Allow', Action: ['s3:GetObject', 's3:ListBucket'], Resource: [`arn:aws:s3:::${ANALYSIS}`, `arn:aws:s3:::${ANALYSIS}/*`] },
    ], other);
    const client = s3(server, partner, REGION);
    await rejects(client.send(new GetObjectCommand({ Bucket: ANALYSIS, Key: 'raw/data.csv' })), 'AccessDenied', 'Access Denied', 403);
    await sydney(admin).send(new PutBucketPolicyCommand({
      Bucket: ANALYSIS,
      Policy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          { Sid: 'PartnerRead', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${OTHER}:root` }, Action: ['s3:GetObject', 's3:ListBucket'], Resource: [`arn:aws:s3:::${ANALYSIS}`, `arn:aws:s3:::${ANALYSIS}/*`] },
        ],
      }),
    }));
    assert.equal(await (await client.send(new GetObjectCommand({ Bucket: ANALYSIS, Key: 'raw/data.csv' }))).Body?.transformToString(), 'a,b\n3,4\n');
    assert.equal((await client.send(new ListObjectsV2Command({ Bucket: ANALYSIS }))).KeyCount, 2);
    // Writing still needs both sides.
    await rejects(client.send(new PutObjectCommand({ Bucket: ANALYSIS, Key: 'theirs.csv', Body: 'x' })), 'AccessDenied', 'Access Denied');
    // The partner's root without its own account's say: the policy names the account, whose root may use it.
    await s3(server, other, REGION).send(new GetObjectCommand({ Bucket: ANALYSIS, Key: 'raw/data.csv' }));
    await sydney(admin).send(new DeleteBucketPolicyCommand({ Bucket: ANALYSIS }));
    await rejects(client.send(new GetObjectCommand({ Bucket: ANALYSIS, Key: 'raw/data.csv' })), 'AccessDenied');
  });

  test('presigned GET and PUT work until they expire', async () => {
    const u = new URL(server.url);
    const signer = new SignatureV4({ service: 's3', region: REGION, credentials: engineer, sha256: Sha256, uriEscapePath: false });
    const presign = async (method: string, key: string, expiresIn: number, signingDate = new Date()) => {
      const req = new HttpRequest({ method, protocol: 'http:', hostname: u.hostname, port: Number(u.port), path: `/${ANALYSIS}/${key}`, headers: { host: u.host, 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' } });
      const signed = await signer.presign(req, { expiresIn, signingDate, unsignableHeaders: new Set(['content-type']) });
      const query = Object.entries(signed.query ?? {}).map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`).join('&');
      return `${server.url}${signed.path}?${query}`;
    };
    const putUrl = await presign('PUT', 'shared/upload.txt', 300);
    const put = await fetch(putUrl, { method: 'PUT', body: 'sent with a presigned URL' });
    assert.equal(put.status, 200, await put.text());
    const getUrl = await presign('GET', 'shared/upload.txt', 300);
    const got = await fetch(getUrl);
    assert.equal(got.status, 200);
    assert.equal(await got.text(), 'sent with a presigned URL');
    const expired = await fetch(await presign('GET', 'shared/upload.txt', 60, new Date(Date.now() - 3600_000)));
    assert.equal(expired.status, 403);
    const error = s3Error(await expired.text());
    assert.equal(error.code, 'AccessDenied');
    assert.equal(error.message, 'Request has expired');
    // A presigned URL carries its signer's permissions, no more.
    const elsewhere = await fetch((await presign('GET', 'x', 300)).replace(`/${ANALYSIS}/`, '/erika-elsewhere/'));
    assert.equal(elsewhere.status, 403);
  });
});

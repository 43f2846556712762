import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateBucketCommand, DeleteBucketPolicyCommand, DeletePublicAccessBlockCommand, GetBucketPolicyCommand, GetBucketPolicyStatusCommand,
  GetBucketVersioningCommand, PutBucketPolicyCommand, PutPublicAccessBlockCommand, ListBucketsCommand, PutBucketAclCommand, PutObjectCommand,
  PutObjectAclCommand,
} from '@aws-sdk/client-s3';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { rejects } from '../helpers/aws.js';
import { anonymous, otherAccount, s3, s3control, s3Error, userWith, type Creds } from './s3-support.js';

/**
 * The bucket policy as the resource policy of every request on the bucket: validated as
 * S3 validates it, joined with identity policies as IAM's evaluation logic says (union in
 * the owner's account, intersection across accounts, explicit deny wins), guarded by
 * Block Public Access, and denials worded as S3 words them.
 */
const ACCOUNT = '000000000000';
const OTHER = '111111111111';
const BUCKET = 'policy-bucket';
const ARN = `arn:aws:s3:::${BUCKET}`;

let server: TestServer;
let nobody: Creds;
let reader: Creds;
let other: Creds;
let otherUser: Creds;
let otherNobody: Creds;

const policy = (...Statement: unknown[]) => JSON.stringify({ Version: '2012-10-17', Statement });

before(async () => {
  server = await startTestServer();
  await s3(server).send(new CreateBucketCommand({ Bucket: BUCKET }));
  nobody = await userWith(server, 'nobody', undefined);
  reader = await userWith(server, 'reader', [{ Effect: 'Allow', Action: 's3:GetBucketVersioning', Resource: ARN }]);
  other = await otherAccount(server, OTHER);
  otherUser = await userWith(server, 'visitor', [{ Effect: 'Allow', Action: 's3:GetBucketVersioning', Resource: '*' }], other);
  otherNobody = await userWith(server, 'stranger', undefined, other);
});
after(async () => {
  await server.stop();
});

describe('S3 bucket policies', () => {
  test('without a policy: identity policies decide in the account; other accounts are refused', async () => {
    await s3(server, reader).send(new GetBucketVersioningCommand({ Bucket: BUCKET }));
    await rejects(
      s3(server, nobody).send(new GetBucketVersioningCommand({ Bucket: BUCKET })),
      'AccessDenied',
      `User: arn:aws:iam::${ACCOUNT}:user/nobody is not authorized to perform: s3:GetBucketVersioning on resource: "${ARN}" because no identity-based policy allows the s3:GetBucketVersioning action`,
      403,
    );
    // Across accounts S3 says no more than "Access Denied".
    await rejects(s3(server, otherUser).send(new GetBucketVersioningCommand({ Bucket: BUCKET })), 'AccessDenied', 'Access Denied', 403);
    await rejects(s3(server, other).send(new GetBucketVersioningCommand({ Bucket: BUCKET })), 'AccessDenied', 'Access Denied', 403);
    const denied = server.events.findLast((e) => e.operation === 'GetBucketVersioning' && e.decision === 'implicitDeny');
    assert.equal(denied?.resource, ARN);
  });

  test('a policy naming a user of the account grants on its own; a Deny in it wins over an identity Allow', async () => {
    await s3(server).send(new PutBucketPolicyCommand({
      Bucket: BUCKET,
      Policy: policy(
        { Sid: 'LetNobodyRead', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:user/nobody` }, Action: 's3:GetBucketVersioning', Resource: ARN },
        { Sid: 'NoReader', Effect: 'Deny', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:user/reader` }, Action: 's3:*', Resource: [ARN, `${ARN}/*`] },
      ),
    }));
    await s3(server, nobody).send(new GetBucketVersioningCommand({ Bucket: BUCKET }));
    await rejects(
      s3(server, reader).send(new GetBucketVersioningCommand({ Bucket: BUCKET })),
      'AccessDenied',
      `User: arn:aws:iam::${ACCOUNT}:user/reader is not authorized to perform: s3:GetBucketVersioning on resource: "${ARN}" with an explicit deny in a resource-based policy`,
    );
    const text = (await s3(server).send(new GetBucketPolicyCommand({ Bucket: BUCKET }))).Policy!;
    assert.match(text, /LetNobodyRead/);
    assert.equal((await s3(server).send(new GetBucketPolicyStatusCommand({ Bucket: BUCKET }))).PolicyStatus?.IsPublic, false);
  });

  test('another account needs both its own identity policy and the bucket policy', async () => {
    await s3(server).send(new PutBucketPolicyCommand({
      Bucket: BUCKET,
      Policy: policy({ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${OTHER}:root` }, Action: 's3:GetBucketVersioning', Resource: ARN }),
    }));
    await s3(server, otherUser).send(new GetBucketVersioningCommand({ Bucket: BUCKET }));
    await s3(server, other).send(new GetBucketVersioningCommand({ Bucket: BUCKET }));
    await rejects(s3(server, otherNobody).send(new GetBucketVersioningCommand({ Bucket: BUCKET })), 'AccessDenied', 'Access Denied');
    // Only the owner's account may read or change the policy itself.
    await rejects(s3(server, other).send(new GetBucketPolicyCommand({ Bucket: BUCKET })), 'AccessDenied');
    // Other accounts do not see the bucket in their list.
    const theirs = await s3(server, other).send(new ListBucketsCommand({}));
    assert.deepEqual(theirs.Buckets ?? [], []);
  });

  test('S3 refuses malformed policies with its own messages', async () => {
    const put = (text: string) => s3(server).send(new PutBucketPolicyCommand({ Bucket: BUCKET, Policy: text }));
    const allow = (extra: Record<string, unknown>) => policy({ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 's3:GetObject', Resource: `${ARN}/*`, ...extra });
    await rejects(put('{"Version": "2012-10-17", "Statement": ['), 'MalformedPolicy', 'This policy contains invalid Json', 400);
    await rejects(put(policy({ Effect: 'Allow', Action: 's3:GetObject', Resource: `${ARN}/*` })), 'MalformedPolicy', 'Missing required field Principal');
    await rejects(put(allow({ Resource: 'arn:aws:s3:::another-bucket/*' })), 'MalformedPolicy', 'Policy has invalid resource');
    await rejects(put(allow({ Resource: '*' })), 'MalformedPolicy', 'Policy has invalid resource');
    await rejects(put(allow({ Resource: ARN })), 'MalformedPolicy', 'Action does not apply to any resource(s) in statement');
    await rejects(put(allow({ Action: 's3:GetObjekt' })), 'MalformedPolicy', 'Policy has invalid action');
    await rejects(put(allow({ Condition: { StringEquals: { 's3:no-such-key': 'x' } } })), 'MalformedPolicy', 'Policy has an invalid condition key');
    await rejects(put(allow({ Principal: { AWS: `arn:aws:iam::${ACCOUNT}:user/ghost` } })), 'MalformedPolicy', 'Invalid principal in policy');
    // Nothing was stored.
    assert.doesNotMatch((await s3(server).send(new GetBucketPolicyCommand({ Bucket: BUCKET }))).Policy!, /ghost/);
  });

  test('Block Public Access: public policies refused, then allowed, then restricted at evaluation', async () => {
    const publicRead = policy({ Sid: 'Public', Effect: 'Allow', Principal: '*', Action: 's3:GetBucketVersioning', Resource: ARN });
    await rejects(
      s3(server).send(new PutBucketPolicyCommand({ Bucket: BUCKET, Policy: publicRead })),
      'AccessDenied',
      `User: arn:aws:iam::${ACCOUNT}:root is not authorized to perform: s3:PutBucketPolicy on resource: "${ARN}" because public policies are blocked by the BlockPublicPolicy block public access setting.`,
    );
    const unsigned = await anonymous(server, 'GET', `/${BUCKET}?versioning`);
    assert.equal(unsigned.status, 403);
    assert.deepEqual(s3Error(unsigned.text), { code: 'AccessDenied', message: 'Access Denied' });

    await s3(server).send(new DeletePublicAccessBlockCommand({ Bucket: BUCKET }));
    await s3(server).send(new PutBucketPolicyCommand({ Bucket: BUCKET, Policy: publicRead }));
    assert.equal((await s3(server).send(new GetBucketPolicyStatusCommand({ Bucket: BUCKET }))).PolicyStatus?.IsPublic, true);
    const open = await anonymous(server, 'GET', `/${BUCKET}?versioning`);
    assert.equal(open.status, 200, open.text);
    assert.match(open.text, /<VersioningConfiguration/);
    // A user of another account still needs its own account's permission too.
    await s3(server, otherUser).send(new GetBucketVersioningCommand({ Bucket: BUCKET }));
    await rejects(s3(server, otherNobody).send(new GetBucketVersioningCommand({ Bucket: BUCKET })), 'AccessDenied');

    // RestrictPublicBuckets: a public policy then reaches only the owner's account.
    await s3(server).send(new PutPublicAccessBlockCommand({ Bucket: BUCKET, PublicAccessBlockConfiguration: { RestrictPublicBuckets: true } }));
    assert.equal((await anonymous(server, 'GET', `/${BUCKET}?versioning`)).status, 403);
    await rejects(s3(server, otherUser).send(new GetBucketVersioningCommand({ Bucket: BUCKET })), 'AccessDenied');
    await s3(server, nobody).send(new GetBucketVersioningCommand({ Bucket: BUCKET }));
    await s3(server).send(new PutPublicAccessBlockCommand({ Bucket: BUCKET, PublicAccessBlockConfiguration: {} }));
    assert.equal((await anonymous(server, 'GET', `/${BUCKET}?versioning`)).status, 200);
  });

  test('a policy pinned to a source address is not public', async () => {
    await s3(server).send(new PutPublicAccessBlockCommand({ Bucket: BUCKET, PublicAccessBlockConfiguration: { BlockPublicPolicy: true } }));
    await s3(server).send(new PutBucketPolicyCommand({
      Bucket: BUCKET,
      Policy: policy({ Effect: 'Allow', Principal: '*', Action: 's3:GetBucketVersioning', Resource: ARN, Condition: { IpAddress: { 'aws:SourceIp': '127.0.0.1/32' } } }),
    }));
    assert.equal((await s3(server).send(new GetBucketPolicyStatusCommand({ Bucket: BUCKET }))).PolicyStatus?.IsPublic, false);
    assert.equal((await anonymous(server, 'GET', `/${BUCKET}?versioning`)).status, 200);
  });

  test('the owner account root can always remove a policy that denies everyone', async () => {
    await s3(server).send(new PutBucketPolicyCommand({
      Bucket: BUCKET,
      Policy: policy({ Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: [ARN, `${ARN}/*`] }),
    }));
    await rejects(s3(server).send(new GetBucketVersioningCommand({ Bucket: BUCKET })), 'AccessDenied', /with an explicit deny in a resource-based policy$/);
    await s3(server).send(new DeleteBucketPolicyCommand({ Bucket: BUCKET }));
    await s3(server).send(new GetBucketVersioningCommand({ Bucket: BUCKET }));
    await rejects(s3(server).send(new GetBucketPolicyCommand({ Bucket: BUCKET })), 'NoSuchBucketPolicy', 'The bucket policy does not exist', 404);
  });
});

describe('S3 ACLs, where Object Ownership enables them', () => {
  test('public-read ACLs let anonymous callers read, until IgnorePublicAcls', async () => {
    const client = s3(server);
    await client.send(new CreateBucketCommand({ Bucket: 'acl-bucket', ObjectOwnership: 'ObjectWriter' }));
    await rejects(client.send(new PutBucketAclCommand({ Bucket: 'acl-bucket', ACL: 'public-read' })), 'AccessDenied', /BlockPublicAcls/);
    await client.send(new DeletePublicAccessBlockCommand({ Bucket: 'acl-bucket' }));
    await client.send(new PutObjectCommand({ Bucket: 'acl-bucket', Key: 'open.txt', Body: 'for everyone', ACL: 'public-read' }));
    await client.send(new PutObjectCommand({ Bucket: 'acl-bucket', Key: 'closed.txt', Body: 'owner only' }));
    assert.equal((await anonymous(server, 'GET', '/acl-bucket?list-type=2')).status, 403);
    await client.send(new PutBucketAclCommand({ Bucket: 'acl-bucket', ACL: 'public-read' }));
    const listed = await anonymous(server, 'GET', '/acl-bucket?list-type=2');
    assert.equal(listed.status, 200);
    assert.match(listed.text, /<Key>open.txt<\/Key>/);
    const open = await anonymous(server, 'GET', '/acl-bucket/open.txt');
    assert.equal(open.status, 200);
    assert.equal(open.text, 'for everyone');
    assert.equal((await anonymous(server, 'GET', '/acl-bucket/closed.txt')).status, 403);
    await client.send(new PutObjectAclCommand({ Bucket: 'acl-bucket', Key: 'closed.txt', ACL: 'public-read' }));
    assert.equal((await anonymous(server, 'GET', '/acl-bucket/closed.txt')).status, 200);
    await client.send(new PutPublicAccessBlockCommand({ Bucket: 'acl-bucket', PublicAccessBlockConfiguration: { IgnorePublicAcls: true } }));
    assert.equal((await anonymous(server, 'GET', '/acl-bucket/open.txt')).status, 403);
    assert.equal((await anonymous(server, 'GET', '/acl-bucket?list-type=2')).status, 403);
  });
});

describe('S3 Control: the account-level Block Public Access', () => {
  const PATH = '/v20180820/configuration/publicAccessBlock';
  const config = (settings: string) => `<PublicAccessBlockConfiguration xmlns="http://awss3control.amazonaws.com/doc/2018-08-20/">${settings}</PublicAccessBlockConfiguration>`;

  test('put, get, delete; it adds to every bucket\u2019s own settings', async () => {
    const missing = await s3control(server, 'GET', PATH, ACCOUNT, server.root);
    assert.equal(missing.status, 404);
    assert.equal(s3Error(missing.text).code, 'NoSuchPublicAccessBlockConfiguration');
    // A bucket with its own block removed takes a public policy…
    await s3(server).send(new CreateBucketCommand({ Bucket: 'account-block' }));
    await s3(server).send(new DeletePublicAccessBlockCommand({ Bucket: 'account-block' }));
    const publicPolicy = policy({ Effect: 'Allow', Principal: '*', Action: 's3:GetBucketVersioning', Resource: 'arn:aws:s3:::account-block' });
    await s3(server).send(new PutBucketPolicyCommand({ Bucket: 'account-block', Policy: publicPolicy }));
    assert.equal((await anonymous(server, 'GET', '/account-block?versioning')).status, 200);
    // …until the account blocks public policies and restricts public buckets.
    const put = await s3control(server, 'PUT', PATH, ACCOUNT, server.root, config('<BlockPublicPolicy>true</BlockPublicPolicy><RestrictPublicBuckets>true</RestrictPublicBuckets>'));
    assert.equal(put.status, 200, put.text);
    const got = await s3control(server, 'GET', PATH, ACCOUNT, server.root);
    assert.match(got.text, /<BlockPublicPolicy>true<\/BlockPublicPolicy>/);
    assert.match(got.text, /<BlockPublicAcls>false<\/BlockPublicAcls>/);
    assert.equal((await anonymous(server, 'GET', '/account-block?versioning')).status, 403);
    await rejects(s3(server).send(new PutBucketPolicyCommand({ Bucket: 'account-block', Policy: publicPolicy })), 'AccessDenied', /BlockPublicPolicy/);
    // Only the account itself, and only with permission.
    assert.equal((await s3control(server, 'GET', PATH, OTHER, server.root)).status, 403);
    const denied = await s3control(server, 'GET', PATH, ACCOUNT, nobody);
    assert.equal(denied.status, 403);
    assert.equal(s3Error(denied.text).message, `User: arn:aws:iam::${ACCOUNT}:user/nobody is not authorized to perform: s3:GetAccountPublicAccessBlock because no identity-based policy allows the s3:GetAccountPublicAccessBlock action`);
    assert.equal((await s3control(server, 'DELETE', PATH, ACCOUNT, server.root)).status, 200);
    assert.equal((await anonymous(server, 'GET', '/account-block?versioning')).status, 200);
  });
});

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateBucketCommand, DeleteBucketCommand, GetBucketLocationCommand, HeadBucketCommand, ListBucketsCommand,
  GetBucketVersioningCommand, PutBucketVersioningCommand, GetPublicAccessBlockCommand, PutPublicAccessBlockCommand,
  DeletePublicAccessBlockCommand, GetBucketEncryptionCommand, PutBucketEncryptionCommand, DeleteBucketEncryptionCommand,
  GetBucketTaggingCommand, PutBucketTaggingCommand, DeleteBucketTaggingCommand, GetBucketOwnershipControlsCommand,
  PutBucketAclCommand, GetBucketAclCommand, PutBucketOwnershipControlsCommand, GetBucketLoggingCommand, GetBucketWebsiteCommand,
  GetObjectLockConfigurationCommand, GetBucketRequestPaymentCommand, PutObjectCommand, GetObjectAclCommand, PutObjectAclCommand,
  GetObjectAttributesCommand,
} from '@aws-sdk/client-s3';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { rejects } from '../helpers/aws.js';
import { s3 } from './s3-support.js';

let server: TestServer;
before(async () => {
  server = await startTestServer();
});
after(async () => {
  await server.stop();
});

describe('S3 buckets', () => {
  test('create, head, locate, list and delete a bucket', async () => {
    const client = s3(server);
    const made = await client.send(new CreateBucketCommand({ Bucket: 'first-bucket' }));
    assert.equal(made.Location, '/first-bucket');
    const head = await client.send(new HeadBucketCommand({ Bucket: 'first-bucket' }));
    assert.equal(head.BucketRegion, 'us-east-1');
    const loc = await client.send(new GetBucketLocationCommand({ Bucket: 'first-bucket' }));
    assert.equal(loc.LocationConstraint, undefined);
    const list = await client.send(new ListBucketsCommand({}));
    assert.deepEqual(list.Buckets?.map((b) => b.Name), ['first-bucket']);
    assert.match(list.Owner?.ID ?? '', /^[0-9a-f]{64}$/);
    await client.send(new DeleteBucketCommand({ Bucket: 'first-bucket' }));
    await rejects(client.send(new HeadBucketCommand({ Bucket: 'first-bucket' })), 'NotFound', undefined, 404);
  });

  test('a bucket in another region is made by an endpoint of that region', async () => {
    const sydney = s3(server, server.root, 'ap-southeast-2');
    await rejects(
      sydney.send(new CreateBucketCommand({ Bucket: 'elsewhere', CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' } })),
      'IllegalLocationConstraintException',
      'The eu-west-1 location constraint is incompatible for the region specific endpoint this request was sent to.',
    );
    await sydney.send(new CreateBucketCommand({ Bucket: 'erika-landing', CreateBucketConfiguration: { LocationConstraint: 'ap-southeast-2' } }));
    const loc = await sydney.send(new GetBucketLocationCommand({ Bucket: 'erika-landing' }));
    assert.equal(loc.LocationConstraint, 'ap-southeast-2');
    await rejects(sydney.send(new CreateBucketCommand({ Bucket: 'erika-landing', CreateBucketConfiguration: { LocationConstraint: 'ap-southeast-2' } })), 'BucketAlreadyOwnedByYou', undefined, 409);
  });

  test('bucket names follow S3 rules', async () => {
    const client = s3(server);
    for (const bad of ['ab', 'Upper-Case', 'a..b', '192.168.1.1', '-dash', 'xn--bucket', 'x'.repeat(64)]) {
      await rejects(client.send(new CreateBucketCommand({ Bucket: bad })), 'InvalidBucketName', 'The specified bucket is not valid.', 400);
    }
  });

  test('versioning, public access block, encryption, tags, ownership', async () => {
    const client = s3(server);
    await client.send(new CreateBucketCommand({ Bucket: 'configured' }));
    assert.equal((await client.send(new GetBucketVersioningCommand({ Bucket: 'configured' }))).Status, undefined);
    await client.send(new PutBucketVersioningCommand({ Bucket: 'configured', VersioningConfiguration: { Status: 'Enabled' } }));
    assert.equal((await client.send(new GetBucketVersioningCommand({ Bucket: 'configured' }))).Status, 'Enabled');

    const pab = await client.send(new GetPublicAccessBlockCommand({ Bucket: 'configured' }));
    assert.deepEqual(pab.PublicAccessBlockConfiguration, { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true });
    await client.send(new PutPublicAccessBlockCommand({ Bucket: 'configured', PublicAccessBlockConfiguration: { BlockPublicAcls: true } }));
    assert.equal((await client.send(new GetPublicAccessBlockCommand({ Bucket: 'configured' }))).PublicAccessBlockConfiguration?.BlockPublicPolicy, false);
    await client.send(new DeletePublicAccessBlockCommand({ Bucket: 'configured' }));
    await rejects(client.send(new GetPublicAccessBlockCommand({ Bucket: 'configured' })), 'NoSuchPublicAccessBlockConfiguration', undefined, 404);

    const enc = await client.send(new GetBucketEncryptionCommand({ Bucket: 'configured' }));
    assert.equal(enc.ServerSideEncryptionConfiguration?.Rules?.[0].ApplyServerSideEncryptionByDefault?.SSEAlgorithm, 'AES256');
    await client.send(new PutBucketEncryptionCommand({
      Bucket: 'configured',
      ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: 'alias/data' }, BucketKeyEnabled: true }] },
    }));
    const kms = await client.send(new GetBucketEncryptionCommand({ Bucket: 'configured' }));
    assert.equal(kms.ServerSideEncryptionConfiguration?.Rules?.[0].ApplyServerSideEncryptionByDefault?.KMSMasterKeyID, 'alias/data');
    await client.send(new DeleteBucketEncryptionCommand({ Bucket: 'configured' }));

    await rejects(client.send(new GetBucketTaggingCommand({ Bucket: 'configured' })), 'NoSuchTagSet', undefined, 404);
    await client.send(new PutBucketTaggingCommand({ Bucket: 'configured', Tagging: { TagSet: [{ Key: 'team', Value: 'data' }] } }));
    assert.deepEqual((await client.send(new GetBucketTaggingCommand({ Bucket: 'configured' }))).TagSet, [{ Key: 'team', Value: 'data' }]);
    await rejects(client.send(new PutBucketTaggingCommand({ Bucket: 'configured', Tagging: { TagSet: [{ Key: 'a', Value: '1' }, { Key: 'a', Value: '2' }] } })), 'InvalidTag');
    await client.send(new DeleteBucketTaggingCommand({ Bucket: 'configured' }));

    const own = await client.send(new GetBucketOwnershipControlsCommand({ Bucket: 'configured' }));
    assert.equal(own.OwnershipControls?.Rules?.[0].ObjectOwnership, 'BucketOwnerEnforced');
    await rejects(client.send(new PutBucketAclCommand({ Bucket: 'configured', ACL: 'public-read' })), 'AccessControlListNotSupported', 'The bucket does not allow ACLs', 400);
    await client.send(new PutBucketOwnershipControlsCommand({ Bucket: 'configured', OwnershipControls: { Rules: [{ ObjectOwnership: 'ObjectWriter' }] } }));
    await client.send(new PutBucketAclCommand({ Bucket: 'configured', ACL: 'authenticated-read' }));
    const acl = await client.send(new GetBucketAclCommand({ Bucket: 'configured' }));
    assert.equal(acl.Grants?.length, 2);
  });

  test('settings never set read as S3 reads them; object ACLs and attributes', async () => {
    const client = s3(server);
    await client.send(new CreateBucketCommand({ Bucket: 'defaults' }));
    assert.equal((await client.send(new GetBucketLoggingCommand({ Bucket: 'defaults' }))).LoggingEnabled, undefined);
    assert.equal((await client.send(new GetBucketRequestPaymentCommand({ Bucket: 'defaults' }))).Payer, 'BucketOwner');
    await rejects(client.send(new GetBucketWebsiteCommand({ Bucket: 'defaults' })), 'NoSuchWebsiteConfiguration', undefined, 404);
    await rejects(client.send(new GetObjectLockConfigurationCommand({ Bucket: 'defaults' })), 'ObjectLockConfigurationNotFoundError', undefined, 404);
    await client.send(new PutObjectCommand({ Bucket: 'defaults', Key: 'k', Body: 'twelve bytes' }));
    const acl = await client.send(new GetObjectAclCommand({ Bucket: 'defaults', Key: 'k' }));
    assert.equal(acl.Grants?.[0].Permission, 'FULL_CONTROL');
    await rejects(client.send(new PutObjectAclCommand({ Bucket: 'defaults', Key: 'k', ACL: 'public-read' })), 'AccessControlListNotSupported');
    const attrs = await client.send(new GetObjectAttributesCommand({ Bucket: 'defaults', Key: 'k', ObjectAttributes: ['ETag', 'ObjectSize', 'StorageClass'] }));
    assert.equal(attrs.ObjectSize, 12);
    assert.match(attrs.ETag ?? '', /^[0-9a-f]{32}$/);
    assert.equal(attrs.StorageClass, 'STANDARD');
  });
});

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateBucketCommand, DeleteObjectCommand, DeleteObjectsCommand, GetObjectCommand, HeadObjectCommand, ListObjectsCommand, ListObjectsV2Command,
  ListObjectVersionsCommand, PutBucketVersioningCommand, PutObjectCommand, GetObjectTaggingCommand, PutObjectTaggingCommand,
  DeleteObjectTaggingCommand, PutBucketEncryptionCommand, DeleteBucketCommand, paginateListObjectsV2,
} from '@aws-sdk/client-s3';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { rejects } from '../helpers/aws.js';
import { s3, userWith, type Creds } from './s3-support.js';

let server: TestServer;
const KEYS = ['a.txt', 'docs/2024/jan.md', 'docs/2024/feb.md', 'docs/readme.md', 'photos/cat.jpg', 'photos/dog.jpg', 'z/é.txt', 'sp ace+plus.txt'];

before(async () => {
  server = await startTestServer();
  const client = s3(server);
  await client.send(new CreateBucketCommand({ Bucket: 'listing' }));
  for (const Key of KEYS) await client.send(new PutObjectCommand({ Bucket: 'listing', Key, Body: `body of ${Key}` }));
});
after(async () => {
  await server.stop();
});

const sorted = [...KEYS].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));

describe('S3 listings', () => {
  test('ListObjectsV2: all keys in UTF-8 order, with sizes and ETags', async () => {
    const out = await s3(server).send(new ListObjectsV2Command({ Bucket: 'listing' }));
    assert.deepEqual(out.Contents?.map((c) => c.Key), sorted);
    assert.equal(out.KeyCount, KEYS.length);
    assert.equal(out.IsTruncated, false);
    assert.equal(out.Contents?.[0].Size, Buffer.byteLength(`body of ${sorted[0]}`));
    assert.match(out.Contents?.[0].ETag ?? '', /^"[0-9a-f]{32}"$/);
    assert.equal(out.Contents?.[0].Owner, undefined);
    const owned = await s3(server).send(new ListObjectsV2Command({ Bucket: 'listing', FetchOwner: true, MaxKeys: 1 }));
    assert.match(owned.Contents?.[0].Owner?.ID ?? '', /^[0-9a-f]{64}$/);
  });

  test('prefix and delimiter roll keys up into common prefixes', async () => {
    const root = await s3(server).send(new ListObjectsV2Command({ Bucket: 'listing', Delimiter: '/' }));
    assert.deepEqual(root.Contents?.map((c) => c.Key), ['a.txt', 'sp ace+plus.txt']);
    assert.deepEqual(root.CommonPrefixes?.map((p) => p.Prefix), ['docs/', 'photos/', 'z/']);
    assert.equal(root.KeyCount, 5);
    const docs = await s3(server).send(new ListObjectsV2Command({ Bucket: 'listing', Prefix: 'docs/', Delimiter: '/' }));
    assert.deepEqual(docs.Contents?.map((c) => c.Key), ['docs/readme.md']);
    assert.deepEqual(docs.CommonPrefixes?.map((p) => p.Prefix), ['docs/2024/']);
  });

  test('pages: max-keys, continuation tokens and start-after', async () => {
    const seen: string[] = [];
    for await (const page of paginateListObjectsV2({ client: s3(server), pageSize: 3 }, { Bucket: 'listing' })) {
      assert.ok((page.KeyCount ?? 0) <= 3);
      for (const c of page.Contents ?? []) seen.push(c.Key!);
    }
    assert.deepEqual(seen, sorted);
    const first = await s3(server).send(new ListObjectsV2Command({ Bucket: 'listing', Delimiter: '/', MaxKeys: 2 }));
    assert.equal(first.IsTruncated, true);
    const second = await s3(server).send(new ListObjectsV2Command({ Bucket: 'listing', Delimiter: '/', MaxKeys: 2, ContinuationToken: first.NextContinuationToken }));
    assert.deepEqual([...(second.CommonPrefixes ?? []).map((p) => p.Prefix), ...(second.Contents ?? []).map((c) => c.Key)], ['photos/', 'sp ace+plus.txt']);
    const after = await s3(server).send(new ListObjectsV2Command({ Bucket: 'listing', StartAfter: 'photos/cat.jpg' }));
    assert.deepEqual(after.Contents?.map((c) => c.Key), ['photos/dog.jpg', 'sp ace+plus.txt', 'z/é.txt']);
    await rejects(s3(server).send(new ListObjectsV2Command({ Bucket: 'listing', ContinuationToken: 'bogus' })), 'InvalidArgument');
  });

  test('encoding-type=url encodes keys and prefixes', async () => {
    const out = await s3(server).send(new ListObjectsV2Command({ Bucket: 'listing', EncodingType: 'url', Prefix: 's' }));
    assert.deepEqual(out.Contents?.map((c) => c.Key), ['sp%20ace%2Bplus.txt']);
    const z = await s3(server).send(new ListObjectsV2Command({ Bucket: 'listing', EncodingType: 'url', Prefix: 'z/' }));
    assert.deepEqual(z.Contents?.map((c) => c.Key), ['z/%C3%A9.txt']);
  });

  test('ListObjects (v1): marker and NextMarker', async () => {
    const first = await s3(server).send(new ListObjectsCommand({ Bucket: 'listing', Delimiter: '/', MaxKeys: 2 }));
    assert.equal(first.IsTruncated, true);
    assert.equal(first.NextMarker, 'docs/');
    const rest = await s3(server).send(new ListObjectsCommand({ Bucket: 'listing', Delimiter: '/', Marker: first.NextMarker }));
    assert.deepEqual(rest.CommonPrefixes?.map((p) => p.Prefix), ['photos/', 'z/']);
    assert.deepEqual(rest.Contents?.map((c) => c.Key), ['sp ace+plus.txt']);
  });
});

describe('S3 versions and delete markers', () => {
  test('versioned: delete adds a marker; versions stay readable; deleting a version promotes the next', async () => {
    const client = s3(server);
    await client.send(new CreateBucketCommand({ Bucket: 'versioned' }));
    await client.send(new PutBucketVersioningCommand({ Bucket: 'versioned', VersioningConfiguration: { Status: 'Enabled' } }));
    const v1 = await client.send(new PutObjectCommand({ Bucket: 'versioned', Key: 'k', Body: 'one' }));
    const v2 = await client.send(new PutObjectCommand({ Bucket: 'versioned', Key: 'k', Body: 'two' }));
    assert.ok(v1.VersionId && v2.VersionId && v1.VersionId !== v2.VersionId);
    const del = await client.send(new DeleteObjectCommand({ Bucket: 'versioned', Key: 'k' }));
    assert.equal(del.DeleteMarker, true);
    await rejects(client.send(new GetObjectCommand({ Bucket: 'versioned', Key: 'k' })), 'NoSuchKey', undefined, 404);
    const old = await client.send(new GetObjectCommand({ Bucket: 'versioned', Key: 'k', VersionId: v1.VersionId }));
    assert.equal(await old.Body?.transformToString(), 'one');
    const versions = await client.send(new ListObjectVersionsCommand({ Bucket: 'versioned' }));
    assert.deepEqual(versions.Versions?.map((v) => [v.VersionId, v.IsLatest]), [[v2.VersionId, false], [v1.VersionId, false]]);
    assert.deepEqual(versions.DeleteMarkers?.map((m) => [m.VersionId, m.IsLatest]), [[del.VersionId, true]]);
    assert.equal((await client.send(new ListObjectsV2Command({ Bucket: 'versioned' }))).KeyCount, 0);
    // Removing the marker brings v2 back.
    const undo = await client.send(new DeleteObjectCommand({ Bucket: 'versioned', Key: 'k', VersionId: del.VersionId }));
    assert.equal(undo.DeleteMarker, true);
    assert.equal(await (await client.send(new GetObjectCommand({ Bucket: 'versioned', Key: 'k' }))).Body?.transformToString(), 'two');
    await client.send(new DeleteObjectCommand({ Bucket: 'versioned', Key: 'k', VersionId: v2.VersionId }));
    assert.equal(await (await client.send(new GetObjectCommand({ Bucket: 'versioned', Key: 'k' }))).Body?.transformToString(), 'one');
    await rejects(client.send(new DeleteBucketCommand({ Bucket: 'versioned' })), 'BucketNotEmpty', 'The bucket you tried to delete is not empty. You must delete all versions in the bucket.', 409);
    await client.send(new DeleteObjectCommand({ Bucket: 'versioned', Key: 'k', VersionId: v1.VersionId }));
    await client.send(new DeleteBucketCommand({ Bucket: 'versioned' }));
  });

  test('suspended: the null version is replaced, by a delete marker too', async () => {
    const client = s3(server);
    await client.send(new CreateBucketCommand({ Bucket: 'suspended' }));
    await client.send(new PutBucketVersioningCommand({ Bucket: 'suspended', VersioningConfiguration: { Status: 'Enabled' } }));
    const kept = await client.send(new PutObjectCommand({ Bucket: 'suspended', Key: 'k', Body: 'kept' }));
    await client.send(new PutBucketVersioningCommand({ Bucket: 'suspended', VersioningConfiguration: { Status: 'Suspended' } }));
    const n = await client.send(new PutObjectCommand({ Bucket: 'suspended', Key: 'k', Body: 'null one' }));
    assert.equal(n.VersionId, 'null');
    const del = await client.send(new DeleteObjectCommand({ Bucket: 'suspended', Key: 'k' }));
    assert.deepEqual([del.DeleteMarker, del.VersionId], [true, 'null']);
    const versions = await client.send(new ListObjectVersionsCommand({ Bucket: 'suspended' }));
    assert.deepEqual(versions.Versions?.map((v) => v.VersionId), [kept.VersionId]);
    assert.deepEqual(versions.DeleteMarkers?.map((v) => v.VersionId), ['null']);
  });

  test('ListObjectVersions pages with key and version markers', async () => {
    const client = s3(server);
    await client.send(new CreateBucketCommand({ Bucket: 'many-versions' }));
    await client.send(new PutBucketVersioningCommand({ Bucket: 'many-versions', VersioningConfiguration: { Status: 'Enabled' } }));
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await client.send(new PutObjectCommand({ Bucket: 'many-versions', Key: 'k', Body: String(i) }))).VersionId!);
    await client.send(new PutObjectCommand({ Bucket: 'many-versions', Key: 'l', Body: 'x' }));
    const seen: string[] = [];
    let KeyMarker: string | undefined;
    let VersionIdMarker: string | undefined;
    for (;;) {
      const page = await client.send(new ListObjectVersionsCommand({ Bucket: 'many-versions', MaxKeys: 2, KeyMarker, VersionIdMarker }));
      for (const v of page.Versions ?? []) seen.push(`${v.Key}:${v.VersionId}`);
      if (!page.IsTruncated) break;
      KeyMarker = page.NextKeyMarker;
      VersionIdMarker = page.NextVersionIdMarker;
    }
    assert.equal(seen.length, 6);
    assert.deepEqual(seen.slice(0, 5), [...ids].reverse().map((id) => `k:${id}`));
  });

  test('unversioned delete: gone, and deleting again succeeds', async () => {
    const client = s3(server);
    await client.send(new DeleteObjectCommand({ Bucket: 'listing', Key: 'a.txt' }));
    await client.send(new DeleteObjectCommand({ Bucket: 'listing', Key: 'a.txt' }));
    await rejects(client.send(new HeadObjectCommand({ Bucket: 'listing', Key: 'a.txt' })), 'NotFound', undefined, 404);
    await client.send(new PutObjectCommand({ Bucket: 'listing', Key: 'a.txt', Body: 'body of a.txt' }));
  });
});

describe('S3 DeleteObjects, tags and missing keys by permission', () => {
  let limited: Creds;
  before(async () => {
    limited = await userWith(server, 'limited', [
      { Effect: 'Allow', Action: ['s3:GetObject', 's3:DeleteObject', 's3:PutObject', 's3:GetObjectTagging', 's3:PutObjectTagging'], Resource: 'arn:aws:s3:::listing/photos/*' },
      { Effect: 'Deny', Action: 's3:GetObject', Resource: 'arn:aws:s3:::listing/*', Condition: { StringEquals: { 's3:ExistingObjectTag/secret': 'yes' } } },
    ]);
  });

  test('each key is decided on its own', async () => {
    const out = await s3(server, limited).send(new DeleteObjectsCommand({
      Bucket: 'listing',
      Delete: { Objects: [{ Key: 'photos/dog.jpg' }, { Key: 'docs/readme.md' }] },
    }));
    assert.deepEqual(out.Deleted?.map((d) => d.Key), ['photos/dog.jpg']);
    assert.equal(out.Errors?.[0].Key, 'docs/readme.md');
    assert.equal(out.Errors?.[0].Code, 'AccessDenied');
    assert.match(out.Errors?.[0].Message ?? '', /not authorized to perform: s3:DeleteObject on resource: "arn:aws:s3:::listing\/docs\/readme.md"/);
    const quiet = await s3(server).send(new DeleteObjectsCommand({ Bucket: 'listing', Delete: { Quiet: true, Objects: [{ Key: 'nothing-here' }] } }));
    assert.equal(quiet.Deleted, undefined);
  });

  test('DeleteObjects with every key denied is logged with its decision', async () => {
    const before = server.events.length;
    const out = await s3(server, limited).send(new DeleteObjectsCommand({ Bucket: 'listing', Delete: { Objects: [{ Key: 'a.txt' }, { Key: 'docs/2024/jan.md' }] } }));
    assert.deepEqual(out.Errors?.map((e) => e.Code), ['AccessDenied', 'AccessDenied']);
    const events = server.events.slice(before).filter((e) => e.operation === 'DeleteObjects');
    assert.equal(events.length, 1);
    assert.equal(events[0].decision, 'implicitDeny');
    assert.equal(events[0].action, 's3:DeleteObject');
    assert.equal(events[0].resource, 'arn:aws:s3:::listing/a.txt');
    // A key allowed then one denied: the denial is what the record shows.
    await s3(server, limited).send(new DeleteObjectsCommand({ Bucket: 'listing', Delete: { Objects: [{ Key: 'photos/none.jpg' }, { Key: 'a.txt' }] } }));
    const mixed = server.events.at(-1)!;
    assert.deepEqual([mixed.operation, mixed.decision, mixed.resource], ['DeleteObjects', 'implicitDeny', 'arn:aws:s3:::listing/a.txt']);
    await s3(server).send(new DeleteObjectsCommand({ Bucket: 'listing', Delete: { Objects: [{ Key: 'nothing-here' }] } }));
    assert.deepEqual([server.events.at(-1)!.operation, server.events.at(-1)!.decision], ['DeleteObjects', 'allowed']);
  });

  test('a missing key is NoSuchKey only to who may list the bucket', async () => {
    await rejects(s3(server, limited).send(new GetObjectCommand({ Bucket: 'listing', Key: 'photos/none.jpg' })), 'AccessDenied', /s3:ListBucket/, 403);
    await rejects(s3(server).send(new GetObjectCommand({ Bucket: 'listing', Key: 'photos/none.jpg' })), 'NoSuchKey', 'The specified key does not exist.', 404);
  });

  test('object tags: set with the upload or later, and read by conditions', async () => {
    const client = s3(server, limited);
    await client.send(new PutObjectCommand({ Bucket: 'listing', Key: 'photos/secret.jpg', Body: 'x', Tagging: 'secret=yes&kind=photo' }));
    const tags = await client.send(new GetObjectTaggingCommand({ Bucket: 'listing', Key: 'photos/secret.jpg' }));
    assert.deepEqual(tags.TagSet, [{ Key: 'secret', Value: 'yes' }, { Key: 'kind', Value: 'photo' }]);
    await rejects(client.send(new GetObjectCommand({ Bucket: 'listing', Key: 'photos/secret.jpg' })), 'AccessDenied', /with an explicit deny in an identity-based policy$/);
    await client.send(new PutObjectTaggingCommand({ Bucket: 'listing', Key: 'photos/secret.jpg', Tagging: { TagSet: [{ Key: 'secret', Value: 'no' }] } }));
    const got = await client.send(new GetObjectCommand({ Bucket: 'listing', Key: 'photos/secret.jpg' }));
    assert.equal(got.TagCount, 1);
    await s3(server).send(new DeleteObjectTaggingCommand({ Bucket: 'listing', Key: 'photos/secret.jpg' }));
    assert.deepEqual((await s3(server).send(new GetObjectTaggingCommand({ Bucket: 'listing', Key: 'photos/secret.jpg' }))).TagSet, []);
    await rejects(client.send(new PutObjectCommand({ Bucket: 'listing', Key: 'photos/t.jpg', Body: 'x', Tagging: 'a=1&a=2' })), 'InvalidTag');
  });

  test('objects report the bucket default encryption; ACLs are refused while disabled', async () => {
    const client = s3(server);
    await client.send(new CreateBucketCommand({ Bucket: 'kms-bucket' }));
    await client.send(new PutBucketEncryptionCommand({
      Bucket: 'kms-bucket',
      ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: 'arn:aws:kms:us-east-1:000000000000:key/k1' } }] },
    }));
    const put = await client.send(new PutObjectCommand({ Bucket: 'kms-bucket', Key: 'k', Body: 'x' }));
    assert.equal(put.ServerSideEncryption, 'aws:kms');
    assert.equal(put.SSEKMSKeyId, 'arn:aws:kms:us-east-1:000000000000:key/k1');
    const head = await client.send(new HeadObjectCommand({ Bucket: 'kms-bucket', Key: 'k' }));
    assert.equal(head.ServerSideEncryption, 'aws:kms');
    const sse = await client.send(new PutObjectCommand({ Bucket: 'kms-bucket', Key: 's3', Body: 'x', ServerSideEncryption: 'AES256' }));
    assert.equal(sse.ServerSideEncryption, 'AES256');
    await rejects(client.send(new PutObjectCommand({ Bucket: 'kms-bucket', Key: 'acl', Body: 'x', ACL: 'public-read' })), 'AccessControlListNotSupported', 'The bucket does not allow ACLs', 400);
    await client.send(new PutObjectCommand({ Bucket: 'kms-bucket', Key: 'acl', Body: 'x', ACL: 'bucket-owner-full-control' }));
  });
});

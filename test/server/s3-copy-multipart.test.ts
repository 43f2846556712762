import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import {
  AbortMultipartUploadCommand, CompleteMultipartUploadCommand, CopyObjectCommand, CreateBucketCommand, CreateMultipartUploadCommand,
  GetObjectCommand, GetObjectTaggingCommand, HeadObjectCommand, ListMultipartUploadsCommand, ListPartsCommand, PutObjectCommand,
  UploadPartCommand, UploadPartCopyCommand, PutBucketVersioningCommand,
} from '@aws-sdk/client-s3';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { rejects } from '../helpers/aws.js';
import { s3, userWith } from './s3-support.js';

let server: TestServer;
const MiB = 1024 * 1024;

before(async () => {
  server = await startTestServer();
  await s3(server).send(new CreateBucketCommand({ Bucket: 'src' }));
  await s3(server).send(new CreateBucketCommand({ Bucket: 'dst' }));
  await s3(server).send(new PutObjectCommand({
    Bucket: 'src', Key: 'doc.txt', Body: 'hello copy', ContentType: 'text/plain', Metadata: { owner: 'ana' }, Tagging: 'team=data',
  }));
});
after(async () => {
  await server.stop();
});

describe('S3 CopyObject', () => {
  test('copies bytes, metadata and tags by default; REPLACE takes the request\u2019s', async () => {
    const client = s3(server);
    const copied = await client.send(new CopyObjectCommand({ Bucket: 'dst', Key: 'copy.txt', CopySource: 'src/doc.txt' }));
    assert.match(copied.CopyObjectResult?.ETag ?? '', /^"[0-9a-f]{32}"$/);
    const got = await client.send(new GetObjectCommand({ Bucket: 'dst', Key: 'copy.txt' }));
    assert.equal(await got.Body?.transformToString(), 'hello copy');
    assert.equal(got.ContentType, 'text/plain');
    assert.deepEqual(got.Metadata, { owner: 'ana' });
    assert.deepEqual((await client.send(new GetObjectTaggingCommand({ Bucket: 'dst', Key: 'copy.txt' }))).TagSet, [{ Key: 'team', Value: 'data' }]);

    await client.send(new CopyObjectCommand({
      Bucket: 'dst', Key: 'replaced.txt', CopySource: '/src/doc.txt', MetadataDirective: 'REPLACE', ContentType: 'application/json', Metadata: { v: '2' },
      TaggingDirective: 'REPLACE', Tagging: 'x=y',
    }));
    const head = await client.send(new HeadObjectCommand({ Bucket: 'dst', Key: 'replaced.txt' }));
    assert.equal(head.ContentType, 'application/json');
    assert.deepEqual(head.Metadata, { v: '2' });
    assert.deepEqual((await client.send(new GetObjectTaggingCommand({ Bucket: 'dst', Key: 'replaced.txt' }))).TagSet, [{ Key: 'x', Value: 'y' }]);
  });

  test('copy-source conditions, copying onto itself, missing sources', async () => {
    const client = s3(server);
    await rejects(client.send(new CopyObjectCommand({ Bucket: 'dst', Key: 'c', CopySource: 'src/doc.txt', CopySourceIfMatch: '"nope"' })), 'PreconditionFailed', undefined, 412);
    await rejects(client.send(new CopyObjectCommand({ Bucket: 'dst', Key: 'c', CopySource: 'src/doc.txt', CopySourceIfModifiedSince: new Date(Date.now() + 3600_000) })), 'PreconditionFailed');
    await rejects(client.send(new CopyObjectCommand({ Bucket: 'src', Key: 'doc.txt', CopySource: 'src/doc.txt' })), 'InvalidRequest', /copy an object to itself/);
    await client.send(new CopyObjectCommand({ Bucket: 'src', Key: 'doc.txt', CopySource: 'src/doc.txt', MetadataDirective: 'REPLACE', ContentType: 'text/markdown' }));
    await rejects(client.send(new CopyObjectCommand({ Bucket: 'dst', Key: 'c', CopySource: 'src/missing' })), 'NoSuchKey', undefined, 404);
  });

  test('needs s3:GetObject on the source and s3:PutObject on the destination', async () => {
    const writer = await userWith(server, 'writer', [{ Effect: 'Allow', Action: 's3:PutObject', Resource: 'arn:aws:s3:::dst/*' }]);
    await rejects(s3(server, writer).send(new CopyObjectCommand({ Bucket: 'dst', Key: 'w', CopySource: 'src/doc.txt' })), 'AccessDenied', /s3:GetObject on resource: "arn:aws:s3:::src\/doc.txt"/);
  });

  test('a replaced source does not change the copy', async () => {
    const client = s3(server);
    await client.send(new PutObjectCommand({ Bucket: 'src', Key: 'v.txt', Body: 'first' }));
    await client.send(new CopyObjectCommand({ Bucket: 'dst', Key: 'v.txt', CopySource: 'src/v.txt' }));
    await client.send(new PutObjectCommand({ Bucket: 'src', Key: 'v.txt', Body: 'second' }));
    assert.equal(await (await client.send(new GetObjectCommand({ Bucket: 'dst', Key: 'v.txt' }))).Body?.transformToString(), 'first');
  });
});

describe('S3 multipart uploads', () => {
  const part1 = Buffer.alloc(5 * MiB, 'a');
  const part2 = Buffer.from('tail of the object');

  test('create, upload, list, complete: multipart ETag and bytes', async () => {
    const client = s3(server);
    const { UploadId } = await client.send(new CreateMultipartUploadCommand({ Bucket: 'dst', Key: 'big.bin', ContentType: 'application/octet-stream', Metadata: { m: '1' } }));
    assert.ok(UploadId);
    const p1 = await client.send(new UploadPartCommand({ Bucket: 'dst', Key: 'big.bin', UploadId, PartNumber: 1, Body: part1 }));
    const p2 = await client.send(new UploadPartCommand({ Bucket: 'dst', Key: 'big.bin', UploadId, PartNumber: 2, Body: part2 }));
    assert.equal(p1.ETag, `"${createHash('md5').update(part1).digest('hex')}"`);
    const uploads = await client.send(new ListMultipartUploadsCommand({ Bucket: 'dst' }));
    assert.deepEqual(uploads.Uploads?.map((u) => [u.Key, u.UploadId]), [['big.bin', UploadId]]);
    const parts = await client.send(new ListPartsCommand({ Bucket: 'dst', Key: 'big.bin', UploadId }));
    assert.deepEqual(parts.Parts?.map((p) => [p.PartNumber, p.Size]), [[1, part1.length], [2, part2.length]]);

    await rejects(
      client.send(new CompleteMultipartUploadCommand({ Bucket: 'dst', Key: 'big.bin', UploadId, MultipartUpload: { Parts: [{ PartNumber: 2, ETag: p2.ETag }, { PartNumber: 1, ETag: p1.ETag }] } })),
      'InvalidPartOrder',
    );
    await rejects(
      client.send(new CompleteMultipartUploadCommand({ Bucket: 'dst', Key: 'big.bin', UploadId, MultipartUpload: { Parts: [{ PartNumber: 1, ETag: '"0"' }] } })),
      'InvalidPart',
    );
    const done = await client.send(new CompleteMultipartUploadCommand({
      Bucket: 'dst', Key: 'big.bin', UploadId, MultipartUpload: { Parts: [{ PartNumber: 1, ETag: p1.ETag }, { PartNumber: 2, ETag: p2.ETag }] },
    }));
    const md5s = Buffer.concat([part1, part2].map((b) => createHash('md5').update(b).digest()));
    assert.equal(done.ETag, `"${createHash('md5').update(md5s).digest('hex')}-2"`);
    const got = await client.send(new GetObjectCommand({ Bucket: 'dst', Key: 'big.bin' }));
    const bytes = Buffer.from(await got.Body!.transformToByteArray());
    assert.equal(bytes.length, part1.length + part2.length);
    assert.ok(bytes.subarray(part1.length).equals(part2));
    assert.equal(got.ETag, done.ETag);
    assert.deepEqual(got.Metadata, { m: '1' });
    await rejects(client.send(new ListPartsCommand({ Bucket: 'dst', Key: 'big.bin', UploadId })), 'NoSuchUpload', undefined, 404);
  });

  test('parts under 5 MiB but the last are EntityTooSmall', async () => {
    const client = s3(server);
    const { UploadId } = await client.send(new CreateMultipartUploadCommand({ Bucket: 'dst', Key: 'small.bin' }));
    const a = await client.send(new UploadPartCommand({ Bucket: 'dst', Key: 'small.bin', UploadId, PartNumber: 1, Body: 'tiny' }));
    const b = await client.send(new UploadPartCommand({ Bucket: 'dst', Key: 'small.bin', UploadId, PartNumber: 2, Body: 'tiny' }));
    await rejects(
      client.send(new CompleteMultipartUploadCommand({ Bucket: 'dst', Key: 'small.bin', UploadId, MultipartUpload: { Parts: [{ PartNumber: 1, ETag: a.ETag }, { PartNumber: 2, ETag: b.ETag }] } })),
      'EntityTooSmall',
      'Your proposed upload is smaller than the minimum allowed size',
      400,
    );
    await client.send(new AbortMultipartUploadCommand({ Bucket: 'dst', Key: 'small.bin', UploadId }));
    await rejects(client.send(new UploadPartCommand({ Bucket: 'dst', Key: 'small.bin', UploadId, PartNumber: 3, Body: 'x' })), 'NoSuchUpload');
  });

  test('UploadPartCopy cuts parts from objects, with ranges', async () => {
    const client = s3(server);
    await client.send(new PutObjectCommand({ Bucket: 'src', Key: 'large', Body: part1 }));
    const { UploadId } = await client.send(new CreateMultipartUploadCommand({ Bucket: 'dst', Key: 'assembled' }));
    const c1 = await client.send(new UploadPartCopyCommand({ Bucket: 'dst', Key: 'assembled', UploadId, PartNumber: 1, CopySource: 'src/large' }));
    const c2 = await client.send(new UploadPartCopyCommand({ Bucket: 'dst', Key: 'assembled', UploadId, PartNumber: 2, CopySource: 'src/doc.txt', CopySourceRange: 'bytes=0-4' }));
    await client.send(new CompleteMultipartUploadCommand({
      Bucket: 'dst', Key: 'assembled', UploadId, MultipartUpload: { Parts: [{ PartNumber: 1, ETag: c1.CopyPartResult?.ETag }, { PartNumber: 2, ETag: c2.CopyPartResult?.ETag }] },
    }));
    const got = Buffer.from(await (await client.send(new GetObjectCommand({ Bucket: 'dst', Key: 'assembled' }))).Body!.transformToByteArray());
    assert.equal(got.length, part1.length + 5);
    assert.equal(got.subarray(part1.length).toString(), 'hello');
  });

  test('a versioned bucket gives the completed object a version', async () => {
    const client = s3(server);
    await client.send(new CreateBucketCommand({ Bucket: 'mp-versioned' }));
    await client.send(new PutBucketVersioningCommand({ Bucket: 'mp-versioned', VersioningConfiguration: { Status: 'Enabled' } }));
    const { UploadId } = await client.send(new CreateMultipartUploadCommand({ Bucket: 'mp-versioned', Key: 'k', ChecksumAlgorithm: 'CRC32' }));
    const p = await client.send(new UploadPartCommand({ Bucket: 'mp-versioned', Key: 'k', UploadId, PartNumber: 1, Body: 'only part', ChecksumAlgorithm: 'CRC32' }));
    const done = await client.send(new CompleteMultipartUploadCommand({
      Bucket: 'mp-versioned', Key: 'k', UploadId, MultipartUpload: { Parts: [{ PartNumber: 1, ETag: p.ETag, ChecksumCRC32: p.ChecksumCRC32 }] },
    }));
    assert.ok(done.VersionId && done.VersionId !== 'null');
    assert.match(done.ChecksumCRC32 ?? '', /-1$/);
    assert.equal(await (await client.send(new GetObjectCommand({ Bucket: 'mp-versioned', Key: 'k' }))).Body?.transformToString(), 'only part');
  });
});

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  AbortMultipartUploadCommand, CompleteMultipartUploadCommand, CreateBucketCommand, CreateMultipartUploadCommand, GetObjectCommand, PutObjectCommand,
  UploadPartCommand, UploadPartCopyCommand,
} from '@aws-sdk/client-s3';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { rejects } from '../helpers/aws.js';
import { s3 } from './s3-support.js';

/**
 * Putting parts together (CompleteMultipartUpload, UploadPartCopy) takes seconds for
 * large objects: it must not stop the server. These tests watch the composition happen
 * (its temporary file in blobs/tmp) and check what is served meanwhile, by order of
 * events, never by how fast anything is.
 */

let server: TestServer;
const MiB = 1024 * 1024;
/** Large enough that composing spans many turns of the event loop. */
const PART = 48 * MiB;

before(async () => {
  server = await startTestServer();
  const client = s3(server);
  await client.send(new CreateBucketCommand({ Bucket: 'compose' }));
  await client.send(new PutObjectCommand({ Bucket: 'compose', Key: 'small.txt', Body: 'small and quick' }));
});
after(async () => {
  await server.stop();
});

/** Resolves once a composition's temporary file exists (the event loop of this process, which is the server's, must turn for it). */
async function composing(): Promise<void> {
  const tmp = join(server.dataDir, 'blobs', 'tmp');
  const deadline = Date.now() + 30_000;
  while (readdirSync(tmp).length === 0) {
    if (Date.now() > deadline) throw new Error('no composition seen in blobs/tmp');
    await new Promise((r) => setTimeout(r, 1));
  }
}

async function uploadWithParts(key: string, parts: Buffer[]): Promise<{ UploadId: string; etags: string[] }> {
  const client = s3(server);
  const { UploadId } = await client.send(new CreateMultipartUploadCommand({ Bucket: 'compose', Key: key }));
  const etags: string[] = [];
  for (const [i, Body] of parts.entries()) etags.push((await client.send(new UploadPartCommand({ Bucket: 'compose', Key: key, UploadId, PartNumber: i + 1, Body }))).ETag!);
  return { UploadId: UploadId!, etags };
}

describe('S3 composing parts does not stop the server', () => {
  test('a small GET completes while a large CompleteMultipartUpload is composing', async () => {
    const parts = [Buffer.alloc(PART, 1), Buffer.alloc(PART, 2)];
    const { UploadId, etags } = await uploadWithParts('large.bin', parts);
    const client = s3(server);
    const order: string[] = [];
    const complete = client
      .send(new CompleteMultipartUploadCommand({
        Bucket: 'compose', Key: 'large.bin', UploadId, MultipartUpload: { Parts: etags.map((ETag, i) => ({ PartNumber: i + 1, ETag })) },
      }))
      .then((out) => (order.push('complete'), out));
    await composing();
    const got = await client.send(new GetObjectCommand({ Bucket: 'compose', Key: 'small.txt' }));
    assert.equal(await got.Body!.transformToString(), 'small and quick');
    order.push('get');
    const done = await complete;
    assert.deepEqual(order, ['get', 'complete']);
    // And what it composed is the object, whole.
    const md5s = Buffer.concat(parts.map((b) => createHash('md5').update(b).digest()));
    assert.equal(done.ETag, `"${createHash('md5').update(md5s).digest('hex')}-2"`);
    const head = await client.send(new GetObjectCommand({ Bucket: 'compose', Key: 'large.bin', Range: `bytes=${PART - 2}-${PART + 1}` }));
    assert.deepEqual([...(await head.Body!.transformToByteArray())], [1, 1, 2, 2]);
    assert.equal(readdirSync(join(server.dataDir, 'blobs', 'tmp')).length, 0);
  });

  test('a small GET completes while a large ranged UploadPartCopy is copying', async () => {
    const client = s3(server);
    const { UploadId } = await client.send(new CreateMultipartUploadCommand({ Bucket: 'compose', Key: 'copied.bin' }));
    const order: string[] = [];
    const copy = client
      .send(new UploadPartCopyCommand({
        Bucket: 'compose', Key: 'copied.bin', UploadId, PartNumber: 1, CopySource: 'compose/large.bin', CopySourceRange: `bytes=1-${2 * PART - 2}`,
      }))
      .then((out) => (order.push('copy'), out));
    await composing();
    await client.send(new GetObjectCommand({ Bucket: 'compose', Key: 'small.txt' }));
    order.push('get');
    const out = await copy;
    assert.deepEqual(order, ['get', 'copy']);
    const expected = Buffer.concat([Buffer.alloc(PART - 1, 1), Buffer.alloc(PART - 1, 2)]);
    assert.equal(out.CopyPartResult?.ETag, `"${createHash('md5').update(expected).digest('hex')}"`);
    await client.send(new AbortMultipartUploadCommand({ Bucket: 'compose', Key: 'copied.bin', UploadId }));
  });

  test('an upload aborted while its parts are composed: NoSuchUpload, and nothing is left behind', async () => {
    const parts = [Buffer.alloc(PART, 3), Buffer.alloc(PART, 4)];
    const { UploadId, etags } = await uploadWithParts('aborted.bin', parts);
    const client = s3(server);
    const complete = client.send(new CompleteMultipartUploadCommand({
      Bucket: 'compose', Key: 'aborted.bin', UploadId, MultipartUpload: { Parts: etags.map((ETag, i) => ({ PartNumber: i + 1, ETag })) },
    }));
    await composing();
    await client.send(new AbortMultipartUploadCommand({ Bucket: 'compose', Key: 'aborted.bin', UploadId }));
    await rejects(complete, 'NoSuchUpload', undefined, 404);
    await rejects(client.send(new GetObjectCommand({ Bucket: 'compose', Key: 'aborted.bin' })), 'NoSuchKey', undefined, 404);
    assert.equal(readdirSync(join(server.dataDir, 'blobs', 'tmp')).length, 0);
  });
});

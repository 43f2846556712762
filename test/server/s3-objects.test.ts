import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import {
  CreateBucketCommand, GetObjectCommand, HeadObjectCommand, PutObjectCommand, S3Client, S3ServiceException,
} from '@aws-sdk/client-s3';
import { startTestServer, clientConfig, type TestServer } from '../helpers/server.js';

/** All blob files on disk (tmp excluded). */
export function blobFiles(dataDir: string): string[] {
  const dir = join(dataDir, 'blobs');
  const out: string[] = [];
  for (const sub of readdirSync(dir)) if (sub !== 'tmp') out.push(...readdirSync(join(dir, sub)));
  return out;
}

async function rejects(p: Promise<unknown>, name: string, status?: number): Promise<S3ServiceException> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof S3ServiceException, String(err));
    assert.equal(err.name, name, err.message);
    if (status !== undefined) assert.equal(err.$metadata.httpStatusCode, status);
    return err;
  }
  assert.fail(`expected ${name}`);
}

describe('S3 objects: PutObject, GetObject, HeadObject', () => {
  let s: TestServer;
  let s3: S3Client;
  before(async () => {
    s = await startTestServer();
    s3 = new S3Client({ ...clientConfig(s), forcePathStyle: true });
    await s3.send(new CreateBucketCommand({ Bucket: 'objects' }));
  });
  after(async () => {
    s3.destroy();
    await s.stop();
  });

  test('a round trip keeps the bytes, the ETag (MD5), Content-* headers and user metadata', async () => {
    const body = Buffer.from('hello, objects\n');
    const put = await s3.send(new PutObjectCommand({
      Bucket: 'objects', Key: 'dir/hello.txt', Body: body, ContentType: 'text/plain', ContentLanguage: 'en', CacheControl: 'max-age=60',
      ContentDisposition: 'inline', Metadata: { colour: 'blue', Owner: 'me' },
    }));
    const md5 = createHash('md5').update(body).digest('hex');
    assert.equal(put.ETag, `"${md5}"`);
    const got = await s3.send(new GetObjectCommand({ Bucket: 'objects', Key: 'dir/hello.txt' }));
    assert.equal(await got.Body!.transformToString(), body.toString());
    assert.equal(got.ETag, `"${md5}"`);
    assert.equal(got.ContentType, 'text/plain');
    assert.equal(got.ContentLanguage, 'en');
    assert.equal(got.CacheControl, 'max-age=60');
    assert.equal(got.ContentDisposition, 'inline');
    assert.equal(got.ContentLength, body.length);
    assert.deepEqual(got.Metadata, { colour: 'blue', owner: 'me' });
    assert.equal(got.ServerSideEncryption, 'AES256');
    const head = await s3.send(new HeadObjectCommand({ Bucket: 'objects', Key: 'dir/hello.txt' }));
    assert.equal(head.ContentLength, body.length);
    assert.equal(head.ETag, `"${md5}"`);
    assert.deepEqual(head.Metadata, { colour: 'blue', owner: 'me' });
  });
});

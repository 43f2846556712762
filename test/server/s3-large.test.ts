import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { CreateBucketCommand, GetObjectCommand, HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { sampleRss, spawnServer } from '../helpers/spawned.js';
import { RawConnection, signedS3Head } from '../helpers/s3-raw.js';
import { blobFiles } from '../helpers/blob-files.js';

const MiB = 1024 * 1024;

/** `count` pieces of `piece` bytes each, the same buffer every time: nothing large is held by the client either. */
function* repeated(piece: Buffer, count: number): Generator<Buffer> {
  for (let i = 0; i < count; i++) yield piece;
}

function md5Repeated(piece: Buffer, count: number): string {
  const h = createHash('md5');
  for (let i = 0; i < count; i++) h.update(piece);
  return h.digest('hex');
}

describe('S3 large objects on a spawned server', () => {
  test('8 concurrent 256 MiB uploads (SDK, aws-chunked + CRC32) and downloads keep the server under 250 MB RSS', async () => {
    const server = await spawnServer();
    const s3 = new S3Client({ endpoint: server.url, region: 'us-east-1', credentials: server.root, forcePathStyle: true, maxAttempts: 1 });
    try {
      await s3.send(new CreateBucketCommand({ Bucket: 'large' }));
      const piece = Buffer.alloc(MiB, 0x5a);
      const size = 256 * MiB;
      const idle = server.rssMb();
      const rss = sampleRss(server, 25);
      const started = performance.now();
      await Promise.all(Array.from({ length: 8 }, (_, i) =>
        s3.send(new PutObjectCommand({ Bucket: 'large', Key: `big-${i}`, Body: Readable.from(repeated(piece, 256)), ContentLength: size }))));
      const putSeconds = (performance.now() - started) / 1000;
      const putPeak = rss.peak();
      const expected = `"${md5Repeated(piece, 256)}"`;
      const t1 = performance.now();
      await Promise.all(Array.from({ length: 8 }, async (_, i) => {
        const got = await s3.send(new GetObjectCommand({ Bucket: 'large', Key: `big-${i}` }));
        assert.equal(got.ContentLength, size);
        assert.equal(got.ETag, expected);
        let n = 0;
        for await (const chunk of got.Body as Readable) n += (chunk as Buffer).length;
        assert.equal(n, size);
      }));
      const getSeconds = (performance.now() - t1) / 1000;
      const peak = rss.stop();
      console.log(`# 8 × 256 MiB: PUT ${putSeconds.toFixed(1)} s, GET ${getSeconds.toFixed(1)} s; server RSS idle ${idle.toFixed(0)} MB, peak ${putPeak.toFixed(0)} MB uploading, ${peak.toFixed(0)} MB overall`);
      assert.ok(peak < 250, `peak RSS ${peak.toFixed(0)} MB`);
      assert.equal(blobFiles(server.dataDir).named.length, 8);
    } finally {
      s3.destroy();
      await server.stop();
    }
  });

  test('kill -9 during a large upload: after restart the old version is intact, nothing half-written remains', async () => {
    let server = await spawnServer();
    const dataDir = server.dataDir;
    const s3 = () => new S3Client({ endpoint: server.url, region: 'us-east-1', credentials: server.root, forcePathStyle: true, maxAttempts: 1 });
    let client = s3();
    try {
      await client.send(new CreateBucketCommand({ Bucket: 'crash' }));
      const old = 'the old version'.padEnd(100_000, '.'); // over 16 KiB: in a file
      await client.send(new PutObjectCommand({ Bucket: 'crash', Key: 'object', Body: old }));
      const oldBlobs = blobFiles(dataDir).named;
      assert.equal(oldBlobs.length, 1);
      // A 1 GiB upload, of which ~64 MiB are sent before the server is killed.
      const req = await signedS3Head(server.url, 'PUT', '/crash/object', server.root, { 'content-length': String(1024 * MiB) }, 'UNSIGNED-PAYLOAD');
      const conn = new RawConnection(server.port);
      await conn.connected();
      await conn.write(req.head);
      const piece = Buffer.alloc(MiB, 0x33);
      for (let i = 0; i < 64; i++) await conn.write(piece);
      // The staged file is there, growing.
      await new Promise((r) => setTimeout(r, 100));
      assert.equal(blobFiles(dataDir).tmp.length, 1, 'the upload is being staged');
      await server.kill9();
      conn.destroy();
      client.destroy();
      server = await spawnServer([], dataDir);
      client = s3();
      const got = await client.send(new GetObjectCommand({ Bucket: 'crash', Key: 'object' }));
      assert.equal(await got.Body!.transformToString(), old);
      const files = blobFiles(dataDir);
      assert.deepEqual(files.named, oldBlobs, 'only the old version’s blob remains');
      assert.deepEqual(files.tmp, [], 'the half-written upload was swept at start');
      const head = await client.send(new HeadObjectCommand({ Bucket: 'crash', Key: 'object' }));
      assert.equal(head.ContentLength, old.length);
    } finally {
      client.destroy();
      await server.stop();
    }
  });
});

import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdirSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { startTestServer, clientConfig, type TestServer } from '../helpers/server.js';
import { RawConnection, signedS3Head } from '../helpers/s3-raw.js';
import { blobFiles } from '../helpers/blob-files.js';

/**
 * What makes large transfers fast must not change what they mean: uploads written in
 * 1 MiB slabs with their MD5 on the hashing thread (src/store/blobs.ts, threaded-hash.ts),
 * blobs sent to the socket from reused buffers (src/store/blob-reader.ts).
 */

/** Deterministic bytes of a given seed. */
function bytesOf(size: number, seed: number): Buffer {
  const b = Buffer.allocUnsafe(size);
  let x = seed;
  for (let i = 0; i < size; i++) {
    x = (x * 1103515245 + 12345) & 0x7fffffff;
    b[i] = x >>> 16;
  }
  return b;
}

const MiB = 1024 * 1024;
const md5Etag = (b: Buffer) => `"${createHash('md5').update(b).digest('hex')}"`;

/** The server's open files under its blob folder (it runs in this process). */
function openBlobFiles(dataDir: string): string[] {
  const out: string[] = [];
  for (const fd of readdirSync('/proc/self/fd')) {
    try {
      const target = readlinkSync(join('/proc/self/fd', fd));
      if (target.startsWith(join(dataDir, 'blobs'))) out.push(target);
    } catch {
      // closed meanwhile
    }
  }
  return out;
}

describe('S3 large transfers: slabs, the hashing thread, reused read buffers', () => {
  let s: TestServer;
  let s3: S3Client;
  let port: number;
  before(async () => {
    s = await startTestServer();
    port = Number(new URL(s.url).port);
    s3 = new S3Client({ ...clientConfig(s), forcePathStyle: true });
    await s3.send(new CreateBucketCommand({ Bucket: 'big' }));
  });
  after(async () => {
    s3.destroy();
    await s.stop();
  });

  test('concurrent uploads of sizes around the 1 MiB slab each get their own MD5 ETag and bytes back', async () => {
    const sizes = [MiB - 1, MiB, MiB + 1, 2 * MiB + 3, 5 * MiB + 12345, 300 * 1024];
    const bodies = sizes.map((size, i) => bytesOf(size, i + 11));
    const puts = await Promise.all(bodies.map((Body, i) => s3.send(new PutObjectCommand({ Bucket: 'big', Key: `k${i}`, Body }))));
    for (const [i, put] of puts.entries()) assert.equal(put.ETag, md5Etag(bodies[i]), `object ${i} (${sizes[i]} bytes)`);
    for (const [i, body] of bodies.entries()) {
      const got = await s3.send(new GetObjectCommand({ Bucket: 'big', Key: `k${i}` }));
      assert.equal(got.ETag, md5Etag(body));
      assert.ok(Buffer.from(await got.Body!.transformToByteArray()).equals(body), `object ${i} read back`);
    }
  });

  test('a large upload whose Content-MD5 does not match (computed on the hashing thread): BadDigest, the previous version intact, no file left', async () => {
    const previous = bytesOf(2 * MiB, 41);
    await s3.send(new PutObjectCommand({ Bucket: 'big', Key: 'checked', Body: previous }));
    const before = blobFiles(s.dataDir).named.sort();
    const body = bytesOf(3 * MiB + 1, 42);
    const wrong = createHash('md5').update(previous).digest('base64');
    await assert.rejects(s3.send(new PutObjectCommand({ Bucket: 'big', Key: 'checked', Body: body, ContentMD5: wrong })), (err: unknown) => {
      assert.ok(err instanceof S3ServiceException);
      assert.equal(err.name, 'BadDigest');
      return true;
    });
    assert.deepEqual(blobFiles(s.dataDir).named.sort(), before);
    assert.deepEqual(blobFiles(s.dataDir).tmp, []);
    const got = await s3.send(new GetObjectCommand({ Bucket: 'big', Key: 'checked' }));
    assert.ok(Buffer.from(await got.Body!.transformToByteArray()).equals(previous));
  });

  test('two large GETs pipelined on one connection: both bodies whole and in order', async () => {
    const a = bytesOf(3 * MiB + 5, 21);
    const b = bytesOf(2 * MiB + 7, 22);
    await s3.send(new PutObjectCommand({ Bucket: 'big', Key: 'a', Body: a }));
    await s3.send(new PutObjectCommand({ Bucket: 'big', Key: 'b', Body: b }));
    const first = await signedS3Head(s.url, 'GET', '/big/a', s.root, {}, 'UNSIGNED-PAYLOAD');
    const second = await signedS3Head(s.url, 'GET', '/big/b', s.root, {}, 'UNSIGNED-PAYLOAD');
    const conn = new RawConnection(port);
    await conn.connected();
    await conn.write(first.head + second.head);
    const bodies: Buffer[] = [];
    const text = await conn.wait((t) => {
      bodies.length = 0;
      let at = 0;
      for (let i = 0; i < 2; i++) {
        const end = t.indexOf('\r\n\r\n', at);
        if (end < 0) return false;
        const length = Number(/content-length: *(\d+)/i.exec(t.slice(at, end))?.[1]);
        if (t.length < end + 4 + length) return false;
        bodies.push(Buffer.from(t.slice(end + 4, end + 4 + length), 'latin1'));
        at = end + 4 + length;
      }
      return true;
    }, 20_000);
    conn.destroy();
    assert.match(text, /^HTTP\/1\.1 200 /);
    assert.equal(bodies.length, 2);
    assert.ok(bodies[0].equals(a), 'first body');
    assert.ok(bodies[1].equals(b), 'second body');
  });

  test('a client that goes away during a large GET: the blob file is closed, and the server serves on', async () => {
    const body = bytesOf(16 * MiB, 31);
    await s3.send(new PutObjectCommand({ Bucket: 'big', Key: 'dropped', Body: body }));
    const req = await signedS3Head(s.url, 'GET', '/big/dropped', s.root, {}, 'UNSIGNED-PAYLOAD');
    const conn = new RawConnection(port);
    await conn.connected();
    // Not reading: the server's sends fill the socket buffers and wait.
    conn.socket.pause();
    await conn.write(req.head);
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(openBlobFiles(s.dataDir).length, 1, 'the blob is open while it is sent');
    conn.destroy();
    const deadline = Date.now() + 5000;
    while (openBlobFiles(s.dataDir).length > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    assert.deepEqual(openBlobFiles(s.dataDir), []);
    const got = await s3.send(new GetObjectCommand({ Bucket: 'big', Key: 'dropped', Range: 'bytes=1048570-3145740' }));
    assert.ok(Buffer.from(await got.Body!.transformToByteArray()).equals(body.subarray(1048570, 3145741)));
  });
});

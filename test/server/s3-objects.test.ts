import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { crc32 } from 'node:zlib';
import {
  CreateBucketCommand, GetObjectCommand, HeadObjectCommand, PutObjectCommand, S3Client, S3ServiceException,
} from '@aws-sdk/client-s3';
import { CreateAccessKeyCommand, CreateUserCommand, IAMClient, PutUserPolicyCommand } from '@aws-sdk/client-iam';
import { startTestServer, clientConfig, type TestServer } from '../helpers/server.js';
import { RawConnection, responseComplete, signedChunks, signedS3Head } from '../helpers/s3-raw.js';
import { blobFiles } from '../helpers/blob-files.js';


/** The SDK's error; a name of undefined for a bodiless answer (304), which it cannot name. */
async function rejects(p: Promise<unknown>, name: string | undefined, status?: number): Promise<S3ServiceException> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof S3ServiceException, String(err));
    if (name !== undefined) assert.equal(err.name, name, err.message);
    if (status !== undefined) assert.equal(err.$metadata.httpStatusCode, status);
    return err;
  }
  assert.fail(`expected ${name}`);
}

/** Deterministic bytes, generated in pieces (never a whole large buffer). */
function* pattern(total: number, piece = 64 * 1024, seed = 7): Generator<Buffer> {
  let x = seed;
  for (let at = 0; at < total; at += piece) {
    const n = Math.min(piece, total - at);
    const b = Buffer.allocUnsafe(n);
    for (let i = 0; i < n; i++) {
      x = (x * 1103515245 + 12345) & 0x7fffffff;
      b[i] = x >>> 16;
    }
    yield b;
  }
}
const whole = (total: number, seed = 7) => Buffer.concat([...pattern(total, 64 * 1024, seed)]);
const crc32b64 = (b: Buffer) => {
  const out = Buffer.alloc(4);
  out.writeUInt32BE(crc32(b) >>> 0);
  return out.toString('base64');
};

describe('S3 objects: PutObject, GetObject, HeadObject', () => {
  let s: TestServer;
  let s3: S3Client;
  let port: number;
  /** Headers of the last request the SDK sent (after signing). */
  let sent: Record<string, string> = {};
  before(async () => {
    s = await startTestServer();
    port = Number(new URL(s.url).port);
    s3 = new S3Client({ ...clientConfig(s), forcePathStyle: true });
    s3.middlewareStack.add((next) => async (args) => {
      sent = { ...(args.request as { headers: Record<string, string> }).headers };
      return next(args);
    }, { step: 'deserialize', name: 'captureSentHeaders' });
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

  test('a streamed upload goes aws-chunked with the SDK default CRC32 trailer; GET returns it (ChecksumMode) and the bytes', async () => {
    const size = 3 * 1024 * 1024 + 17;
    const put = await s3.send(new PutObjectCommand({ Bucket: 'objects', Key: 'streamed.bin', Body: Readable.from(pattern(size)), ContentLength: size }));
    assert.match(sent['content-encoding'] ?? '', /aws-chunked/);
    assert.equal(sent['x-amz-trailer'], 'x-amz-checksum-crc32');
    const expected = whole(size);
    assert.equal(put.ETag, `"${createHash('md5').update(expected).digest('hex')}"`);
    assert.equal(put.ChecksumCRC32, crc32b64(expected));
    const got = await s3.send(new GetObjectCommand({ Bucket: 'objects', Key: 'streamed.bin', ChecksumMode: 'ENABLED' }));
    assert.equal(got.ChecksumCRC32, crc32b64(expected));
    assert.equal(got.ContentLength, size);
    assert.ok(Buffer.from(await got.Body!.transformToByteArray()).equals(expected));
  });

  test('a Buffer upload sends its checksum as a header; a wrong one is BadDigest and nothing changes', async () => {
    const body = Buffer.from('checked by header');
    const put = await s3.send(new PutObjectCommand({ Bucket: 'objects', Key: 'header-sum', Body: body }));
    assert.equal(put.ChecksumCRC32, crc32b64(body));
    await rejects(s3.send(new PutObjectCommand({ Bucket: 'objects', Key: 'header-sum', Body: Buffer.from('other bytes'), ChecksumCRC32: crc32b64(body) })), 'BadDigest', 400);
    await rejects(s3.send(new PutObjectCommand({ Bucket: 'objects', Key: 'header-sum', Body: Buffer.from('other bytes'), ContentMD5: createHash('md5').update('x').digest('base64') })), 'BadDigest', 400);
    const got = await s3.send(new GetObjectCommand({ Bucket: 'objects', Key: 'header-sum' }));
    assert.equal(await got.Body!.transformToString(), 'checked by header');
  });

  test('Range GETs: first bytes, an open end, a suffix, past the end (InvalidRange 416); small and large objects', async () => {
    for (const size of [1000, 600 * 1024]) {
      const key = `ranged-${size}`;
      const data = whole(size, size);
      await s3.send(new PutObjectCommand({ Bucket: 'objects', Key: key, Body: data }));
      const cases: Array<[string, number, number]> = [['bytes=0-9', 0, 9], [`bytes=${size - 100}-`, size - 100, size - 1], ['bytes=-5', size - 5, size - 1], [`bytes=10-${size + 50}`, 10, size - 1]];
      for (const [range, start, end] of cases) {
        const got = await s3.send(new GetObjectCommand({ Bucket: 'objects', Key: key, Range: range, ChecksumMode: 'ENABLED' }));
        assert.equal(got.$metadata.httpStatusCode, 206, range);
        assert.equal(got.ContentRange, `bytes ${start}-${end}/${size}`);
        assert.equal(got.ContentLength, end - start + 1);
        assert.equal(got.ChecksumCRC32, undefined, 'no whole-object checksum with a range');
        assert.ok(Buffer.from(await got.Body!.transformToByteArray()).equals(data.subarray(start, end + 1)), range);
      }
      await rejects(s3.send(new GetObjectCommand({ Bucket: 'objects', Key: key, Range: `bytes=${size}-` })), 'InvalidRange', 416);
      const head = await s3.send(new HeadObjectCommand({ Bucket: 'objects', Key: key, Range: 'bytes=0-0' }));
      assert.equal(head.ContentLength, 1);
      assert.equal(head.$metadata.httpStatusCode, 206);
    }
  });

  test('conditional reads and writes: If-None-Match 304, If-Match 412, If-None-Match: * on write', async () => {
    const put = await s3.send(new PutObjectCommand({ Bucket: 'objects', Key: 'cond', Body: 'v1' }));
    // Real S3 answers 304 with no body too, so the SDK cannot name it.
    await rejects(s3.send(new GetObjectCommand({ Bucket: 'objects', Key: 'cond', IfNoneMatch: put.ETag })), undefined, 304);
    const last = new Date(Date.now() + 5000);
    await rejects(s3.send(new HeadObjectCommand({ Bucket: 'objects', Key: 'cond', IfModifiedSince: last })), undefined, 304);
    assert.equal((await s3.send(new HeadObjectCommand({ Bucket: 'objects', Key: 'cond', IfModifiedSince: new Date(Date.now() - 60_000) }))).ETag, put.ETag);
    await rejects(s3.send(new GetObjectCommand({ Bucket: 'objects', Key: 'cond', IfMatch: '"nope"' })), 'PreconditionFailed', 412);
    await rejects(s3.send(new PutObjectCommand({ Bucket: 'objects', Key: 'cond', Body: 'v2', IfNoneMatch: '*' })), 'PreconditionFailed', 412);
    await s3.send(new PutObjectCommand({ Bucket: 'objects', Key: 'cond', Body: 'v2', IfMatch: put.ETag }));
    assert.equal(await (await s3.send(new GetObjectCommand({ Bucket: 'objects', Key: 'cond' }))).Body!.transformToString(), 'v2');
  });

  test('missing things: NoSuchKey, NoSuchBucket; an empty object has no blob', async () => {
    await rejects(s3.send(new GetObjectCommand({ Bucket: 'objects', Key: 'absent' })), 'NoSuchKey', 404);
    await rejects(s3.send(new GetObjectCommand({ Bucket: 'no-such-bucket-here', Key: 'k' })), 'NoSuchBucket', 404);
    await rejects(s3.send(new PutObjectCommand({ Bucket: 'no-such-bucket-here', Key: 'k', Body: 'x' })), 'NoSuchBucket', 404);
    await s3.send(new PutObjectCommand({ Bucket: 'objects', Key: 'empty', Body: '' }));
    const got = await s3.send(new GetObjectCommand({ Bucket: 'objects', Key: 'empty' }));
    assert.equal(got.ContentLength, 0);
    assert.equal(await got.Body!.transformToString(), '');
    assert.equal(got.ETag, '"d41d8cd98f00b204e9800998ecf8427e"');
  });

  test('an overwrite unlinks the replaced blob once committed: one file per object, none half-written', async () => {
    // Over 16 KiB: a file each (smaller objects keep their bytes in their row).
    for (let i = 0; i < 5; i++) await s3.send(new PutObjectCommand({ Bucket: 'objects', Key: 'overwritten', Body: `version ${i}`.padEnd(20_000, '.') }));
    await new Promise((r) => setTimeout(r, 50));
    const rows = s.app.store.db.prepare("SELECT count(*) AS n FROM s3_objects WHERE blob_id IS NOT NULL").get() as { n: number };
    const files = blobFiles(s.dataDir);
    assert.equal(files.named.length, rows.n);
    assert.deepEqual(files.tmp, []);
    assert.equal(await (await s3.send(new GetObjectCommand({ Bucket: 'objects', Key: 'overwritten' }))).Body!.transformToString(), 'version 4'.padEnd(20_000, '.'));
    // Small ones: no file at all, whichever way they were sent.
    const filesBefore = blobFiles(s.dataDir).named.length;
    await s3.send(new PutObjectCommand({ Bucket: 'objects', Key: 'small-buffer', Body: Buffer.alloc(16 * 1024, 1) }));
    await s3.send(new PutObjectCommand({ Bucket: 'objects', Key: 'small-stream', Body: Readable.from(pattern(10_000, 8192)), ContentLength: 10_000 }));
    assert.equal(blobFiles(s.dataDir).named.length, filesBefore);
    const streamed = await s3.send(new GetObjectCommand({ Bucket: 'objects', Key: 'small-stream', ChecksumMode: 'ENABLED' }));
    assert.equal(streamed.ChecksumCRC32, crc32b64(whole(10_000)));
    assert.ok(Buffer.from(await streamed.Body!.transformToByteArray()).equals(whole(10_000)));
  });

  test('a bad chunk signature aborts the upload: SignatureDoesNotMatch, the previous version and the blobs untouched', async () => {
    await s3.send(new PutObjectCommand({ Bucket: 'objects', Key: 'chunky', Body: 'previous' }));
    const before = blobFiles(s.dataDir).named.sort();
    const chunks = [...pattern(200 * 1024, 64 * 1024)];
    const decoded = chunks.reduce((n, c) => n + c.length, 0);
    for (const corruptAt of [0, 2, 4]) {
      const req = await signedS3Head(s.url, 'PUT', '/objects/chunky', s.root, {
        'content-encoding': 'aws-chunked', 'x-amz-decoded-content-length': String(decoded), 'transfer-encoding': 'chunked',
      }, 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD');
      const conn = new RawConnection(port);
      await conn.connected();
      await conn.write(req.head);
      // HTTP chunked transfer coding around the aws-chunked body (its length is not known up front).
      for (const framed of signedChunks(req, chunks, corruptAt)) await conn.write(Buffer.concat([Buffer.from(`${framed.length.toString(16)}\r\n`), framed, Buffer.from('\r\n')]));
      await conn.write('0\r\n\r\n');
      const text = await conn.wait(responseComplete);
      conn.destroy();
      assert.match(text, /^HTTP\/1\.1 403 /, `corrupt chunk ${corruptAt}: ${text.slice(0, 300)}`);
      assert.match(text, /<Code>SignatureDoesNotMatch<\/Code>/);
    }
    // The same upload, signed right, goes through.
    const req = await signedS3Head(s.url, 'PUT', '/objects/chunky', s.root, {
      'content-encoding': 'aws-chunked', 'x-amz-decoded-content-length': String(decoded), 'transfer-encoding': 'chunked',
    }, 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD');
    await new Promise((r) => setTimeout(r, 50));
    assert.deepEqual(blobFiles(s.dataDir).named.sort(), before);
    assert.deepEqual(blobFiles(s.dataDir).tmp, []);
    assert.equal(await (await s3.send(new GetObjectCommand({ Bucket: 'objects', Key: 'chunky' }))).Body!.transformToString(), 'previous');
    const conn = new RawConnection(port);
    await conn.connected();
    await conn.write(req.head);
    for (const framed of signedChunks(req, chunks)) await conn.write(Buffer.concat([Buffer.from(`${framed.length.toString(16)}\r\n`), framed, Buffer.from('\r\n')]));
    await conn.write('0\r\n\r\n');
    const text = await conn.wait(responseComplete);
    conn.destroy();
    assert.match(text, /^HTTP\/1\.1 200 /, text.slice(0, 300));
    const got = await s3.send(new GetObjectCommand({ Bucket: 'objects', Key: 'chunky' }));
    assert.ok(Buffer.from(await got.Body!.transformToByteArray()).equals(Buffer.concat(chunks)));
  });

  test('a body cut short (the client goes away) leaves the previous version and no file behind', async () => {
    await s3.send(new PutObjectCommand({ Bucket: 'objects', Key: 'cut', Body: 'intact' }));
    const before = blobFiles(s.dataDir).named.sort();
    const req = await signedS3Head(s.url, 'PUT', '/objects/cut', s.root, { 'content-length': String(4 * 1024 * 1024) }, 'UNSIGNED-PAYLOAD');
    const conn = new RawConnection(port);
    await conn.connected();
    await conn.write(req.head);
    for (const piece of pattern(1024 * 1024)) await conn.write(piece);
    await new Promise((r) => setTimeout(r, 100));
    conn.destroy();
    await new Promise((r) => setTimeout(r, 200));
    assert.deepEqual(blobFiles(s.dataDir).named.sort(), before);
    assert.deepEqual(blobFiles(s.dataDir).tmp, []);
    assert.equal(await (await s3.send(new GetObjectCommand({ Bucket: 'objects', Key: 'cut' }))).Body!.transformToString(), 'intact');
  });

  test('Expect: 100-continue: a denied upload is refused before its body is sent; an allowed one gets 100 Continue', async () => {
    const iam = new IAMClient(clientConfig(s));
    await iam.send(new CreateUserCommand({ UserName: 'reader' }));
    await iam.send(new PutUserPolicyCommand({ UserName: 'reader', PolicyName: 'read', PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }] }) }));
    const key = (await iam.send(new CreateAccessKeyCommand({ UserName: 'reader' }))).AccessKey!;
    iam.destroy();
    const reader = { accessKeyId: key.AccessKeyId!, secretAccessKey: key.SecretAccessKey! };
    const length = 64 * 1024 * 1024;
    const denied = await signedS3Head(s.url, 'PUT', '/objects/denied', reader, { 'content-length': String(length), expect: '100-continue' }, 'UNSIGNED-PAYLOAD');
    const conn = new RawConnection(port);
    await conn.connected();
    await conn.write(denied.head);
    const text = await conn.wait((t) => responseComplete(t));
    assert.match(text, /^HTTP\/1\.1 403 Forbidden\r\n/, 'the answer comes first, with no 100 Continue');
    assert.match(text, /<Code>AccessDenied<\/Code>/);
    assert.match(text, /connection: close/);
    await conn.wait(() => false, 3000);
    assert.equal(conn.closed, true, 'the connection closes: its body is never read');
    const allowed = await signedS3Head(s.url, 'PUT', '/objects/allowed', s.root, { 'content-length': '5', expect: '100-continue' }, 'UNSIGNED-PAYLOAD');
    const ok = new RawConnection(port);
    await ok.connected();
    await ok.write(allowed.head);
    assert.equal(await ok.wait((t) => t.includes('\r\n\r\n')), 'HTTP/1.1 100 Continue\r\n\r\n');
    await ok.write('12345');
    assert.match(await ok.wait((t) => /\r\n\r\nHTTP\/1\.1 200/.test(t)), /HTTP\/1\.1 200 OK/);
    ok.destroy();
  });
});

describe('S3 object bytes and account resets', () => {
  test('an account reset removes its objects’ files once it has committed', async () => {
    const s = await startTestServer();
    const s3 = new S3Client({ ...clientConfig(s), forcePathStyle: true });
    try {
      await s3.send(new CreateBucketCommand({ Bucket: 'wiped' }));
      for (let i = 0; i < 3; i++) await s3.send(new PutObjectCommand({ Bucket: 'wiped', Key: `k${i}`, Body: Buffer.alloc(20_000, i) }));
      assert.equal(blobFiles(s.dataDir).named.length, 3);
      const { resetAccount } = await import('../../src/identity/accounts.js');
      resetAccount(s.app.store, s.app.config.accountId);
      await new Promise((r) => setTimeout(r, 50));
      assert.deepEqual(blobFiles(s.dataDir).named, []);
    } finally {
      s3.destroy();
      await s.stop();
    }
  });
});

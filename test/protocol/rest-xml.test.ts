import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import {
  S3Client,
  CreateBucketCommand,
  PutObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  ListObjectsCommand,
  ListBucketsCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetBucketLocationCommand,
  PutBucketVersioningCommand,
  GetBucketVersioningCommand,
  CreateMultipartUploadCommand,
  UploadPartCommand,
  CompleteMultipartUploadCommand,
  ListPartsCommand,
  CopyObjectCommand,
  PutObjectAclCommand,
  GetObjectAclCommand,
  PutBucketPolicyCommand,
  GetBucketPolicyCommand,
  PutBucketTaggingCommand,
} from '@aws-sdk/client-s3';
import { AwsError, decodeRequest, detectService, encodeError, encodeResponse } from '../../src/protocol/index.js';
import { isAwsChunked, unframedHeaders, unframeUnverified } from '../../src/auth/sigv4/chunked.js';
import { loopbackHandler, startWireServer, testCredentials, type WireServer } from './wire-server.js';

let reply: (op: string, input: Record<string, unknown>) => unknown = () => ({});
let decoded: { operation?: string; input?: Record<string, unknown> } = {};
let server: WireServer;

function unframe(headers: Record<string, string>, body: Buffer): { headers: Record<string, string>; body: Buffer } {
  const { payload, trailers } = unframeUnverified(headers, body);
  return { headers: unframedHeaders(headers, trailers), body: payload };
}

before(async () => {
  server = await startWireServer((req) => {
    assert.equal(detectService(req), 's3');
    try {
      // Unframed as the server's authentication step does it (this harness checks no signature).
      const plain = isAwsChunked(req.headers) ? { ...req, ...unframe(req.headers, req.body) } : req;
      const { operation, input } = decodeRequest('s3', plain);
      decoded = { operation, input };
      return encodeResponse('s3', operation, reply(operation, input), 's3-req');
    } catch (e) {
      if (e instanceof AwsError) return encodeError('s3', e, 's3-err');
      throw e;
    }
  });
});
after(() => server.close());

const s3 = () =>
  new S3Client({
    endpoint: server.endpoint,
    region: 'us-east-1',
    credentials: testCredentials,
    forcePathStyle: true,
    maxAttempts: 1,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });

/** Virtual-hosted addressing: the SDK puts the bucket in the Host (bucket.s3.localhost:port). */
const s3Virtual = () =>
  new S3Client({
    endpoint: server.endpoint.replace('127.0.0.1', 's3.localhost'),
    region: 'us-east-1',
    credentials: testCredentials,
    maxAttempts: 1,
    requestHandler: loopbackHandler(),
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });

test('S3 CreateBucket: path-style label and XML payload', async () => {
  reply = () => ({ Location: '/photos' });
  const out = await s3().send(new CreateBucketCommand({ Bucket: 'photos', CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' } }));
  assert.equal(decoded.operation, 'CreateBucket');
  assert.deepEqual(decoded.input, { Bucket: 'photos', CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' } });
  assert.equal(out.Location, '/photos');
});

test('S3 PutObject / GetObject: raw body, metadata headers, typed headers both ways', async () => {
  const modified = new Date('2024-02-03T04:05:06Z');
  reply = () => ({ ETag: '"abc"', VersionId: 'v1' });
  const put = await s3().send(
    new PutObjectCommand({ Bucket: 'photos', Key: 'dir/a b+c.txt', Body: 'hello world', ContentType: 'text/plain', Metadata: { owner: 'bob' } }),
  );
  assert.equal(decoded.operation, 'PutObject');
  assert.equal(decoded.input?.Key, 'dir/a b+c.txt');
  assert.deepEqual(decoded.input?.Body, Buffer.from('hello world'));
  assert.equal(decoded.input?.ContentType, 'text/plain');
  assert.deepEqual(decoded.input?.Metadata, { owner: 'bob' });
  assert.equal(put.ETag, '"abc"');
  assert.equal(put.VersionId, 'v1');

  reply = () => ({ Body: Buffer.from('hello world'), ContentType: 'text/plain', ContentLength: 11, LastModified: modified, ETag: '"abc"', Metadata: { owner: 'bob' } });
  const got = await s3().send(new GetObjectCommand({ Bucket: 'photos', Key: 'dir/a b+c.txt', Range: 'bytes=0-4' }));
  assert.equal(decoded.operation, 'GetObject');
  assert.equal(decoded.input?.Range, 'bytes=0-4');
  assert.equal(await got.Body?.transformToString(), 'hello world');
  assert.equal(got.ContentType, 'text/plain');
  assert.equal(got.ContentLength, 11);
  assert.equal(got.LastModified?.getTime(), modified.getTime());
  assert.deepEqual(got.Metadata, { owner: 'bob' });
});

test('S3 GetObject: a streamed payload is handed back as a stream', async () => {
  reply = () => ({ Body: Readable.from([Buffer.from('chunk1-'), Buffer.from('chunk2')]), ContentType: 'application/octet-stream' });
  const got = await s3().send(new GetObjectCommand({ Bucket: 'photos', Key: 'big' }));
  assert.equal(await got.Body?.transformToString(), 'chunk1-chunk2');
});

test('S3 HeadObject and DeleteObject (204)', async () => {
  reply = () => ({ ContentLength: 5, ETag: '"x"', LastModified: new Date(0) });
  const head = await s3().send(new HeadObjectCommand({ Bucket: 'photos', Key: 'k' }));
  assert.equal(decoded.operation, 'HeadObject');
  assert.equal(head.ContentLength, 5);
  reply = () => ({});
  const del = await s3().send(new DeleteObjectCommand({ Bucket: 'photos', Key: 'k' }));
  assert.equal(decoded.operation, 'DeleteObject');
  assert.equal(del.$metadata.httpStatusCode, 204);
});

test('S3 ListObjectsV2 vs ListObjects: the list-type discriminator; flattened lists encode', async () => {
  const lm = new Date('2024-01-01T00:00:00.250Z');
  reply = () => ({
    Name: 'photos',
    Prefix: 'dir/',
    KeyCount: 2,
    MaxKeys: 1000,
    IsTruncated: false,
    Contents: [
      { Key: 'dir/a', Size: 1, LastModified: lm, ETag: '"1"', StorageClass: 'STANDARD' },
      { Key: 'dir/b', Size: 2, LastModified: lm, ETag: '"2"', StorageClass: 'STANDARD' },
    ],
    CommonPrefixes: [{ Prefix: 'dir/sub/' }],
  });
  const out = await s3().send(new ListObjectsV2Command({ Bucket: 'photos', Prefix: 'dir/', Delimiter: '/', MaxKeys: 1000 }));
  assert.equal(decoded.operation, 'ListObjectsV2');
  assert.deepEqual(decoded.input, { Bucket: 'photos', Prefix: 'dir/', Delimiter: '/', MaxKeys: 1000 });
  assert.deepEqual(out.Contents?.map((c) => [c.Key, c.Size, c.LastModified?.getTime()]), [
    ['dir/a', 1, lm.getTime()],
    ['dir/b', 2, lm.getTime()],
  ]);
  assert.deepEqual(out.CommonPrefixes, [{ Prefix: 'dir/sub/' }]);
  assert.equal(out.KeyCount, 2);
  const xml = encodeResponse('s3', 'ListObjectsV2', { Name: 'photos', Contents: [{ Key: 'a', LastModified: lm }] }, 'r').body.toString();
  assert.match(xml, /^<\?xml version="1.0" encoding="UTF-8"\?>\n<ListBucketResult xmlns="http:\/\/s3.amazonaws.com\/doc\/2006-03-01\/">/);
  assert.match(xml, /<Contents><Key>a<\/Key><LastModified>2024-01-01T00:00:00.250Z<\/LastModified><\/Contents>/);

  reply = () => ({ Name: 'photos', Contents: [] });
  await s3().send(new ListObjectsCommand({ Bucket: 'photos' }));
  assert.equal(decoded.operation, 'ListObjects');
});

test('S3 ListBuckets at the service root', async () => {
  reply = () => ({ Buckets: [{ Name: 'a', CreationDate: new Date(0) }, { Name: 'b', CreationDate: new Date(0) }], Owner: { ID: 'owner' } });
  const out = await s3().send(new ListBucketsCommand({}));
  assert.equal(decoded.operation, 'ListBuckets');
  assert.deepEqual(out.Buckets?.map((b) => b.Name), ['a', 'b']);
  assert.equal(out.Owner?.ID, 'owner');
});

test('S3 virtual-hosted requests: the bucket comes from the Host header', async () => {
  reply = () => ({ Body: Buffer.from('v'), ContentType: 'text/plain' });
  const got = await s3Virtual().send(new GetObjectCommand({ Bucket: 'vbucket', Key: 'x/y.txt' }));
  const sent = server.requests.at(-1)!;
  assert.match(sent.headers.host ?? '', /^vbucket\.s3\.localhost:\d+$/);
  assert.equal(sent.path, '/x/y.txt');
  assert.deepEqual(decoded.input, { Bucket: 'vbucket', Key: 'x/y.txt' });
  assert.equal(await got.Body?.transformToString(), 'v');
  reply = () => ({ Name: 'vbucket', Contents: [] });
  await s3Virtual().send(new ListObjectsV2Command({ Bucket: 'vbucket' }));
  assert.equal(decoded.operation, 'ListObjectsV2');
  assert.equal(decoded.input?.Bucket, 'vbucket');
  // Dotted names the SDK sends path-style; other clients put them in the Host.
  const dotted = decodeRequest('s3', { method: 'GET', path: '/a%20b', rawQuery: '', headers: { host: 'my.bucket.localhost:4566' }, body: Buffer.alloc(0) });
  assert.deepEqual(dotted, { operation: 'GetObject', input: { Bucket: 'my.bucket', Key: 'a b' } });
  const bucketOnly = decodeRequest('s3', { method: 'GET', path: '/', rawQuery: 'versioning', headers: { host: 'logs.s3.us-east-1.amazonaws.com' }, body: Buffer.alloc(0) });
  assert.deepEqual(bucketOnly, { operation: 'GetBucketVersioning', input: { Bucket: 'logs' } });
});

test('S3 DeleteObjects: XML list in, flattened results out', async () => {
  reply = (_op, input) => ({
    Deleted: ((input.Delete as any).Objects as any[]).map((o) => ({ Key: o.Key })),
    Errors: [{ Key: 'locked', Code: 'AccessDenied', Message: 'Access Denied' }],
  });
  const out = await s3().send(
    new DeleteObjectsCommand({ Bucket: 'photos', Delete: { Objects: [{ Key: 'a' }, { Key: ' spaced ', VersionId: 'v1' }], Quiet: false } }),
  );
  assert.equal(decoded.operation, 'DeleteObjects');
  assert.deepEqual(decoded.input?.Delete, { Objects: [{ Key: 'a' }, { Key: ' spaced ', VersionId: 'v1' }], Quiet: false });
  assert.deepEqual(out.Deleted?.map((d) => d.Key), ['a', ' spaced ']);
  assert.equal(out.Errors?.[0].Code, 'AccessDenied');
});

test('S3 GetBucketLocation: the lone scalar is the root element', async () => {
  reply = () => ({ LocationConstraint: 'eu-west-1' });
  const out = await s3().send(new GetBucketLocationCommand({ Bucket: 'photos' }));
  assert.equal(out.LocationConstraint, 'eu-west-1');
  assert.match(encodeResponse('s3', 'GetBucketLocation', { LocationConstraint: 'eu-west-1' }, 'r').body.toString(), /<LocationConstraint xmlns="http:\/\/s3.amazonaws.com\/doc\/2006-03-01\/">eu-west-1<\/LocationConstraint>$/);
});

test('S3 versioning configuration both ways', async () => {
  reply = () => ({});
  await s3().send(new PutBucketVersioningCommand({ Bucket: 'photos', VersioningConfiguration: { Status: 'Enabled' } }));
  assert.equal(decoded.operation, 'PutBucketVersioning');
  assert.deepEqual(decoded.input?.VersioningConfiguration, { Status: 'Enabled' });
  reply = () => ({ Status: 'Suspended' });
  const out = await s3().send(new GetBucketVersioningCommand({ Bucket: 'photos' }));
  assert.equal(decoded.operation, 'GetBucketVersioning');
  assert.equal(out.Status, 'Suspended');
});

test('S3 multipart: uploads / uploadId / partNumber pick the operation', async () => {
  reply = () => ({ Bucket: 'photos', Key: 'big', UploadId: 'up-1' });
  const created = await s3().send(new CreateMultipartUploadCommand({ Bucket: 'photos', Key: 'big' }));
  assert.equal(decoded.operation, 'CreateMultipartUpload');
  assert.equal(created.UploadId, 'up-1');
  reply = () => ({ ETag: '"p1"' });
  const part = await s3().send(new UploadPartCommand({ Bucket: 'photos', Key: 'big', UploadId: 'up-1', PartNumber: 1, Body: Buffer.from('part') }));
  assert.equal(decoded.operation, 'UploadPart');
  assert.equal(decoded.input?.PartNumber, 1);
  assert.equal(part.ETag, '"p1"');
  reply = () => ({ Bucket: 'photos', Key: 'big', UploadId: 'up-1', Parts: [{ PartNumber: 1, ETag: '"p1"', Size: 4 }] });
  const parts = await s3().send(new ListPartsCommand({ Bucket: 'photos', Key: 'big', UploadId: 'up-1' }));
  assert.equal(decoded.operation, 'ListParts');
  assert.equal(parts.Parts?.[0].Size, 4);
  reply = () => ({ Location: 'http://x/photos/big', Bucket: 'photos', Key: 'big', ETag: '"m-1"' });
  const done = await s3().send(
    new CompleteMultipartUploadCommand({ Bucket: 'photos', Key: 'big', UploadId: 'up-1', MultipartUpload: { Parts: [{ PartNumber: 1, ETag: '"p1"' }] } }),
  );
  assert.equal(decoded.operation, 'CompleteMultipartUpload');
  assert.deepEqual(decoded.input?.MultipartUpload, { Parts: [{ PartNumber: 1, ETag: '"p1"' }] });
  assert.equal(done.ETag, '"m-1"');
});

test('S3 CopyObject: the copy-source header selects it; the result payload is XML', async () => {
  const lm = new Date('2024-06-01T00:00:00Z');
  reply = () => ({ CopyObjectResult: { ETag: '"c"', LastModified: lm } });
  const out = await s3().send(new CopyObjectCommand({ Bucket: 'photos', Key: 'copy', CopySource: 'photos/orig' }));
  assert.equal(decoded.operation, 'CopyObject');
  assert.equal(decoded.input?.CopySource, 'photos/orig');
  assert.equal(out.CopyObjectResult?.ETag, '"c"');
  assert.equal(out.CopyObjectResult?.LastModified?.getTime(), lm.getTime());
});

test('S3 ACLs: the Grantee xsi:type attribute and its namespace', async () => {
  const acl = {
    Owner: { ID: 'owner-id' },
    Grants: [
      { Grantee: { Type: 'CanonicalUser' as const, ID: 'owner-id' }, Permission: 'FULL_CONTROL' as const },
      { Grantee: { Type: 'Group' as const, URI: 'http://acs.amazonaws.com/groups/global/AllUsers' }, Permission: 'READ' as const },
    ],
  };
  reply = () => ({});
  await s3().send(new PutObjectAclCommand({ Bucket: 'photos', Key: 'k', AccessControlPolicy: acl }));
  assert.equal(decoded.operation, 'PutObjectAcl');
  assert.deepEqual(decoded.input?.AccessControlPolicy, acl);
  reply = () => acl;
  const out = await s3().send(new GetObjectAclCommand({ Bucket: 'photos', Key: 'k' }));
  assert.deepEqual(out.Grants, acl.Grants);
  const xml = encodeResponse('s3', 'GetObjectAcl', acl, 'r').body.toString();
  assert.match(xml, /<Grantee xmlns:xsi="http:\/\/www.w3.org\/2001\/XMLSchema-instance" xsi:type="CanonicalUser"><ID>owner-id<\/ID><\/Grantee>/);
});

test('S3 bucket policy: a string payload both ways', async () => {
  const policy = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::photos/*"}]}';
  reply = () => ({});
  await s3().send(new PutBucketPolicyCommand({ Bucket: 'photos', Policy: policy }));
  assert.equal(decoded.operation, 'PutBucketPolicy');
  assert.equal(decoded.input?.Policy, policy);
  reply = () => ({ Policy: policy });
  const out = await s3().send(new GetBucketPolicyCommand({ Bucket: 'photos' }));
  assert.equal(out.Policy, policy);
});

test('S3 errors: code, message, extra members and status reach the SDK', async () => {
  reply = () => {
    throw new AwsError('NoSuchKey', 'The specified key does not exist.', 404, { extra: { Key: 'missing' } });
  };
  await assert.rejects(s3().send(new GetObjectCommand({ Bucket: 'photos', Key: 'missing' })), (e: any) => {
    assert.equal(e.name, 'NoSuchKey');
    assert.equal(e.message, 'The specified key does not exist.');
    assert.equal(e.$metadata.httpStatusCode, 404);
    assert.equal(e.$metadata.requestId, 's3-err');
    return true;
  });
  const body = encodeError('s3', new AwsError('NoSuchBucket', 'The specified bucket does not exist', 404, { extra: { BucketName: 'b&b' } }), 'rid').body.toString();
  assert.match(body, /^<\?xml version="1.0" encoding="UTF-8"\?>\n<Error><Code>NoSuchBucket<\/Code><Message>The specified bucket does not exist<\/Message><BucketName>b&amp;b<\/BucketName><RequestId>rid<\/RequestId><HostId>/);
});

test('S3: malformed XML bodies and a missing required element are MalformedXML', async () => {
  reply = () => ({});
  const bad = (body: string) => {
    try {
      decodeRequest('s3', { method: 'PUT', path: '/photos', rawQuery: 'tagging', headers: { host: 'localhost:4566' }, body: Buffer.from(body) });
    } catch (e) {
      return e as AwsError;
    }
    assert.fail('expected an error');
  };
  assert.equal(bad('<Tagging><TagSet><Tag><Key>a</Key></TagSet>').code, 'MalformedXML');
  const missing = bad('<Tagging><TagSet><Tag><Key>a</Key></Tag></TagSet></Tagging>');
  assert.equal(missing.code, 'MalformedXML');
  assert.equal(missing.status, 400);
  await s3().send(new PutBucketTaggingCommand({ Bucket: 'photos', Tagging: { TagSet: [{ Key: 'a', Value: '1' }] } }));
  assert.deepEqual(decoded.input?.Tagging, { TagSet: [{ Key: 'a', Value: '1' }] });
});

test('S3: methods no operation takes, unknown paths, and bad integers', () => {
  const err = (method: string, path: string, rawQuery = '') => {
    try {
      decodeRequest('s3', { method, path, rawQuery, headers: {}, body: Buffer.alloc(0) });
    } catch (e) {
      return e as AwsError;
    }
    assert.fail('expected an error');
  };
  const notAllowed = err('PATCH', '/photos/key');
  assert.equal(notAllowed.code, 'MethodNotAllowed');
  assert.equal(notAllowed.status, 405);
  assert.deepEqual(notAllowed.extra, { Method: 'PATCH', ResourceType: 'OBJECT' });
  assert.equal(err('DELETE', '/').code, 'MethodNotAllowed');
  const notImplemented = err('POST', '/');
  assert.equal(notImplemented.status, 405);
  const maxKeys = err('GET', '/photos', 'list-type=2&max-keys=lots');
  assert.equal(maxKeys.code, 'InvalidArgument');
  assert.equal(maxKeys.message, 'Provided max-keys not an integer or within integer range');
  assert.deepEqual(maxKeys.extra, { ArgumentName: 'max-keys', ArgumentValue: 'lots' });
});

test('S3: skipPayload leaves a streamed body for the server to supply', () => {
  const req = { method: 'PUT', path: '/photos/big.bin', rawQuery: '', headers: { 'content-length': '3' }, body: Buffer.from('abc') };
  assert.deepEqual(decodeRequest('s3', req, { skipPayload: true }), { operation: 'PutObject', input: { Bucket: 'photos', Key: 'big.bin', ContentLength: 3 } });
  assert.deepEqual(decodeRequest('s3', req).input.Body, Buffer.from('abc'));
});

test('S3 streaming PutObject (aws-chunked with a checksum trailer) decodes to the plain payload', async () => {
  const client = new S3Client({ endpoint: server.endpoint, region: 'us-east-1', credentials: testCredentials, forcePathStyle: true, maxAttempts: 1 });
  reply = () => ({ ETag: '"e"' });
  await client.send(new PutObjectCommand({ Bucket: 'photos', Key: 'stream', Body: Readable.from([Buffer.from('hello stream')]), ContentLength: 12 }));
  assert.equal(server.requests.at(-1)!.headers['content-encoding'], 'aws-chunked');
  assert.deepEqual(decoded.input?.Body, Buffer.from('hello stream'));
  assert.equal(decoded.input?.ContentLength, 12);
  assert.equal(decoded.input?.ContentEncoding, undefined);
  assert.equal(typeof decoded.input?.ChecksumCRC32, 'string');
});

test('S3: a payload document must have the root element the model names', () => {
  const decode = (body: string) =>
    decodeRequest('s3', { method: 'PUT', path: '/photos', rawQuery: 'versioning', headers: {}, body: Buffer.from(body) });
  assert.deepEqual(decode('<VersioningConfiguration><Status>Enabled</Status></VersioningConfiguration>').input, {
    Bucket: 'photos',
    VersioningConfiguration: { Status: 'Enabled' },
  });
  assert.throws(() => decode('<Tagging><Status>Enabled</Status></Tagging>'), (e: AwsError) => e.code === 'MalformedXML');
  assert.throws(() => decode('<VersioningConfiguration><Status>Sometimes</Status></VersioningConfiguration>'), (e: AwsError) => e.code === 'MalformedXML');
});

test('S3: keys with CR, LF, ampersands and angle brackets survive the XML round trip', async () => {
  const key = 'odd\r\nkey & <name> "q" \'s\'';
  reply = () => ({ Name: 'photos', Contents: [{ Key: key, Size: 1 }] });
  const out = await s3().send(new ListObjectsV2Command({ Bucket: 'photos' }));
  assert.equal(out.Contents?.[0].Key, key);
  reply = (_op, input) => ({ Deleted: ((input.Delete as any).Objects as any[]).map((o) => ({ Key: o.Key })) });
  const del = await s3().send(new DeleteObjectsCommand({ Bucket: 'photos', Delete: { Objects: [{ Key: key }] } }));
  assert.deepEqual((decoded.input?.Delete as any).Objects, [{ Key: key }]);
  assert.equal(del.Deleted?.[0].Key, key);
});

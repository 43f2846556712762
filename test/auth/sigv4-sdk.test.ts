/**
 * Requests recorded from the real AWS SDK clients (a node:http recorder stands in for AWS)
 * must verify: this is what users point at iamlocal.
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { DescribeRegionsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { IAMClient, ListUsersCommand } from '@aws-sdk/client-iam';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { checksumOf } from '../../src/auth/sigv4/checksums.js';
import { verifyRequest, type ServiceFamily } from '../../src/auth/sigv4/verify.js';
import type { WireRequest } from '../../src/protocol/errors.js';
import { LONG_TERM, lookupOf, TEMPORARY } from './sigv4-oracle.js';

let server: Server;
let endpoint: string;
const recorded: WireRequest[] = [];

before(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = req.url ?? '/';
      const q = url.indexOf('?');
      recorded.push({
        method: req.method ?? 'GET',
        path: q < 0 ? url : url.slice(0, q),
        rawQuery: q < 0 ? '' : url.slice(q + 1),
        headers: req.headers as Record<string, string>,
        body: Buffer.concat(chunks),
      });
      // Enough of an answer for the SDK to stop; what it makes of it does not matter here.
      res.writeHead(200, { etag: '"0"', 'content-type': 'application/xml', 'content-length': '0' });
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** Sends one command and returns the request the recorder saw. */
async function record(send: () => Promise<unknown>): Promise<WireRequest> {
  const before = recorded.length;
  await send().catch(() => undefined);
  assert.equal(recorded.length, before + 1, 'the SDK sent exactly one request');
  return recorded[before];
}

const keys = [LONG_TERM, TEMPORARY];
const lookup = lookupOf(...keys);
const config = (key = LONG_TERM, region = 'us-east-1') => ({ endpoint, region, credentials: key, maxAttempts: 1 });
const verify = (req: WireRequest, family: ServiceFamily, service?: string) => verifyRequest(req, { family, lookup, now: Date.now(), service });

describe('SigV4: requests of the real AWS SDK for JavaScript v3', () => {
  it('IAM ListUsers, with long-term and temporary keys', async () => {
    for (const key of keys) {
      const req = await record(() => new IAMClient(config(key)).send(new ListUsersCommand({ PathPrefix: '/dev ops/', MaxItems: 5 })));
      const v = verify(req, 'query', 'iam');
      assert.equal(v?.accessKeyId, key.accessKeyId);
      assert.match(v?.body.toString() ?? '', /Action=ListUsers/);
    }
  });

  it('STS GetCallerIdentity in another region', async () => {
    const req = await record(() => new STSClient(config(LONG_TERM, 'eu-central-1')).send(new GetCallerIdentityCommand({})));
    const v = verify(req, 'query', 'sts');
    assert.equal(v?.region, 'eu-central-1');
    assert.equal(v?.service, 'sts');
  });

  it('DynamoDB ListTables (json) and EC2 DescribeRegions (ec2)', async () => {
    const dynamo = await record(() => new DynamoDBClient(config(TEMPORARY)).send(new ListTablesCommand({ Limit: 3 })));
    assert.equal(verify(dynamo, 'json')?.service, 'dynamodb');
    const ec2 = await record(() => new EC2Client(config()).send(new DescribeRegionsCommand({ AllRegions: true })));
    assert.equal(verify(ec2, 'ec2')?.service, 'ec2');
  });

  const s3 = (key = LONG_TERM) => new S3Client({ ...config(key), forcePathStyle: true });

  it('S3 GetObject and ListObjectsV2 with keys that need encoding', async () => {
    for (const Key of ['a b+c/ü/中.txt', "!*'()~=&:@$,;", 'x//y/../z', '100%']) {
      const req = await record(() => s3().send(new GetObjectCommand({ Bucket: 'bucket', Key })));
      assert.ok(verify(req, 's3'), `GetObject ${Key}`);
    }
    const list = await record(() => s3(TEMPORARY).send(new ListObjectsV2Command({ Bucket: 'bucket', Prefix: 'a b/ü', Delimiter: '/' })));
    assert.ok(verify(list, 's3'));
  });

  it('S3 PutObject with a string body', async () => {
    const req = await record(() => s3().send(new PutObjectCommand({ Bucket: 'bucket', Key: 'k', Body: 'hello world' })));
    assert.equal(verify(req, 's3')?.body.toString(), 'hello world');
  });

  it('S3 PutObject with a stream body: aws-chunked with a checksum trailer', async () => {
    const data = Buffer.alloc(100_000);
    for (let i = 0; i < data.length; i++) data[i] = (i * 7) & 0xff;
    const Body = Readable.from([data.subarray(0, 65536), data.subarray(65536)]);
    const req = await record(() => s3(TEMPORARY).send(new PutObjectCommand({ Bucket: 'bucket', Key: 'streamed', Body, ContentLength: data.length })));
    const v = verify(req, 's3');
    assert.ok(v?.body.equals(data));
    assert.equal(req.headers['x-amz-content-sha256'], 'STREAMING-UNSIGNED-PAYLOAD-TRAILER');
    assert.equal(req.headers['content-encoding'], 'aws-chunked');
    assert.deepEqual(v?.trailers, { 'x-amz-checksum-crc32': checksumOf('CRC32', data).toString('base64') });
  });
});

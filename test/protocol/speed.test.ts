import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeRequest, detectService, encodeResponse, type WireRequest } from '../../src/protocol/index.js';

/** Mean microseconds per call after a warm-up (codecs are built on first use). */
function meanMicros(n: number, f: () => void): number {
  for (let i = 0; i < 2000; i++) f();
  const start = process.hrtime.bigint();
  for (let i = 0; i < n; i++) f();
  return Number(process.hrtime.bigint() - start) / n / 1000;
}

// The target is well under 20 µs on an idle machine; the bound here leaves room for a busy
// CI box while still catching per-request model scans (those cost milliseconds).
const BOUND_MICROS = 200;

test('IAM GetUser: detect + decode + encode stays in microseconds', () => {
  const req: WireRequest = {
    method: 'POST',
    path: '/',
    rawQuery: '',
    headers: {
      'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
      authorization: 'AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20240101/us-east-1/iam/aws4_request, SignedHeaders=host, Signature=x',
    },
    body: Buffer.from('Action=GetUser&Version=2010-05-08&UserName=bob'),
  };
  const user = { User: { UserName: 'bob', Path: '/', UserId: 'AIDAEXAMPLE', Arn: 'arn:aws:iam::000000000000:user/bob', CreateDate: new Date() } };
  const micros = meanMicros(20000, () => {
    const d = decodeRequest(detectService(req) as 'iam', req);
    encodeResponse('iam', d.operation, user, 'rid');
  });
  assert.ok(micros < BOUND_MICROS, `${micros.toFixed(1)} µs per GetUser`);
});

test('S3 GetObject and DynamoDB GetItem round trips stay in microseconds', () => {
  const get: WireRequest = { method: 'GET', path: '/bucket/some/key.txt', rawQuery: '', headers: { host: 'localhost:4566' }, body: Buffer.alloc(0) };
  const s3 = meanMicros(20000, () => {
    const d = decodeRequest('s3', get);
    encodeResponse('s3', d.operation, { Body: Buffer.from('x'), ContentType: 'text/plain', LastModified: new Date() }, 'rid');
  });
  const item: WireRequest = {
    method: 'POST',
    path: '/',
    rawQuery: '',
    headers: { 'x-amz-target': 'DynamoDB_20120810.GetItem' },
    body: Buffer.from('{"TableName":"Music","Key":{"Artist":{"S":"x"},"Song":{"S":"y"}}}'),
  };
  const ddb = meanMicros(20000, () => {
    const d = decodeRequest('dynamodb', item);
    encodeResponse('dynamodb', d.operation, { Item: { Artist: { S: 'x' } } }, 'rid');
  });
  assert.ok(s3 < BOUND_MICROS, `${s3.toFixed(1)} µs per GetObject`);
  assert.ok(ddb < BOUND_MICROS, `${ddb.toFixed(1)} µs per GetItem`);
});

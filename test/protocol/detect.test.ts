import { test } from 'node:test';
import assert from 'node:assert/strict';
import { detectService, type WireRequest } from '../../src/protocol/index.js';

function req(parts: Partial<WireRequest>): WireRequest {
  return { method: 'GET', path: '/', rawQuery: '', headers: {}, body: Buffer.alloc(0), ...parts };
}

const sigv4 = (service: string) =>
  `AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20240101/us-east-1/${service}/aws4_request, SignedHeaders=host;x-amz-date, Signature=abc`;

test('the SigV4 credential scope names the service', () => {
  for (const service of ['iam', 'sts', 's3', 'dynamodb', 'ec2'] as const) {
    assert.equal(detectService(req({ headers: { authorization: sigv4(service) } })), service);
  }
  assert.equal(detectService(req({ headers: { authorization: sigv4('sqs') } })), undefined);
});

test('a presigned URL carries the scope in X-Amz-Credential', () => {
  const rawQuery =
    'X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20240101%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20240101T000000Z&X-Amz-Expires=60&X-Amz-SignedHeaders=host&X-Amz-Signature=abc';
  assert.equal(detectService(req({ path: '/bucket/key', rawQuery })), 's3');
  const sts = 'Action=GetCallerIdentity&Version=2011-06-15&X-Amz-Credential=AKID%2F20240101%2Fus-east-1%2Fsts%2Faws4_request';
  assert.equal(detectService(req({ rawQuery: sts })), 'sts');
});

test('X-Amz-Target routes DynamoDB even unsigned', () => {
  assert.equal(detectService(req({ method: 'POST', headers: { 'x-amz-target': 'DynamoDB_20120810.ListTables' } })), 'dynamodb');
  assert.equal(detectService(req({ method: 'POST', headers: { 'x-amz-target': 'Kinesis_20131202.ListStreams' } })), undefined);
});

test('unsigned query calls route by Version, then by Action name', () => {
  const form = (body: string) =>
    req({ method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' }, body: Buffer.from(body) });
  assert.equal(detectService(form('Action=AssumeRoleWithWebIdentity&Version=2011-06-15&RoleArn=x')), 'sts');
  assert.equal(detectService(form('Action=AssumeRoleWithSAML&RoleArn=x')), 'sts');
  assert.equal(detectService(form('Action=ListUsers&Version=2010-05-08')), 'iam');
  assert.equal(detectService(form('Action=DescribeInstances&Version=2016-11-15')), 'ec2');
  assert.equal(detectService(form('Action=DescribeRegions')), 'ec2');
  assert.equal(detectService(req({ rawQuery: 'Action=GetUser&Version=2010-05-08' })), 'iam');
});

test('anything else is S3, the REST service', () => {
  assert.equal(detectService(req({ path: '/bucket/key' })), 's3');
  assert.equal(detectService(req({ headers: { authorization: 'AWS AKIAIOSFODNN7EXAMPLE:c2lnbmF0dXJl' } })), 's3');
  // An XML PUT body that mentions Action= is not a form.
  assert.equal(detectService(req({ method: 'PUT', headers: { 'content-type': 'application/xml' }, body: Buffer.from('<x>Action=ListUsers</x>') })), 's3');
});

test('SigV4a scopes (no region) name the service too', () => {
  const auth = 'AWS4-ECDSA-P256-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20240101/s3/aws4_request, SignedHeaders=host, Signature=abc';
  assert.equal(detectService(req({ headers: { authorization: auth } })), 's3');
  const sts = 'AWS4-ECDSA-P256-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20240101/sts/aws4_request, SignedHeaders=host, Signature=abc';
  assert.equal(detectService(req({ method: 'POST', headers: { authorization: sts } })), 'sts');
});

test('an anonymous S3 upload whose bytes look like a form is still S3', () => {
  assert.equal(detectService(req({ method: 'PUT', path: '/public/k', body: Buffer.from('Action=ListUsers&Version=2010-05-08') })), 's3');
});

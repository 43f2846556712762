import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { verifyRequest } from '../../src/auth/sigv4/verify.js';
import type { WireRequest } from '../../src/protocol/errors.js';
import { expectAwsError, LONG_TERM, lookupOf, signed, T0, TEMPORARY } from './sigv4-oracle.js';

const MINUTE = 60_000;
const lookup = lookupOf(LONG_TERM, TEMPORARY);
const verify = (req: WireRequest, now = T0) => verifyRequest(req, { family: 's3', lookup, now });
const presign = (input: Parameters<typeof signed>[0] = {}) =>
  signed({ service: 's3', host: 'bucket.s3.localhost', path: '/dir/a%20b.txt', expiresIn: 300, ...input });
const setParam = (req: WireRequest, name: string, value: string | undefined) => {
  const params = req.rawQuery.split('&').filter((p) => !p.startsWith(`${name}=`));
  if (value !== undefined) params.push(`${name}=${value}`);
  return { ...req, rawQuery: params.join('&') };
};

describe('SigV4 for S3: presigned URLs', () => {
  it('verifies a presigned GET, signed without its payload', async () => {
    const req = await presign();
    assert.match(req.rawQuery, /X-Amz-Expires=300/);
    const v = verify(req, T0 + MINUTE);
    assert.equal(v?.presigned, true);
    assert.equal(v?.signedAt, T0);
    assert.equal(v?.region, 'us-east-1');
  });

  it('verifies a presigned URL of botocore, which carries no payload parameter', async () => {
    const req = await presign({ presigner: 'boto' });
    assert.doesNotMatch(req.rawQuery, /content-sha256/i);
    assert.equal(req.headers['x-amz-content-sha256'], undefined);
    assert.ok(verify(req));
  });

  it('verifies a presigned PUT whatever its body', async () => {
    const req = await presign({ method: 'PUT', query: { 'x-id': 'PutObject' } });
    assert.equal(verify({ ...req, body: Buffer.from('uploaded with curl') })?.body.toString(), 'uploaded with curl');
  });

  it('verifies a presigned URL with a session token and signed headers', async () => {
    const req = await presign({ key: TEMPORARY, headers: { 'x-amz-meta-color': 'red' }, unsignableHeaders: new Set() });
    assert.match(req.rawQuery, /X-Amz-Security-Token=/);
    assert.ok(verify(req));
  });

  it('reads its parameters whatever their letter case', async () => {
    const req = await presign();
    const lowered = { ...req, rawQuery: req.rawQuery.replace('X-Amz-Signature=', 'x-amz-signature=') };
    assert.ok(verify(lowered));
  });

  it('expires X-Amz-Expires seconds after X-Amz-Date', async () => {
    const req = await presign({ expiresIn: 60 });
    assert.ok(verify(req, T0 + 60_000));
    const e = expectAwsError(() => verify(req, T0 + 60_001), 'AccessDenied', 403, 'Request has expired');
    assert.deepEqual(e.extra, { 'X-Amz-Expires': '60', Expires: '2024-01-01T00:01:00Z', ServerTime: '2024-01-01T00:01:00Z' });
  });

  it('lives up to seven days, and never with X-Amz-Expires=0', async () => {
    const week = await presign({ expiresIn: 604800 });
    assert.ok(verify(week, T0 + 604_800_000));
    expectAwsError(() => verify(week, T0 + 604_800_001), 'AccessDenied', 403, 'Request has expired');
    const zero = await presign({ expiresIn: 0 });
    expectAwsError(() => verify(zero, T0), 'AccessDenied', 403, 'Request has expired');
  });

  it('is not valid more than 15 minutes before X-Amz-Date', async () => {
    const req = await presign();
    assert.ok(verify(req, T0 - 15 * MINUTE));
    const e = expectAwsError(() => verify(req, T0 - 16 * MINUTE), 'AccessDenied', 403, 'Request is not yet valid');
    assert.deepEqual(e.extra, { 'X-Amz-Date': '20240101T000000Z', ServerTime: '2023-12-31T23:44:00Z' });
  });

  it('checks X-Amz-Expires: a number from 0 to 604800', async () => {
    const req = await presign();
    const error = (value: string, message: string) =>
      expectAwsError(() => verify(setParam(req, 'X-Amz-Expires', value)), 'AuthorizationQueryParametersError', 400, message);
    error('604801', 'X-Amz-Expires must be less than a week (in seconds); that is, the given X-Amz-Expires must be less than 604800 seconds');
    error('-1', 'X-Amz-Expires must be non-negative');
    error('1h', 'X-Amz-Expires should be a number');
  });

  it('requires all six parameters, the algorithm and the date format', async () => {
    const req = await presign();
    for (const name of ['X-Amz-Algorithm', 'X-Amz-Credential', 'X-Amz-Signature', 'X-Amz-Date', 'X-Amz-SignedHeaders', 'X-Amz-Expires']) {
      expectAwsError(
        () => verify(setParam(req, name, undefined)),
        'AuthorizationQueryParametersError',
        400,
        'Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.',
      );
    }
    expectAwsError(
      () => verify(setParam(req, 'X-Amz-Algorithm', 'AWS4-HMAC-SHA1')),
      'AuthorizationQueryParametersError',
      400,
      'X-Amz-Algorithm only supports "AWS4-HMAC-SHA256 and AWS4-ECDSA-P256-SHA256"',
    );
    expectAwsError(
      () => verify(setParam(req, 'X-Amz-Date', '2024-01-01T00:00:00Z')),
      'AuthorizationQueryParametersError',
      400,
      `X-Amz-Date must be in the ISO8601 Long Format "yyyyMMdd'T'HHmmss'Z'"`,
    );
    expectAwsError(
      () => verify(setParam(req, 'X-Amz-Credential', `${LONG_TERM.accessKeyId}%2F20240101%2Fus-east-1%2Fiam%2Faws4_request`)),
      'AuthorizationQueryParametersError',
      400,
      'Error parsing the X-Amz-Credential parameter; incorrect service "iam". This endpoint belongs to "s3".',
    );
  });

  it('refuses a changed path, parameter, or signed header', async () => {
    // The signer hoists x-amz-* headers into the query; other headers stay headers, signed.
    const req = await presign({ headers: { 'x-amz-meta-color': 'red', range: 'bytes=0-9' }, query: { 'x-id': 'GetObject' } });
    assert.match(req.rawQuery, /x-amz-meta-color=red/);
    assert.equal(req.headers.range, 'bytes=0-9');
    assert.ok(verify(req));
    expectAwsError(() => verify({ ...req, path: '/dir/other.txt' }), 'SignatureDoesNotMatch', 403);
    expectAwsError(() => verify(setParam(req, 'x-id', 'PutObject')), 'SignatureDoesNotMatch', 403);
    expectAwsError(() => verify(setParam(req, 'x-amz-meta-color', 'blue')), 'SignatureDoesNotMatch', 403);
    expectAwsError(() => verify({ ...req, rawQuery: `${req.rawQuery}&versionId=null` }), 'SignatureDoesNotMatch', 403);
    expectAwsError(() => verify({ ...req, headers: { ...req.headers, range: 'bytes=0-99' } }), 'SignatureDoesNotMatch', 403);
  });

  it('refuses an x-amz-* header that was not signed', async () => {
    const req = await presign();
    const e = expectAwsError(() => verify({ ...req, headers: { ...req.headers, 'x-amz-meta-size': '1' } }), 'AccessDenied', 403);
    assert.deepEqual(e.extra, { HeadersNotSigned: 'x-amz-meta-size' });
  });

  it('checks the key and the signature before the time', async () => {
    const req = await presign({ key: { ...LONG_TERM, secretAccessKey: 'wrong' }, expiresIn: 1 });
    expectAwsError(() => verify(req, T0 + 60 * MINUTE), 'SignatureDoesNotMatch', 403);
    const unknown = await presign({ key: { accessKeyId: 'AKIAUNKNOWN000000000', secretAccessKey: 'x' }, expiresIn: 1 });
    expectAwsError(() => verify(unknown, T0 + 60 * MINUTE), 'InvalidAccessKeyId', 403);
  });

  it('refuses a wrong session token, and an expired session', async () => {
    const wrong = await presign({ key: { ...TEMPORARY, sessionToken: 'other' } });
    expectAwsError(() => verify(wrong), 'InvalidToken', 400);
    const req = await presign({ key: TEMPORARY });
    const expired = lookupOf({ ...TEMPORARY, expiresAt: T0 + 1000 });
    assert.ok(verifyRequest(req, { family: 's3', lookup: expired, now: T0 }));
    expectAwsError(() => verifyRequest(req, { family: 's3', lookup: expired, now: T0 + 1000 }), 'ExpiredToken', 400);
  });

  it('verifies a payload hash its signer put in the URL', async () => {
    const hash = createHash('sha256').update('hello world').digest('hex');
    const req = await presign({ method: 'PUT', headers: { 'x-amz-content-sha256': hash }, body: 'hello world' });
    assert.match(req.rawQuery, new RegExp(`x-amz-content-sha256=${hash}`, 'i'));
    assert.ok(verify(req));
    expectAwsError(() => verify({ ...req, body: Buffer.from('hello there') }), 'XAmzContentSHA256Mismatch', 400);
  });
});

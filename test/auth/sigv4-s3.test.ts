import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import { verifyRequest } from '../../src/auth/sigv4/verify.js';
import type { WireRequest } from '../../src/protocol/errors.js';
import { expectAwsError, LONG_TERM, lookupOf, signatureOf, signed, STAMP, T0, TEMPORARY, withSignature } from './sigv4-oracle.js';

const MINUTE = 60_000;
const EMPTY = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');
const lookup = lookupOf(LONG_TERM, TEMPORARY, { accessKeyId: 'AKIAINACTIVE00000000', secretAccessKey: 'x', active: false });
const verify = (req: WireRequest, now = T0) => verifyRequest(req, { family: 's3', lookup, now });
const s3 = (input: Parameters<typeof signed>[0] = {}) => signed({ service: 's3', host: 'bucket.s3.localhost', ...input });
const withHeader = (req: WireRequest, name: string, value: string | undefined) => {
  const headers = { ...req.headers };
  if (value === undefined) delete headers[name];
  else headers[name] = value;
  return { ...req, headers };
};

describe('SigV4 for S3: the examples of the AWS documentation', () => {
  // The key, the time and the expected signatures of the S3 SigV4 examples AWS publishes.
  const docs = lookupOf({ accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' });
  const NOW = Date.parse('2013-05-24T00:00:00Z');
  const auth = (signedHeaders: string, signature: string) =>
    `AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,SignedHeaders=${signedHeaders},Signature=${signature}`;
  const base = { host: 'examplebucket.s3.amazonaws.com', 'x-amz-date': '20130524T000000Z', 'x-amz-content-sha256': EMPTY };
  const check = (req: WireRequest) => verifyRequest(req, { family: 's3', lookup: docs, now: NOW });

  it('GET Object with a Range header', () => {
    const headers = { ...base, range: 'bytes=0-9', authorization: auth('host;range;x-amz-content-sha256;x-amz-date', 'f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41') };
    assert.ok(check({ method: 'GET', path: '/test.txt', rawQuery: '', headers, body: Buffer.alloc(0) }));
  });

  it('PUT Object with a Date header and an escaped key', () => {
    const body = 'Welcome to Amazon S3.';
    const headers = {
      ...base,
      date: 'Fri, 24 May 2013 00:00:00 GMT',
      'x-amz-storage-class': 'REDUCED_REDUNDANCY',
      'x-amz-content-sha256': sha256(body),
      authorization: auth('date;host;x-amz-content-sha256;x-amz-date;x-amz-storage-class', '98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd'),
    };
    const v = check({ method: 'PUT', path: '/test%24file.text', rawQuery: '', headers, body: Buffer.from(body) });
    assert.equal(v?.body.toString(), body);
  });

  it('GET Bucket Lifecycle (a parameter without a value) and List Objects', () => {
    const lifecycle = { ...base, authorization: auth('host;x-amz-content-sha256;x-amz-date', 'fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543') };
    assert.ok(check({ method: 'GET', path: '/', rawQuery: 'lifecycle', headers: lifecycle, body: Buffer.alloc(0) }));
    const list = { ...base, authorization: auth('host;x-amz-content-sha256;x-amz-date', '34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7') };
    assert.ok(check({ method: 'GET', path: '/', rawQuery: 'max-keys=2&prefix=J', headers: list, body: Buffer.alloc(0) }));
  });

  it('a presigned GET Object URL', () => {
    const rawQuery =
      'X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404';
    const v = check({ method: 'GET', path: '/test.txt', rawQuery, headers: { host: 'examplebucket.s3.amazonaws.com' }, body: Buffer.alloc(0) });
    assert.equal(v?.presigned, true);
  });
});

describe('SigV4 for S3: header signatures', () => {
  it('verifies a GET and a PUT whose x-amz-content-sha256 is the hash of the body', async () => {
    assert.ok(verify(await s3({ path: '/key' })));
    const put = await s3({ method: 'PUT', path: '/key', body: 'hello world' });
    assert.equal(put.headers['x-amz-content-sha256'], sha256('hello world'));
    const v = verify(put);
    assert.equal(v?.service, 's3');
    assert.equal(v?.body.toString(), 'hello world');
  });

  it('refuses a body that does not hash to x-amz-content-sha256', async () => {
    const put = await s3({ method: 'PUT', path: '/key', body: 'hello world' });
    const e = expectAwsError(
      () => verify({ ...put, body: Buffer.from('hello there') }),
      'XAmzContentSHA256Mismatch',
      400,
      "The provided 'x-amz-content-sha256' header does not match what was computed.",
    );
    assert.deepEqual(e.extra, { ClientComputedContentSHA256: sha256('hello world'), S3ComputedContentSHA256: sha256('hello there') });
  });

  it('accepts any body under UNSIGNED-PAYLOAD', async () => {
    const put = await s3({ method: 'PUT', path: '/key', body: 'signed later', headers: { 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' } });
    assert.equal(verify({ ...put, body: Buffer.from('anything') })?.body.toString(), 'anything');
  });

  it('signs the path as sent, not normalized: a//b/../c is a key', async () => {
    const req = await s3({ path: '/bucket/a//b/../c' });
    assert.ok(verify(req));
    expectAwsError(() => verify({ ...req, path: '/bucket/a/c' }), 'SignatureDoesNotMatch', 403);
  });

  it('brings the encoding of the path and the query to one spelling', async () => {
    // What a careful signer signs, and the sloppier spellings of it a client may send.
    const req = await s3({ path: '/bucket/a%2Ab', signedPath: '/bucket/a%2Ab', query: { prefix: 'a b/ü', 'list-type': '2' } });
    assert.ok(verify(req));
    assert.ok(verify({ ...req, path: '/bucket/a%2ab' }));
    assert.ok(verify({ ...req, path: '/bucket/a*b' }));
    assert.ok(verify({ ...req, rawQuery: 'list-type=2&prefix=a+b%2f%c3%bc' }));
    const unicode = await s3({ path: '/bucket/%C3%BC%20%2B%25', query: { 'x-id': 'GetObject' } });
    assert.ok(verify(unicode));
    assert.ok(verify({ ...unicode, path: '/bucket/%c3%bc%20+%25' }));
  });

  it('excludes nothing from the query string of a header-signed request', async () => {
    const req = await s3({ path: '/key', query: { versionId: 'v1', 'response-content-type': 'text/plain' } });
    assert.ok(verify(req));
    expectAwsError(() => verify({ ...req, rawQuery: `${req.rawQuery}&x-id=GetObject` }), 'SignatureDoesNotMatch', 403);
  });

  it('refuses a signature made with another secret, showing what it signed', async () => {
    const req = await s3({ path: '/key', key: { ...LONG_TERM, secretAccessKey: 'wrong' } });
    const e = expectAwsError(
      () => verify(req),
      'SignatureDoesNotMatch',
      403,
      'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
    );
    assert.equal(e.extra.AWSAccessKeyId, LONG_TERM.accessKeyId);
    assert.equal(e.extra.SignatureProvided, signatureOf(req));
    assert.match(e.extra.StringToSign, /^AWS4-HMAC-SHA256\n20240101T000000Z\n20240101\/us-east-1\/s3\/aws4_request\n[0-9a-f]{64}$/);
    assert.equal(e.extra.CanonicalRequest.split('\n')[0], 'GET');
    assert.equal(e.extra.CanonicalRequest.split('\n')[1], '/key');
    assert.equal(e.extra.StringToSignBytes.split(' ').slice(0, 4).join(' '), '41 57 53 34');
    assert.equal(Buffer.from(e.extra.CanonicalRequestBytes.replaceAll(' ', ''), 'hex').toString(), e.extra.CanonicalRequest);
  });

  it('refuses an unknown or inactive key with InvalidAccessKeyId', async () => {
    for (const accessKeyId of ['AKIAUNKNOWN000000000', 'AKIAINACTIVE00000000']) {
      const req = await s3({ path: '/key', key: { accessKeyId, secretAccessKey: 'x' } });
      const e = expectAwsError(() => verify(req), 'InvalidAccessKeyId', 403, 'The AWS Access Key Id you provided does not exist in our records.');
      assert.deepEqual(e.extra, { AWSAccessKeyId: accessKeyId });
    }
  });

  it('refuses a request more than 15 minutes off with RequestTimeTooSkewed', async () => {
    const req = await s3({ path: '/key' });
    assert.ok(verify(req, T0 + 15 * MINUTE));
    assert.ok(verify(req, T0 - 15 * MINUTE));
    for (const now of [T0 + 15 * MINUTE + 1000, T0 - 15 * MINUTE - 1000]) {
      const e = expectAwsError(() => verify(req, now), 'RequestTimeTooSkewed', 403, 'The difference between the request time and the current time is too large.');
      assert.deepEqual(e.extra, { RequestTime: STAMP, ServerTime: new Date(now).toISOString().replace('.000', ''), MaxAllowedSkewMilliseconds: '900000' });
    }
  });

  it('looks at the signature before the time', async () => {
    const req = await s3({ path: '/key', key: { ...LONG_TERM, secretAccessKey: 'wrong' } });
    expectAwsError(() => verify(req, T0 + 60 * MINUTE), 'SignatureDoesNotMatch', 403);
  });

  it('accepts a Date header in place of x-amz-date', async () => {
    // Signed by hand (the SDK always sends x-amz-date): the date enters the string to sign in ISO form.
    const date = 'Mon, 01 Jan 2024 00:00:00 GMT';
    const canonical = ['GET', '/key', '', 'date:' + date, 'host:bucket.s3.localhost', `x-amz-content-sha256:${EMPTY}`, '', 'date;host;x-amz-content-sha256', EMPTY].join('\n');
    const toSign = ['AWS4-HMAC-SHA256', STAMP, '20240101/us-east-1/s3/aws4_request', sha256(canonical)].join('\n');
    const signer = new SignatureV4({ service: 's3', region: 'us-east-1', credentials: LONG_TERM, sha256: Sha256 });
    const signature = await signer.sign(toSign, { signingDate: new Date(T0) });
    const authorization = `AWS4-HMAC-SHA256 Credential=${LONG_TERM.accessKeyId}/20240101/us-east-1/s3/aws4_request, SignedHeaders=date;host;x-amz-content-sha256, Signature=${signature}`;
    const headers = { host: 'bucket.s3.localhost', date, 'x-amz-content-sha256': EMPTY, authorization };
    assert.equal(verify({ method: 'GET', path: '/key', rawQuery: '', headers, body: Buffer.alloc(0) })?.signedAt, T0);
  });

  it('requires x-amz-content-sha256, and a valid one', async () => {
    const req = await s3({ path: '/key' });
    expectAwsError(() => verify(withHeader(req, 'x-amz-content-sha256', undefined)), 'InvalidRequest', 400, 'Missing required header for this request: x-amz-content-sha256');
    const e = expectAwsError(() => verify(withHeader(req, 'x-amz-content-sha256', 'abc')), 'InvalidArgument', 400, /^x-amz-content-sha256 must be UNSIGNED-PAYLOAD, /);
    assert.deepEqual(e.extra, { ArgumentName: 'x-amz-content-sha256', ArgumentValue: 'abc' });
  });

  it('requires the host and every x-amz-* header to be signed', async () => {
    const req = await s3({ path: '/key' });
    const e = expectAwsError(() => verify(withHeader(req, 'x-amz-meta-color', 'red')), 'AccessDenied', 403, 'There were headers present in the request which were not signed');
    assert.deepEqual(e.extra, { HeadersNotSigned: 'x-amz-meta-color' });
    const noHost = await s3({ path: '/key', unsignableHeaders: new Set(['host']) });
    assert.deepEqual(expectAwsError(() => verify(noHost), 'AccessDenied', 403).extra, { HeadersNotSigned: 'host' });
  });

  it('requires a date', async () => {
    const req = await s3({ path: '/key' });
    expectAwsError(() => verify(withHeader(req, 'x-amz-date', undefined)), 'AccessDenied', 403, 'AWS authentication requires a valid Date or x-amz-date header');
    expectAwsError(() => verify(withHeader(req, 'x-amz-date', '2024-01-01T00:00:00Z')), 'AccessDenied', 403, 'AWS authentication requires a valid Date or x-amz-date header');
  });

  it('refuses other authorization mechanisms the way S3 does', async () => {
    const req = await s3({ path: '/key' });
    expectAwsError(
      () => verify(withHeader(req, 'authorization', `AWS ${LONG_TERM.accessKeyId}:frJIUN8DYpKDtOLCwo//yllqDzg=`)),
      'InvalidRequest',
      400,
      'The authorization mechanism you have provided is not supported. Please use AWS4-HMAC-SHA256.',
    );
    const bearer = expectAwsError(() => verify(withHeader(req, 'authorization', 'Bearer token')), 'InvalidArgument', 400, 'Unsupported Authorization Type');
    assert.deepEqual(bearer.extra, { ArgumentName: 'Authorization', ArgumentValue: 'Bearer token' });
    expectAwsError(() => verify({ ...req, rawQuery: 'X-Amz-Algorithm=AWS4-HMAC-SHA256' }), 'InvalidArgument', 400, /^Only one auth mechanism allowed/);
    const v2 = { ...withHeader(req, 'authorization', undefined), rawQuery: 'AWSAccessKeyId=AKIA&Signature=abc&Expires=1' };
    expectAwsError(() => verify(v2), 'InvalidRequest', 400);
  });

  it('returns null for a request with no signature at all', async () => {
    const req = await s3({ path: '/key' });
    assert.equal(verify(withHeader(req, 'authorization', undefined)), null);
    assert.equal(verify(withHeader(req, 'authorization', '')), null);
  });

  it('refuses a malformed Authorization header with AuthorizationHeaderMalformed', async () => {
    const req = await s3({ path: '/key' });
    const auth = req.headers.authorization;
    const malformed = (authorization: string, detail: string) =>
      expectAwsError(() => verify(withHeader(req, 'authorization', authorization)), 'AuthorizationHeaderMalformed', 400, `The authorization header is malformed; ${detail}`);
    malformed(auth.replace(/, Signature=\w+/, ''), 'the authorization header requires three components: Credential, SignedHeaders, and Signature.');
    malformed(auth.replace('/us-east-1/', '/'), 'the Credential is mal-formed; expecting "<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request".');
    malformed(auth.replace('/20240101/', '/2024011/'), 'incorrect date format "2024011". This date in the credential must be in the format "yyyyMMdd".');
    malformed(auth.replace('/s3/', '/ec2/'), 'incorrect service "ec2". This endpoint belongs to "s3".');
    malformed(auth.replace('aws4_request', 'aws4_reques'), 'incorrect terminal "aws4_reques". This endpoint uses "aws4_request".');
    malformed(auth.replace('/20240101/', '/20231231/'), 'Invalid credential date "20231231". This date is not the same as X-Amz-Date: "20240101".');
  });
});

describe('SigV4 for S3: session tokens', () => {
  it('verifies a temporary key with its token', async () => {
    assert.equal(verify(await s3({ path: '/key', key: TEMPORARY }))?.accessKeyId, TEMPORARY.accessKeyId);
  });

  it('takes a temporary key without its token for an unknown key', async () => {
    const req = await s3({ path: '/key', key: { ...TEMPORARY, sessionToken: undefined } });
    expectAwsError(() => verify(req), 'InvalidAccessKeyId', 403);
  });

  it('refuses another token, or a token on a long-term key, with InvalidToken', async () => {
    for (const key of [{ ...TEMPORARY, sessionToken: 'x' }, { ...LONG_TERM, sessionToken: 'x' }]) {
      const req = await s3({ path: '/key', key });
      const e = expectAwsError(() => verify(req), 'InvalidToken', 400, 'The provided token is malformed or otherwise invalid.');
      assert.deepEqual(e.extra, { 'Token-0': 'x' });
    }
  });

  it('refuses an expired temporary key with ExpiredToken', async () => {
    const req = await s3({ path: '/key', key: TEMPORARY });
    const expired = lookupOf({ ...TEMPORARY, expiresAt: T0 });
    const e = expectAwsError(() => verifyRequest(req, { family: 's3', lookup: expired, now: T0 }), 'ExpiredToken', 400, 'The provided token has expired.');
    assert.deepEqual(e.extra, { 'Token-0': TEMPORARY.sessionToken });
  });
});

describe('SigV4 for S3: tampering', () => {
  it('refuses a tampered signature', async () => {
    const req = await s3({ path: '/key' });
    const sig = signatureOf(req);
    expectAwsError(() => verify(withSignature(req, sig.slice(0, -1) + (sig.endsWith('0') ? '1' : '0'))), 'SignatureDoesNotMatch', 403);
    expectAwsError(() => verify(withSignature(req, sig.slice(0, 10))), 'SignatureDoesNotMatch', 403);
  });

  it('refuses a changed signed header value', async () => {
    const req = await s3({ path: '/key', headers: { 'x-amz-meta-color': 'red', range: 'bytes=0-9' } });
    assert.ok(verify(req));
    expectAwsError(() => verify(withHeader(req, 'x-amz-meta-color', 'blue')), 'SignatureDoesNotMatch', 403);
    expectAwsError(() => verify(withHeader(req, 'range', 'bytes=0-99')), 'SignatureDoesNotMatch', 403);
    // Whitespace is not a change: values are trimmed and runs of spaces are one space.
    const spaced = await s3({ path: '/key', headers: { 'x-amz-meta-note': 'a b c' } });
    assert.ok(verify(withHeader(spaced, 'x-amz-meta-note', '  a   b \t c ')));
  });
});

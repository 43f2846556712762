import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { verifyRequest } from '../../src/auth/sigv4/verify.js';
import type { WireRequest } from '../../src/protocol/errors.js';
import { expectAwsError, LONG_TERM, lookupOf, signatureOf, signed, STAMP, T0, TEMPORARY, withSignature } from './sigv4-oracle.js';

const FORM = { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' };
const LIST_USERS = 'Action=ListUsers&Version=2010-05-08';
const MINUTE = 60_000;
const lookup = lookupOf(LONG_TERM, TEMPORARY, { accessKeyId: 'AKIAINACTIVE00000000', secretAccessKey: 'x', active: false });
const verify = (req: WireRequest, now = T0, service?: string) => verifyRequest(req, { family: 'query', lookup, now, service });
const iamPost = (extra: Parameters<typeof signed>[0] = {}) =>
  signed({ method: 'POST', service: 'iam', headers: FORM, body: LIST_USERS, ...extra });

describe('SigV4 for query services (IAM, STS): header signatures', () => {
  it('verifies a POST with a form body and tells who signed it, where and when', async () => {
    const req = await iamPost();
    const v = verify(req);
    assert.ok(v);
    assert.equal(v.accessKeyId, LONG_TERM.accessKeyId);
    assert.equal(v.region, 'us-east-1');
    assert.equal(v.service, 'iam');
    assert.equal(v.signedAt, T0);
    assert.equal(v.presigned, false);
    assert.equal(v.body.toString(), LIST_USERS);
    assert.equal(v.credential.secretAccessKey, LONG_TERM.secretAccessKey);
  });

  it('verifies the region of the scope, whatever it is, and STS as well as IAM', async () => {
    const req = await signed({ method: 'POST', service: 'sts', region: 'eu-west-3', headers: FORM, body: 'Action=GetCallerIdentity&Version=2011-06-15' });
    const v = verify(req, T0, 'sts');
    assert.equal(v?.region, 'eu-west-3');
    assert.equal(v?.service, 'sts');
  });

  it('accepts the hex digits of the signature in upper case', async () => {
    const req = await iamPost();
    assert.ok(verify(withSignature(req, signatureOf(req).toUpperCase())));
  });

  it('returns null for a request with no signature, or one that is not SigV4', async () => {
    const req = await iamPost();
    const { authorization: _, ...unsigned } = req.headers;
    assert.equal(verify({ ...req, headers: unsigned }), null);
    assert.equal(verify({ ...req, headers: { ...unsigned, authorization: 'Bearer abc' } }), null);
    assert.equal(verify({ ...req, headers: { ...unsigned, authorization: '' } }), null);
  });

  it('refuses a tampered signature with SignatureDoesNotMatch and shows the strings it signed', async () => {
    const req = await iamPost();
    const bad = signatureOf(req).replace(/^./, (c) => (c === '0' ? '1' : '0'));
    const e = expectAwsError(() => verify(withSignature(req, bad)), 'SignatureDoesNotMatch', 403);
    assert.ok(
      e.message.startsWith(
        'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
      ),
    );
    assert.match(e.message, /The Canonical String for this request should have been\n'POST\n\/\n\ncontent-length:35\n/);
    assert.match(e.message, /The String-to-Sign should have been\n'AWS4-HMAC-SHA256\n20240101T000000Z\n20240101\/us-east-1\/iam\/aws4_request\n[0-9a-f]{64}'\n$/);
  });

  it('refuses a signature made with another secret', async () => {
    const req = await iamPost({ key: { ...LONG_TERM, secretAccessKey: 'not-the-secret' } });
    expectAwsError(() => verify(req), 'SignatureDoesNotMatch', 403);
  });

  it('refuses a body changed after signing', async () => {
    const req = await iamPost();
    expectAwsError(() => verify({ ...req, body: Buffer.from('Action=DeleteUser&Version=2010-05-08') }), 'SignatureDoesNotMatch', 403);
  });

  it('refuses a changed method, path, query or signed header', async () => {
    const req = await iamPost();
    expectAwsError(() => verify({ ...req, method: 'PUT' }), 'SignatureDoesNotMatch', 403);
    expectAwsError(() => verify({ ...req, path: '/other' }), 'SignatureDoesNotMatch', 403);
    expectAwsError(() => verify({ ...req, rawQuery: 'a=1' }), 'SignatureDoesNotMatch', 403);
    expectAwsError(() => verify({ ...req, headers: { ...req.headers, host: 'evil.example' } }), 'SignatureDoesNotMatch', 403);
  });

  it('ignores headers that were not signed', async () => {
    const req = await iamPost();
    assert.ok(verify({ ...req, headers: { ...req.headers, 'user-agent': 'changed', 'x-forwarded-for': '10.0.0.1' } }));
  });

  it('refuses an unknown access key with InvalidClientTokenId', async () => {
    const req = await iamPost({ key: { accessKeyId: 'AKIAUNKNOWN000000000', secretAccessKey: 's' } });
    expectAwsError(() => verify(req), 'InvalidClientTokenId', 403, 'The security token included in the request is invalid.');
  });

  it('refuses an inactive key as if it did not exist', async () => {
    const req = await iamPost({ key: { accessKeyId: 'AKIAINACTIVE00000000', secretAccessKey: 'x' } });
    expectAwsError(() => verify(req), 'InvalidClientTokenId', 403, 'The security token included in the request is invalid.');
  });

  it('refuses a request older than 15 minutes with the time window in the message', async () => {
    const req = await iamPost();
    assert.ok(verify(req, T0 + 15 * MINUTE));
    expectAwsError(
      () => verify(req, T0 + 16 * MINUTE),
      'SignatureDoesNotMatch',
      403,
      `Signature expired: ${STAMP} is now earlier than 20240101T000100Z (20240101T001600Z - 15 min.)`,
    );
  });

  it('refuses a request more than 15 minutes in the future', async () => {
    const req = await iamPost();
    assert.ok(verify(req, T0 - 15 * MINUTE));
    expectAwsError(
      () => verify(req, T0 - 16 * MINUTE),
      'SignatureDoesNotMatch',
      403,
      `Signature not yet current: ${STAMP} is still later than 20231231T235900Z (20231231T234400Z + 15 min.)`,
    );
  });

  it('requires the host header to be signed', async () => {
    const req = await iamPost({ unsignableHeaders: new Set(['host']) });
    assert.doesNotMatch(req.headers.authorization, /host/);
    expectAwsError(() => verify(req), 'SignatureDoesNotMatch', 403, "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");
  });

  it('checks the scope: the service named, the terminator and the date', async () => {
    const req = await signed({ method: 'POST', service: 'sts', headers: FORM, body: 'Action=GetCallerIdentity&Version=2011-06-15' });
    expectAwsError(() => verify(req, T0, 'iam'), 'SignatureDoesNotMatch', 403, "Credential should be scoped to correct service: 'iam'. ");
    const auth = req.headers.authorization;
    const terminator = { ...req, headers: { ...req.headers, authorization: auth.replace('aws4_request', 'aws5_request') } };
    expectAwsError(() => verify(terminator), 'SignatureDoesNotMatch', 403, "Credential should be scoped with a valid terminator: 'aws4_request', not 'aws5_request'. ");
    const date = { ...req, headers: { ...req.headers, authorization: auth.replace('/20240101/', '/20231231/') } };
    expectAwsError(
      () => verify(date),
      'SignatureDoesNotMatch',
      403,
      `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '20231231' != '20240101', from '${STAMP}'.`,
    );
  });

  it('a scope already accepted is still checked against each request: its date, and the signature itself', async () => {
    const req = await signed({ method: 'POST', service: 'sts', headers: FORM, body: 'Action=GetCallerIdentity&Version=2011-06-15' });
    assert.equal(verify(req)?.service, 'sts');
    assert.equal(verify(req)?.service, 'sts', 'the same scope again');
    // Same Authorization header (same scope), but the request says it was made the next day.
    const nextDay = { ...req, headers: { ...req.headers, 'x-amz-date': '20240102T000000Z' } };
    expectAwsError(
      () => verify(nextDay, T0 + 24 * 3600_000),
      'SignatureDoesNotMatch',
      403,
      "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '20240101' != '20240102', from '20240102T000000Z'.",
    );
    const changedBody = { ...req, body: Buffer.from('Action=GetCallerIdentity&Version=2011-06-15&X=1') };
    expectAwsError(() => verify(changedBody), 'SignatureDoesNotMatch', 403);
    // The header spelled with spaces around its parts (not the SDKs' form) reads the same.
    const spaced = { ...req, headers: { ...req.headers, authorization: req.headers.authorization.replace('AWS4-HMAC-SHA256 ', ' AWS4-HMAC-SHA256  ').replace(/, /g, ' , ') } };
    assert.equal(verify(spaced)?.service, 'sts');
  });

  it('refuses a malformed Authorization header with IncompleteSignature', async () => {
    const req = await iamPost();
    const auth = req.headers.authorization;
    const withAuth = (authorization: string) => ({ ...req, headers: { ...req.headers, authorization } });
    const noSignature = auth.replace(/, Signature=\w+/, '');
    expectAwsError(() => verify(withAuth(noSignature)), 'IncompleteSignature', 400, `Authorization header requires 'Signature' parameter. Authorization=${noSignature}`);
    const noCredential = auth.replace(/Credential=[^,]+, /, '');
    expectAwsError(() => verify(withAuth(noCredential)), 'IncompleteSignature', 400, `Authorization header requires 'Credential' parameter. Authorization=${noCredential}`);
    const noEquals = auth.replace('Credential=', '');
    const credential = /AWS4-HMAC-SHA256 ([^,]+),/.exec(auth)![1].replace('Credential=', '');
    expectAwsError(
      () => verify(withAuth(noEquals)),
      'IncompleteSignature',
      400,
      `'${credential}' not a valid key=value pair (missing equal-sign) in Authorization header: '${noEquals}'.`,
    );
    expectAwsError(
      () => verify(withAuth(auth.replace('AWS4-HMAC-SHA256', 'AWS4-HMAC-SHA512'))),
      'IncompleteSignature',
      400,
      "Unsupported AWS 'algorithm': 'AWS4-HMAC-SHA512' (only AWS4-HMAC-SHA256 for now). ",
    );
    expectAwsError(
      () => verify(withAuth(auth.replace('/us-east-1/', '/'))),
      'IncompleteSignature',
      400,
      `Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '${LONG_TERM.accessKeyId}/20240101/iam/aws4_request'`,
    );
  });

  it('requires a date, in ISO 8601 basic format', async () => {
    const req = await iamPost();
    const { 'x-amz-date': _, ...noDate } = req.headers;
    expectAwsError(
      () => verify({ ...req, headers: noDate }),
      'IncompleteSignature',
      400,
      `Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. Authorization=${req.headers.authorization}`,
    );
    expectAwsError(
      () => verify({ ...req, headers: { ...req.headers, 'x-amz-date': '2024-01-01T00:00:00Z' } }),
      'IncompleteSignature',
      400,
      "Date must be in ISO-8601 'basic format'. Got '2024-01-01T00:00:00Z'. See http://en.wikipedia.org/wiki/ISO_8601",
    );
  });

  it('refuses a request with both an Authorization header and presigned parameters', async () => {
    const req = await iamPost();
    expectAwsError(
      () => verify({ ...req, rawQuery: 'X-Amz-Algorithm=AWS4-HMAC-SHA256' }),
      'SignatureDoesNotMatch',
      403,
      "Found both 'X-Amz-Algorithm' as a query-string param and 'Authorization' as HTTP header.",
    );
  });

  it('signs the double-encoded, normalized path and the re-encoded query of a GET', async () => {
    const query = { Action: 'ListUsers', Version: '2010-05-08', PathPrefix: '/a b+c/ü/', Marker: "!*'()~=&?" };
    const req = await signed({ method: 'GET', service: 'iam', path: '/x//y/./z/../w%20v', query });
    assert.ok(verify(req));
    // The same parameters, spelled differently on the wire, sign the same.
    const respelled = req.rawQuery.replace('%2F', '%2f').replace('%20', '+').replace('%7E', '~');
    assert.notEqual(respelled, req.rawQuery);
    assert.ok(verify({ ...req, rawQuery: respelled }));
    // Normalization of the path: these spell the same path.
    assert.ok(verify({ ...req, path: '/x/y/w%20v' }));
    expectAwsError(() => verify({ ...req, path: '/x/y/w v' }), 'SignatureDoesNotMatch', 403);
  });
});

describe('SigV4 for query services: session tokens', () => {
  it('verifies a temporary key that carries its token', async () => {
    const req = await iamPost({ key: TEMPORARY });
    assert.equal(req.headers['x-amz-security-token'], TEMPORARY.sessionToken);
    assert.equal(verify(req)?.accessKeyId, TEMPORARY.accessKeyId);
  });

  it('refuses a temporary key without its token, or with another', async () => {
    const req = await iamPost({ key: { ...TEMPORARY, sessionToken: undefined } });
    expectAwsError(() => verify(req), 'InvalidClientTokenId', 403, 'The security token included in the request is invalid.');
    const other = await iamPost({ key: { ...TEMPORARY, sessionToken: 'another-token' } });
    expectAwsError(() => verify(other), 'InvalidClientTokenId', 403, 'The security token included in the request is invalid.');
  });

  it('refuses a token sent with a long-term key', async () => {
    const req = await iamPost({ key: { ...LONG_TERM, sessionToken: 'stray' } });
    expectAwsError(() => verify(req), 'InvalidClientTokenId', 403);
  });

  it('refuses an expired temporary key with ExpiredToken', async () => {
    const expired = lookupOf({ ...TEMPORARY, expiresAt: T0 - 1 });
    const req = await iamPost({ key: TEMPORARY });
    expectAwsError(
      () => verifyRequest(req, { family: 'query', lookup: expired, now: T0 }),
      'ExpiredToken',
      403,
      'The security token included in the request is expired',
    );
    const valid = lookupOf({ ...TEMPORARY, expiresAt: T0 + 1 });
    assert.ok(verifyRequest(req, { family: 'query', lookup: valid, now: T0 }));
  });
});

describe('SigV4 for query services: presigned URLs', () => {
  const callerIdentity = { Action: 'GetCallerIdentity', Version: '2011-06-15' };

  it('verifies a presigned STS GetCallerIdentity, with and without a session token', async () => {
    for (const key of [LONG_TERM, TEMPORARY]) {
      const req = await signed({ service: 'sts', query: callerIdentity, expiresIn: 60, key, headers: { 'x-k8s-aws-id': 'cluster' } });
      assert.match(req.rawQuery, /X-Amz-Signature=/);
      assert.equal(req.headers.authorization, undefined);
      const v = verify(req, T0 + 30_000);
      assert.equal(v?.presigned, true);
      assert.equal(v?.accessKeyId, key.accessKeyId);
    }
  });

  it('lives as long as the clock window, whatever X-Amz-Expires says', async () => {
    const req = await signed({ service: 'sts', query: callerIdentity, expiresIn: 60 });
    assert.ok(verify(req, T0 + 10 * MINUTE));
    expectAwsError(() => verify(req, T0 + 16 * MINUTE), 'SignatureDoesNotMatch', 403, /^Signature expired: 20240101T000000Z is now earlier than/);
  });

  it('refuses a changed parameter, a wrong token, and a missing part', async () => {
    const req = await signed({ service: 'sts', query: callerIdentity, expiresIn: 60, key: TEMPORARY });
    expectAwsError(() => verify({ ...req, rawQuery: req.rawQuery.replace('GetCallerIdentity', 'GetSessionToken') }), 'SignatureDoesNotMatch', 403);
    const token = encodeURIComponent(TEMPORARY.sessionToken!).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
    assert.ok(req.rawQuery.includes(token));
    expectAwsError(() => verify({ ...req, rawQuery: req.rawQuery.replace(token, 'other') }), 'InvalidClientTokenId', 403);
    expectAwsError(
      () => verify({ ...req, rawQuery: req.rawQuery.replace(/&?X-Amz-Credential=[^&]+/, '') }),
      'IncompleteSignature',
      400,
      "AWS query-string parameters must include 'X-Amz-Credential'. Re-examine the query-string parameters.",
    );
  });

  it('treats an unknown X-Amz-Algorithm as no signature', async () => {
    const req = await signed({ service: 'sts', query: callerIdentity, expiresIn: 60 });
    assert.equal(verify({ ...req, rawQuery: req.rawQuery.replace('AWS4-HMAC-SHA256', 'AWS4-HMAC-SHA1') }), null);
  });
});

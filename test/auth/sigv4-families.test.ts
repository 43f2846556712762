import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { missingAuthenticationToken, verifyRequest, type ServiceFamily } from '../../src/auth/sigv4/verify.js';
import type { WireRequest } from '../../src/protocol/errors.js';
import { expectAwsError, LONG_TERM, lookupOf, signatureOf, signed, T0, TEMPORARY, withSignature } from './sigv4-oracle.js';

const MINUTE = 60_000;
const lookup = lookupOf(LONG_TERM, TEMPORARY);
const check = (family: ServiceFamily, req: WireRequest, now = T0, l = lookup) => () => verifyRequest(req, { family, lookup: l, now });
const flip = (req: WireRequest) => withSignature(req, signatureOf(req).replace(/^./, (c) => (c === 'a' ? 'b' : 'a')));

describe('SigV4 errors of EC2', () => {
  const ec2 = (extra: Parameters<typeof signed>[0] = {}) =>
    signed({ method: 'POST', service: 'ec2', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'Action=DescribeRegions&Version=2016-11-15', ...extra });
  const AUTH_FAILURE = 'AWS was not able to validate the provided access credentials';

  it('verifies a signed request', async () => {
    assert.equal(verifyRequest(await ec2(), { family: 'ec2', lookup, now: T0 })?.service, 'ec2');
  });

  it('answers AuthFailure (401) for an unknown key, a bad signature or a wrong token', async () => {
    expectAwsError(check('ec2', await ec2({ key: { accessKeyId: 'AKIAUNKNOWN000000000', secretAccessKey: 'x' } })), 'AuthFailure', 401, AUTH_FAILURE);
    expectAwsError(check('ec2', flip(await ec2())), 'AuthFailure', 401, AUTH_FAILURE);
    expectAwsError(check('ec2', await ec2({ key: { ...TEMPORARY, sessionToken: 'other' } })), 'AuthFailure', 401, AUTH_FAILURE);
  });

  it('answers RequestExpired for a skewed clock and an expired session', async () => {
    expectAwsError(check('ec2', await ec2(), T0 + 16 * MINUTE), 'RequestExpired', 400, 'Request has expired.');
    expectAwsError(check('ec2', await ec2(), T0 - 16 * MINUTE), 'RequestExpired', 400, 'Request has expired.');
    const expired = lookupOf({ ...TEMPORARY, expiresAt: T0 - 1 });
    expectAwsError(check('ec2', await ec2({ key: TEMPORARY }), T0, expired), 'RequestExpired', 400, 'Request has expired.');
  });
});

describe('SigV4 errors of DynamoDB (json)', () => {
  const dynamo = (extra: Parameters<typeof signed>[0] = {}) =>
    signed({
      method: 'POST',
      service: 'dynamodb',
      headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'DynamoDB_20120810.ListTables' },
      body: '{}',
      ...extra,
    });
  const INVALID = 'The security token included in the request is invalid.';

  it('verifies a signed request', async () => {
    assert.equal(verifyRequest(await dynamo(), { family: 'json', lookup, now: T0 })?.service, 'dynamodb');
  });

  it('answers UnrecognizedClientException for an unknown key or a wrong token', async () => {
    expectAwsError(check('json', await dynamo({ key: { accessKeyId: 'AKIAUNKNOWN000000000', secretAccessKey: 'x' } })), 'UnrecognizedClientException', 400, INVALID);
    expectAwsError(check('json', await dynamo({ key: { ...TEMPORARY, sessionToken: undefined } })), 'UnrecognizedClientException', 400, INVALID);
  });

  it('answers InvalidSignatureException for a bad signature and a skewed clock', async () => {
    const e = expectAwsError(check('json', flip(await dynamo())), 'InvalidSignatureException', 400);
    assert.match(e.message, /^The request signature we calculated does not match the signature you provided\./);
    expectAwsError(
      check('json', await dynamo(), T0 + 16 * MINUTE),
      'InvalidSignatureException',
      400,
      'Signature expired: 20240101T000000Z is now earlier than 20240101T000100Z (20240101T001600Z - 15 min.)',
    );
  });

  it('answers IncompleteSignatureException for a malformed header, ExpiredTokenException for an expired session', async () => {
    const req = await dynamo();
    const noSignedHeaders = req.headers.authorization.replace(/SignedHeaders=[^,]+, /, '');
    expectAwsError(
      check('json', { ...req, headers: { ...req.headers, authorization: noSignedHeaders } }),
      'IncompleteSignatureException',
      400,
      `Authorization header requires 'SignedHeaders' parameter. Authorization=${noSignedHeaders}`,
    );
    const expired = lookupOf({ ...TEMPORARY, expiresAt: T0 });
    expectAwsError(check('json', await dynamo({ key: TEMPORARY }), T0, expired), 'ExpiredTokenException', 400, 'The security token included in the request is expired');
  });

  it('refuses a scope for another service', async () => {
    const req = await dynamo({ service: 'sts' });
    expectAwsError(check('json', req), 'InvalidSignatureException', 400, "Credential should be scoped to correct service: 'dynamodb'. ");
  });
});

describe('missingAuthenticationToken', () => {
  it('is the error each family answers a request without any signature with', () => {
    const query = missingAuthenticationToken('query');
    assert.deepEqual([query.code, query.status, query.message], ['MissingAuthenticationToken', 403, 'Request is missing Authentication Token']);
    const json = missingAuthenticationToken('json');
    assert.deepEqual([json.code, json.status, json.message], ['MissingAuthenticationTokenException', 400, 'Request is missing Authentication Token']);
  });
});

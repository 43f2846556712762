import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MALFORMED_POLICY_MESSAGES as MSG, MalformedPolicyError, namedAwsPrincipals, parsePolicy, PolicyError, policySize, PolicySizeError, POLICY_LIMITS, type PolicyKind } from '../../src/policy/index.js';
import { doc } from './support.js';

const allow = { Effect: 'Allow', Action: 's3:GetObject', Resource: '*' };
const trustStmt = { Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' };

function refusal(text: string, kind: PolicyKind = 'identity', extra: object = {}): MalformedPolicyError {
  try {
    parsePolicy(text, { kind, ...extra });
  } catch (e) {
    assert.ok(e instanceof MalformedPolicyError, `expected MalformedPolicyError, got ${String(e)}`);
    return e;
  }
  assert.fail(`policy was accepted: ${text}`);
}

test('accepts the shapes AWS accepts', () => {
  const accepted: [string, string, PolicyKind][] = [
    ['single statement object', JSON.stringify({ Version: '2012-10-17', Statement: allow }), 'identity'],
    ['statement array, action and resource arrays', doc([{ ...allow, Action: ['s3:GetObject', 's3:PutObject'], Resource: ['arn:aws:s3:::b/*'] }]), 'identity'],
    ['2008-10-17 version', doc([allow], '2008-10-17'), 'identity'],
    ['no Version', doc([allow], null), 'identity'],
    ['Id and Sid', JSON.stringify({ Version: '2012-10-17', Id: 'my policy', Statement: [{ Sid: 'A1', ...allow }] }), 'identity'],
    ['NotAction + NotResource', doc([{ Effect: 'Deny', NotAction: 'iam:*', NotResource: 'arn:aws:s3:::x' }]), 'identity'],
    ['lower-case effect values are case-folded by the grammar', doc([{ Effect: 'Allow', Action: '*', Resource: '*' }]), 'identity'],
    ['condition values: string, number, boolean, arrays', doc([{ ...allow, Condition: { Bool: { 'aws:SecureTransport': true }, NumericLessThan: { 's3:max-keys': 10 }, StringEquals: { 'aws:PrincipalTag/team': ['a', 'b'] } } }]), 'identity'],
    ['trust policy with a service principal', doc([trustStmt]), 'trust'],
    ['trust policy with an account, a role and a session', doc([{ Effect: 'Allow', Principal: { AWS: ['123456789012', 'arn:aws:iam::123456789012:root', 'arn:aws:iam::123456789012:role/r', 'arn:aws:sts::123456789012:assumed-role/r/s'] }, Action: ['sts:AssumeRole', 'sts:TagSession'] }]), 'trust'],
    ['bucket policy with Principal "*"', doc([{ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' }]), 'resource'],
    ['bucket policy with NotPrincipal and CanonicalUser', doc([{ Effect: 'Deny', NotPrincipal: { AWS: 'arn:aws:iam::123456789012:user/bob', CanonicalUser: 'abc' }, Action: 's3:*', Resource: 'arn:aws:s3:::b' }]), 'resource'],
    ['federated principal', doc([{ Effect: 'Allow', Principal: { Federated: 'cognito-identity.amazonaws.com' }, Action: 'sts:AssumeRoleWithWebIdentity' }]), 'trust'],
    ['unknown operator with an empty block is tolerated', doc([{ ...allow, Condition: { StringEqualsAnything: {} } }]), 'identity'],
    ['resource with variables after the fifth colon', doc([{ ...allow, Resource: 'arn:aws:s3:::b/${aws:username}/*' }]), 'identity'],
    ['SCP without principal', doc([{ Effect: 'Deny', Action: 'ec2:*', Resource: '*' }]), 'scp'],
    ['RCP with Principal "*"', doc([{ Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: '*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }]), 'rcp'],
  ];
  for (const [what, text, kind] of accepted) {
    assert.doesNotThrow(() => parsePolicy(text, { kind }), what);
  }
});

test('keeps positions, paths and the values as written', () => {
  const text = '{\n  "Version": "2012-10-17",\n  "Statement": [\n    {\n      "Sid": "One",\n      "Effect": "Allow",\n      "Action": ["s3:GetObject", "s3:PutObject"],\n      "Resource": "*",\n      "Condition": {"NumericLessThan": {"s3:max-keys": 10}}\n    }\n  ]\n}';
  const p = parsePolicy(text, { kind: 'identity', name: 'demo' });
  assert.equal(p.name, 'demo');
  assert.equal(p.languageVersion, '2012-10-17');
  const s = p.statements[0];
  assert.equal(s.line, 4);
  assert.equal(s.column, 5);
  assert.deepEqual(s.path, ['Statement', 0]);
  assert.equal(s.sid?.value, 'One');
  assert.equal(s.action?.values[1].value, 's3:PutObject');
  assert.deepEqual(s.action?.values[1].path, ['Statement', 0, 'Action', 1]);
  assert.equal(s.action?.values[1].span.start.line, 7);
  assert.equal(s.action?.values[1].span.start.column, 34);
  assert.equal(s.action?.isArray, true);
  assert.equal(s.resource?.isArray, false);
  const c = s.condition?.clauses[0];
  assert.equal(c?.operator, 'NumericLessThan');
  assert.equal(c?.key, 's3:max-keys');
  assert.deepEqual(c?.values.map((v) => [v.value, v.type]), [['10', 'number']]);
  assert.equal(p.size, policySize(text));
  assert.equal(p.statementIsArray, true);
});

test('missing Version means the 2008 language', () => {
  assert.equal(parsePolicy(doc([allow], null), { kind: 'identity' }).languageVersion, '2008-10-17');
});

test('refuses what AWS refuses, with its messages', () => {
  const cases: [string, string, PolicyKind, string][] = [
    ['not JSON', '{"Version": "2012-10-17", "Statement": [', 'identity', MSG.syntax],
    ['trailing comma', '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:GetObject",],"Resource":"*"}]}', 'identity', MSG.syntax],
    ['duplicate key', '{"Version":"2012-10-17","Statement":{"Effect":"Allow","Effect":"Deny","Action":"s3:*","Resource":"*"}}', 'identity', MSG.syntax],
    ['a JSON array', '[]', 'identity', MSG.syntax],
    ['unknown top-level field', JSON.stringify({ Version: '2012-10-17', Statement: allow, Extra: 1 }), 'identity', MSG.syntax],
    ['unknown statement field', doc([{ ...allow, Actions: 's3:*' }]), 'identity', MSG.syntax],
    ['invalid Version', doc([allow], '2012-10-18'), 'identity', MSG.syntax],
    ['missing Statement', JSON.stringify({ Version: '2012-10-17' }), 'identity', MSG.syntax],
    ['empty Statement array', doc([]), 'identity', MSG.syntax],
    ['missing Effect', doc([{ Action: 's3:*', Resource: '*' }]), 'identity', MSG.syntax],
    ['Effect not Allow/Deny', doc([{ ...allow, Effect: 'Permit' }]), 'identity', MSG.syntax],
    ['Effect in the wrong case', doc([{ ...allow, Effect: 'allow' }]), 'identity', MSG.legacy],
    ['Action with NotAction', doc([{ ...allow, NotAction: 'iam:*' }]), 'identity', MSG.syntax],
    ['Resource with NotResource', doc([{ ...allow, NotResource: 'arn:aws:s3:::b' }]), 'identity', MSG.syntax],
    ['Action not a string', doc([{ ...allow, Action: 5 }]), 'identity', MSG.syntax],
    ['Action array with a number', doc([{ ...allow, Action: ['s3:GetObject', 5] }]), 'identity', MSG.syntax],
    ['condition value an object', doc([{ ...allow, Condition: { StringEquals: { 'aws:username': { a: 1 } } } }]), 'identity', MSG.syntax],
    ['condition operator unknown', doc([{ ...allow, Condition: { StringSortOf: { 'aws:username': 'a' } } }]), 'identity', MSG.syntax],
    ['condition block not an object', doc([{ ...allow, Condition: 'x' }]), 'identity', MSG.syntax],
    ['Principal in an identity policy', doc([{ ...allow, Principal: '*' }]), 'identity', MSG.noPrincipalAllowed],
    ['NotPrincipal in a boundary', doc([{ ...allow, NotPrincipal: { AWS: '123456789012' } }]), 'boundary', MSG.noPrincipalAllowed],
    ['Principal in a session policy', doc([{ ...allow, Principal: { AWS: '123456789012' } }]), 'session', MSG.noPrincipalAllowed],
    ['no Principal in a trust policy', doc([{ Effect: 'Allow', Action: 'sts:AssumeRole' }]), 'trust', MSG.missingPrincipal],
    ['no Principal in a bucket policy', doc([allow]), 'resource', MSG.missingPrincipal],
    ['Resource in a trust policy', doc([{ ...trustStmt, Resource: '*' }]), 'trust', MSG.prohibitedField('Resource')],
    ['non-STS action in a trust policy', doc([{ ...trustStmt, Action: 's3:GetObject' }]), 'trust', 'AssumeRole policy may only specify STS AssumeRole actions.'],
    ['missing Action', doc([{ Effect: 'Allow', Resource: '*' }]), 'identity', MSG.noActions],
    ['empty Action array', doc([{ Effect: 'Allow', Action: [], Resource: '*' }]), 'identity', MSG.noActions],
    ['missing Resource', doc([{ Effect: 'Allow', Action: 's3:*' }]), 'identity', MSG.noResources],
    ['empty Resource array', doc([{ ...allow, Resource: [] }]), 'identity', MSG.noResources],
    ['duplicate Sid', doc([{ Sid: 'A', ...allow }, { Sid: 'A', ...allow }]), 'identity', MSG.duplicateSid],
    ['Sid with a space in an IAM policy', doc([{ Sid: 'My statement', ...allow }]), 'identity', MSG.sidNotAlphanumeric],
    ['action without a vendor', doc([{ ...allow, Action: 'GetObject' }]), 'identity', MSG.actionNeedsVendor],
    ['action with two colons', doc([{ ...allow, Action: 's3:Get:Object' }]), 'identity', MSG.actionOneColon],
    ['bad vendor characters', doc([{ ...allow, Action: 's3_x:GetObject' }]), 'identity', MSG.vendorInvalid('s3_x')],
    ['resource not an ARN', doc([{ ...allow, Resource: 'my-bucket' }]), 'identity', MSG.resourceNotArn('my-bucket')],
    ['IAM resource with a region', doc([{ ...allow, Resource: 'arn:aws:iam:us-east-1:123456789012:user/bob' }]), 'identity', MSG.iamRegion('arn:aws:iam:us-east-1:123456789012:user/bob')],
    ['IAM resource with an unknown type', doc([{ ...allow, Resource: 'arn:aws:iam::123456789012:users/bob' }]), 'identity', MSG.iamResourcePath],
    ['S3 bucket with a region', doc([{ ...allow, Resource: 'arn:aws:s3:us-east-1::bucket' }]), 'identity', MSG.s3Region('arn:aws:s3:us-east-1::bucket')],
    ['foreign partition', doc([{ ...allow, Resource: 'arn:aws-cn:s3:::bucket' }]), 'identity', MSG.partitionInvalid('aws-cn', 's3:::bucket')],
    ['incomplete ARN', doc([{ ...allow, Resource: 'arn:aws:s3::bucket' }]), 'identity', MSG.legacy],
    ['wildcard service in a resource', doc([{ ...allow, Resource: 'arn:aws:*:us-east-1:123456789012:thing' }]), 'identity', MSG.resourceVendor],
    ['unparseable date in a Date condition', doc([{ ...allow, Condition: { DateGreaterThan: { 'aws:CurrentTime': 'yesterday' } } }]), 'identity', MSG.legacy],
    ['invalid AWS principal', doc([{ Effect: 'Allow', Principal: { AWS: 'bob' }, Action: 'sts:AssumeRole' }]), 'trust', MSG.invalidPrincipal('AWS', 'bob')],
    ['Principal string other than "*"', doc([{ Effect: 'Allow', Principal: 'bob', Action: 'sts:AssumeRole' }]), 'trust', MSG.invalidPrincipal('Principal', 'bob')],
    ['RCP naming a principal', doc([{ Effect: 'Deny', Principal: { AWS: '123456789012' }, Action: 's3:*', Resource: '*' }]), 'rcp', MSG.invalidPrincipal('Principal', '123456789012')],
    ['character outside the allowed range', doc([{ ...allow, Sid: 'Caf\u00e9\u2603' }]), 'identity', MSG.syntax],
  ];
  for (const [what, text, kind, message] of cases) {
    const e = refusal(text, kind);
    assert.equal(e.code, 'MalformedPolicyDocument', what);
    // The engine's error names IAM's code; the HTTP status is the calling service's business.
    assert.ok(e instanceof PolicyError && !('status' in e), what);
    assert.equal(e.message, message, what);
    assert.ok(e.line >= 1, `${what}: has a line`);
  }
});

test('the partition message spells out the resource as AWS does', () => {
  assert.equal(refusal(doc([{ ...allow, Resource: 'arn:aws-cn:s3:::bucket/key' }])).message, 'Partition "aws-cn" is not valid for resource "arn:aws-cn:s3:::bucket/key".');
  assert.equal(refusal(doc([{ ...allow, Resource: 'arn:aws-cn:s3' }])).message, 'Partition "aws-cn" is not valid for resource "arn:aws-cn:s3:*:*:*".');
});

test('errors point at the offending place', () => {
  const text = '{\n  "Version": "2012-10-17",\n  "Statement": [{\n    "Effect": "Allow",\n    "Action": "s3:GetObject",\n    "Resource": "my-bucket"\n  }]\n}';
  const e = refusal(text);
  assert.equal(e.line, 6);
  assert.equal(e.column, 17);
  assert.deepEqual(e.jsonPath, ['Statement', 0, 'Resource']);
  const dup = refusal('{"Statement": {"Effect": "Allow",\n "Action": "s3:*", "Resource": "*", "Action": "iam:*"}}');
  assert.equal(dup.line, 2);
  assert.match(dup.detail, /duplicate key "Action"/);
});

test('managed policies must be version 2012-10-17 when asked', () => {
  assert.equal(refusal(doc([allow], null), 'identity', { requireCurrentVersion: true }).message, MSG.versionTooOld);
  assert.equal(refusal(doc([allow], '2008-10-17'), 'identity', { requireCurrentVersion: true }).message, MSG.versionTooOld);
  assert.doesNotThrow(() => parsePolicy(doc([allow]), { kind: 'identity', requireCurrentVersion: true }));
});

test('size quotas ignore white space and answer LimitExceeded', () => {
  const text = doc([allow]);
  const size = policySize(text);
  assert.equal(size, text.replace(/\s/g, '').length);
  assert.doesNotThrow(() => parsePolicy(text, { kind: 'identity', maxLength: size }));
  assert.throws(() => parsePolicy(text, { kind: 'identity', maxLength: size - 1 }), (e: unknown) => {
    assert.ok(e instanceof PolicySizeError);
    assert.equal(e.code, 'LimitExceeded');
    assert.ok(e instanceof PolicyError && !('status' in e));
    assert.equal(e.message, `Cannot exceed quota for PolicySize: ${size - 1}`);
    return true;
  });
  const big = doc([{ Effect: 'Allow', Action: Array.from({ length: 400 }, (_, i) => `s3:Action${i}`), Resource: '*' }]);
  const limit = POLICY_LIMITS.userInline;
  assert.throws(() => parsePolicy(big, { kind: 'identity', maxLength: limit.max, tooLargeMessage: limit.message('bob') }), /Maximum policy size of 2048 bytes exceeded for user bob/);
  assert.equal(POLICY_LIMITS.managed.max, 6144);
  assert.equal(POLICY_LIMITS.roleInline.max, 10240);
  assert.equal(POLICY_LIMITS.groupInline.max, 5120);
});

test('namedAwsPrincipals lists the ARNs a caller must check exist', () => {
  const p = parsePolicy(doc([
    { Effect: 'Allow', Principal: { AWS: ['123456789012', 'arn:aws:iam::123456789012:root', 'arn:aws:iam::123456789012:role/app', 'arn:aws:iam::123456789012:user/bob'], Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' },
  ]), { kind: 'trust' });
  assert.deepEqual(namedAwsPrincipals(p).map((v) => v.value), ['arn:aws:iam::123456789012:role/app', 'arn:aws:iam::123456789012:user/bob']);
  assert.equal(namedAwsPrincipals(p)[0].span.start.line, 10);
});

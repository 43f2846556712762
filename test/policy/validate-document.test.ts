import { test } from 'node:test';
import assert from 'node:assert/strict';
import { allowAll, codes, only, pointedText, policy, validate } from './validate-support.js';

test('a JSON syntax error is one ERROR finding with its position, not a throw', () => {
  const text = '{\n  "Version": "2012-10-17",\n  "Statement": [\n    {"Effect": "Allow", "Action": ["s3:GetObject",], "Resource": "*"}\n  ]\n}';
  const findings = validate(text);
  assert.equal(findings.length, 1);
  const f = findings[0];
  assert.equal(f.issueCode, 'JSON_SYNTAX_ERROR');
  assert.equal(f.findingType, 'ERROR');
  const comma = text.indexOf(',]');
  assert.equal(f.locations[0].span.start.offset, comma);
  assert.equal(f.locations[0].span.start.line, 4);
  assert.equal(f.locations[0].span.start.column, comma - text.lastIndexOf('\n', comma));
  assert.equal(f.findingDetails, `Fix the JSON syntax error at index ${comma} line 4 column ${f.locations[0].span.start.column}.`);
  assert.match(f.hint ?? '', /trailing comma/);
  assert.match(f.learnMoreLink, /access-analyzer-reference-policy-checks\.html#access-analyzer-reference-policy-checks-error-json-syntax-error$/);
  assert.deepEqual(codes(''), ['JSON_SYNTAX_ERROR']);
  assert.deepEqual(codes('{"Version": "2012-10-17", "Version": "2012-10-17", "Statement": []}'), ['JSON_SYNTAX_ERROR']);
});

test('a clean policy has no findings', () => {
  assert.deepEqual(validate(policy([allowAll, { Effect: 'Deny', Action: 's3:DeleteObject', Resource: 'arn:aws:s3:::bucket/*' }])), []);
});

test('top level: Version missing or unknown, unknown elements, Statement missing or empty', () => {
  const noVersion = policy([allowAll], null);
  const missing = only(validate(noVersion), 'MISSING_VERSION');
  assert.equal(missing.findingType, 'WARNING');
  assert.equal(missing.locations[0].span.start.offset, 0);

  const badVersion = policy([allowAll], '2012-10-18');
  const invalid = only(validate(badVersion), 'INVALID_VERSION');
  assert.equal(pointedText(badVersion, invalid), '"2012-10-18"');
  assert.match(invalid.findingDetails, /^The version 2012-10-18 is not valid\./);

  const extra = JSON.stringify({ Version: '2012-10-17', Statment: [allowAll], Statement: [allowAll] });
  const element = only(validate(extra), 'INVALID_POLICY_ELEMENT');
  assert.equal(element.findingDetails, 'The policy element Statment is not valid.');
  assert.deepEqual(element.locations[0].path, [{ key: 'Statment' }]);

  assert.ok(codes(JSON.stringify({ Version: '2012-10-17' })).includes('MISSING_STATEMENT'));
  assert.ok(codes(JSON.stringify({ Version: '2012-10-17', Statement: [] })).includes('MISSING_STATEMENT'));
  assert.ok(codes('[]').includes('DATA_TYPE_MISMATCH'));
  assert.ok(codes(JSON.stringify({ Version: '2012-10-17', Statement: 'x' })).includes('DATA_TYPE_MISMATCH'));
});

test('statement elements: Effect, Action, Resource present and well-typed, element pairs exclusive', () => {
  const text = policy([
    { Effect: 'allow', Action: 's3:GetObject', Resource: '*' },
    { Action: 's3:GetObject', Resource: '*' },
    { Effect: 'Allow', Resource: '*' },
    { Effect: 'Allow', Action: 's3:GetObject' },
    { Effect: 'Allow', Action: 's3:GetObject', NotAction: 's3:PutObject', Resource: '*' },
    { Effect: 'Allow', Action: 's3:GetObject', Resource: 7 },
    { Effect: 'Allow', Actions: 's3:GetObject', Action: 's3:GetObject', Resource: '*' },
  ]);
  const findings = validate(text);
  const byStatement = (code: string) => findings.filter((f) => f.issueCode === code).map((f) => (f.locations[0].path[1] as { index: number }).index);
  assert.deepEqual(byStatement('INVALID_EFFECT'), [0]);
  assert.equal(only(findings, 'INVALID_EFFECT').hint, 'Effect is case-sensitive');
  assert.deepEqual(byStatement('MISSING_EFFECT'), [1]);
  assert.deepEqual(byStatement('MISSING_ACTION'), [2]);
  assert.deepEqual(byStatement('MISSING_RESOURCE'), [3]);
  assert.deepEqual(byStatement('UNSUPPORTED_ELEMENT_COMBINATION'), [4]);
  assert.equal(only(findings, 'UNSUPPORTED_ELEMENT_COMBINATION').findingDetails,
    'The policy elements Action and NotAction can not be used in the same statement. Remove one of these elements.');
  assert.deepEqual(byStatement('DATA_TYPE_MISMATCH'), [5]);
  assert.deepEqual(byStatement('INVALID_POLICY_ELEMENT'), [6]);
});

test('empty arrays and objects are suggestions', () => {
  const text = policy([{ Effect: 'Allow', Action: [], Resource: [] }]);
  const found = codes(text);
  assert.ok(found.includes('EMPTY_ARRAY_ACTION'));
  assert.ok(found.includes('EMPTY_ARRAY_RESOURCE'));
  assert.equal(validate(text).find((f) => f.issueCode === 'EMPTY_ARRAY_ACTION')?.findingType, 'SUGGESTION');
  // IAM itself refuses a statement without actions; that verdict is reported as well.
  assert.ok(found.includes('IAM_POLICY_REJECTED'));
  assert.ok(codes(policy([{ ...allowAll, Condition: {} }])).includes('EMPTY_OBJECT_CONDITION'));
  assert.ok(codes(policy([{ ...allowAll, Condition: { StringEquals: {} } }])).includes('EMPTY_OBJECT_CONDITION'));
});

test('Sids: empty, non-alphanumeric in IAM policies, repeated', () => {
  const text = policy([
    { Sid: '', ...allowAll },
    { Sid: 'Read Objects', ...allowAll, Action: 's3:GetObjectAcl' },
    { Sid: 'Twice', ...allowAll, Action: 's3:PutObject' },
    { Sid: 'Twice', ...allowAll, Action: 's3:DeleteObject' },
  ]);
  const findings = validate(text);
  assert.equal(only(findings, 'EMPTY_SID_VALUE').findingType, 'SUGGESTION');
  assert.equal(pointedText(text, only(findings, 'UNSUPPORTED_SID')), '"Read Objects"');
  const dup = only(findings, 'UNIQUE_SIDS_REQUIRED');
  assert.deepEqual(dup.locations[0].path, [{ value: 'Statement' }, { index: 3 }, { value: 'Sid' }]);
  // Bucket policies allow spaces in Sids.
  assert.ok(!codes(policy([{ Sid: 'Read Objects', Principal: '*', ...allowAll }]), 'resource').includes('UNSUPPORTED_SID'));
});

test('principals by policy kind', () => {
  const withPrincipal = { ...allowAll, Principal: { AWS: '111122223333' } };
  assert.ok(codes(policy([withPrincipal]), 'identity').includes('UNSUPPORTED_PRINCIPAL'));
  assert.match(only(validate(policy([withPrincipal]), 'identity'), 'UNSUPPORTED_PRINCIPAL').findingDetails, /IDENTITY_POLICY/);
  assert.ok(codes(policy([allowAll]), 'resource').includes('MISSING_PRINCIPAL'));
  assert.ok(!codes(policy([withPrincipal]), 'resource').includes('MISSING_PRINCIPAL'));
  assert.ok(codes(policy([withPrincipal]), 'scp').includes('SCP_SYNTAX_ERROR_PRINCIPAL'));
  const trust = policy([{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole', Resource: '*' }]);
  assert.ok(codes(trust, 'trust').includes('ROLE_TRUST_POLICY_SYNTAX_ERROR_RESOURCE'));
  const notPrincipal = policy([{ Effect: 'Allow', NotPrincipal: { AWS: '111122223333' }, Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' }]);
  assert.equal(only(validate(notPrincipal, 'resource'), 'ALLOW_WITH_NOTPRINCIPAL').findingType, 'SECURITY_WARNING');
  assert.ok(codes(notPrincipal.replace('"Resource": "arn:aws:s3:::b/*"', '"Condition": {}').replace('s3:GetObject', 'sts:AssumeRole'), 'trust')
    .includes('ROLE_TRUST_POLICY_SYNTAX_ERROR_NOTPRINCIPAL'));
});

test('service control policies: the language restrictions Organizations applies', () => {
  const text = policy([
    { Effect: 'Allow', NotAction: 'iam:*', Resource: 'arn:aws:s3:::b', Condition: { Bool: { 'aws:SecureTransport': 'true' } } },
    { Effect: 'Deny', Action: 's3:*Object', NotResource: 'arn:aws:s3:::b' },
  ]);
  const found = codes(text, 'scp');
  for (const code of ['SCP_SYNTAX_ERROR_ALLOW_CONDITION', 'SCP_SYNTAX_ERROR_ALLOW_NOTACTION', 'SCP_SYNTAX_ERROR_ALLOW_RESOURCE', 'SCP_SYNTAX_ERROR_NOTRESOURCE', 'SCP_SYNTAX_ERROR_ACTION_WILDCARD']) {
    assert.ok(found.includes(code), `${code} in ${found.join(', ')}`);
  }
  assert.deepEqual(codes(policy([{ Effect: 'Deny', Action: 's3:Delete*', Resource: '*' }]), 'scp'), []);
});

test('policy size against the identity quota', () => {
  const many = Array.from({ length: 120 }, (_, i) => ({ Sid: `S${i}`, Effect: 'Allow', Action: 's3:GetObject', Resource: `arn:aws:s3:::bucket-number-${i}/*` }));
  const f = only(validate(policy(many)), 'POLICY_SIZE_EXCEEDS_IDENTITY_POLICY_QUOTA');
  assert.match(f.findingDetails, /^The \d+ characters in the identity policy, excluding whitespace, exceed the 6144 character maximum/);
});

test('findings come in document order, with AA path elements', () => {
  const text = policy([
    { Effect: 'Allow', Action: 's3:GetObjet', Resource: 'arn:aws:s3:::b/*' },
    { Effect: 'Allow', Action: 's4:GetObject', Resource: 'arn:aws:s3:::b/*' },
  ], null);
  const findings = validate(text);
  const offsets = findings.map((f) => f.locations[0].span.start.offset);
  assert.deepEqual(offsets, [...offsets].sort((a, b) => a - b));
  assert.deepEqual(findings.map((f) => f.issueCode), ['MISSING_VERSION', 'INVALID_ACTION', 'INVALID_SERVICE_IN_ACTION']);
  assert.deepEqual(findings[1].locations[0].path, [{ value: 'Statement' }, { index: 0 }, { value: 'Action' }]);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parsePolicy, validatePolicy } from '../../src/policy/index.js';
import { iamDataCatalog as catalog } from '../../src/catalog/iam-data-catalog.js';
import { fixture } from '../cli-policy/support.js';
import { codes, only, pointedText, policy, validate } from './validate-support.js';


test('seed 001: the broken engineer_access policy is reported at its trailing comma', () => {
  const text = fixture('engineer_access.broken.json');
  const findings = validatePolicy(text, { kind: 'identity', catalog });
  assert.equal(findings.length, 1);
  const f = only(findings, 'JSON_SYNTAX_ERROR');
  const start = f.locations[0].span.start;
  assert.equal(start.line, 40);
  assert.equal(text.split('\n')[39].slice(start.column - 1), ',');
  assert.equal(text[start.offset], ',');
});

test('seed 001: the fixed engineer_access policy only warns about iam:PassRole on "*"', () => {
  const text = fixture('engineer_access.json');
  const findings = validatePolicy(text, { kind: 'identity', catalog });
  assert.deepEqual(findings.map((f) => f.issueCode), ['PASS_ROLE_WITH_STAR_IN_RESOURCE']);
  const f = findings[0];
  assert.equal(f.findingType, 'SECURITY_WARNING');
  assert.equal(f.locations[0].span.start.line, 79);
  assert.equal(pointedText(text, f), '"*"');
  assert.deepEqual(f.locations[0].path, [{ value: 'Statement' }, { index: 3 }, { value: 'Resource' }]);
  assert.equal(f.learnMoreLink, 'https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html#access-analyzer-reference-policy-checks-security-warning-pass-role-with-star-in-resource');
});

test('seed 001: admin_access (Action "*") warns like Access Analyzer does for AdministratorAccess', () => {
  const found = codes(fixture('admin_access.json'));
  assert.deepEqual(found, [
    'PASS_ROLE_WITH_STAR_IN_ACTION_AND_RESOURCE', 'CREATE_SLR_WITH_STAR_IN_ACTION_AND_RESOURCE',
    'PASS_ROLE_WITH_STAR_IN_ACTION_AND_RESOURCE', 'CREATE_SLR_WITH_STAR_IN_ACTION_AND_RESOURCE',
  ]);
});

test('what IAM itself refuses is reported even when no Access Analyzer check covers it', () => {
  // Access Analyzer has no check for a wildcard in an ARN's service; IAM refuses it.
  const text = policy([{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3*:::bucket' }]);
  let iamMessage = '';
  try { parsePolicy(text, { kind: 'identity' }); } catch (e) { iamMessage = (e as Error).message; }
  assert.notEqual(iamMessage, '', 'IAM must refuse a wildcard in the ARN service');
  const f = only(validate(text), 'IAM_POLICY_REJECTED');
  assert.equal(f.findingType, 'ERROR');
  assert.equal(f.findingDetails, `IAM would refuse this policy with MalformedPolicyDocument: ${iamMessage}`);
  assert.equal(f.locations[0].span.start.offset, text.indexOf('"arn:aws:s3*'));
  assert.equal(f.hint, 'the service field "s3*" cannot hold a wildcard');
});

test('an IAM refusal that a finding already points at is not repeated', () => {
  const text = policy([{ Effect: 'allow', Action: 's3:GetObject', Resource: '*' }]);
  assert.throws(() => parsePolicy(text, { kind: 'identity' }));
  assert.deepEqual(codes(text), ['INVALID_EFFECT']);
});

test('validation is deterministic', () => {
  const text = fixture('engineer_access.json');
  const a = JSON.stringify(validatePolicy(text, { kind: 'identity', catalog }));
  const b = JSON.stringify(validatePolicy(text, { kind: 'identity', catalog }));
  assert.equal(a, b);
});

test('every finding carries the documented fields', () => {
  const text = policy([{ Sid: 'x y', Effect: 'Allow', Action: ['s3:GetObjet', 'iam:PassRole'], Resource: ['*', 'bucket'] }], null);
  const findings = validate(text);
  assert.ok(findings.length >= 5);
  for (const f of findings) {
    assert.ok(['ERROR', 'SECURITY_WARNING', 'WARNING', 'SUGGESTION'].includes(f.findingType));
    assert.match(f.issueCode, /^[A-Z_]+$/);
    assert.ok(f.findingDetails.length > 10);
    assert.match(f.learnMoreLink, /^https:\/\/docs\.aws\.amazon\.com\/IAM\/latest\/UserGuide\//);
    assert.ok(f.locations.length >= 1);
    for (const l of f.locations) {
      assert.ok(l.span.start.offset <= l.span.end.offset);
      assert.ok(l.span.start.line >= 1 && l.span.start.column >= 1);
    }
  }
});

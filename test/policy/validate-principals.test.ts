import { test } from 'node:test';
import assert from 'node:assert/strict';
import { codes, only, pointedText, policy, validate } from './validate-support.js';

const bucketStmt = (principal: unknown, extra: object = {}) =>
  ({ Effect: 'Allow', Principal: principal, Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*', ...extra });
const trustStmt = (principal: unknown, action: unknown = 'sts:AssumeRole', extra: object = {}) =>
  ({ Effect: 'Allow', Principal: principal, Action: action, ...extra });

test('principal element shapes', () => {
  assert.ok(codes(policy([bucketStmt('111122223333')]), 'resource').includes('INVALID_PRINCIPAL_FORMAT'));
  assert.ok(codes(policy([bucketStmt(['*'])]), 'resource').includes('INVALID_PRINCIPAL_FORMAT'));
  const key = only(validate(policy([bucketStmt({ IAM: '111122223333' })]), 'resource'), 'INVALID_PRINCIPAL_KEY');
  assert.equal(key.findingDetails, 'The principal key IAM is not valid.');
  assert.ok(codes(policy([bucketStmt({})]), 'resource').includes('EMPTY_OBJECT_PRINCIPAL'));
  assert.ok(codes(policy([bucketStmt({ AWS: [] })]), 'resource').includes('EMPTY_ARRAY_PRINCIPAL'));
  assert.deepEqual(codes(policy([bucketStmt('*')]), 'resource'), []);
  assert.deepEqual(codes(policy([bucketStmt({ AWS: ['111122223333', 'arn:aws:iam::111122223333:root', 'arn:aws:iam::111122223333:user/alice', 'arn:aws:iam::111122223333:role/app', 'arn:aws:sts::111122223333:assumed-role/app/s1'] })]), 'resource'), []);
});

test('AWS principals: unique IDs are warnings, partial wildcards are errors', () => {
  const text = policy([bucketStmt({ AWS: ['AIDAJQABLZS4A3QDU576Q', 'AROADBQP57FF2AEXAMPLE', 'arn:aws:iam::111122223333:user/dev-*'] })]);
  const findings = validate(text, 'resource');
  assert.match(only(findings, 'INVALID_USER_REFERENCE').findingDetails, /IAM user ID AIDAJQABLZS4A3QDU576Q/);
  assert.match(only(findings, 'INVALID_ROLE_REFERENCE').findingDetails, /IAM role ID AROADBQP57FF2AEXAMPLE/);
  const wildcard = only(findings, 'UNSUPPORTED_WILDCARD_IN_PRINCIPAL');
  assert.equal(pointedText(text, wildcard), '"arn:aws:iam::111122223333:user/dev-*"');
  assert.equal(wildcard.findingDetails, 'Wildcards (*, ?) are not supported with the principal key AWS. Replace the wildcard with a valid principal value.');
  // Groups cannot be principals: IAM's own refusal names the value.
  const group = only(validate(policy([bucketStmt({ AWS: 'arn:aws:iam::111122223333:group/admins' })]), 'resource'), 'IAM_POLICY_REJECTED');
  assert.equal(group.findingDetails, 'IAM would refuse this policy with MalformedPolicyDocument: Invalid principal in policy: "AWS":"arn:aws:iam::111122223333:group/admins"');
});

test('service principals: format, and a source condition in resource policies', () => {
  assert.ok(codes(policy([bucketStmt({ Service: 'cloudtrail' })]), 'resource').includes('INVALID_SERVICE_PRINCIPAL_FORMAT'));
  const text = policy([bucketStmt({ Service: 'cloudtrail.amazonaws.com' })]);
  const f = only(validate(text, 'resource'), 'RESTRICT_ACCESS_TO_SERVICE_PRINCIPAL');
  assert.equal(f.findingType, 'SECURITY_WARNING');
  assert.equal(pointedText(text, f), '"Service"');
  assert.deepEqual(codes(policy([bucketStmt({ Service: 'cloudtrail.amazonaws.com' }, { Condition: { StringEquals: { 'aws:SourceAccount': '111122223333' } } })]), 'resource'), []);
  // Role trust policies name services routinely; no source condition is needed there.
  assert.deepEqual(codes(policy([trustStmt({ Service: ['ec2.amazonaws.com', 'lambda.amazonaws.com'] })]), 'trust'), []);
});

test('federated principals: only in trust policies, in the right form, with the matching action', () => {
  assert.ok(codes(policy([bucketStmt({ Federated: 'cognito-identity.amazonaws.com' })]), 'resource').includes('FEDERATED_PRINCIPAL_NOT_SUPPORTED'));
  assert.ok(codes(policy([trustStmt({ Federated: 'not a provider' }, 'sts:AssumeRoleWithWebIdentity')]), 'trust').includes('INVALID_FEDERATED_PRINCIPAL_SYNTAX_IN_ROLE_TRUST_POLICY'));
  const saml = 'arn:aws:iam::111122223333:saml-provider/Okta';
  const mismatch = only(validate(policy([trustStmt({ Federated: saml }, 'sts:AssumeRoleWithWebIdentity')]), 'trust'), 'MISMATCHED_ACTION_FOR_PRINCIPAL');
  assert.match(mismatch.findingDetails, new RegExp(`^The sts:AssumeRoleWithWebIdentity action is invalid with the following principal\\(s\\): ${saml}\\.`));
  assert.ok(codes(policy([trustStmt({ AWS: '111122223333' }, 'sts:AssumeRoleWithSAML')]), 'trust').includes('MISMATCHED_ACTION_FOR_PRINCIPAL'));
  assert.deepEqual(codes(policy([trustStmt({ Federated: saml }, 'sts:AssumeRoleWithSAML', { Condition: { StringEquals: { 'SAML:aud': 'https://signin.aws.amazon.com/saml' } } })]), 'trust'), []);
});

test('OIDC principals need a condition on their claims; GitHub needs the repository', () => {
  const github = 'arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com';
  assert.ok(codes(policy([trustStmt({ Federated: github }, 'sts:AssumeRoleWithWebIdentity')]), 'trust').includes('MISSING_GITHUB_REPO_CONDITION_KEY'));
  const broad = policy([trustStmt({ Federated: github }, 'sts:AssumeRoleWithWebIdentity', { Condition: { StringLike: { 'token.actions.githubusercontent.com:sub': 'repo:org/*' } } })]);
  assert.deepEqual(codes(broad, 'trust'), ['SPECIFIC_GITHUB_REPO_AND_BRANCH_RECOMMENDED']);
  const eks = 'arn:aws:iam::111122223333:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/ABC123';
  assert.ok(codes(policy([trustStmt({ Federated: eks }, 'sts:AssumeRoleWithWebIdentity')]), 'trust').includes('MISSING_CONDITION_KEY_FOR_OIDC_PRINCIPAL'));
  assert.deepEqual(codes(policy([trustStmt({ Federated: eks }, 'sts:AssumeRoleWithWebIdentity',
    { Condition: { StringEquals: { 'oidc.eks.us-east-1.amazonaws.com/id/ABC123:sub': 'system:serviceaccount:default:app' } } })]), 'trust'), []);
});

test('trust policies refuse "*" as the principal', () => {
  assert.ok(codes(policy([trustStmt('*')]), 'trust').includes('ROLE_TRUST_POLICY_UNSUPPORTED_WILDCARD_IN_PRINCIPAL'));
  assert.ok(codes(policy([trustStmt({ AWS: '*' })]), 'trust').includes('ROLE_TRUST_POLICY_UNSUPPORTED_WILDCARD_IN_PRINCIPAL'));
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { codes, only, pointedText, policy, validate } from './validate-support.js';

const stmt = (action: unknown, resource: unknown = '*', extra: object = {}) => ({ Effect: 'Allow', Action: action, Resource: resource, ...extra });

test('unknown actions and services, with a suggestion when one is close', () => {
  const text = policy([stmt(['s3:GetObjet', 's3:Frobnicate', 'S3:getobject', 'iam:Get*', 'iam:Zap*', 's4:GetObject', 'notaservice:Do', 'GetObject'])]);
  const findings = validate(text);
  const invalid = findings.filter((f) => f.issueCode === 'INVALID_ACTION').map((f) => f.findingDetails);
  assert.deepEqual(invalid, [
    'The action s3:GetObjet does not exist. Did you mean s3:GetObject?',
    'The action s3:Frobnicate does not exist.',
    'The action iam:Zap* does not exist.',
    'The action GetObject does not exist.',
  ]);
  const services = findings.filter((f) => f.issueCode === 'INVALID_SERVICE_IN_ACTION').map((f) => f.findingDetails);
  assert.deepEqual(services, [
    'The service s4 specified in the action does not exist. Did you mean s3?',
    'The service notaservice specified in the action does not exist.',
  ]);
  assert.equal(pointedText(text, only(findings.filter((f) => f.findingDetails.includes('GetObjet')), 'INVALID_ACTION')), '"s3:GetObjet"');
});

test('a wildcard in the service name is a suggestion', () => {
  const f = only(validate(policy([stmt('s*:GetObject')])), 'WILDCARD_IN_SERVICE_NAME');
  assert.equal(f.findingType, 'SUGGESTION');
  assert.ok(!codes(policy([stmt('*')])).includes('WILDCARD_IN_SERVICE_NAME'));
});

test('redundant actions: repeats and values a wildcard already covers', () => {
  const text = policy([stmt(['s3:GetObject', 's3:Get*', 's3:getobject', 's3:PutObject', 's3:Get*'], 'arn:aws:s3:::b/*')]);
  const f = only(validate(text), 'REDUNDANT_ACTION');
  assert.equal(f.findingDetails, 'The 3 action(s) are redundant because they provide similar permissions. Update the policy to remove the redundant action such as: s3:GetObject.');
  assert.deepEqual(f.locations.map((l) => pointedText(text, { ...f, locations: [l] })), ['"s3:GetObject"', '"s3:getobject"', '"s3:Get*"']);
  assert.ok(!codes(policy([stmt(['s3:GetObject', 's3:PutObject'], 'arn:aws:s3:::b/*')])).includes('REDUNDANT_ACTION'));
});

test('iam:PassRole on every role is a security warning, in each of its forms', () => {
  const cases: [object, string | undefined][] = [
    [stmt('iam:PassRole', '*'), 'PASS_ROLE_WITH_STAR_IN_RESOURCE'],
    [stmt('iam:PassRole', 'arn:aws:iam::111122223333:role/*'), 'PASS_ROLE_WITH_STAR_IN_RESOURCE'],
    [stmt('iam:PassRole', 'arn:aws:iam::*:*'), 'PASS_ROLE_WITH_STAR_IN_RESOURCE'],
    [stmt('iam:*', '*'), 'PASS_ROLE_WITH_STAR_IN_ACTION_AND_RESOURCE'],
    [stmt('iam:Pass*', '*'), 'PASS_ROLE_WITH_STAR_IN_ACTION_AND_RESOURCE'],
    [{ Effect: 'Allow', NotAction: 's3:*', Resource: '*' }, 'PASS_ROLE_WITH_STAR_IN_RESOURCE_AND_NOTACTION'],
    [{ Effect: 'Allow', Action: 'iam:PassRole', NotResource: 'arn:aws:iam::111122223333:role/admin' }, 'PASS_ROLE_WITH_NOTRESOURCE'],
    [{ Effect: 'Allow', Action: 'iam:*', NotResource: 'arn:aws:iam::111122223333:role/admin' }, 'PASS_ROLE_WITH_STAR_IN_ACTION_AND_NOTRESOURCE'],
    [{ Effect: 'Allow', NotAction: 's3:*', NotResource: 'arn:aws:s3:::b' }, 'PASS_ROLE_WITH_NOTACTION_AND_NOTRESOURCE'],
    [stmt('iam:PassRole', 'arn:aws:iam::111122223333:role/app-*'), undefined],
    [stmt('iam:PassRole', 'arn:aws:iam::111122223333:role/service-role/lambda-exec'), undefined],
    [stmt('iam:PassRole', '*', { Condition: { StringEquals: { 'iam:PassedToService': 'lambda.amazonaws.com' } } }), undefined],
    [{ Effect: 'Deny', Action: 'iam:PassRole', Resource: '*' }, undefined],
    [{ Effect: 'Allow', NotAction: 'iam:PassRole', Resource: '*' }, undefined],
  ];
  for (const [s, expected] of cases) {
    const passRole = validate(policy([s])).filter((f) => f.issueCode.startsWith('PASS_ROLE')).map((f) => f.issueCode);
    assert.deepEqual(passRole, expected ? [expected] : [], JSON.stringify(s));
  }
  const text = policy([stmt(['s3:GetObject', 'iam:PassRole'], ['arn:aws:s3:::b/*', '*'])]);
  const f = only(validate(text), 'PASS_ROLE_WITH_STAR_IN_RESOURCE');
  assert.equal(f.findingType, 'SECURITY_WARNING');
  assert.equal(pointedText(text, f), '"*"');
  assert.deepEqual(f.locations[0].path, [{ value: 'Statement' }, { index: 0 }, { value: 'Resource' }, { index: 1 }]);
});

test('iam:CreateServiceLinkedRole on every role is a general warning', () => {
  const f = only(validate(policy([stmt('iam:CreateServiceLinkedRole', '*')])), 'CREATE_SLR_WITH_STAR_IN_RESOURCE');
  assert.equal(f.findingType, 'WARNING');
  assert.ok(!codes(policy([stmt('iam:CreateServiceLinkedRole', 'arn:aws:iam::*:role/aws-service-role/ecs.amazonaws.com/AWSServiceRoleForECS*')]))
    .some((c) => c.startsWith('CREATE_SLR')));
});

test('Allow with NotAction or NotResource grants what it does not name', () => {
  const text = policy([{ Effect: 'Allow', NotAction: 'iam:*', NotResource: 'arn:aws:s3:::secret/*' }]);
  const findings = validate(text);
  assert.equal(only(findings, 'ALLOW_WITH_NOTACTION').findingType, 'SECURITY_WARNING');
  assert.equal(only(findings, 'ALLOW_WITH_NOTRESOURCE').findingType, 'SECURITY_WARNING');
  assert.equal(pointedText(text, only(findings, 'ALLOW_WITH_NOTACTION')), '"NotAction"');
  assert.match(only(findings, 'ALLOW_WITH_NOTACTION').learnMoreLink, /reference_policies_elements_notaction\.html$/);
  assert.ok(!codes(policy([{ Effect: 'Deny', NotAction: 'iam:*', NotResource: 'arn:aws:s3:::x' }])).some((c) => c.startsWith('ALLOW_WITH')));
});

test('resource ARNs: prefix, fields, partition, service, Region, account, resource part', () => {
  const cases: [string, string | undefined][] = [
    ['bucket/*', 'INVALID_ARN_PREFIX'],
    ['arn:aws:s3', 'MISSING_ARN_FIELD'],
    ['arn:aws:S3:::bucket', 'INVALID_ARN_SERVICE_CASE'],
    ['arn:aws:nosuchservice:::x', 'INVALID_SERVICE'],
    ['arn:awz:s3:::bucket', 'INVALID_PARTITION'],
    ['arn:aws:s3:us-east-1::bucket', 'ARN_REGION_NOT_ALLOWED'],
    ['arn:aws:iam:us-east-1:111122223333:user/bob', 'ARN_REGION_NOT_ALLOWED'],
    ['arn:aws:s3::111122223333:bucket', 'ARN_ACCOUNT_NOT_ALLOWED'],
    ['arn:aws:ec2::111122223333:instance/i-0123', 'MISSING_ARN_REGION'],
    ['arn:aws:ec2:mars-1:111122223333:instance/i-0123', 'INVALID_ARN_REGION'],
    ['arn:aws:dynamodb:us-east-1:1234:table/t', 'INVALID_ARN_ACCOUNT'],
    ['arn:aws:dynamodb:us-east-1:111122223333:tables/t', 'INVALID_ARN_RESOURCE'],
    ['arn:aws:s3:::bucket/*', undefined],
    ['arn:aws:s3:::*', undefined],
    ['arn:aws:ec2:*:*:instance/*', undefined],
    // IAM substitutes variables only after the fifth colon: this Region stays literal.
    ['arn:aws:ec2:${aws:RequestedRegion}:111122223333:instance/*', 'VARIABLE_UNSUPPORTED_IN_ARN_FIELD'],
    ['arn:aws:dynamodb:us-east-1:111122223333:table/orders/index/*', undefined],
    ['arn:aws:iam::111122223333:user/${aws:username}', undefined],
    ['arn:aws:sqs:eu-west-1:111122223333:queue-name', undefined],
    ['arn:aws:iam::aws:policy/ReadOnlyAccess', undefined],
  ];
  for (const [resource, expected] of cases) {
    const found = validate(policy([stmt('s3:GetObject', resource)])).map((f) => f.issueCode)
      .filter((c) => c.includes('ARN') || c === 'INVALID_SERVICE' || c === 'INVALID_PARTITION');
    assert.deepEqual(found, expected ? [expected] : [], resource);
  }
});

test('redundant resources: a wildcard next to what it covers', () => {
  const text = policy([stmt('s3:GetObject', ['arn:aws:s3:::b/*', 'arn:aws:s3:::b/reports/q1.csv', 'arn:aws:s3:::B/x', 'arn:aws:s3:::b/*'])]);
  const f = only(validate(text), 'REDUNDANT_RESOURCE');
  assert.equal(f.findingDetails, 'The 2 resource ARN(s) are redundant because they reference the same resource. Review the use of wildcards (*)');
  // ARNs are case-sensitive: B/x is another bucket.
  assert.deepEqual(f.locations.map((l) => l.path.at(-1)), [{ index: 1 }, { index: 3 }]);
});

test('redundant statements: one statement already grants what another does', () => {
  const text = policy([
    stmt(['s3:Get*', 's3:List*'], 'arn:aws:s3:::b/*'),
    stmt('s3:GetObject', 'arn:aws:s3:::b/reports/*'),
    stmt('s3:GetObject', 'arn:aws:s3:::b/reports/*', { Condition: { Bool: { 'aws:SecureTransport': 'true' } } }),
    { Effect: 'Deny', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/reports/*' },
  ]);
  const f = only(validate(text), 'REDUNDANT_STATEMENT');
  assert.deepEqual(f.locations.map((l) => l.path), [[{ value: 'Statement' }, { index: 1 }], [{ value: 'Statement' }, { index: 0 }]]);
  const twins = policy([stmt('s3:GetObject', 'arn:aws:s3:::b/*'), { Sid: 'Again', ...stmt('s3:GetObject', 'arn:aws:s3:::b/*') }]);
  assert.deepEqual(only(validate(twins), 'REDUNDANT_STATEMENT').locations[0].path, [{ value: 'Statement' }, { index: 1 }]);
});

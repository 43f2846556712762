import { test } from 'node:test';
import assert from 'node:assert/strict';
import { codes, only, pointedText, policy, validate } from './validate-support.js';

/** A statement with one condition block, on actions that carry the keys used here. */
const withCondition = (condition: object, action: unknown = 's3:ListBucket', resource = 'arn:aws:s3:::b') =>
  policy([{ Effect: 'Allow', Action: action, Resource: resource, Condition: condition }]);

test('operators IAM knows; Null with IfExists or a set qualifier', () => {
  const text = withCondition({ StringEqualz: { 's3:prefix': 'home/' } });
  const f = only(validate(text), 'INVALID_CONDITION_OPERATOR');
  assert.equal(f.findingDetails, 'The condition operator StringEqualz is not valid. Use a valid condition operator.');
  assert.equal(pointedText(text, f), '"StringEqualz"');
  assert.deepEqual(f.locations[0].path, [{ value: 'Statement' }, { index: 0 }, { value: 'Condition' }, { key: 'StringEqualz' }]);
  assert.ok(codes(withCondition({ NullIfExists: { 's3:prefix': 'true' } })).includes('NULL_WITH_IF_EXISTS'));
  assert.ok(codes(withCondition({ 'ForAnyValue:Null': { 's3:prefix': 'true' } })).includes('NULL_WITH_QUALIFIER'));
  assert.deepEqual(codes(withCondition({ Null: { 's3:prefix': 'false' } })), []);
});

test('condition keys AWS documents: global, service, format, tag keys', () => {
  const text = withCondition({
    StringEquals: { 'aws:NoSuchKey': 'x', 's3:nope': 'y', 'nosuchservice:key': 'z', 'aws:ARN': 'a', noprefix: 'b', 'aws:RequestTag': 'c' },
  });
  const findings = validate(text);
  assert.equal(only(findings, 'INVALID_GLOBAL_CONDITION_KEY').findingDetails, 'The condition key aws:NoSuchKey does not exist. Use a valid condition key.');
  assert.equal(only(findings, 'INVALID_SERVICE_CONDITION_KEY').findingDetails, 'The condition key s3:nope does not exist in the service s3. Use a valid condition key.');
  assert.equal(only(findings, 'INVALID_SERVICE').findingDetails, 'The service nosuchservice does not exist. Use a valid service name.');
  assert.equal(only(findings, 'UNSUPPORTED_GLOBAL_CONDITION_KEY').findingType, 'ERROR');
  assert.equal(pointedText(text, only(findings, 'INVALID_CONDITION_KEY_FORMAT')), '"noprefix"');
  assert.match(only(findings, 'MISSING_TAG_KEY_IN_CONDITION').findingDetails, /^The condition key aws:RequestTag must include a tag key/);
  // Keys of identity providers (OIDC claims) are open-ended and not reported.
  assert.deepEqual(codes(policy([{ Effect: 'Allow', Principal: { Federated: 'arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com' },
    Action: 'sts:AssumeRoleWithWebIdentity', Condition: { StringEquals: { 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com', 'token.actions.githubusercontent.com:sub': 'repo:org/app:ref:refs/heads/main' } } }]), 'trust'), []);
  assert.ok(codes(withCondition({ StringEquals: { 'aws:requesttag/Team': 'a', 'AWS:SourceAccount': '111122223333' } })).every((c) => !c.startsWith('INVALID')));
});

test('keys with different case in one block', () => {
  const f = only(validate(withCondition({ StringEquals: { 's3:prefix': 'a', 'S3:Prefix': 'b' } })), 'DUPLICATE_KEYS_WITH_DIFFERENT_CASE');
  assert.equal(f.locations[0].path.at(-1)?.constructor, Object);
  assert.deepEqual(f.locations[0].path.at(-1), { key: 'S3:Prefix' });
});

test('operators that do not fit the key type', () => {
  const text = withCondition({
    StringEquals: { 'aws:SourceIp': '203.0.113.0/24' },
    NumericLessThan: { 'aws:username': '3' },
    Bool: { 'aws:MultiFactorAuthAge': 'true' },
  });
  const mismatches = validate(text).filter((f) => f.issueCode === 'TYPE_MISMATCH').map((f) => f.findingDetails);
  assert.deepEqual(mismatches, [
    'Use the operator type IpAddress instead of operator StringEquals for the condition key aws:SourceIp.',
    'Use the operator type String or Arn instead of operator NumericLessThan for the condition key aws:username.',
    'Use the operator type Numeric instead of operator Bool for the condition key aws:MultiFactorAuthAge.',
  ]);
  const fitting = withCondition({
    ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/admin-*' },
    StringLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/ops-*' },
    NumericLessThan: { 'aws:MultiFactorAuthAge': '3600', 'aws:EpochTime': '2000000000' },
    DateGreaterThan: { 'aws:CurrentTime': '2024-01-01T00:00:00Z' },
    Bool: { 'aws:SecureTransport': 'true' },
    IpAddress: { 'aws:SourceIp': '203.0.113.0/24' },
  });
  assert.deepEqual(codes(fitting), []);
});

test('values that do not fit the operator', () => {
  const text = withCondition({
    Bool: { 'aws:SecureTransport': 'yes' },
    NumericLessThan: { 'aws:MultiFactorAuthAge': 'an hour' },
    DateLessThan: { 'aws:CurrentTime': 'tomorrow' },
    IpAddress: { 'aws:SourceIp': '203.0.113.300/24' },
    StringEquals: { 's3:prefix': 'home/*' },
  });
  const found = codes(text);
  for (const code of ['TYPE_MISMATCH_BOOLEAN', 'TYPE_MISMATCH_NUMBER', 'TYPE_MISMATCH_DATE', 'TYPE_MISMATCH_IP_RANGE', 'WILDCARD_WITHOUT_LIKE_OPERATOR']) {
    assert.ok(found.includes(code), `${code} in ${found.join(', ')}`);
  }
  // IAM itself refuses an unreadable date ("failed legacy parsing").
  assert.ok(found.includes('IAM_POLICY_REJECTED'));
  assert.ok(codes(withCondition({ Bool: { 'aws:SecureTransport': ['true', 'false'] } })).includes('INVALID_CONDITION_MULTIPLE_BOOLEAN'));
  assert.ok(codes(withCondition({ StringEquals: { 's3:prefix': ['a', 1] } })).includes('INVALID_CONDITION_DATA_TYPE'));
  assert.ok(codes(withCondition({ NumericEquals: { 's3:max-keys': '${aws:username}' } })).includes('INVALID_VARIABLE_FOR_OPERATOR'));
  assert.ok(!codes(withCondition({ StringEquals: { 's3:prefix': 'home/${aws:username}/' } })).includes('WILDCARD_WITHOUT_LIKE_OPERATOR'));
});

test('IP ranges: host bits set, private ranges on aws:SourceIp', () => {
  const improve = only(validate(withCondition({ IpAddress: { 'aws:SourceIp': '203.0.113.7/24' } })), 'IMPROVE_IP_RANGE');
  assert.equal(improve.findingDetails, 'The non-zero bits in the IP address after the masked bits are ignored. Replace address with 203.0.113.0/24.');
  assert.ok(codes(withCondition({ IpAddress: { 'aws:SourceIp': ['10.0.0.0/8', '192.168.1.0/24'] } })).includes('PRIVATE_IP_ADDRESS'));
  assert.ok(codes(withCondition({ NotIpAddress: { 'aws:SourceIp': '172.16.0.0/16' } })).includes('PRIVATE_NOTIPADDRESS'));
  assert.ok(codes(withCondition({ IpAddress: { 'aws:SourceIp': ['10.0.0.0/8', '203.0.113.0/24'] } })).includes('PRIVATE_IP_ADDRESS_SUBSET'));
  assert.ok(codes(withCondition({ IpAddress: { 'aws:SourceIp': '2001:db8::/32' } })).every((c) => !c.startsWith('PRIVATE')));
  assert.ok(codes(withCondition({ IpAddress: { 'aws:VpcSourceIp': '10.0.0.0/8' } })).every((c) => !c.startsWith('PRIVATE')));
});

test('qualifiers against the key cardinality', () => {
  assert.ok(codes(withCondition({ StringEquals: { 'aws:TagKeys': 'env' } }, 's3:PutBucketTagging')).includes('MISSING_QUALIFIER'));
  assert.ok(!codes(withCondition({ 'ForAllValues:StringEquals': { 'aws:TagKeys': ['env'] } }, 's3:PutBucketTagging')).includes('MISSING_QUALIFIER'));
  const f = only(validate(withCondition({ 'ForAllValues:StringEquals': { 's3:prefix': 'home/' } })), 'FORALLVALUES_WITH_SINGLE_VALUED_KEY');
  assert.equal(f.findingType, 'SECURITY_WARNING');
});

test('empty value lists, by qualifier', () => {
  const empty = (op: string) => codes(withCondition({ [op]: { 's3:prefix': [] } }));
  assert.ok(empty('StringEquals').includes('EMPTY_ARRAY_CONDITION'));
  assert.ok(empty('ForAllValues:StringEquals').includes('EMPTY_ARRAY_CONDITION_FORALLVALUES'));
  assert.ok(empty('ForAnyValue:StringEquals').includes('EMPTY_ARRAY_CONDITION_FORANYVALUE'));
  assert.ok(empty('StringEqualsIfExists').includes('EMPTY_ARRAY_CONDITION_IFEXISTS'));
});

test('key-specific values: Region names, VPC and VPC endpoint IDs', () => {
  assert.ok(codes(withCondition({ StringEquals: { 'aws:RequestedRegion': 'mars-east-1x' } })).includes('INVALID_REGION'));
  assert.ok(!codes(withCondition({ StringEquals: { 'aws:RequestedRegion': ['ap-southeast-2', 'us-gov-west-1'] } })).includes('INVALID_REGION'));
  assert.ok(codes(withCondition({ StringEquals: { 'aws:SourceVpc': 'vpc-12' } })).includes('INVALID_VPC_FORMAT'));
  assert.ok(codes(withCondition({ StringEquals: { 'aws:SourceVpce': 'vpce-xyz' } })).includes('INVALID_VPCE_FORMAT'));
  assert.deepEqual(codes(withCondition({ StringEquals: { 'aws:SourceVpc': 'vpc-1a2b3c4d', 'aws:SourceVpce': 'vpce-1a2b3c4d5e6f7a8b9' } })), []);
});

test('service keys the named actions never carry', () => {
  const text = withCondition({ StringLike: { 's3:prefix': 'home/*' } }, ['s3:ListBucket', 's3:GetObject', 'ec2:DescribeInstances']);
  const f = only(validate(text), 'UNSUPPORTED_ACTION_FOR_CONDITION_KEY');
  assert.match(f.findingDetails, /^The following actions: s3:GetObject, ec2:DescribeInstances are not supported by the condition key s3:prefix\./);
  // Wildcard actions are deliberate breadth; global keys apply to every action.
  assert.ok(!codes(withCondition({ StringLike: { 's3:prefix': 'home/*' } }, 's3:*')).includes('UNSUPPORTED_ACTION_FOR_CONDITION_KEY'));
  assert.ok(!codes(withCondition({ StringEquals: { 'aws:RequestedRegion': 'us-east-1' } }, ['s3:GetObject', 'ec2:RunInstances'])).includes('UNSUPPORTED_ACTION_FOR_CONDITION_KEY'));
});

test('tag keys with services or NotAction that do not support them', () => {
  assert.ok(codes(withCondition({ StringEquals: { 'aws:ResourceTag/team': 'a' } }, ['tag:GetResources'], '*')).includes('ALLOW_WITH_UNSUPPORTED_TAG_CONDITION_KEY_FOR_SERVICE'));
  const deny = policy([{ Effect: 'Deny', NotAction: 's3:GetObject', Resource: '*', Condition: { StringEquals: { 'aws:ResourceTag/team': 'a' } } }]);
  assert.equal(only(validate(deny), 'DENY_NOTACTION_WITH_UNSUPPORTED_TAG_CONDITION_KEY_FOR_SERVICE').findingType, 'SECURITY_WARNING');
  assert.ok(!codes(withCondition({ StringEquals: { 'aws:ResourceTag/team': 'a' } }, 'ec2:StartInstances', '*')).some((c) => c.includes('TAG_CONDITION_KEY')));
});

test('policy variables: where they may appear, how they are written, which Version enables them', () => {
  const text = policy([{
    Effect: 'Allow', Action: 's3:GetObject',
    Resource: ['arn:aws:s3:::b/${aws:username}/*', 'arn:aws:s3:::b/${aws:username', 'arn:aws:s3:::b/${}', 'arn:aws:s3:::b/${aws: username}', 'arn:aws:s3:::b/${aws:PrincipalTag/team, none}', 'arn:aws:s3:::b/${aws:PrincipalTag/team, \'none\'}/${*}'],
  }, { Effect: 'Allow', Action: 's3:${aws:username}', Resource: '*' }]);
  const findings = validate(text);
  const brace = only(findings, 'MISSING_BRACE_IN_VARIABLE');
  assert.equal(pointedText(text, brace), '${aws:username');
  assert.deepEqual(brace.locations[0].path.at(-1), { substring: { start: 15, length: 14 } });
  assert.equal(pointedText(text, only(findings, 'EMPTY_VARIABLE')), '${}');
  assert.equal(pointedText(text, only(findings, 'UNSUPPORTED_SPACE_IN_VARIABLE')), '${aws: username}');
  assert.equal(pointedText(text, only(findings, 'MISSING_QUOTE_IN_VARIABLE')), '${aws:PrincipalTag/team, none}');
  assert.equal(pointedText(text, only(findings, 'VARIABLE_UNSUPPORTED_IN_ELEMENT')), '"s3:${aws:username}"');
  assert.ok(!findings.some((f) => f.issueCode === 'VARIABLE_UNSUPPORTED_IN_VERSION'));

  const old = policy([{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/${aws:username}/*' }], '2008-10-17');
  const f = only(validate(old), 'VARIABLE_UNSUPPORTED_IN_VERSION');
  assert.equal(pointedText(old, f), '"2008-10-17"');
  assert.ok(codes(policy([{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/${aws:username}/*' }], null)).includes('VARIABLE_UNSUPPORTED_IN_VERSION'));
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { codes, only, pointedText, policy, validate } from './validate-support.js';

const stmt = (Resource: string) => ({ Effect: 'Allow', Action: 'dynamodb:GetItem', Resource });

test('a variable before the fifth colon of a Resource ARN is reported where it stands', () => {
  const text = policy([stmt('arn:aws:dynamodb:${aws:RequestedRegion}:111122223333:table/*')]);
  const f = only(validate(text), 'VARIABLE_UNSUPPORTED_IN_ARN_FIELD');
  assert.equal(f.findingType, 'ERROR');
  assert.equal(pointedText(text, f), '${aws:RequestedRegion}');
  assert.match(f.findingDetails, /in the Region field of a resource ARN/);
  assert.match(f.learnMoreLink, /reference_policies_variables\.html#policy-vars-resourceelement$/);

  // The account: read as one token; IAM refuses the document too ("legacy parsing"), and says why.
  const account = policy([{ Effect: 'Allow', Action: 'iam:GetUser', Resource: 'arn:aws:iam::${aws:PrincipalAccount}:user/alice' }]);
  assert.deepEqual(codes(account), ['IAM_POLICY_REJECTED', 'VARIABLE_UNSUPPORTED_IN_ARN_FIELD']);
  assert.match(only(validate(account), 'VARIABLE_UNSUPPORTED_IN_ARN_FIELD').findingDetails, /the account field/);
  assert.equal(only(validate(account), 'IAM_POLICY_REJECTED').hint,
    'IAM does not substitute policy variables before the fifth colon of an ARN: ${aws:PrincipalAccount} cannot stand in the account field');

  // The partition: IAM refuses the document as well.
  const partition = codes(policy([{ Effect: 'Allow', Action: 'iam:GetUser', NotResource: 'arn:${aws:PrincipalTag/p}:iam::111122223333:user/x' }]));
  assert.ok(partition.includes('VARIABLE_UNSUPPORTED_IN_ARN_FIELD') && partition.includes('IAM_POLICY_REJECTED'), partition.join());
});

test('variables in the resource part, in conditions, or in a 2008 policy are not this finding', () => {
  assert.ok(!codes(policy([stmt('arn:aws:dynamodb:us-east-1:111122223333:table/${aws:username}-*')])).includes('VARIABLE_UNSUPPORTED_IN_ARN_FIELD'));
  const cond = { ...stmt('*'), Condition: { ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::${aws:PrincipalAccount}:role/app-*' } } };
  assert.ok(!codes(policy([cond])).includes('VARIABLE_UNSUPPORTED_IN_ARN_FIELD'));
  const old = codes(policy([stmt('arn:aws:dynamodb:${aws:RequestedRegion}:111122223333:table/*')], '2008-10-17'));
  assert.ok(!old.includes('VARIABLE_UNSUPPORTED_IN_ARN_FIELD') && old.includes('VARIABLE_UNSUPPORTED_IN_VERSION'), old.join());
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evaluate, type EvalPrincipal, type EvalRequest } from '../../src/policy/index.js';
import { compileTemplate } from '../../src/policy/variables.js';
import { pol, req, roleSession, user } from './support.js';

function decide(statement: object, action: string, resource: string, principal: EvalPrincipal, context: EvalRequest['context'] = {}, version: string | null = '2012-10-17') {
  return evaluate(req(action, resource, principal, context), { identity: [pol([statement], 'identity', undefined, version)] });
}

const homeDir = { Effect: 'Allow', Action: 's3:*', Resource: ['arn:aws:s3:::bucket/home/${aws:username}', 'arn:aws:s3:::bucket/home/${aws:username}/*'] };

test('${aws:username} in a Resource resolves per request', () => {
  assert.equal(decide(homeDir, 's3:GetObject', 'arn:aws:s3:::bucket/home/alice/notes.txt', user('alice'), { 'aws:username': 'alice' }).decision, 'allowed');
  assert.equal(decide(homeDir, 's3:GetObject', 'arn:aws:s3:::bucket/home/bob/notes.txt', user('alice'), { 'aws:username': 'alice' }).decision, 'implicitDeny');
  assert.equal(decide(homeDir, 's3:GetObject', 'arn:aws:s3:::bucket/home/bob/notes.txt', user('bob'), { 'aws:username': 'bob' }).decision, 'allowed');
});

test('aws:username is derived from an IAM user principal when the context lacks it', () => {
  assert.equal(decide(homeDir, 's3:GetObject', 'arn:aws:s3:::bucket/home/carol/x', user('carol')).decision, 'allowed');
  const d = decide(homeDir, 's3:GetObject', 'arn:aws:s3:::bucket/home/carol/x', roleSession('r', 'carol'));
  assert.equal(d.decision, 'implicitDeny', 'role sessions have no aws:username');
  assert.deepEqual(d.missingContextKeys, ['aws:username']);
});

test('substituted values are literal: a * in a tag value is not a wildcard', () => {
  const s = { Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::team-${aws:PrincipalTag/team}/*' };
  assert.equal(decide(s, 's3:GetObject', 'arn:aws:s3:::team-*/x', user('a'), { 'aws:PrincipalTag/team': '*' }).decision, 'allowed');
  assert.equal(decide(s, 's3:GetObject', 'arn:aws:s3:::team-red/x', user('a'), { 'aws:PrincipalTag/team': '*' }).decision, 'implicitDeny');
});

test('${*}, ${?} and ${$} stand for the literal characters', () => {
  const s = { Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/what${?}${*}${$}' };
  assert.equal(decide(s, 's3:GetObject', 'arn:aws:s3:::b/what?*$', user('a')).decision, 'allowed');
  assert.equal(decide(s, 's3:GetObject', 'arn:aws:s3:::b/whatX*$', user('a')).decision, 'implicitDeny');
  assert.equal(decide(s, 's3:GetObject', 'arn:aws:s3:::b/what?anything$', user('a')).decision, 'implicitDeny');
});

test("defaults: ${key, 'value'} applies when the key is missing", () => {
  const s = { Effect: 'Allow', Action: 's3:GetObject', Resource: "arn:aws:s3:::DOC-EXAMPLE-BUCKET-${aws:PrincipalTag/team, 'company-wide'}/*" };
  assert.equal(decide(s, 's3:GetObject', 'arn:aws:s3:::DOC-EXAMPLE-BUCKET-yellow/x', user('a'), { 'aws:PrincipalTag/team': 'yellow' }).decision, 'allowed');
  assert.equal(decide(s, 's3:GetObject', 'arn:aws:s3:::DOC-EXAMPLE-BUCKET-company-wide/x', user('a')).decision, 'allowed');
  assert.equal(decide(s, 's3:GetObject', 'arn:aws:s3:::DOC-EXAMPLE-BUCKET-company-wide/x', user('a'), { 'aws:PrincipalTag/team': 'yellow' }).decision, 'implicitDeny');
});

test('variables are literal text without Version 2012-10-17', () => {
  for (const version of [null, '2008-10-17']) {
    assert.equal(decide(homeDir, 's3:GetObject', 'arn:aws:s3:::bucket/home/alice/x', user('alice'), {}, version).decision, 'implicitDeny');
    assert.equal(decide(homeDir, 's3:GetObject', 'arn:aws:s3:::bucket/home/${aws:username}/x', user('alice'), {}, version).decision, 'allowed');
  }
});

test('an unresolved variable matches nothing (Resource) and nothing equals it (conditions)', () => {
  const s = { Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/${aws:PrincipalTag/team}/*' };
  assert.equal(decide(s, 's3:GetObject', 'arn:aws:s3:::b//x', user('a')).decision, 'implicitDeny');
  const eq = { Effect: 'Allow', Action: 's3:GetObject', Resource: '*', Condition: { StringEquals: { 's3:ExistingObjectTag/team': '${aws:PrincipalTag/team}' } } };
  assert.equal(decide(eq, 's3:GetObject', 'arn:aws:s3:::b/k', user('a'), { 's3:ExistingObjectTag/team': '' }).decision, 'implicitDeny');
  assert.equal(decide(eq, 's3:GetObject', 'arn:aws:s3:::b/k', user('a'), { 's3:ExistingObjectTag/team': 'red', 'aws:PrincipalTag/team': 'red' }).decision, 'allowed');
  // Negated operators hold against a variable with no value.
  const ne = { Effect: 'Deny', Action: 's3:GetObject', Resource: '*', Condition: { StringNotEquals: { 's3:ExistingObjectTag/team': '${aws:PrincipalTag/team}' } } };
  assert.equal(decide(ne, 's3:GetObject', 'arn:aws:s3:::b/k', user('a'), { 's3:ExistingObjectTag/team': 'red' }).decision, 'explicitDeny');
});

test('variables in StringLike conditions keep the policy author\'s wildcards', () => {
  const s = { Effect: 'Allow', Action: 's3:ListBucket', Resource: 'arn:aws:s3:::b', Condition: { StringLike: { 's3:prefix': ['', 'home/', 'home/${aws:username}/*'] } } };
  assert.equal(decide(s, 's3:ListBucket', 'arn:aws:s3:::b', user('alice'), { 's3:prefix': 'home/alice/docs/' }).decision, 'allowed');
  assert.equal(decide(s, 's3:ListBucket', 'arn:aws:s3:::b', user('alice'), { 's3:prefix': 'home/bob/' }).decision, 'implicitDeny');
  assert.equal(decide(s, 's3:ListBucket', 'arn:aws:s3:::b', user('alice'), { 's3:prefix': '' }).decision, 'allowed');
});

test('variables are not substituted for Numeric, Date, Ip, Binary or Null operators', () => {
  const s = { Effect: 'Allow', Action: 's3:ListBucket', Resource: '*', Condition: { NumericLessThan: { 's3:max-keys': '${aws:PrincipalTag/limit}' } } };
  assert.equal(decide(s, 's3:ListBucket', 'arn:aws:s3:::b', user('a'), { 's3:max-keys': '5', 'aws:PrincipalTag/limit': '10' }).decision, 'implicitDeny');
});

test('multivalued keys cannot be variables', () => {
  const s = { Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/${aws:TagKeys}' };
  assert.equal(decide(s, 's3:GetObject', 'arn:aws:s3:::b/a', user('a'), { 'aws:TagKeys': ['a', 'b'] }).decision, 'implicitDeny');
});

test('templates report the keys they read', () => {
  const t = compileTemplate("arn:aws:s3:::${aws:username}/${aws:PrincipalTag/team, 'x'}/${*}", true);
  assert.equal(t.isStatic, false);
  assert.deepEqual(t.keys, ['aws:username', 'aws:PrincipalTag/team']);
  assert.equal(t.text({ variable: (k) => (k === 'aws:username' ? 'al*ce' : undefined) }), 'arn:aws:s3:::al*ce/x/*');
  assert.equal(t.glob({ variable: (k) => (k === 'aws:username' ? 'al*ce' : undefined) }), 'arn:aws:s3:::al\\*ce/x/\\*');
  assert.equal(compileTemplate('no variables ${here}', false).isStatic, true);
});

test('variables before the fifth colon are not substituted: such an ARN matches no real resource', () => {
  // reference_policies_variables.md: "You can't use a variable to replace parts of the ARN before the fifth colon".
  const region = { Effect: 'Allow', Action: 'dynamodb:GetItem', Resource: 'arn:aws:dynamodb:${aws:RequestedRegion}:111122223333:table/*' };
  const ctx = { 'aws:RequestedRegion': 'us-east-1' };
  assert.equal(decide(region, 'dynamodb:GetItem', 'arn:aws:dynamodb:us-east-1:111122223333:table/orders', user('a'), ctx).decision, 'implicitDeny');
  // Read literally, the text is only equal to itself.
  assert.equal(decide(region, 'dynamodb:GetItem', 'arn:aws:dynamodb:${aws:RequestedRegion}:111122223333:table/orders', user('a'), ctx).decision, 'allowed');

  assert.deepEqual(decide(region, 'dynamodb:GetItem', 'arn:aws:dynamodb:us-east-1:111122223333:table/orders', user('a')).missingContextKeys, [],
    'an unsubstituted variable reads no key');

  // The resource part of the same ARN still substitutes.
  const both = { Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::${aws:PrincipalTag/team}-data/${aws:username}/*' };
  assert.equal(decide(both, 's3:GetObject', 'arn:aws:s3:::red-data/ana/x', user('ana'), { 'aws:PrincipalTag/team': 'red' }).decision, 'allowed');
  // Fewer than five colons: no resource part, nothing substituted.
  const short = { Effect: 'Allow', Action: 'sqs:SendMessage', Resource: 'arn:aws:sqs:${aws:RequestedRegion}' };
  assert.equal(decide(short, 'sqs:SendMessage', 'arn:aws:sqs:us-east-1', user('a'), ctx).decision, 'implicitDeny');
});

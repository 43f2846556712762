import { test } from 'node:test';
import assert from 'node:assert/strict';
import { clearCompileCache, compilePolicy, evaluate, MalformedPolicyError } from '../../src/policy/index.js';
import { actionRef } from '../../src/policy/compile.js';
import { doc } from './support.js';

test('compilePolicy caches by text, kind and name', () => {
  clearCompileCache();
  const text = doc([{ Effect: 'Allow', Action: 's3:*', Resource: '*' }]);
  const a = compilePolicy(text, { kind: 'identity', name: 'one' });
  assert.equal(compilePolicy(text, { kind: 'identity', name: 'one' }), a);
  assert.notEqual(compilePolicy(text, { kind: 'identity', name: 'two' }), a);
  assert.notEqual(compilePolicy(text, { kind: 'boundary', name: 'one' }), a);
  // An equal text from another string instance hits the same entry.
  assert.equal(compilePolicy(JSON.parse(JSON.stringify(text)) as string, { kind: 'identity', name: 'one' }), a);
  clearCompileCache();
  assert.notEqual(compilePolicy(text, { kind: 'identity', name: 'one' }), a);
});

test('compilePolicy refuses malformed policies like parsePolicy', () => {
  assert.throws(() => compilePolicy('{"Statement": [', { kind: 'identity', name: 'bad' }), MalformedPolicyError);
  assert.throws(() => compilePolicy(doc([{ Effect: 'Allow', Action: 's3:*', Resource: '*', Principal: '*' }]), { kind: 'identity', name: 'bad' }), MalformedPolicyError);
});

test('the cache stays bounded and keeps recently used policies', () => {
  clearCompileCache();
  const kept = doc([{ Sid: 'Kept', Effect: 'Allow', Action: 's3:*', Resource: '*' }]);
  const first = compilePolicy(kept, { kind: 'identity', name: 'kept' });
  for (let i = 0; i < 5000; i++) {
    compilePolicy(doc([{ Effect: 'Allow', Action: `s3:Action${i}`, Resource: '*' }]), { kind: 'identity', name: `p${i}` });
    if (i % 500 === 0) assert.equal(compilePolicy(kept, { kind: 'identity', name: 'kept' }), first, 'recently used entries survive eviction');
  }
  const firstOther = doc([{ Effect: 'Allow', Action: 's3:Action0', Resource: '*' }]);
  const recompiled = compilePolicy(firstOther, { kind: 'identity', name: 'p0' });
  assert.equal(compilePolicy(firstOther, { kind: 'identity', name: 'p0' }), recompiled);
  clearCompileCache();
});

test('candidates are the statements whose Action or NotAction matches, remembered per action', () => {
  const p = compilePolicy(doc([
    { Sid: 'S3', Effect: 'Allow', Action: ['s3:GetObject', 'S3:PutObject'], Resource: '*' },
    { Sid: 'Ec2', Effect: 'Allow', Action: 'ec2:Describe*', Resource: '*' },
    { Sid: 'Everything', Effect: 'Deny', Action: '*', Resource: '*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } },
    { Sid: 'AllButIam', Effect: 'Allow', NotAction: 'iam:*', Resource: '*' },
    { Sid: 'Iam', Effect: 'Allow', Action: 'iam:Get*', Resource: '*' },
  ]), { kind: 'identity', name: 'indexed' });
  const sids = (action: string) => p.candidates(actionRef(action)).map((s) => s.sid);
  assert.deepEqual(sids('s3:GetObject'), ['S3', 'Everything', 'AllButIam']);
  assert.deepEqual(sids('EC2:DescribeInstances'), ['Ec2', 'Everything', 'AllButIam']);
  assert.deepEqual(sids('iam:GetUser'), ['Everything', 'Iam']);
  assert.deepEqual(sids('iam:CreateUser'), ['Everything']);
  assert.deepEqual(sids('kms:Decrypt'), ['Everything', 'AllButIam']);
  assert.equal(p.candidates(actionRef('IAM:getuser')), p.candidates(actionRef('iam:GetUser')), 'one list per action, whatever its case');
});

test('actionRef splits and lower-cases', () => {
  const a = actionRef('IAM:CreateUser');
  assert.equal(a.full, 'iam:createuser');
  assert.equal(a.service, 'iam');
  assert.equal(a.name, 'createuser');
  assert.equal(actionRef('iam:ListUsers').serviceId, a.serviceId);
  assert.notEqual(actionRef('s3:ListBucket').serviceId, a.serviceId);
});

test('compiled policies are frozen and a decision writes nothing into them', () => {
  const p = compilePolicy(doc([{ Sid: 'Read', Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }]), { kind: 'identity', name: 'frozen' });
  assert.ok(Object.isFrozen(p) && Object.isFrozen(p.statements) && p.statements.every((s) => Object.isFrozen(s)));
  const before = Object.keys(p.statements[0]).sort();
  const principal = { type: 'user' as const, arn: 'arn:aws:iam::111122223333:user/ana', accountId: '111122223333' };
  const d = evaluate({ action: 's3:GetObject', resource: 'arn:aws:s3:::b/k', principal, context: {} }, { identity: [p] });
  assert.equal(d.decision, 'allowed');
  assert.deepEqual(Object.keys(p.statements[0]).sort(), before);
  // The same statement in the same role is reported by the same (shared, frozen) record.
  const again = evaluate({ action: 's3:GetObject', resource: 'arn:aws:s3:::b/other', principal, context: {} }, { identity: [p] });
  assert.equal(again.matched[0], d.matched[0]);
  assert.ok(Object.isFrozen(d.matched[0]));
  // The same policy placed as a boundary is reported in that role.
  const asBoundary = evaluate({ action: 's3:GetObject', resource: 'arn:aws:s3:::b/k', principal, context: {} }, { identity: [p], boundary: p });
  assert.deepEqual(asBoundary.matched.map((m) => m.policyType), ['identity', 'boundary']);
  assert.ok(Object.isFrozen(asBoundary.matched[1]));
});

import { afterEach, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { asRoot, call, openTestStore, throwsAws } from './context.js';
import type { Store } from '../../src/store/store.js';

let t: ReturnType<typeof openTestStore>;
let store: Store;
beforeEach(() => {
  t = openTestStore();
  store = t.store;
  call(asRoot(store), 'CreateUser', { UserName: 'pat' });
});
afterEach(() => t.dispose());

const allowS3 = `{
  "Version": "2012-10-17",
  "Statement": [{"Sid": "S3", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}]
}`;

describe('PutUserPolicy / GetUserPolicy', () => {
  test('stores the text exactly and returns it URL-encoded', () => {
    call(asRoot(store), 'PutUserPolicy', { UserName: 'pat', PolicyName: 'read', PolicyDocument: allowS3 });
    const got = call(asRoot(store), 'GetUserPolicy', { UserName: 'pat', PolicyName: 'read' });
    assert.equal(got.UserName, 'pat');
    assert.equal(got.PolicyName, 'read');
    assert.ok(!got.PolicyDocument.includes('{') && !got.PolicyDocument.includes(' '), 'encoded');
    assert.equal(decodeURIComponent(got.PolicyDocument), allowS3);
  });

  test('putting the same name again replaces the document', () => {
    call(asRoot(store), 'PutUserPolicy', { UserName: 'pat', PolicyName: 'p', PolicyDocument: allowS3 });
    const other = '{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"*","Resource":"*"}]}';
    call(asRoot(store), 'PutUserPolicy', { UserName: 'pat', PolicyName: 'p', PolicyDocument: other });
    assert.equal(decodeURIComponent(call(asRoot(store), 'GetUserPolicy', { UserName: 'pat', PolicyName: 'p' }).PolicyDocument), other);
    assert.deepEqual(call(asRoot(store), 'ListUserPolicies', { UserName: 'pat' }).PolicyNames, ['p']);
  });

  test('a malformed document is MalformedPolicyDocument and nothing is stored', () => {
    throwsAws(
      () => call(asRoot(store), 'PutUserPolicy', { UserName: 'pat', PolicyName: 'bad', PolicyDocument: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*",}]}' }),
      'MalformedPolicyDocument',
      400,
      'Syntax errors in policy.',
    );
    throwsAws(
      () => call(asRoot(store), 'PutUserPolicy', {
        UserName: 'pat', PolicyName: 'bad',
        PolicyDocument: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"*"}]}',
      }),
      'MalformedPolicyDocument',
      400,
      'Policy document should not specify a principal.',
    );
    assert.deepEqual(call(asRoot(store), 'ListUserPolicies', { UserName: 'pat' }).PolicyNames, []);
  });

  test('the user\'s inline policies together may not exceed 2048 non-white-space characters', () => {
    const doc = (sid: string, pad: number) =>
      JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: sid + 'x'.repeat(pad), Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }] });
    const first = doc('A', 1000);
    call(asRoot(store), 'PutUserPolicy', { UserName: 'pat', PolicyName: 'one', PolicyDocument: first });
    throwsAws(
      () => call(asRoot(store), 'PutUserPolicy', { UserName: 'pat', PolicyName: 'two', PolicyDocument: doc('B', 1000) }),
      'LimitExceeded',
      409,
      'Maximum policy size of 2048 bytes exceeded for user pat',
    );
    // Replacing the first one with one of the same size is fine: it does not count twice.
    call(asRoot(store), 'PutUserPolicy', { UserName: 'pat', PolicyName: 'one', PolicyDocument: doc('C', 1000) });
    // White space does not count: 1900 characters plus 1000 spaces fit once 'one' is gone.
    call(asRoot(store), 'DeleteUserPolicy', { UserName: 'pat', PolicyName: 'one' });
    const spaced = doc('D', 1800).replace('{', '{' + ' '.repeat(1000));
    assert.ok(spaced.length > 2048 && spaced.replace(/\s/g, '').length < 2048);
    call(asRoot(store), 'PutUserPolicy', { UserName: 'pat', PolicyName: 'spaced', PolicyDocument: spaced });
  });

  test('a missing user or policy is NoSuchEntity with IAM\'s wording', () => {
    throwsAws(() => call(asRoot(store), 'PutUserPolicy', { UserName: 'ghost', PolicyName: 'p', PolicyDocument: allowS3 }), 'NoSuchEntity', 404, 'The user with name ghost cannot be found.');
    throwsAws(() => call(asRoot(store), 'GetUserPolicy', { UserName: 'pat', PolicyName: 'nope' }), 'NoSuchEntity', 404, 'The user policy with name nope cannot be found.');
    throwsAws(() => call(asRoot(store), 'DeleteUserPolicy', { UserName: 'pat', PolicyName: 'nope' }), 'NoSuchEntity', 404, 'The user policy with name nope cannot be found.');
  });
});

describe('ListUserPolicies / DeleteUserPolicy', () => {
  test('lists names in order, pages, and forgets deleted ones', () => {
    for (const n of ['c', 'a', 'B']) call(asRoot(store), 'PutUserPolicy', { UserName: 'pat', PolicyName: n, PolicyDocument: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}' });
    assert.deepEqual(call(asRoot(store), 'ListUserPolicies', { UserName: 'pat' }), { PolicyNames: ['a', 'B', 'c'], IsTruncated: false });
    const p1 = call(asRoot(store), 'ListUserPolicies', { UserName: 'pat', MaxItems: 2 });
    assert.deepEqual([p1.PolicyNames, p1.IsTruncated], [['a', 'B'], true]);
    const p2 = call(asRoot(store), 'ListUserPolicies', { UserName: 'pat', MaxItems: 2, Marker: p1.Marker });
    assert.deepEqual(p2, { PolicyNames: ['c'], IsTruncated: false });
    call(asRoot(store), 'DeleteUserPolicy', { UserName: 'pat', PolicyName: 'B' });
    assert.deepEqual(call(asRoot(store), 'ListUserPolicies', { UserName: 'pat' }).PolicyNames, ['a', 'c']);
  });

  test('a missing user is NoSuchEntity', () => {
    throwsAws(() => call(asRoot(store), 'ListUserPolicies', { UserName: 'ghost' }), 'NoSuchEntity', 404, 'The user with name ghost cannot be found.');
  });
});

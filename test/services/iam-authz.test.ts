import { afterEach, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ACCOUNT, asRoot, call, contextFor, openTestStore, throwsAws, userWithKey } from './context.js';
import { iamService } from '../../src/services/iam/index.js';
import { stsService } from '../../src/services/sts/index.js';
import type { AuthzEntry, RequestContext } from '../../src/services/types.js';
import type { Store } from '../../src/store/store.js';

let t: ReturnType<typeof openTestStore>;
let store: Store;
beforeEach(() => {
  t = openTestStore();
  store = t.store;
});
afterEach(() => t.dispose());

function entries(ctx: RequestContext, op: string, input: Record<string, unknown>): AuthzEntry[] {
  const r = iamService.operations[op].authorize(ctx, input);
  return r === null ? [] : Array.isArray(r) ? r : [r];
}
const arn = (rest: string) => `arn:aws:iam::${ACCOUNT}:${rest}`;

describe('IAM authorization map', () => {
  test('CreateUser acts on the ARN to be, with request tags, tag keys and the boundary', () => {
    const [e] = entries(asRoot(store), 'CreateUser', {
      UserName: 'new', Path: '/p/', Tags: [{ Key: 'team', Value: 'red' }], PermissionsBoundary: 'arn:aws:iam::aws:policy/X',
    });
    assert.deepEqual(e, {
      action: 'iam:CreateUser',
      resource: arn('user/p/new'),
      context: { 'aws:TagKeys': ['team'], 'aws:RequestTag/team': 'red', 'iam:PermissionsBoundary': 'arn:aws:iam::aws:policy/X' },
    });
    assert.deepEqual(entries(asRoot(store), 'CreateUser', { UserName: 'plain' }), [{ action: 'iam:CreateUser', resource: arn('user/plain') }]);
  });

  test('actions on an existing user carry its path and its tags as resource tags', () => {
    call(asRoot(store), 'CreateUser', { UserName: 'tgt', Path: '/d/', Tags: [{ Key: 'env', Value: 'dev' }] });
    const resourceTags = { 'aws:ResourceTag/env': 'dev', 'iam:ResourceTag/env': 'dev' };
    for (const op of ['GetUser', 'DeleteUser', 'ListUserTags', 'CreateAccessKey', 'ListAccessKeys', 'GetUserPolicy', 'ListUserPolicies']) {
      assert.deepEqual(entries(asRoot(store), op, { UserName: 'TGT' }), [{ action: `iam:${op}`, resource: arn('user/d/tgt'), context: resourceTags }], op);
    }
    assert.deepEqual(entries(asRoot(store), 'TagUser', { UserName: 'tgt', Tags: [{ Key: 'owner', Value: 'me' }] }), [
      { action: 'iam:TagUser', resource: arn('user/d/tgt'), context: { 'aws:TagKeys': ['owner'], 'aws:RequestTag/owner': 'me', ...resourceTags } },
    ]);
    assert.deepEqual(entries(asRoot(store), 'UntagUser', { UserName: 'tgt', TagKeys: ['env'] }), [
      { action: 'iam:UntagUser', resource: arn('user/d/tgt'), context: { 'aws:TagKeys': ['env'], ...resourceTags } },
    ]);
  });

  test('a user that does not exist is checked as user/NAME', () => {
    assert.deepEqual(entries(asRoot(store), 'GetUser', { UserName: 'ghost' }), [{ action: 'iam:GetUser', resource: arn('user/ghost') }]);
  });

  test('with no UserName the caller is the resource: its own ARN, or root\'s', () => {
    const { principal } = userWithKey(store, 'me', { Path: '/x/' });
    assert.deepEqual(entries(contextFor(store, principal), 'CreateAccessKey', {}), [{ action: 'iam:CreateAccessKey', resource: arn('user/x/me') }]);
    assert.deepEqual(entries(asRoot(store), 'ListAccessKeys', {}), [{ action: 'iam:ListAccessKeys', resource: arn('root') }]);
    const role = contextFor(store, { type: 'assumed-role', accountId: ACCOUNT, arn: `arn:aws:sts::${ACCOUNT}:assumed-role/r/s`, userId: 'AROAX:s', tags: {} });
    throwsAws(() => entries(role, 'GetUser', {}), 'ValidationError', 400, 'Must specify userName when calling with non-User credentials');
  });

  test('ListUsers is checked against the path listed', () => {
    assert.deepEqual(entries(asRoot(store), 'ListUsers', {}), [{ action: 'iam:ListUsers', resource: arn('user/') }]);
    assert.deepEqual(entries(asRoot(store), 'ListUsers', { PathPrefix: '/eng/' }), [{ action: 'iam:ListUsers', resource: arn('user/eng/') }]);
  });

  test('UpdateUser needs the user as it is and as it will be', () => {
    call(asRoot(store), 'CreateUser', { UserName: 'bob', Path: '/a/' });
    assert.deepEqual(entries(asRoot(store), 'UpdateUser', { UserName: 'bob', NewUserName: 'robert' }), [
      { action: 'iam:UpdateUser', resource: arn('user/a/bob') },
      { action: 'iam:UpdateUser', resource: arn('user/a/robert') },
    ]);
    assert.deepEqual(entries(asRoot(store), 'UpdateUser', { UserName: 'bob', NewPath: '/b/' }).map((e) => e.resource), [arn('user/a/bob'), arn('user/b/bob')]);
    assert.deepEqual(entries(asRoot(store), 'UpdateUser', { UserName: 'bob' }), [{ action: 'iam:UpdateUser', resource: arn('user/a/bob') }]);
  });

  test('PutUserPolicy and DeleteUserPolicy carry the user\'s boundary', () => {
    const { user } = userWithKey(store, 'b');
    store.tx(() => store.db.prepare("UPDATE users SET permissions_boundary_arn = 'arn:aws:iam::aws:policy/B' WHERE user_id = ?").run(user.UserId));
    for (const op of ['PutUserPolicy', 'DeleteUserPolicy']) {
      assert.deepEqual(entries(asRoot(store), op, { UserName: 'b', PolicyName: 'p' }), [
        { action: `iam:${op}`, resource: arn('user/b'), context: { 'iam:PermissionsBoundary': 'arn:aws:iam::aws:policy/B' } },
      ]);
    }
    assert.deepEqual(entries(asRoot(store), 'GetUserPolicy', { UserName: 'b', PolicyName: 'p' }), [{ action: 'iam:GetUserPolicy', resource: arn('user/b') }]);
  });

  test('GetAccessKeyLastUsed acts on the key\'s owner; an unknown key is refused before any policy', () => {
    const { key } = userWithKey(store, 'owner', { Path: '/o/' });
    assert.deepEqual(entries(asRoot(store), 'GetAccessKeyLastUsed', { AccessKeyId: key.AccessKeyId }), [
      { action: 'iam:GetAccessKeyLastUsed', resource: arn('user/o/owner') },
    ]);
    assert.deepEqual(entries(asRoot(store), 'GetAccessKeyLastUsed', { AccessKeyId: t.root.accessKeyId }), [
      { action: 'iam:GetAccessKeyLastUsed', resource: arn('root') },
    ]);
    throwsAws(() => entries(asRoot(store), 'GetAccessKeyLastUsed', { AccessKeyId: 'AKIAIOSFODNN7EXAMPLE' }), 'AccessDenied', 403);
  });

  test('GetCallerIdentity needs no permission', () => {
    assert.equal(stsService.operations.GetCallerIdentity.authorize(asRoot(store), {}), null);
  });
});

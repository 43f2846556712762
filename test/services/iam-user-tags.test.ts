import { afterEach, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { asRoot, call, openTestStore, principalOf, throwsAws, userWithKey } from './context.js';
import type { Store } from '../../src/store/store.js';

let t: ReturnType<typeof openTestStore>;
let store: Store;
beforeEach(() => {
  t = openTestStore();
  store = t.store;
});
afterEach(() => t.dispose());

const tags = (n: number, prefix = 'k') => Array.from({ length: n }, (_, i) => ({ Key: `${prefix}${i}`, Value: `v${i}` }));

describe('TagUser / UntagUser / ListUserTags', () => {
  test('tags keep the order they were first added in; re-tagging a key overwrites its value in place', () => {
    call(asRoot(store), 'CreateUser', { UserName: 'u', Tags: [{ Key: 'b', Value: '1' }] });
    call(asRoot(store), 'TagUser', { UserName: 'u', Tags: [{ Key: 'a', Value: '2' }, { Key: 'c', Value: '3' }] });
    call(asRoot(store), 'TagUser', { UserName: 'u', Tags: [{ Key: 'B', Value: 'new' }] });
    assert.deepEqual(call(asRoot(store), 'ListUserTags', { UserName: 'u' }), {
      Tags: [{ Key: 'B', Value: 'new' }, { Key: 'a', Value: '2' }, { Key: 'c', Value: '3' }],
      IsTruncated: false,
    });
  });

  test('untag removes keys in any case and ignores keys that are not there', () => {
    call(asRoot(store), 'CreateUser', { UserName: 'u', Tags: [{ Key: 'Env', Value: 'prod' }, { Key: 'team', Value: 'x' }] });
    call(asRoot(store), 'UntagUser', { UserName: 'u', TagKeys: ['env', 'missing'] });
    assert.deepEqual(call(asRoot(store), 'ListUserTags', { UserName: 'u' }).Tags, [{ Key: 'team', Value: 'x' }]);
  });

  test('50 tags fit; the 51st is LimitExceeded and nothing of that request is kept', () => {
    call(asRoot(store), 'CreateUser', { UserName: 'u', Tags: tags(49) });
    call(asRoot(store), 'TagUser', { UserName: 'u', Tags: [{ Key: 'k0', Value: 'again' }, { Key: 'fifty', Value: 'x' }] });
    throwsAws(
      () => call(asRoot(store), 'TagUser', { UserName: 'u', Tags: [{ Key: 'k1', Value: 'changed' }, { Key: 'extra', Value: 'x' }] }),
      'LimitExceeded',
      409,
      'The number of tags has reached the maximum limit.',
    );
    const listed = call(asRoot(store), 'ListUserTags', { UserName: 'u' }).Tags;
    assert.equal(listed.length, 50);
    assert.equal(listed.find((x: any) => x.Key === 'k1').Value, 'v1');
  });

  test('duplicate keys in one request are InvalidInput', () => {
    call(asRoot(store), 'CreateUser', { UserName: 'u' });
    throwsAws(
      () => call(asRoot(store), 'TagUser', { UserName: 'u', Tags: [{ Key: 'x', Value: '1' }, { Key: 'X', Value: '2' }] }),
      'InvalidInput',
      400,
      'Duplicate tag keys found. Please note that Tag keys are case insensitive.',
    );
  });

  test('ListUserTags pages', () => {
    call(asRoot(store), 'CreateUser', { UserName: 'u', Tags: tags(5) });
    const p1 = call(asRoot(store), 'ListUserTags', { UserName: 'u', MaxItems: 3 });
    assert.deepEqual(p1.Tags.map((x: any) => x.Key), ['k0', 'k1', 'k2']);
    assert.equal(p1.IsTruncated, true);
    const p2 = call(asRoot(store), 'ListUserTags', { UserName: 'u', MaxItems: 3, Marker: p1.Marker });
    assert.deepEqual(p2, { Tags: [{ Key: 'k3', Value: 'v3' }, { Key: 'k4', Value: 'v4' }], IsTruncated: false });
  });

  test('missing users are NoSuchEntity', () => {
    const msg = 'The user with name ghost cannot be found.';
    throwsAws(() => call(asRoot(store), 'TagUser', { UserName: 'ghost', Tags: [{ Key: 'a', Value: 'b' }] }), 'NoSuchEntity', 404, msg);
    throwsAws(() => call(asRoot(store), 'UntagUser', { UserName: 'ghost', TagKeys: ['a'] }), 'NoSuchEntity', 404, msg);
    throwsAws(() => call(asRoot(store), 'ListUserTags', { UserName: 'ghost' }), 'NoSuchEntity', 404, msg);
  });

  test('a user\'s tags are its principal tags, updated by the next lookup', () => {
    const { key } = userWithKey(store, 'p', { Tags: [{ Key: 'project', Value: 'blue' }] });
    assert.deepEqual(principalOf(store, key.AccessKeyId).tags, { project: 'blue' });
    call(asRoot(store), 'TagUser', { UserName: 'p', Tags: [{ Key: 'project', Value: 'red' }, { Key: 'cost', Value: '1' }] });
    assert.deepEqual(principalOf(store, key.AccessKeyId).tags, { project: 'red', cost: '1' });
  });
});

import { afterEach, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ACCOUNT, asRoot, call, contextFor, openTestStore, throwsAws, userWithKey } from './context.js';
import { recordAccessKeyUse, resolveCredential } from '../../src/identity/credentials.js';
import type { Store } from '../../src/store/store.js';

let t: ReturnType<typeof openTestStore>;
let store: Store;
beforeEach(() => {
  t = openTestStore();
  store = t.store;
});
afterEach(() => t.dispose());

describe('CreateAccessKey', () => {
  test('makes an AKIA id, a 40-character secret, Active, for the named user', () => {
    call(asRoot(store), 'CreateUser', { UserName: 'ann' });
    const now = Date.UTC(2026, 4, 1);
    const { AccessKey } = call(asRoot(store, now), 'CreateAccessKey', { UserName: 'ann' });
    assert.match(AccessKey.AccessKeyId, /^AKIA[A-Z2-7]{16}$/);
    assert.match(AccessKey.SecretAccessKey, /^[A-Za-z0-9/+]{40}$/);
    assert.equal(AccessKey.Status, 'Active');
    assert.equal(AccessKey.UserName, 'ann');
    assert.deepEqual(AccessKey.CreateDate, new Date(now));
    const cred = resolveCredential(store, AccessKey.AccessKeyId);
    assert.equal(cred?.secretAccessKey, AccessKey.SecretAccessKey);
    assert.equal(cred?.principal.userName, 'ann');
  });

  test('at most two per user: the third is LimitExceeded', () => {
    call(asRoot(store), 'CreateUser', { UserName: 'ann' });
    call(asRoot(store), 'CreateAccessKey', { UserName: 'ann' });
    call(asRoot(store), 'CreateAccessKey', { UserName: 'ann' });
    throwsAws(() => call(asRoot(store), 'CreateAccessKey', { UserName: 'ann' }), 'LimitExceeded', 409, 'Cannot exceed quota for AccessKeysPerUser: 2');
    assert.equal(call(asRoot(store), 'ListAccessKeys', { UserName: 'ann' }).AccessKeyMetadata.length, 2);
  });

  test('with no name, a user makes a key for itself', () => {
    const { principal } = userWithKey(store, 'self');
    const { AccessKey } = call(contextFor(store, principal), 'CreateAccessKey', {});
    assert.equal(AccessKey.UserName, 'self');
    assert.equal(resolveCredential(store, AccessKey.AccessKeyId)?.principal.userName, 'self');
  });

  test('with no name, root makes a root key (the bootstrap key counts toward two)', () => {
    const { AccessKey } = call(asRoot(store), 'CreateAccessKey', {});
    assert.equal('UserName' in AccessKey, false);
    assert.equal(resolveCredential(store, AccessKey.AccessKeyId)?.principal.type, 'root');
    throwsAws(() => call(asRoot(store), 'CreateAccessKey', {}), 'LimitExceeded', 409, 'Cannot exceed quota for AccessKeysPerUser: 2');
    const ids = call(asRoot(store), 'ListAccessKeys', {}).AccessKeyMetadata.map((k: any) => k.AccessKeyId);
    assert.deepEqual(ids.sort(), [t.root.accessKeyId, AccessKey.AccessKeyId].sort());
  });

  test('for a missing user is NoSuchEntity', () => {
    throwsAws(() => call(asRoot(store), 'CreateAccessKey', { UserName: 'ghost' }), 'NoSuchEntity', 404, 'The user with name ghost cannot be found.');
  });

  test('a role session must name the user', () => {
    const role = contextFor(store, { type: 'assumed-role', accountId: ACCOUNT, arn: `arn:aws:sts::${ACCOUNT}:assumed-role/r/s`, userId: 'AROAX:s', tags: {} });
    throwsAws(() => call(role, 'CreateAccessKey', {}), 'ValidationError', 400, 'Must specify userName when calling with non-User credentials');
    throwsAws(() => call(role, 'DeleteAccessKey', { AccessKeyId: 'AKIAAAAAAAAAAAAAAAAA' }), 'ValidationError', 400, 'Must specify userName when calling with non-User credentials');
  });
});

describe('ListAccessKeys', () => {
  test('lists only the target\'s keys, oldest first, with status and date', () => {
    call(asRoot(store), 'CreateUser', { UserName: 'a' });
    call(asRoot(store), 'CreateUser', { UserName: 'b' });
    const k1 = call(asRoot(store, 1000), 'CreateAccessKey', { UserName: 'a' }).AccessKey;
    const k2 = call(asRoot(store, 2000), 'CreateAccessKey', { UserName: 'a' }).AccessKey;
    call(asRoot(store), 'CreateAccessKey', { UserName: 'b' });
    const { AccessKeyMetadata, IsTruncated } = call(asRoot(store), 'ListAccessKeys', { UserName: 'a' });
    assert.equal(IsTruncated, false);
    assert.deepEqual(AccessKeyMetadata, [
      { UserName: 'a', AccessKeyId: k1.AccessKeyId, Status: 'Active', CreateDate: new Date(1000) },
      { UserName: 'a', AccessKeyId: k2.AccessKeyId, Status: 'Active', CreateDate: new Date(2000) },
    ]);
    const page = call(asRoot(store), 'ListAccessKeys', { UserName: 'a', MaxItems: 1 });
    assert.equal(page.IsTruncated, true);
    const rest = call(asRoot(store), 'ListAccessKeys', { UserName: 'a', MaxItems: 1, Marker: page.Marker });
    assert.deepEqual(rest.AccessKeyMetadata.map((k: any) => k.AccessKeyId), [k2.AccessKeyId]);
  });

  test('with no name, the caller\'s own keys', () => {
    const { principal, key } = userWithKey(store, 'me');
    const { AccessKeyMetadata } = call(contextFor(store, principal), 'ListAccessKeys', {});
    assert.deepEqual(AccessKeyMetadata.map((k: any) => k.AccessKeyId), [key.AccessKeyId]);
  });
});

describe('UpdateAccessKey and DeleteAccessKey', () => {
  test('Inactive is honoured at once by credential lookup, and Active restores it', () => {
    const { key } = userWithKey(store, 'u');
    assert.equal(resolveCredential(store, key.AccessKeyId)?.active, true);
    call(asRoot(store), 'UpdateAccessKey', { UserName: 'u', AccessKeyId: key.AccessKeyId, Status: 'Inactive' });
    assert.equal(resolveCredential(store, key.AccessKeyId)?.active, false);
    assert.equal(call(asRoot(store), 'ListAccessKeys', { UserName: 'u' }).AccessKeyMetadata[0].Status, 'Inactive');
    call(asRoot(store), 'UpdateAccessKey', { UserName: 'u', AccessKeyId: key.AccessKeyId, Status: 'Active' });
    assert.equal(resolveCredential(store, key.AccessKeyId)?.active, true);
  });

  test('a key of another user is NoSuchEntity, worded as IAM words it', () => {
    const { key } = userWithKey(store, 'owner');
    call(asRoot(store), 'CreateUser', { UserName: 'other' });
    const msg = `The Access Key with id ${key.AccessKeyId} cannot be found.`;
    throwsAws(() => call(asRoot(store), 'UpdateAccessKey', { UserName: 'other', AccessKeyId: key.AccessKeyId, Status: 'Inactive' }), 'NoSuchEntity', 404, msg);
    throwsAws(() => call(asRoot(store), 'DeleteAccessKey', { UserName: 'other', AccessKeyId: key.AccessKeyId }), 'NoSuchEntity', 404, msg);
    // Root without a name acts on root's keys, not on the user's.
    throwsAws(() => call(asRoot(store), 'DeleteAccessKey', { AccessKeyId: key.AccessKeyId }), 'NoSuchEntity', 404, msg);
    assert.equal(resolveCredential(store, key.AccessKeyId)?.active, true);
  });

  test('delete removes the credential at once', () => {
    const { key, principal } = userWithKey(store, 'gone');
    call(contextFor(store, principal), 'DeleteAccessKey', { AccessKeyId: key.AccessKeyId });
    assert.equal(resolveCredential(store, key.AccessKeyId), undefined);
    assert.deepEqual(call(asRoot(store), 'ListAccessKeys', { UserName: 'gone' }).AccessKeyMetadata, []);
  });
});

describe('GetAccessKeyLastUsed', () => {
  test('a key never used says N/A; after use, the date, service and region', () => {
    const { key } = userWithKey(store, 'used');
    const before = call(asRoot(store), 'GetAccessKeyLastUsed', { AccessKeyId: key.AccessKeyId });
    assert.deepEqual(before, { UserName: 'used', AccessKeyLastUsed: { ServiceName: 'N/A', Region: 'N/A' } });
    const when = Date.UTC(2026, 5, 1, 12);
    recordAccessKeyUse(store, key.AccessKeyId, { service: 's3', region: 'eu-west-1', when });
    const after = call(asRoot(store), 'GetAccessKeyLastUsed', { AccessKeyId: key.AccessKeyId });
    assert.deepEqual(after, { UserName: 'used', AccessKeyLastUsed: { LastUsedDate: new Date(when), ServiceName: 's3', Region: 'eu-west-1' } });
  });

  test('uses within a minute are not rewritten; a later one is', () => {
    const { key } = userWithKey(store, 'busy');
    const t0 = Date.UTC(2026, 5, 1, 12);
    recordAccessKeyUse(store, key.AccessKeyId, { service: 'iam', region: 'us-east-1', when: t0 });
    recordAccessKeyUse(store, key.AccessKeyId, { service: 'sts', region: 'us-east-1', when: t0 + 30_000 });
    let got = call(asRoot(store), 'GetAccessKeyLastUsed', { AccessKeyId: key.AccessKeyId }).AccessKeyLastUsed;
    assert.deepEqual([got.LastUsedDate, got.ServiceName], [new Date(t0), 'iam']);
    recordAccessKeyUse(store, key.AccessKeyId, { service: 'sts', region: 'us-west-2', when: t0 + 61_000 });
    got = call(asRoot(store), 'GetAccessKeyLastUsed', { AccessKeyId: key.AccessKeyId }).AccessKeyLastUsed;
    assert.deepEqual([got.LastUsedDate, got.ServiceName, got.Region], [new Date(t0 + 61_000), 'sts', 'us-west-2']);
  });

  test('recording use does not disturb credential caching or the write generation', () => {
    const { key } = userWithKey(store, 'quiet');
    const gen = store.generation;
    recordAccessKeyUse(store, key.AccessKeyId, { service: 'iam', region: 'us-east-1', when: Date.now() });
    assert.equal(store.generation, gen);
  });

  test('an unknown key is AccessDenied, worded as IAM words it', () => {
    throwsAws(
      () => call(asRoot(store), 'GetAccessKeyLastUsed', { AccessKeyId: 'AKIAIOSFODNN7EXAMPLE' }),
      'AccessDenied',
      403,
      `User: arn:aws:iam::${ACCOUNT}:root is not authorized to perform iam:GetAccessKeyLastUsed on resource: access key AKIAIOSFODNN7EXAMPLE`,
    );
  });

  test('root keys report no user name', () => {
    const out = call(asRoot(store), 'GetAccessKeyLastUsed', { AccessKeyId: t.root.accessKeyId });
    assert.equal('UserName' in out, false);
    assert.deepEqual(out.AccessKeyLastUsed, { ServiceName: 'N/A', Region: 'N/A' });
  });
});

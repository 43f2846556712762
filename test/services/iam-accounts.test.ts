import { afterEach, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ACCOUNT, asRoot, call, openTestStore, principalOf, userWithKey } from './context.js';
import { ensureAccount, resetAccount, rootPrincipal } from '../../src/identity/accounts.js';
import { resolveCredential } from '../../src/identity/credentials.js';
import { identityPoliciesFor } from '../../src/identity/effective-policies.js';
import { Store } from '../../src/store/store.js';

describe('ensureAccount', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'iamlocal-acct-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  test('creates the account and a root key once; later calls (and a restart) return the same key', () => {
    let store = new Store(dir);
    const first = ensureAccount(store, ACCOUNT);
    assert.equal(first.created, true);
    assert.match(first.rootAccessKeyId, /^AKIA[A-Z2-7]{16}$/);
    assert.equal(first.rootSecretAccessKey.length, 40);
    const again = ensureAccount(store, ACCOUNT);
    assert.deepEqual(again, { ...first, created: false });
    store.close();
    store = new Store(dir);
    assert.deepEqual(ensureAccount(store, ACCOUNT), { ...first, created: false });
    const cred = resolveCredential(store, first.rootAccessKeyId);
    assert.equal(cred?.secretAccessKey, first.rootSecretAccessKey);
    assert.deepEqual(cred?.principal, {
      type: 'root', accountId: ACCOUNT, arn: `arn:aws:iam::${ACCOUNT}:root`, userId: ACCOUNT, tags: {}, accessKeyId: first.rootAccessKeyId,
    });
    store.close();
  });

  test('users, keys, policies and tags survive a restart', () => {
    let store = new Store(dir);
    ensureAccount(store, ACCOUNT);
    const { key } = userWithKey(store, 'durable', { Tags: [{ Key: 'k', Value: 'v' }] });
    call(asRoot(store), 'PutUserPolicy', { UserName: 'durable', PolicyName: 'p', PolicyDocument: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}' });
    call(asRoot(store), 'UpdateAccessKey', { UserName: 'durable', AccessKeyId: key.AccessKeyId, Status: 'Inactive' });
    store.close();
    store = new Store(dir);
    const cred = resolveCredential(store, key.AccessKeyId);
    assert.equal(cred?.secretAccessKey, key.SecretAccessKey);
    assert.equal(cred?.active, false);
    assert.deepEqual(cred?.principal.tags, { k: 'v' });
    assert.deepEqual(identityPoliciesFor(store, cred!.principal).identity.map((p) => p.name), ['p (inline, user durable)']);
    store.close();
  });

  test('pinned credentials are used, and replace the stored ones when they differ', () => {
    const store = new Store(dir);
    const generated = ensureAccount(store, ACCOUNT);
    const pinned = ensureAccount(store, ACCOUNT, { rootAccessKeyId: 'AKIAPINNEDPINNED0001', rootSecretAccessKey: 's'.repeat(40) });
    assert.deepEqual(pinned, { accountId: ACCOUNT, rootAccessKeyId: 'AKIAPINNEDPINNED0001', rootSecretAccessKey: 's'.repeat(40), created: false });
    assert.equal(resolveCredential(store, generated.rootAccessKeyId), undefined);
    const secretChanged = ensureAccount(store, ACCOUNT, { rootAccessKeyId: 'AKIAPINNEDPINNED0001', rootSecretAccessKey: 't'.repeat(40) });
    assert.equal(secretChanged.rootSecretAccessKey, 't'.repeat(40));
    assert.equal(resolveCredential(store, 'AKIAPINNEDPINNED0001')?.secretAccessKey, 't'.repeat(40));
    // Without pins the stored (pinned) key stays.
    assert.equal(ensureAccount(store, ACCOUNT).rootAccessKeyId, 'AKIAPINNEDPINNED0001');
    store.close();
  });

  test('accounts are separate: the same user name can exist in two', () => {
    const store = new Store(dir);
    ensureAccount(store, ACCOUNT);
    ensureAccount(store, '210987654321');
    call(asRoot(store), 'CreateUser', { UserName: 'same' });
    const other = { ...asRoot(store), accountId: '210987654321', principal: rootPrincipal(store, '210987654321') };
    call(other, 'CreateUser', { UserName: 'same' });
    assert.equal(call(other, 'GetUser', { UserName: 'same' }).User.Arn, 'arn:aws:iam::210987654321:user/same');
    store.close();
  });

  test('a deleted bootstrap key is replaced by a remaining root key, or a new one', () => {
    const store = new Store(dir);
    const first = ensureAccount(store, ACCOUNT);
    const second = call(asRoot(store), 'CreateAccessKey', {}).AccessKey;
    call(asRoot(store), 'DeleteAccessKey', { AccessKeyId: first.rootAccessKeyId });
    assert.equal(ensureAccount(store, ACCOUNT).rootAccessKeyId, second.AccessKeyId);
    call(asRoot(store), 'DeleteAccessKey', { AccessKeyId: second.AccessKeyId });
    const fresh = ensureAccount(store, ACCOUNT);
    assert.ok(![first.rootAccessKeyId, second.AccessKeyId].includes(fresh.rootAccessKeyId));
    assert.equal(resolveCredential(store, fresh.rootAccessKeyId)?.principal.type, 'root');
    store.close();
  });
});

describe('resetAccount', () => {
  let t: ReturnType<typeof openTestStore>;
  beforeEach(() => {
    t = openTestStore();
  });
  afterEach(() => t.dispose());

  test('wipes users, keys, policies and tags but keeps the root credentials; other accounts are untouched', () => {
    const { store } = t;
    const { key } = userWithKey(store, 'wiped', { Tags: [{ Key: 'a', Value: 'b' }] });
    call(asRoot(store), 'PutUserPolicy', { UserName: 'wiped', PolicyName: 'p', PolicyDocument: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}' });
    ensureAccount(store, '210987654321');
    const other = { ...asRoot(store), accountId: '210987654321', principal: rootPrincipal(store, '210987654321') };
    call(other, 'CreateUser', { UserName: 'survivor' });
    let hookCalledWith = '';
    store.onAccountReset((id) => {
      hookCalledWith = id;
    });

    resetAccount(store, ACCOUNT);

    assert.equal(hookCalledWith, ACCOUNT);
    assert.deepEqual(call(asRoot(store), 'ListUsers', {}).Users, []);
    assert.equal(resolveCredential(store, key.AccessKeyId), undefined);
    for (const table of ['users', 'user_policies', 'tags']) {
      const n = (store.db.prepare(`SELECT count(*) AS n FROM ${table} WHERE account_id = ?`).get(ACCOUNT) as { n: number }).n;
      assert.equal(n, 0, table);
    }
    assert.equal(resolveCredential(store, t.root.accessKeyId)?.principal.type, 'root');
    assert.equal(call(other, 'GetUser', { UserName: 'survivor' }).User.UserName, 'survivor');
  });
});

describe('identityPoliciesFor', () => {
  let t: ReturnType<typeof openTestStore>;
  beforeEach(() => {
    t = openTestStore();
  });
  afterEach(() => t.dispose());
  const doc = (action: string) => `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"${action}","Resource":"*"}]}`;

  test('a user gets its inline policies, named for explanations; root gets none', () => {
    const { store } = t;
    const { principal } = userWithKey(store, 'ivy');
    assert.deepEqual(identityPoliciesFor(store, principal), { identity: [] });
    call(asRoot(store), 'PutUserPolicy', { UserName: 'ivy', PolicyName: 'b', PolicyDocument: doc('s3:*') });
    call(asRoot(store), 'PutUserPolicy', { UserName: 'ivy', PolicyName: 'a', PolicyDocument: doc('iam:*') });
    assert.deepEqual(identityPoliciesFor(store, principal), {
      identity: [
        { kind: 'identity', name: 'a (inline, user ivy)', document: doc('iam:*') },
        { kind: 'identity', name: 'b (inline, user ivy)', document: doc('s3:*') },
      ],
    });
    assert.deepEqual(identityPoliciesFor(store, rootPrincipal(store, ACCOUNT)), { identity: [] });
  });

  test('answers from cache between writes and sees every write at once', () => {
    const { store } = t;
    const { principal } = userWithKey(store, 'cached');
    call(asRoot(store), 'PutUserPolicy', { UserName: 'cached', PolicyName: 'p', PolicyDocument: doc('s3:*') });
    const first = identityPoliciesFor(store, principal);
    assert.equal(identityPoliciesFor(store, principal), first, 'same object while nothing changed');
    call(asRoot(store), 'DeleteUserPolicy', { UserName: 'cached', PolicyName: 'p' });
    assert.deepEqual(identityPoliciesFor(store, principal), { identity: [] });
  });

  test('a renamed user keeps its policies under the same principal id', () => {
    const { store } = t;
    const { key } = userWithKey(store, 'before');
    call(asRoot(store), 'PutUserPolicy', { UserName: 'before', PolicyName: 'p', PolicyDocument: doc('s3:*') });
    call(asRoot(store), 'UpdateUser', { UserName: 'before', NewUserName: 'after' });
    const principal = principalOf(store, key.AccessKeyId);
    assert.equal(principal.arn, `arn:aws:iam::${ACCOUNT}:user/after`);
    assert.equal(identityPoliciesFor(store, principal).identity[0].name, 'p (inline, user after)');
  });

  test('a boundary that cannot be resolved allows nothing (fail closed)', () => {
    const { store } = t;
    const { principal, user } = userWithKey(store, 'bounded');
    store.tx(() => store.db.prepare("UPDATE users SET permissions_boundary_arn = 'arn:aws:iam::aws:policy/Gone' WHERE user_id = ?").run(user.UserId));
    const found = identityPoliciesFor(store, principal);
    assert.ok(found.boundary);
    const parsed = JSON.parse(found.boundary.document);
    assert.equal(parsed.Statement[0].Effect, 'Deny');
    assert.equal(parsed.Statement[0].Action, '*');
  });
});

describe('resolveCredential', () => {
  let t: ReturnType<typeof openTestStore>;
  beforeEach(() => {
    t = openTestStore();
  });
  afterEach(() => t.dispose());

  test('a user key names the user: ARN with path, AIDA id, name, tags, key id', () => {
    const { store } = t;
    const { key, user } = userWithKey(store, 'kim', { Path: '/ops/', Tags: [{ Key: 'dept', Value: 'ops' }] });
    const cred = resolveCredential(store, key.AccessKeyId);
    assert.deepEqual(cred, {
      secretAccessKey: key.SecretAccessKey,
      active: true,
      principal: {
        type: 'user', accountId: ACCOUNT, arn: `arn:aws:iam::${ACCOUNT}:user/ops/kim`, userId: user.UserId, userName: 'kim',
        tags: { dept: 'ops' }, accessKeyId: key.AccessKeyId,
      },
    });
  });

  test('an unknown key is undefined', () => {
    assert.equal(resolveCredential(t.store, 'AKIANOSUCHKEY0000000'), undefined);
  });

  test('session credentials written by STS resolve to their stored principal, token and expiry', () => {
    const { store } = t;
    const session = { type: 'assumed-role', accountId: ACCOUNT, arn: `arn:aws:sts::${ACCOUNT}:assumed-role/r/s`, userId: 'AROAEXAMPLEEXAMPLE12:s', roleArn: `arn:aws:iam::${ACCOUNT}:role/r`, tags: { k: 'v' } };
    store.tx(() =>
      store.db
        .prepare(
          `INSERT INTO access_keys (access_key_id, account_id, owner_kind, secret_access_key, status, created_at, session_token, expires_at, session)
           VALUES ('ASIAEXAMPLEEXAMPLE12', ?, 'session', 'secret', 'Active', 0, 'token', 12345, ?)`,
        )
        .run(ACCOUNT, JSON.stringify(session)),
    );
    assert.deepEqual(resolveCredential(store, 'ASIAEXAMPLEEXAMPLE12'), {
      secretAccessKey: 'secret', active: true, sessionToken: 'token', expiresAt: 12345,
      principal: { ...session, accessKeyId: 'ASIAEXAMPLEEXAMPLE12' },
    });
  });
});

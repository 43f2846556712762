import { afterEach, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ACCOUNT, asRoot, call, contextFor, openTestStore, throwsAws, userWithKey } from './context.js';
import { quota } from '../../src/identity/quotas.js';
import type { Store } from '../../src/store/store.js';

let t: ReturnType<typeof openTestStore>;
let store: Store;
beforeEach(() => {
  t = openTestStore();
  store = t.store;
});
afterEach(() => t.dispose());

describe('CreateUser', () => {
  test('returns AWS-shaped ids, ARN with path, the request time, and the tags', () => {
    const now = Date.UTC(2026, 0, 2, 3, 4, 5);
    const { User } = call(asRoot(store, now), 'CreateUser', { UserName: 'alice', Path: '/eng/', Tags: [{ Key: 'team', Value: 'blue' }] });
    assert.match(User.UserId, /^AIDA[A-Z2-7]{17}$/);
    assert.equal(User.Arn, `arn:aws:iam::${ACCOUNT}:user/eng/alice`);
    assert.equal(User.Path, '/eng/');
    assert.equal(User.UserName, 'alice');
    assert.deepEqual(User.CreateDate, new Date(now));
    assert.deepEqual(User.Tags, [{ Key: 'team', Value: 'blue' }]);
  });

  test('defaults the path to / and leaves Tags out when there are none', () => {
    const { User } = call(asRoot(store), 'CreateUser', { UserName: 'bob' });
    assert.equal(User.Path, '/');
    assert.equal(User.Arn, `arn:aws:iam::${ACCOUNT}:user/bob`);
    assert.equal('Tags' in User, false);
  });

  test('names are unique case-insensitively; the message names the request spelling', () => {
    call(asRoot(store), 'CreateUser', { UserName: 'alice' });
    throwsAws(() => call(asRoot(store), 'CreateUser', { UserName: 'ALICE' }), 'EntityAlreadyExists', 409, 'User with name ALICE already exists.');
  });

  test('two user ids are never equal', () => {
    const a = call(asRoot(store), 'CreateUser', { UserName: 'a' }).User.UserId;
    const b = call(asRoot(store), 'CreateUser', { UserName: 'b' }).User.UserId;
    assert.notEqual(a, b);
  });

  test('duplicate tag keys (any case) are InvalidInput and nothing is written', () => {
    throwsAws(
      () => call(asRoot(store), 'CreateUser', { UserName: 'dup', Tags: [{ Key: 'env', Value: '1' }, { Key: 'ENV', Value: '2' }] }),
      'InvalidInput',
      400,
      'Duplicate tag keys found. Please note that Tag keys are case insensitive.',
    );
    throwsAws(() => call(asRoot(store), 'GetUser', { UserName: 'dup' }), 'NoSuchEntity', 404);
  });

  test('tag keys in the aws: namespace are refused', () => {
    throwsAws(() => call(asRoot(store), 'CreateUser', { UserName: 'x', Tags: [{ Key: 'aws:owner', Value: 'me' }] }), 'InvalidInput', 400, /aws:/);
  });

  test('a permissions boundary must name a managed policy that exists', () => {
    for (const arn of ['arn:aws:iam::aws:policy/NoSuchPolicyAnywhere', `arn:aws:iam::${ACCOUNT}:policy/not-there`]) {
      throwsAws(
        () => call(asRoot(store), 'CreateUser', { UserName: 'bounded', PermissionsBoundary: arn }),
        'NoSuchEntity',
        404,
        `Scope ARN: ${arn} does not exist or is not attachable.`,
      );
    }
  });

  test('an AWS managed policy as boundary is recorded and shown', () => {
    const arn = 'arn:aws:iam::aws:policy/IAMReadOnlyAccess';
    const { User } = call(asRoot(store), 'CreateUser', { UserName: 'bounded', PermissionsBoundary: arn });
    const shape = { PermissionsBoundaryType: 'PermissionsBoundaryPolicy', PermissionsBoundaryArn: arn };
    assert.deepEqual(User.PermissionsBoundary, shape);
    assert.deepEqual(call(asRoot(store), 'GetUser', { UserName: 'bounded' }).User.PermissionsBoundary, shape);
  });

  test('the users-per-account quota is enforced', () => {
    const insert = store.db.prepare("INSERT INTO users (account_id, user_id, user_name, path, created_at) VALUES (?, ?, ?, '/', 0)");
    store.tx(() => {
      for (let i = 0; i < quota('UsersPerAccount'); i++) insert.run(ACCOUNT, `AIDAFILL${String(i).padStart(13, '0')}`, `fill${i}`);
    });
    throwsAws(() => call(asRoot(store), 'CreateUser', { UserName: 'one-too-many' }), 'LimitExceeded', 409, 'Cannot exceed quota for UsersPerAccount: 5000');
  });
});

describe('GetUser', () => {
  test('by name, in any case, answers with the stored spelling', () => {
    call(asRoot(store), 'CreateUser', { UserName: 'Alice', Tags: [{ Key: 'k', Value: 'v' }] });
    const { User } = call(asRoot(store), 'GetUser', { UserName: 'alice' });
    assert.equal(User.UserName, 'Alice');
    assert.deepEqual(User.Tags, [{ Key: 'k', Value: 'v' }]);
  });

  test('a missing user is NoSuchEntity with IAM\'s message', () => {
    throwsAws(() => call(asRoot(store), 'GetUser', { UserName: 'nobody' }), 'NoSuchEntity', 404, 'The user with name nobody cannot be found.');
  });

  test('with no name, a user caller gets itself', () => {
    const { principal, user } = userWithKey(store, 'carol');
    const { User } = call(contextFor(store, principal), 'GetUser', {});
    assert.equal(User.UserId, user.UserId);
    assert.equal(User.UserName, 'carol');
  });

  test('with no name, the root caller gets the root view: account id as UserId, :root ARN, no name', () => {
    const { User } = call(asRoot(store), 'GetUser', {});
    assert.equal(User.UserId, ACCOUNT);
    assert.equal(User.Arn, `arn:aws:iam::${ACCOUNT}:root`);
    assert.ok(User.CreateDate instanceof Date);
    assert.equal('UserName' in User, false);
  });

  test('with no name, a role session must name a user', () => {
    const role = contextFor(store, {
      type: 'assumed-role', accountId: ACCOUNT, arn: `arn:aws:sts::${ACCOUNT}:assumed-role/r/s`, userId: 'AROAEXAMPLE:s', tags: {},
    });
    throwsAws(() => call(role, 'GetUser', {}), 'ValidationError', 400, 'Must specify userName when calling with non-User credentials');
  });
});

describe('ListUsers', () => {
  test('orders by name, filters by PathPrefix, leaves tags out', () => {
    for (const [name, path] of [['zed', '/a/'], ['Bea', '/a/b/'], ['amy', '/'], ['cy', '/a/']]) {
      call(asRoot(store), 'CreateUser', { UserName: name, Path: path, Tags: [{ Key: 't', Value: 'v' }] });
    }
    const all = call(asRoot(store), 'ListUsers', {});
    assert.deepEqual(all.Users.map((u: any) => u.UserName), ['amy', 'Bea', 'cy', 'zed']);
    assert.equal(all.IsTruncated, false);
    assert.equal(all.Marker, undefined);
    assert.ok(all.Users.every((u: any) => !('Tags' in u)));
    const underA = call(asRoot(store), 'ListUsers', { PathPrefix: '/a/' });
    assert.deepEqual(underA.Users.map((u: any) => u.UserName), ['Bea', 'cy', 'zed']);
    const underAB = call(asRoot(store), 'ListUsers', { PathPrefix: '/a/b' });
    assert.deepEqual(underAB.Users.map((u: any) => u.UserName), ['Bea']);
  });

  test('pages with MaxItems and Marker, and a page survives a deletion between calls', () => {
    for (const n of ['u1', 'u2', 'u3', 'u4', 'u5']) call(asRoot(store), 'CreateUser', { UserName: n });
    const p1 = call(asRoot(store), 'ListUsers', { MaxItems: 2 });
    assert.deepEqual(p1.Users.map((u: any) => u.UserName), ['u1', 'u2']);
    assert.equal(p1.IsTruncated, true);
    assert.equal(typeof p1.Marker, 'string');
    call(asRoot(store), 'DeleteUser', { UserName: 'u2' });
    const p2 = call(asRoot(store), 'ListUsers', { MaxItems: 2, Marker: p1.Marker });
    assert.deepEqual(p2.Users.map((u: any) => u.UserName), ['u3', 'u4']);
    const p3 = call(asRoot(store), 'ListUsers', { MaxItems: 2, Marker: p2.Marker });
    assert.deepEqual(p3.Users.map((u: any) => u.UserName), ['u5']);
    assert.equal(p3.IsTruncated, false);
  });

  test('defaults to 100 per page', () => {
    const insert = store.db.prepare("INSERT INTO users (account_id, user_id, user_name, path, created_at) VALUES (?, ?, ?, '/', 0)");
    store.tx(() => {
      for (let i = 0; i < 150; i++) insert.run(ACCOUNT, `AIDAFILL${String(i).padStart(13, '0')}`, `user${String(i).padStart(3, '0')}`);
    });
    const p1 = call(asRoot(store), 'ListUsers', {});
    assert.equal(p1.Users.length, 100);
    assert.equal(p1.IsTruncated, true);
    const p2 = call(asRoot(store), 'ListUsers', { Marker: p1.Marker });
    assert.equal(p2.Users.length, 50);
    assert.equal(p2.Users[0].UserName, 'user100');
  });
});

describe('UpdateUser', () => {
  test('renames and moves, keeping the id, keys and policies', () => {
    const { user, key } = userWithKey(store, 'old');
    call(asRoot(store), 'PutUserPolicy', { UserName: 'old', PolicyName: 'p', PolicyDocument: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}' });
    call(asRoot(store), 'UpdateUser', { UserName: 'old', NewUserName: 'new', NewPath: '/moved/' });
    const { User } = call(asRoot(store), 'GetUser', { UserName: 'new' });
    assert.equal(User.UserId, user.UserId);
    assert.equal(User.Arn, `arn:aws:iam::${ACCOUNT}:user/moved/new`);
    throwsAws(() => call(asRoot(store), 'GetUser', { UserName: 'old' }), 'NoSuchEntity', 404, 'The user with name old cannot be found.');
    const keys = call(asRoot(store), 'ListAccessKeys', { UserName: 'new' });
    assert.deepEqual(keys.AccessKeyMetadata.map((k: any) => [k.AccessKeyId, k.UserName]), [[key.AccessKeyId, 'new']]);
    assert.deepEqual(call(asRoot(store), 'ListUserPolicies', { UserName: 'new' }).PolicyNames, ['p']);
  });

  test('a new name taken by another user is EntityAlreadyExists; changing only the case is fine', () => {
    call(asRoot(store), 'CreateUser', { UserName: 'a' });
    call(asRoot(store), 'CreateUser', { UserName: 'b' });
    throwsAws(() => call(asRoot(store), 'UpdateUser', { UserName: 'a', NewUserName: 'B' }), 'EntityAlreadyExists', 409, 'User with name B already exists.');
    call(asRoot(store), 'UpdateUser', { UserName: 'a', NewUserName: 'A' });
    assert.equal(call(asRoot(store), 'GetUser', { UserName: 'a' }).User.UserName, 'A');
  });

  test('a missing user is NoSuchEntity', () => {
    throwsAws(() => call(asRoot(store), 'UpdateUser', { UserName: 'ghost', NewPath: '/x/' }), 'NoSuchEntity', 404, 'The user with name ghost cannot be found.');
  });
});

describe('DeleteUser', () => {
  const doc = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}';

  test('refuses while the user has inline policies, then access keys; succeeds once both are gone', () => {
    const { key } = userWithKey(store, 'dora');
    call(asRoot(store), 'PutUserPolicy', { UserName: 'dora', PolicyName: 'p', PolicyDocument: doc });
    throwsAws(() => call(asRoot(store), 'DeleteUser', { UserName: 'dora' }), 'DeleteConflict', 409, 'Cannot delete entity, must delete policies first.');
    call(asRoot(store), 'DeleteUserPolicy', { UserName: 'dora', PolicyName: 'p' });
    throwsAws(() => call(asRoot(store), 'DeleteUser', { UserName: 'dora' }), 'DeleteConflict', 409, 'Cannot delete entity, must delete access keys first.');
    call(asRoot(store), 'DeleteAccessKey', { UserName: 'dora', AccessKeyId: key.AccessKeyId });
    call(asRoot(store), 'DeleteUser', { UserName: 'dora' });
    throwsAws(() => call(asRoot(store), 'GetUser', { UserName: 'dora' }), 'NoSuchEntity', 404);
  });

  test('tags go with the user: a new user of the same name starts with none', () => {
    call(asRoot(store), 'CreateUser', { UserName: 'tagged', Tags: [{ Key: 'a', Value: '1' }] });
    call(asRoot(store), 'DeleteUser', { UserName: 'tagged' });
    const remaining = store.db.prepare('SELECT count(*) AS n FROM tags').get() as { n: number };
    assert.equal(remaining.n, 0);
    call(asRoot(store), 'CreateUser', { UserName: 'tagged' });
    assert.deepEqual(call(asRoot(store), 'ListUserTags', { UserName: 'tagged' }).Tags, []);
  });

  test('a missing user is NoSuchEntity', () => {
    throwsAws(() => call(asRoot(store), 'DeleteUser', { UserName: 'ghost' }), 'NoSuchEntity', 404, 'The user with name ghost cannot be found.');
  });

  test('a conflict leaves the user in place (the transaction rolls back)', () => {
    userWithKey(store, 'kept');
    throwsAws(() => call(asRoot(store), 'DeleteUser', { UserName: 'kept' }), 'DeleteConflict', 409);
    assert.equal(call(asRoot(store), 'GetUser', { UserName: 'kept' }).User.UserName, 'kept');
  });
});

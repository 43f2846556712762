import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  IAMClient, CreateUserCommand, GetUserCommand, ListUsersCommand, UpdateUserCommand, DeleteUserCommand,
  CreateAccessKeyCommand, DeleteAccessKeyCommand, ListAccessKeysCommand, UpdateAccessKeyCommand, GetAccessKeyLastUsedCommand,
  PutUserPolicyCommand, GetUserPolicyCommand, ListUserPoliciesCommand, DeleteUserPolicyCommand,
  TagUserCommand, UntagUserCommand, ListUserTagsCommand,
} from '@aws-sdk/client-iam';
import { STSClient, GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { startTestServer, clientConfig, type TestServer } from '../helpers/server.js';
import { rejects } from '../helpers/aws.js';

let server: TestServer;
let iam: IAMClient;

before(async () => {
  server = await startTestServer();
  iam = new IAMClient(clientConfig(server));
});
after(async () => server.stop());

describe('root and GetCallerIdentity', () => {
  test('the root key answers GetCallerIdentity with the account', async () => {
    const sts = new STSClient(clientConfig(server));
    const me = await sts.send(new GetCallerIdentityCommand({}));
    assert.equal(me.Account, '000000000000');
    assert.equal(me.Arn, 'arn:aws:iam::000000000000:root');
    assert.equal(me.UserId, '000000000000');
  });

  test('the root access key id has the long-term prefix', () => {
    assert.match(server.root.accessKeyId, /^AKIA[A-Z0-9]{16}$/);
    assert.equal(server.root.secretAccessKey.length, 40);
  });
});

describe('users', () => {
  test('CreateUser returns AWS-formed ids and ARNs, GetUser reads it back', async () => {
    const { User } = await iam.send(new CreateUserCommand({ UserName: 'alice', Path: '/eng/', Tags: [{ Key: 'team', Value: 'blue' }] }));
    assert.ok(User);
    assert.equal(User.Arn, 'arn:aws:iam::000000000000:user/eng/alice');
    assert.match(User.UserId!, /^AIDA[A-Z0-9]{17}$/);
    assert.equal(User.Path, '/eng/');
    assert.ok(User.CreateDate instanceof Date);
    const got = await iam.send(new GetUserCommand({ UserName: 'alice' }));
    assert.equal(got.User?.UserId, User.UserId);
    assert.deepEqual(got.User?.Tags, [{ Key: 'team', Value: 'blue' }]);
  });

  test('duplicate names (any case) are EntityAlreadyExists', async () => {
    await rejects(iam.send(new CreateUserCommand({ UserName: 'ALICE' })), 'EntityAlreadyExists', 'User with name ALICE already exists.', 409);
  });

  test('a bad name gets IAM\'s own sentence, and nothing is written', async () => {
    // Real AWS's text (app-sre/qontract-reconcile PR #2640).
    await rejects(
      iam.send(new CreateUserCommand({ UserName: 'a b' })),
      'ValidationError',
      'The specified value for userName is invalid. It must contain only alphanumeric characters and/or the following: +=,.@_-',
      400,
    );
    const { Users } = await iam.send(new ListUsersCommand({}));
    assert.ok(!Users!.some((u) => u.UserName === 'a b'));
  });

  test('GetUser of a missing user is NoSuchEntity', async () => {
    await rejects(iam.send(new GetUserCommand({ UserName: 'nobody' })), 'NoSuchEntity', 'The user with name nobody cannot be found.', 404);
  });

  test('ListUsers paginates with Marker/MaxItems and filters by PathPrefix', async () => {
    for (const n of ['u1', 'u2', 'u3', 'u4', 'u5']) await iam.send(new CreateUserCommand({ UserName: n, Path: '/pg/' }));
    const names: string[] = [];
    let marker: string | undefined;
    let pages = 0;
    do {
      const page = await iam.send(new ListUsersCommand({ PathPrefix: '/pg/', MaxItems: 2, Marker: marker }));
      names.push(...page.Users!.map((u) => u.UserName!));
      marker = page.IsTruncated ? page.Marker : undefined;
      pages++;
    } while (marker);
    assert.deepEqual(names, ['u1', 'u2', 'u3', 'u4', 'u5']);
    assert.equal(pages, 3);
  });

  test('UpdateUser renames and moves a user', async () => {
    await iam.send(new CreateUserCommand({ UserName: 'tmp-old' }));
    await iam.send(new UpdateUserCommand({ UserName: 'tmp-old', NewUserName: 'tmp-new', NewPath: '/moved/' }));
    const { User } = await iam.send(new GetUserCommand({ UserName: 'tmp-new' }));
    assert.equal(User?.Arn, 'arn:aws:iam::000000000000:user/moved/tmp-new');
    await rejects(iam.send(new GetUserCommand({ UserName: 'tmp-old' })), 'NoSuchEntity');
  });

  test('tags: TagUser, ListUserTags, UntagUser', async () => {
    await iam.send(new CreateUserCommand({ UserName: 'tagged' }));
    await iam.send(new TagUserCommand({ UserName: 'tagged', Tags: [{ Key: 'a', Value: '1' }, { Key: 'b', Value: '2' }] }));
    await iam.send(new UntagUserCommand({ UserName: 'tagged', TagKeys: ['a'] }));
    const { Tags } = await iam.send(new ListUserTagsCommand({ UserName: 'tagged' }));
    assert.deepEqual(Tags, [{ Key: 'b', Value: '2' }]);
  });
});

describe('access keys and enforcement', () => {
  let bob: IAMClient;
  const policy = JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Sid: 'ReadUsers', Effect: 'Allow', Action: ['iam:GetUser', 'iam:ListUsers'], Resource: '*' }],
  });

  test('a user with no policy is denied with AWS\'s message, then allowed once a policy is attached', async () => {
    await iam.send(new CreateUserCommand({ UserName: 'bob' }));
    const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: 'bob' }));
    assert.match(AccessKey!.AccessKeyId!, /^AKIA[A-Z0-9]{16}$/);
    assert.equal(AccessKey!.Status, 'Active');
    bob = new IAMClient(clientConfig(server, { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! }));
    await rejects(
      bob.send(new ListUsersCommand({})),
      'AccessDenied',
      'User: arn:aws:iam::000000000000:user/bob is not authorized to perform: iam:ListUsers on resource: arn:aws:iam::000000000000:user/ because no identity-based policy allows the iam:ListUsers action',
      403,
    );
    await iam.send(new PutUserPolicyCommand({ UserName: 'bob', PolicyName: 'read-users', PolicyDocument: policy }));
    const listed = await bob.send(new ListUsersCommand({}));
    assert.ok(listed.Users!.some((u) => u.UserName === 'bob'));
    // GetUser with no name answers for the caller.
    const me = await bob.send(new GetUserCommand({}));
    assert.equal(me.User?.UserName, 'bob');
    await rejects(bob.send(new CreateUserCommand({ UserName: 'eve' })), 'AccessDenied',
      'User: arn:aws:iam::000000000000:user/bob is not authorized to perform: iam:CreateUser on resource: arn:aws:iam::000000000000:user/eve because no identity-based policy allows the iam:CreateUser action');
    const sts = new STSClient(clientConfig(server, { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! }));
    const who = await sts.send(new GetCallerIdentityCommand({}));
    assert.equal(who.Arn, 'arn:aws:iam::000000000000:user/bob');
  });

  test('inline policies round-trip; a malformed one is refused', async () => {
    const got = await iam.send(new GetUserPolicyCommand({ UserName: 'bob', PolicyName: 'read-users' }));
    assert.deepEqual(JSON.parse(decodeURIComponent(got.PolicyDocument!)), JSON.parse(policy));
    const { PolicyNames } = await iam.send(new ListUserPoliciesCommand({ UserName: 'bob' }));
    assert.deepEqual(PolicyNames, ['read-users']);
    await rejects(iam.send(new PutUserPolicyCommand({ UserName: 'bob', PolicyName: 'bad', PolicyDocument: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*",}]}' })), 'MalformedPolicyDocument');
    const after = await iam.send(new ListUserPoliciesCommand({ UserName: 'bob' }));
    assert.deepEqual(after.PolicyNames, ['read-users']);
  });

  test('an explicit deny overrides the allow, and the message says so', async () => {
    await iam.send(new PutUserPolicyCommand({
      UserName: 'bob', PolicyName: 'no-list',
      PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'NoList', Effect: 'Deny', Action: 'iam:ListUsers', Resource: '*' }] }),
    }));
    await rejects(bob.send(new ListUsersCommand({})), 'AccessDenied',
      'User: arn:aws:iam::000000000000:user/bob is not authorized to perform: iam:ListUsers on resource: arn:aws:iam::000000000000:user/ with an explicit deny in an identity-based policy');
    const denial = server.events.findLast((e) => e.operation === 'ListUsers' && e.principal.endsWith(':user/bob'));
    assert.equal(denial?.decision, 'explicitDeny');
    await iam.send(new DeleteUserPolicyCommand({ UserName: 'bob', PolicyName: 'no-list' }));
    await bob.send(new ListUsersCommand({}));
  });

  test('at most two keys per user; inactive keys are refused at once; DeleteUser conflicts while keys exist', async () => {
    await iam.send(new CreateUserCommand({ UserName: 'carol' }));
    const k1 = (await iam.send(new CreateAccessKeyCommand({ UserName: 'carol' }))).AccessKey!;
    await iam.send(new CreateAccessKeyCommand({ UserName: 'carol' }));
    await rejects(iam.send(new CreateAccessKeyCommand({ UserName: 'carol' })), 'LimitExceeded', 'Cannot exceed quota for AccessKeysPerUser: 2', 409);
    const carol = new STSClient(clientConfig(server, { accessKeyId: k1.AccessKeyId!, secretAccessKey: k1.SecretAccessKey! }));
    await carol.send(new GetCallerIdentityCommand({}));
    const used = await iam.send(new GetAccessKeyLastUsedCommand({ AccessKeyId: k1.AccessKeyId! }));
    assert.equal(used.UserName, 'carol');
    assert.ok(used.AccessKeyLastUsed?.LastUsedDate instanceof Date);
    await iam.send(new UpdateAccessKeyCommand({ UserName: 'carol', AccessKeyId: k1.AccessKeyId!, Status: 'Inactive' }));
    await rejects(carol.send(new GetCallerIdentityCommand({})), 'InvalidClientTokenId', 'The security token included in the request is invalid.', 403);
    await rejects(iam.send(new DeleteUserCommand({ UserName: 'carol' })), 'DeleteConflict', 'Cannot delete entity, must delete access keys first.', 409);
    const { AccessKeyMetadata } = await iam.send(new ListAccessKeysCommand({ UserName: 'carol' }));
    for (const k of AccessKeyMetadata!) await iam.send(new DeleteAccessKeyCommand({ UserName: 'carol', AccessKeyId: k.AccessKeyId! }));
    await iam.send(new DeleteUserCommand({ UserName: 'carol' }));
    await rejects(iam.send(new GetUserCommand({ UserName: 'carol' })), 'NoSuchEntity');
  });
});

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  IAMClient, CreateUserCommand, CreateAccessKeyCommand, ListUsersCommand, DeleteUserCommand,
  CreateGroupCommand, GetGroupCommand, ListGroupsCommand, UpdateGroupCommand, DeleteGroupCommand,
  AddUserToGroupCommand, RemoveUserFromGroupCommand, ListGroupsForUserCommand,
  PutGroupPolicyCommand, GetGroupPolicyCommand, ListGroupPoliciesCommand, DeleteGroupPolicyCommand,
  paginateGetGroup,
} from '@aws-sdk/client-iam';
import { startTestServer, clientConfig, type TestServer } from '../helpers/server.js';
import { rejects, doc } from '../helpers/aws.js';

let server: TestServer;
let iam: IAMClient;

before(async () => {
  server = await startTestServer();
  iam = new IAMClient(clientConfig(server));
});
after(async () => server.stop());

const ACCOUNT = '000000000000';

/** A user with an access key, and IAM clients signing as it in the regions asked for. */
async function userClient(userName: string, regions: string[] = ['us-east-1']): Promise<IAMClient[]> {
  await iam.send(new CreateUserCommand({ UserName: userName }));
  const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: userName }));
  const creds = { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! };
  return regions.map((region) => new IAMClient(clientConfig(server, creds, region)));
}

describe('seed 001: permissions through groups', () => {
  // As in the seed: admins may do anything, but only in the region they are meant to use.
  // IAM itself is global: its requests are always in us-east-1, whatever region signed.
  const adminAccess = doc([{ Effect: 'Allow', Action: '*', Resource: '*', Condition: { StringEquals: { 'aws:RequestedRegion': 'us-east-1' } } }]);
  // Engineers manage their own access keys and nothing else.
  const engineerAccess = doc([
    { Effect: 'Allow', Action: ['iam:CreateAccessKey', 'iam:ListAccessKeys', 'iam:DeleteAccessKey'], Resource: 'arn:aws:iam::*:user/${aws:username}' },
  ]);

  test('a group\'s inline policy grants its members at once; leaving the group takes it away', async () => {
    await iam.send(new CreateGroupCommand({ GroupName: 'admin' }));
    await iam.send(new PutGroupPolicyCommand({ GroupName: 'admin', PolicyName: 'admin_access', PolicyDocument: adminAccess }));
    const [admin] = await userClient('admin_erika');
    await rejects(
      admin.send(new ListUsersCommand({})),
      'AccessDenied',
      `User: arn:aws:iam::${ACCOUNT}:user/admin_erika is not authorized to perform: iam:ListUsers on resource: arn:aws:iam::${ACCOUNT}:user/ because no identity-based policy allows the iam:ListUsers action`,
      403,
    );
    await iam.send(new AddUserToGroupCommand({ GroupName: 'admin', UserName: 'admin_erika' }));
    const listed = await admin.send(new ListUsersCommand({}));
    assert.ok(listed.Users!.some((u) => u.UserName === 'admin_erika'));
    await iam.send(new RemoveUserFromGroupCommand({ GroupName: 'admin', UserName: 'admin_erika' }));
    await rejects(admin.send(new ListUsersCommand({})), 'AccessDenied');
    await iam.send(new AddUserToGroupCommand({ GroupName: 'admin', UserName: 'admin_erika' }));
  });

  test('the admin can create users from a shell in any region: IAM requests are in us-east-1', async () => {
    const [useast, sydney] = await userClient('admin_two', ['us-east-1', 'ap-southeast-2']);
    await iam.send(new AddUserToGroupCommand({ GroupName: 'admin', UserName: 'admin_two' }));
    const created = await useast.send(new CreateUserCommand({ UserName: 'made-by-admin' }));
    assert.equal(created.User?.UserName, 'made-by-admin');
    const fromSydney = await sydney.send(new CreateUserCommand({ UserName: 'from-sydney' }));
    assert.equal(fromSydney.User?.UserName, 'from-sydney');
  });

  test('the engineer manages only its own access keys (${aws:username})', async () => {
    await iam.send(new CreateGroupCommand({ GroupName: 'engineer' }));
    await iam.send(new PutGroupPolicyCommand({ GroupName: 'engineer', PolicyName: 'engineer_access', PolicyDocument: engineerAccess }));
    const [engineer] = await userClient('engineer_erika');
    await iam.send(new AddUserToGroupCommand({ GroupName: 'engineer', UserName: 'engineer_erika' }));
    const mine = await engineer.send(new CreateAccessKeyCommand({}));
    assert.equal(mine.AccessKey?.UserName, 'engineer_erika');
    await rejects(
      engineer.send(new CreateAccessKeyCommand({ UserName: 'admin_erika' })),
      'AccessDenied',
      `User: arn:aws:iam::${ACCOUNT}:user/engineer_erika is not authorized to perform: iam:CreateAccessKey on resource: arn:aws:iam::${ACCOUNT}:user/admin_erika because no identity-based policy allows the iam:CreateAccessKey action`,
    );
    await rejects(engineer.send(new ListGroupsCommand({})), 'AccessDenied');
  });

  test('deleting the group\'s policy revokes it from the members immediately', async () => {
    const [member] = await userClient('temp_member');
    await iam.send(new CreateGroupCommand({ GroupName: 'readers' }));
    await iam.send(new AddUserToGroupCommand({ GroupName: 'readers', UserName: 'temp_member' }));
    await iam.send(new PutGroupPolicyCommand({ GroupName: 'readers', PolicyName: 'read', PolicyDocument: doc([{ Effect: 'Allow', Action: 'iam:ListGroups', Resource: '*' }]) }));
    assert.ok((await member.send(new ListGroupsCommand({}))).Groups!.length >= 3);
    await iam.send(new DeleteGroupPolicyCommand({ GroupName: 'readers', PolicyName: 'read' }));
    await rejects(member.send(new ListGroupsCommand({})), 'AccessDenied');
  });
});

describe('groups over the wire', () => {
  test('CreateGroup / GetGroup with members / ListGroupsForUser / ListGroups', async () => {
    const { Group } = await iam.send(new CreateGroupCommand({ GroupName: 'wire', Path: '/w/' }));
    assert.equal(Group?.Arn, `arn:aws:iam::${ACCOUNT}:group/w/wire`);
    assert.match(Group!.GroupId!, /^AGPA[A-Z0-9]{17}$/);
    assert.ok(Group?.CreateDate instanceof Date);
    await rejects(iam.send(new CreateGroupCommand({ GroupName: 'WIRE' })), 'EntityAlreadyExists', 'Group with name WIRE already exists.', 409);
    for (const u of ['w1', 'w2', 'w3']) {
      await iam.send(new CreateUserCommand({ UserName: u }));
      await iam.send(new AddUserToGroupCommand({ GroupName: 'wire', UserName: u }));
    }
    const pages: string[][] = [];
    for await (const page of paginateGetGroup({ client: iam, pageSize: 2 }, { GroupName: 'wire' })) pages.push(page.Users!.map((u) => u.UserName!));
    assert.deepEqual(pages, [['w1', 'w2'], ['w3']]);
    const forUser = await iam.send(new ListGroupsForUserCommand({ UserName: 'w1' }));
    assert.deepEqual(forUser.Groups!.map((g) => g.GroupName), ['wire']);
    const listed = await iam.send(new ListGroupsCommand({ PathPrefix: '/w/' }));
    assert.deepEqual(listed.Groups!.map((g) => g.GroupName), ['wire']);
    await rejects(iam.send(new GetGroupCommand({ GroupName: 'absent' })), 'NoSuchEntity', 'The group with name absent cannot be found.', 404);
  });

  test('inline policies round-trip URL-encoded; a malformed one is refused', async () => {
    const text = doc([{ Effect: 'Allow', Action: 's3:ListBucket', Resource: 'arn:aws:s3:::b' }]);
    await iam.send(new PutGroupPolicyCommand({ GroupName: 'wire', PolicyName: 'p', PolicyDocument: text }));
    const got = await iam.send(new GetGroupPolicyCommand({ GroupName: 'wire', PolicyName: 'p' }));
    assert.equal(decodeURIComponent(got.PolicyDocument!), text);
    assert.deepEqual((await iam.send(new ListGroupPoliciesCommand({ GroupName: 'wire' }))).PolicyNames, ['p']);
    await rejects(iam.send(new PutGroupPolicyCommand({ GroupName: 'wire', PolicyName: 'bad', PolicyDocument: '{"Statement":' })), 'MalformedPolicyDocument', undefined, 400);
    await rejects(iam.send(new GetGroupPolicyCommand({ GroupName: 'wire', PolicyName: 'nope' })), 'NoSuchEntity', 'The group policy with name nope cannot be found.', 404);
  });

  test('DeleteGroup and DeleteUser conflict while members and policies remain; UpdateGroup renames', async () => {
    await rejects(iam.send(new DeleteGroupCommand({ GroupName: 'wire' })), 'DeleteConflict', 'Cannot delete entity, must remove users from group first.', 409);
    await rejects(iam.send(new DeleteUserCommand({ UserName: 'w1' })), 'DeleteConflict', 'Cannot delete entity, must remove users from group first.', 409);
    for (const u of ['w1', 'w2', 'w3']) await iam.send(new RemoveUserFromGroupCommand({ GroupName: 'wire', UserName: u }));
    await rejects(iam.send(new DeleteGroupCommand({ GroupName: 'wire' })), 'DeleteConflict', 'Cannot delete entity, must delete policies first.', 409);
    await iam.send(new DeleteGroupPolicyCommand({ GroupName: 'wire', PolicyName: 'p' }));
    await iam.send(new UpdateGroupCommand({ GroupName: 'wire', NewGroupName: 'wired', NewPath: '/' }));
    assert.equal((await iam.send(new GetGroupCommand({ GroupName: 'wired' }))).Group?.Arn, `arn:aws:iam::${ACCOUNT}:group/wired`);
    await iam.send(new DeleteGroupCommand({ GroupName: 'wired' }));
    await rejects(iam.send(new GetGroupCommand({ GroupName: 'wired' })), 'NoSuchEntity');
  });

  test('the model\'s name rules are enforced before the handler runs', async () => {
    await rejects(iam.send(new CreateGroupCommand({ GroupName: 'bad name' })), 'ValidationError', /groupName/, 400);
  });
});

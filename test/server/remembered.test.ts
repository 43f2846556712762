import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  AddUserToGroupCommand, AttachUserPolicyCommand, CreateAccessKeyCommand, CreateGroupCommand, CreatePolicyCommand, CreatePolicyVersionCommand,
  CreateRoleCommand, CreateUserCommand, DeleteRolePolicyCommand, DeleteUserPermissionsBoundaryCommand, DeleteUserPolicyCommand, GetRoleCommand,
  GetUserCommand, IAMClient, PutGroupPolicyCommand, PutRolePolicyCommand, PutUserPermissionsBoundaryCommand, PutUserPolicyCommand,
  RemoveUserFromGroupCommand, TagUserCommand, UpdateAccessKeyCommand,
} from '@aws-sdk/client-iam';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { clientConfig, startTestServer, type TestServer } from '../helpers/server.js';
import { doc, rejects } from '../helpers/aws.js';

/**
 * Everything remembered between requests (rows, credentials, identity policies, compiled
 * sets, decisions: src/store/remembered.ts) is forgotten at the next write. Each test
 * warms the memo with the same request twice, changes one input, and expects the very
 * next decision to change.
 */
let server: TestServer;
let root: IAMClient;
let user: IAMClient;
let keyId: string;
let userCredentials: { accessKeyId: string; secretAccessKey: string };

before(async () => {
  server = await startTestServer();
  root = new IAMClient(clientConfig(server));
  await root.send(new CreateUserCommand({ UserName: 'u' }));
  const { AccessKey } = await root.send(new CreateAccessKeyCommand({ UserName: 'u' }));
  keyId = AccessKey!.AccessKeyId!;
  userCredentials = { accessKeyId: keyId, secretAccessKey: AccessKey!.SecretAccessKey! };
  user = new IAMClient(clientConfig(server, userCredentials));
});
after(() => server.stop());

const getUser = () => user.send(new GetUserCommand({ UserName: 'u' }));
const allowGetUser = doc([{ Effect: 'Allow', Action: 'iam:GetUser', Resource: '*' }]);

async function allowedTwice(): Promise<void> {
  await getUser();
  await getUser();
}
async function deniedTwice(): Promise<void> {
  await rejects(getUser(), 'AccessDenied');
  await rejects(getUser(), 'AccessDenied');
}

describe('a remembered decision is forgotten when its inputs change', () => {
  test('an inline policy', async () => {
    await deniedTwice();
    await root.send(new PutUserPolicyCommand({ UserName: 'u', PolicyName: 'p', PolicyDocument: allowGetUser }));
    await allowedTwice();
    await root.send(new DeleteUserPolicyCommand({ UserName: 'u', PolicyName: 'p' }));
    await deniedTwice();
  });

  test('group membership', async () => {
    await root.send(new CreateGroupCommand({ GroupName: 'g' }));
    await root.send(new PutGroupPolicyCommand({ GroupName: 'g', PolicyName: 'p', PolicyDocument: allowGetUser }));
    await deniedTwice();
    await root.send(new AddUserToGroupCommand({ GroupName: 'g', UserName: 'u' }));
    await allowedTwice();
    await root.send(new RemoveUserFromGroupCommand({ GroupName: 'g', UserName: 'u' }));
    await deniedTwice();
  });

  test('a principal tag read by a condition', async () => {
    await root.send(new PutUserPolicyCommand({
      UserName: 'u', PolicyName: 'by-tag',
      PolicyDocument: doc([{ Effect: 'Allow', Action: 'iam:GetUser', Resource: '*', Condition: { StringEquals: { 'aws:PrincipalTag/team': 'blue' } } }]),
    }));
    await deniedTwice();
    await root.send(new TagUserCommand({ UserName: 'u', Tags: [{ Key: 'team', Value: 'blue' }] }));
    await allowedTwice();
    await root.send(new TagUserCommand({ UserName: 'u', Tags: [{ Key: 'team', Value: 'red' }] }));
    await deniedTwice();
    await root.send(new DeleteUserPolicyCommand({ UserName: 'u', PolicyName: 'by-tag' }));
  });

  test('a managed policy\'s default version, and a permissions boundary', async () => {
    const { Policy } = await root.send(new CreatePolicyCommand({ PolicyName: 'm', PolicyDocument: doc([{ Effect: 'Allow', Action: 'iam:ListUsers', Resource: '*' }]) }));
    await root.send(new AttachUserPolicyCommand({ UserName: 'u', PolicyArn: Policy!.Arn }));
    await deniedTwice();
    await root.send(new CreatePolicyVersionCommand({ PolicyArn: Policy!.Arn, PolicyDocument: allowGetUser, SetAsDefault: true }));
    await allowedTwice();
    // The boundary allows only ListUsers: GetUser, allowed by the identity policy, is now outside it.
    const { Policy: boundary } = await root.send(new CreatePolicyCommand({ PolicyName: 'b', PolicyDocument: doc([{ Effect: 'Allow', Action: 'iam:ListUsers', Resource: '*' }]) }));
    await root.send(new PutUserPermissionsBoundaryCommand({ UserName: 'u', PermissionsBoundary: boundary!.Arn }));
    await deniedTwice();
    await root.send(new DeleteUserPermissionsBoundaryCommand({ UserName: 'u' }));
    await allowedTwice();
  });

  test('a role session sees its role\'s policies change at once', async () => {
    const { Role } = await root.send(new CreateRoleCommand({
      RoleName: 'r',
      AssumeRolePolicyDocument: doc([{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${server.app.config.accountId}:user/u` }, Action: 'sts:AssumeRole' }]),
    }));
    await root.send(new PutRolePolicyCommand({ RoleName: 'r', PolicyName: 'p', PolicyDocument: doc([{ Effect: 'Allow', Action: 'iam:GetRole', Resource: '*' }]) }));
    const { Credentials } = await new STSClient(clientConfig(server, userCredentials)).send(new AssumeRoleCommand({ RoleArn: Role!.Arn, RoleSessionName: 'session' }));
    const session = new IAMClient(clientConfig(server, { accessKeyId: Credentials!.AccessKeyId!, secretAccessKey: Credentials!.SecretAccessKey!, sessionToken: Credentials!.SessionToken! }));
    await session.send(new GetRoleCommand({ RoleName: 'r' }));
    await session.send(new GetRoleCommand({ RoleName: 'r' }));
    await root.send(new DeleteRolePolicyCommand({ RoleName: 'r', PolicyName: 'p' }));
    await rejects(session.send(new GetRoleCommand({ RoleName: 'r' })), 'AccessDenied');
  });

  test('a remembered credential: a key made inactive is refused on the next request', async () => {
    await root.send(new PutUserPolicyCommand({ UserName: 'u', PolicyName: 'p', PolicyDocument: allowGetUser }));
    await allowedTwice();
    await root.send(new UpdateAccessKeyCommand({ UserName: 'u', AccessKeyId: keyId, Status: 'Inactive' }));
    await rejects(getUser(), 'InvalidClientTokenId');
  });
});

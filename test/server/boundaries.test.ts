import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  IAMClient, CreateUserCommand, CreateAccessKeyCommand, GetUserCommand, ListUsersCommand, CreateRoleCommand, GetRoleCommand,
  CreatePolicyCommand, GetPolicyCommand, AttachUserPolicyCommand, ListEntitiesForPolicyCommand, ListPoliciesCommand,
  PutUserPermissionsBoundaryCommand, DeleteUserPermissionsBoundaryCommand, PutRolePermissionsBoundaryCommand, DeleteRolePermissionsBoundaryCommand,
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
const AWS = (name: string) => `arn:aws:iam::aws:policy/${name}`;

describe('permissions boundaries over the SDK', () => {
  test('an administrator bounded by a read-only boundary can read but not write, until the boundary goes', async () => {
    await iam.send(new CreateUserCommand({ UserName: 'bounded' }));
    const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: 'bounded' }));
    const bounded = new IAMClient(clientConfig(server, { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! }));
    await iam.send(new AttachUserPolicyCommand({ UserName: 'bounded', PolicyArn: AWS('AdministratorAccess') }));
    const cap = await iam.send(new CreatePolicyCommand({ PolicyName: 'ReadIam', PolicyDocument: doc([{ Effect: 'Allow', Action: ['iam:Get*', 'iam:List*'], Resource: '*' }]) }));
    await iam.send(new PutUserPermissionsBoundaryCommand({ UserName: 'bounded', PermissionsBoundary: cap.Policy!.Arn }));

    const me = await bounded.send(new GetUserCommand({}));
    assert.deepEqual(me.User!.PermissionsBoundary, { PermissionsBoundaryType: 'PermissionsBoundaryPolicy', PermissionsBoundaryArn: cap.Policy!.Arn });
    await bounded.send(new ListUsersCommand({}));
    await rejects(
      bounded.send(new CreateUserCommand({ UserName: 'nope' })),
      'AccessDenied',
      `User: arn:aws:iam::${ACCOUNT}:user/bounded is not authorized to perform: iam:CreateUser on resource: arn:aws:iam::${ACCOUNT}:user/nope because no permissions boundary allows the iam:CreateUser action`,
      403,
    );
    const used = await iam.send(new GetPolicyCommand({ PolicyArn: cap.Policy!.Arn }));
    assert.equal(used.Policy!.PermissionsBoundaryUsageCount, 1);
    const bounding = await iam.send(new ListPoliciesCommand({ Scope: 'Local', PolicyUsageFilter: 'PermissionsBoundary' }));
    assert.deepEqual(bounding.Policies!.map((p) => p.PolicyName), ['ReadIam']);
    const entities = await iam.send(new ListEntitiesForPolicyCommand({ PolicyArn: cap.Policy!.Arn, PolicyUsageFilter: 'PermissionsBoundary' }));
    assert.deepEqual(entities.PolicyUsers!.map((u) => u.UserName), ['bounded']);

    await iam.send(new DeleteUserPermissionsBoundaryCommand({ UserName: 'bounded' }));
    const made = await bounded.send(new CreateUserCommand({ UserName: 'now-allowed' }));
    assert.equal(made.User!.UserName, 'now-allowed');
  });

  test('roles take boundaries too; a missing policy is AWS\'s NoSuchEntity', async () => {
    const trust = doc([{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }]);
    await iam.send(new CreateRoleCommand({ RoleName: 'capped', AssumeRolePolicyDocument: trust }));
    await iam.send(new PutRolePermissionsBoundaryCommand({ RoleName: 'capped', PermissionsBoundary: AWS('AmazonS3ReadOnlyAccess') }));
    assert.equal((await iam.send(new GetRoleCommand({ RoleName: 'capped' }))).Role!.PermissionsBoundary!.PermissionsBoundaryArn, AWS('AmazonS3ReadOnlyAccess'));
    await iam.send(new DeleteRolePermissionsBoundaryCommand({ RoleName: 'capped' }));
    assert.equal((await iam.send(new GetRoleCommand({ RoleName: 'capped' }))).Role!.PermissionsBoundary, undefined);
    const missing = `arn:aws:iam::${ACCOUNT}:policy/Missing`;
    await rejects(
      iam.send(new PutRolePermissionsBoundaryCommand({ RoleName: 'capped', PermissionsBoundary: missing })),
      'NoSuchEntity',
      `Scope ARN: ${missing} does not exist or is not attachable.`,
      404,
    );
  });
});

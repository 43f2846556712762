import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  IAMClient, CreateUserCommand, CreateAccessKeyCommand, PutUserPolicyCommand,
  CreateRoleCommand, GetRoleCommand, UpdateRoleCommand, UpdateRoleDescriptionCommand, UpdateAssumeRolePolicyCommand, DeleteRoleCommand,
  TagRoleCommand, UntagRoleCommand, ListRoleTagsCommand,
  PutRolePolicyCommand, GetRolePolicyCommand, ListRolePoliciesCommand, DeleteRolePolicyCommand,
  CreateInstanceProfileCommand, GetInstanceProfileCommand, AddRoleToInstanceProfileCommand, RemoveRoleFromInstanceProfileCommand,
  DeleteInstanceProfileCommand, ListInstanceProfilesForRoleCommand, ListInstanceProfilesCommand,
  CreateServiceLinkedRoleCommand, DeleteServiceLinkedRoleCommand, GetServiceLinkedRoleDeletionStatusCommand,
  paginateListRoles,
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

// Seed 000: a role EC2 instances can take on.
const EC2_TRUST = doc([{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }]);

describe('seed 000: a role for EC2 in an instance profile', () => {
  test('CreateRole / GetRole: ids, ARNs, the trust policy as IAM returns it (URL-encoded)', async () => {
    const { Role } = await iam.send(new CreateRoleCommand({ RoleName: 'ec2-app', AssumeRolePolicyDocument: EC2_TRUST, Description: 'app servers' }));
    assert.equal(Role?.Arn, `arn:aws:iam::${ACCOUNT}:role/ec2-app`);
    assert.match(Role!.RoleId!, /^AROA[A-Z0-9]{17}$/);
    const got = (await iam.send(new GetRoleCommand({ RoleName: 'ec2-app' }))).Role!;
    assert.equal(got.AssumeRolePolicyDocument, encodeURIComponent(EC2_TRUST));
    assert.equal(got.MaxSessionDuration, 3600);
    assert.equal(got.Description, 'app servers');
    assert.ok(got.CreateDate instanceof Date);
    assert.deepEqual(got.RoleLastUsed, {});
  });

  test('the instance profile takes the role; one role only; conflicts until taken apart', async () => {
    const { InstanceProfile } = await iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: 'ec2-app' }));
    assert.equal(InstanceProfile?.Arn, `arn:aws:iam::${ACCOUNT}:instance-profile/ec2-app`);
    assert.match(InstanceProfile!.InstanceProfileId!, /^AIPA[A-Z0-9]{17}$/);
    await iam.send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: 'ec2-app', RoleName: 'ec2-app' }));
    const got = (await iam.send(new GetInstanceProfileCommand({ InstanceProfileName: 'ec2-app' }))).InstanceProfile!;
    assert.deepEqual(got.Roles!.map((r) => r.RoleName), ['ec2-app']);
    await iam.send(new CreateRoleCommand({ RoleName: 'second', AssumeRolePolicyDocument: EC2_TRUST }));
    await rejects(
      iam.send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: 'ec2-app', RoleName: 'second' })),
      'LimitExceeded',
      'Cannot exceed quota for InstanceSessionsPerInstanceProfile: 1',
      409,
    );
    const forRole = await iam.send(new ListInstanceProfilesForRoleCommand({ RoleName: 'ec2-app' }));
    assert.deepEqual(forRole.InstanceProfiles!.map((p) => p.InstanceProfileName), ['ec2-app']);
    assert.equal((await iam.send(new ListInstanceProfilesCommand({}))).InstanceProfiles!.length, 1);
    await rejects(iam.send(new DeleteRoleCommand({ RoleName: 'ec2-app' })), 'DeleteConflict', 'Cannot delete entity, must remove roles from instance profile first.', 409);
    await rejects(iam.send(new DeleteInstanceProfileCommand({ InstanceProfileName: 'ec2-app' })), 'DeleteConflict', 'Cannot delete entity, must remove roles from instance profile first.', 409);
    await iam.send(new RemoveRoleFromInstanceProfileCommand({ InstanceProfileName: 'ec2-app', RoleName: 'ec2-app' }));
    await iam.send(new DeleteInstanceProfileCommand({ InstanceProfileName: 'ec2-app' }));
    await rejects(iam.send(new GetInstanceProfileCommand({ InstanceProfileName: 'ec2-app' })), 'NoSuchEntity', 'Instance Profile ec2-app cannot be found.', 404);
  });
});

describe('roles over the wire', () => {
  test('the model bounds MaxSessionDuration; the engine refuses a trust policy without a Principal', async () => {
    await rejects(iam.send(new CreateRoleCommand({ RoleName: 'short', AssumeRolePolicyDocument: EC2_TRUST, MaxSessionDuration: 600 })), 'ValidationError', /maxSessionDuration/, 400);
    await rejects(
      iam.send(new CreateRoleCommand({ RoleName: 'nobody', AssumeRolePolicyDocument: doc([{ Effect: 'Allow', Action: 'sts:AssumeRole' }]) })),
      'MalformedPolicyDocument',
      'Missing required field Principal',
      400,
    );
    await rejects(iam.send(new CreateRoleCommand({ RoleName: 'EC2-APP', AssumeRolePolicyDocument: EC2_TRUST })), 'EntityAlreadyExists', 'Role with name EC2-APP already exists.', 409);
  });

  test('UpdateRole, UpdateRoleDescription and UpdateAssumeRolePolicy', async () => {
    await iam.send(new UpdateRoleCommand({ RoleName: 'ec2-app', MaxSessionDuration: 7200 }));
    const described = await iam.send(new UpdateRoleDescriptionCommand({ RoleName: 'ec2-app', Description: 'web tier' }));
    assert.equal(described.Role?.Description, 'web tier');
    // UpdateRoleDescription answers as CreateRole does: no MaxSessionDuration (LS test_iam_roles.snapshot.json).
    assert.equal(described.Role?.MaxSessionDuration, undefined);
    assert.equal((await iam.send(new GetRoleCommand({ RoleName: 'ec2-app' }))).Role?.MaxSessionDuration, 7200);
    const trustRoot = doc([{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'sts:AssumeRole' }]);
    await iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: 'ec2-app', PolicyDocument: trustRoot }));
    assert.equal(decodeURIComponent((await iam.send(new GetRoleCommand({ RoleName: 'ec2-app' }))).Role!.AssumeRolePolicyDocument!), trustRoot);
  });

  test('tags and inline policies; DeleteRole waits for the policies to go', async () => {
    await iam.send(new TagRoleCommand({ RoleName: 'ec2-app', Tags: [{ Key: 'env', Value: 'prod' }, { Key: 'team', Value: 'web' }] }));
    await iam.send(new UntagRoleCommand({ RoleName: 'ec2-app', TagKeys: ['team'] }));
    assert.deepEqual((await iam.send(new ListRoleTagsCommand({ RoleName: 'ec2-app' }))).Tags, [{ Key: 'env', Value: 'prod' }]);
    const policy = doc([{ Effect: 'Allow', Action: 'dynamodb:GetItem', Resource: '*' }]);
    await iam.send(new PutRolePolicyCommand({ RoleName: 'ec2-app', PolicyName: 'read', PolicyDocument: policy }));
    assert.equal(decodeURIComponent((await iam.send(new GetRolePolicyCommand({ RoleName: 'ec2-app', PolicyName: 'read' }))).PolicyDocument!), policy);
    assert.deepEqual((await iam.send(new ListRolePoliciesCommand({ RoleName: 'ec2-app' }))).PolicyNames, ['read']);
    await rejects(iam.send(new DeleteRoleCommand({ RoleName: 'ec2-app' })), 'DeleteConflict', 'Cannot delete entity, must delete policies first.', 409);
    await iam.send(new DeleteRolePolicyCommand({ RoleName: 'ec2-app', PolicyName: 'read' }));
    await iam.send(new DeleteRoleCommand({ RoleName: 'ec2-app' }));
    await rejects(iam.send(new GetRoleCommand({ RoleName: 'ec2-app' })), 'NoSuchEntity', 'The role with name ec2-app cannot be found.', 404);
  });

  test('ListRoles paginates through the SDK paginator', async () => {
    for (const name of ['page-a', 'page-b', 'page-c']) await iam.send(new CreateRoleCommand({ RoleName: name, Path: '/paged/', AssumeRolePolicyDocument: EC2_TRUST }));
    const pages: string[][] = [];
    for await (const page of paginateListRoles({ client: iam, pageSize: 2 }, { PathPrefix: '/paged/' })) pages.push(page.Roles!.map((r) => r.RoleName!));
    assert.deepEqual(pages, [['page-a', 'page-b'], ['page-c']]);
  });

  test('service-linked roles: AWS\'s name and path, protected from DeleteRole, deleted by their own call', async () => {
    const { Role } = await iam.send(new CreateServiceLinkedRoleCommand({ AWSServiceName: 'elasticloadbalancing.amazonaws.com' }));
    assert.equal(Role?.RoleName, 'AWSServiceRoleForElasticLoadBalancing');
    assert.equal(Role?.Path, '/aws-service-role/elasticloadbalancing.amazonaws.com/');
    await rejects(
      iam.send(new DeleteRoleCommand({ RoleName: 'AWSServiceRoleForElasticLoadBalancing' })),
      'UnmodifiableEntity',
      "Cannot perform the operation on the protected role 'AWSServiceRoleForElasticLoadBalancing' - this role is only modifiable by AWS",
      400,
    );
    await rejects(
      iam.send(new CreateServiceLinkedRoleCommand({ AWSServiceName: 'elasticloadbalancing.amazonaws.com' })),
      'InvalidInput',
      'Service role name AWSServiceRoleForElasticLoadBalancing has been taken in this account, please try a different suffix.',
      400,
    );
    const { DeletionTaskId } = await iam.send(new DeleteServiceLinkedRoleCommand({ RoleName: 'AWSServiceRoleForElasticLoadBalancing' }));
    const status = await iam.send(new GetServiceLinkedRoleDeletionStatusCommand({ DeletionTaskId: DeletionTaskId! }));
    assert.equal(status.Status, 'SUCCEEDED');
    await rejects(iam.send(new GetRoleCommand({ RoleName: 'AWSServiceRoleForElasticLoadBalancing' })), 'NoSuchEntity');
  });
});

describe('enforcement on roles', () => {
  test('a user allowed on roles under /app/ manages those and is denied the rest, with AWS\'s message', async () => {
    await iam.send(new CreateUserCommand({ UserName: 'role-admin' }));
    const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: 'role-admin' }));
    await iam.send(new PutUserPolicyCommand({
      UserName: 'role-admin',
      PolicyName: 'app-roles',
      PolicyDocument: doc([{ Effect: 'Allow', Action: ['iam:CreateRole', 'iam:GetRole', 'iam:TagRole'], Resource: 'arn:aws:iam::*:role/app/*' }]),
    }));
    const user = new IAMClient(clientConfig(server, { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! }));
    await user.send(new CreateRoleCommand({ RoleName: 'svc', Path: '/app/', AssumeRolePolicyDocument: EC2_TRUST }));
    assert.equal((await user.send(new GetRoleCommand({ RoleName: 'svc' }))).Role?.Arn, `arn:aws:iam::${ACCOUNT}:role/app/svc`);
    await rejects(
      user.send(new GetRoleCommand({ RoleName: 'page-a' })),
      'AccessDenied',
      `User: arn:aws:iam::${ACCOUNT}:user/role-admin is not authorized to perform: iam:GetRole on resource: arn:aws:iam::${ACCOUNT}:role/paged/page-a because no identity-based policy allows the iam:GetRole action`,
      403,
    );
    await rejects(user.send(new CreateRoleCommand({ RoleName: 'outside', AssumeRolePolicyDocument: EC2_TRUST })), 'AccessDenied');
  });
});

import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  AddRoleToInstanceProfileCommand, AddUserToGroupCommand, AttachGroupPolicyCommand, AttachRolePolicyCommand, CreateAccessKeyCommand, CreateAccountAliasCommand,
  CreateGroupCommand, CreateInstanceProfileCommand, CreatePolicyCommand, CreatePolicyVersionCommand, CreateRoleCommand, CreateUserCommand, GetUserCommand,
  PutRolePolicyCommand, PutUserPermissionsBoundaryCommand, PutUserPolicyCommand, UpdateAccountPasswordPolicyCommand,
} from '@aws-sdk/client-iam';
import {
  AttachPolicyCommand, CreateOrganizationalUnitCommand, CreatePolicyCommand as CreateOrgPolicyCommand, EnablePolicyTypeCommand, MoveAccountCommand,
} from '@aws-sdk/client-organizations';
import { packageRoot } from '../../src/package.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { rejects } from '../helpers/aws.js';
import { iam } from '../server/s3-support.js';
import { createAccount, newOrganization, orgs } from '../server/organizations-support.js';

const run = promisify(execFile);
const main = join(packageRoot(), 'dist', 'src', 'cli', 'main.js');

async function iamlocal(server: TestServer, ...args: string[]): Promise<string> {
  const env: NodeJS.ProcessEnv = { ...process.env, AWS_ACCESS_KEY_ID: server.root.accessKeyId, AWS_SECRET_ACCESS_KEY: server.root.secretAccessKey, AWS_ENDPOINT_URL: server.url };
  delete env.AWS_SESSION_TOKEN;
  const { stdout } = await run(process.execPath, [main, ...args], { env, maxBuffer: 16 * 1024 * 1024 });
  return stdout;
}

const doc = (statements: unknown[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements });

describe('iamlocal export / apply', () => {
  let a: TestServer;
  let b: TestServer;
  const dir = mkdtempSync(join(tmpdir(), 'iamlocal-state-'));

  before(async () => {
    [a, b] = await Promise.all([startTestServer(), startTestServer()]);
    // Server A: some of everything.
    const c = iam(a);
    await c.send(new CreateAccountAliasCommand({ AccountAlias: 'acme-dev' }));
    await c.send(new UpdateAccountPasswordPolicyCommand({ MinimumPasswordLength: 14, RequireSymbols: true, MaxPasswordAge: 90 }));
    const { Policy } = await c.send(new CreatePolicyCommand({ PolicyName: 'ReadBuckets', Path: '/team/', Description: 'read', PolicyDocument: doc([{ Effect: 'Allow', Action: 's3:Get*', Resource: '*' }]) }));
    await c.send(new CreatePolicyVersionCommand({ PolicyArn: Policy!.Arn!, PolicyDocument: doc([{ Effect: 'Allow', Action: ['s3:Get*', 's3:List*'], Resource: '*' }]), SetAsDefault: true }));
    await c.send(new CreatePolicyCommand({ PolicyName: 'Boundary', PolicyDocument: doc([{ Effect: 'Allow', Action: ['s3:*', 'iam:Get*'], Resource: '*' }]) }));
    await c.send(new CreateGroupCommand({ GroupName: 'devs', Path: '/eng/' }));
    await c.send(new AttachGroupPolicyCommand({ GroupName: 'devs', PolicyArn: Policy!.Arn! }));
    await c.send(new CreateUserCommand({ UserName: 'alice', Tags: [{ Key: 'team', Value: 'core' }] }));
    await c.send(new AddUserToGroupCommand({ UserName: 'alice', GroupName: 'devs' }));
    await c.send(new PutUserPolicyCommand({ UserName: 'alice', PolicyName: 'self', PolicyDocument: doc([{ Effect: 'Allow', Action: 'iam:GetUser', Resource: 'arn:aws:iam::000000000000:user/alice' }]) }));
    await c.send(new PutUserPermissionsBoundaryCommand({ UserName: 'alice', PermissionsBoundary: 'arn:aws:iam::000000000000:policy/Boundary' }));
    await c.send(new CreateUserCommand({ UserName: 'bob', Path: '/ops/' }));
    await c.send(new CreateAccessKeyCommand({ UserName: 'bob' }));
    await c.send(new CreateRoleCommand({
      RoleName: 'app', Description: 'the app', MaxSessionDuration: 7200,
      AssumeRolePolicyDocument: doc([{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }]),
    }));
    await c.send(new AttachRolePolicyCommand({ RoleName: 'app', PolicyArn: 'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess' }));
    await c.send(new PutRolePolicyCommand({ RoleName: 'app', PolicyName: 'logs', PolicyDocument: doc([{ Effect: 'Allow', Action: 'logs:*', Resource: '*' }]) }));
    await c.send(new CreateInstanceProfileCommand({ InstanceProfileName: 'app' }));
    await c.send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: 'app', RoleName: 'app' }));
    // And an organization: an OU with a member account and an SCP.
    const { rootId } = await newOrganization(a);
    await orgs(a).send(new EnablePolicyTypeCommand({ RootId: rootId, PolicyType: 'SERVICE_CONTROL_POLICY' }));
    const ou = (await orgs(a).send(new CreateOrganizationalUnitCommand({ ParentId: rootId, Name: 'Workloads' }))).OrganizationalUnit!.Id!;
    await orgs(a).send(new CreateOrganizationalUnitCommand({ ParentId: ou, Name: 'Prod' }));
    const member = await createAccount(a, 'prod', 'prod@example.com');
    await orgs(a).send(new MoveAccountCommand({ AccountId: member, SourceParentId: rootId, DestinationParentId: ou }));
    const scp = await orgs(a).send(new CreateOrgPolicyCommand({ Name: 'NoRoleDeletion', Description: 'guard', Type: 'SERVICE_CONTROL_POLICY', Content: doc([{ Effect: 'Deny', Action: 'iam:DeleteRole', Resource: '*' }]) }));
    await orgs(a).send(new AttachPolicyCommand({ PolicyId: scp.Policy!.PolicySummary!.Id!, TargetId: ou }));
  });
  after(async () => {
    await Promise.all([a.stop(), b.stop()]);
    rmSync(dir, { recursive: true, force: true });
  });

  test('export → apply to a fresh server → export gives the same file; applying it again changes nothing', async () => {
    const file = join(dir, 'a.json');
    await iamlocal(a, 'export', '--out', file);
    const exported = JSON.parse(readFileSync(file, 'utf8'));
    assert.deepEqual(exported.users.map((u: { name: string }) => u.name), ['alice', 'bob']);
    assert.deepEqual(exported.users[0].managedPolicies, []);
    assert.equal(exported.users[0].permissionsBoundary, 'arn:aws:iam::${AccountId}:policy/Boundary');
    assert.deepEqual(exported.groups[0].managedPolicies, ['arn:aws:iam::${AccountId}:policy/team/ReadBuckets']);
    assert.deepEqual(exported.policies.find((p: { name: string }) => p.name === 'ReadBuckets').document.Statement[0].Action, ['s3:Get*', 's3:List*']);
    assert.equal(exported.account.alias, 'acme-dev');
    assert.deepEqual(exported.organization.organizationalUnits, [{ name: 'Workloads', children: [{ name: 'Prod', children: [] }] }]);
    assert.deepEqual(exported.organization.accounts, [{ name: 'prod', email: 'prod@example.com', parent: '/Workloads' }]);
    assert.deepEqual(exported.organization.attachments.NoRoleDeletion, ['/Workloads']);

    const applied = await iamlocal(b, 'apply', file);
    assert.match(applied, /\+ user alice/);
    assert.match(applied, /\+ account prod@example\.com/);
    const again = await iamlocal(b, 'export');
    assert.deepEqual(JSON.parse(again), exported);
    assert.match(await iamlocal(b, 'apply', file), /000000000000: nothing to change/);
    // The applied state is enforced as any other: bob exists with no permissions.
    await rejects(iam(b).send(new GetUserCommand({ UserName: 'carol' })), 'NoSuchEntity');
  });

  test('apply changes what differs and deletes what the file no longer names', async () => {
    const state = JSON.parse(await iamlocal(b, 'export'));
    state.users = state.users.filter((u: { name: string }) => u.name !== 'bob');
    state.users[0].tags = { team: 'platform' };
    state.roles[0].inlinePolicies = {};
    state.roles[0].maxSessionDuration = 3600;
    state.policies.find((p: { name: string }) => p.name === 'ReadBuckets').document = JSON.parse(doc([{ Effect: 'Allow', Action: 's3:ListBucket', Resource: '*' }]));
    state.groups.unshift({ name: 'auditors', path: '/', managedPolicies: ['arn:aws:iam::aws:policy/SecurityAudit'], inlinePolicies: {} });
    state.organization.organizationalUnits[0].children = [];
    for (const name of Object.keys(state.organization.attachments)) {
      state.organization.attachments[name] = state.organization.attachments[name].filter((t: string) => t !== '/Workloads/Prod');
    }
    state.organization.accounts[0].parent = '/';
    state.organization.attachments.NoRoleDeletion = ['/'];
    const file = join(dir, 'changed.json');
    writeFileSync(file, JSON.stringify(state));
    const out = await iamlocal(b, 'apply', file);
    assert.match(out, /- user bob/);
    assert.match(out, /- OU \/Workloads\/Prod/);
    assert.deepEqual(JSON.parse(await iamlocal(b, 'export')), state);
    assert.match(await iamlocal(b, 'apply', file), /nothing to change/);
  });
});

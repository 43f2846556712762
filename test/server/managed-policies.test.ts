import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  IAMClient, CreateUserCommand, CreateAccessKeyCommand, ListUsersCommand, CreateGroupCommand, AddUserToGroupCommand, DeleteUserCommand,
  CreatePolicyCommand, GetPolicyCommand, DeletePolicyCommand, ListPoliciesCommand, paginateListPolicies,
  CreatePolicyVersionCommand, GetPolicyVersionCommand, ListPolicyVersionsCommand, DeletePolicyVersionCommand, SetDefaultPolicyVersionCommand,
  TagPolicyCommand, UntagPolicyCommand, ListPolicyTagsCommand,
  AttachUserPolicyCommand, DetachUserPolicyCommand, AttachGroupPolicyCommand, ListAttachedUserPoliciesCommand, ListAttachedGroupPoliciesCommand,
  ListEntitiesForPolicyCommand,
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

async function userClient(userName: string): Promise<IAMClient> {
  await iam.send(new CreateUserCommand({ UserName: userName }));
  const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: userName }));
  return new IAMClient(clientConfig(server, { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! }));
}

describe('customer managed policies over the SDK', () => {
  test('create, get, tag, version, list and delete', async () => {
    const created = await iam.send(
      new CreatePolicyCommand({ PolicyName: 'S3Read', Path: '/team/', Description: 'read', PolicyDocument: doc([{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }]), Tags: [{ Key: 'env', Value: 'dev' }] }),
    );
    const arn = created.Policy!.Arn!;
    assert.equal(arn, `arn:aws:iam::${ACCOUNT}:policy/team/S3Read`);
    assert.match(created.Policy!.PolicyId!, /^ANPA/);
    assert.equal(created.Policy!.IsAttachable, true);
    assert.ok(created.Policy!.CreateDate instanceof Date);

    const got = await iam.send(new GetPolicyCommand({ PolicyArn: arn }));
    assert.equal(got.Policy!.Description, 'read');
    assert.deepEqual(got.Policy!.Tags, [{ Key: 'env', Value: 'dev' }]);
    assert.equal(got.Policy!.AttachmentCount, 0);

    await iam.send(new TagPolicyCommand({ PolicyArn: arn, Tags: [{ Key: 'owner', Value: 'me' }] }));
    await iam.send(new UntagPolicyCommand({ PolicyArn: arn, TagKeys: ['env'] }));
    assert.deepEqual((await iam.send(new ListPolicyTagsCommand({ PolicyArn: arn }))).Tags, [{ Key: 'owner', Value: 'me' }]);

    const v2 = await iam.send(new CreatePolicyVersionCommand({ PolicyArn: arn, PolicyDocument: doc([{ Effect: 'Allow', Action: 's3:*', Resource: '*' }]), SetAsDefault: true }));
    assert.equal(v2.PolicyVersion!.VersionId, 'v2');
    assert.equal(v2.PolicyVersion!.IsDefaultVersion, true);
    const fetched = await iam.send(new GetPolicyVersionCommand({ PolicyArn: arn, VersionId: 'v2' }));
    assert.deepEqual(JSON.parse(decodeURIComponent(fetched.PolicyVersion!.Document!)).Statement[0].Action, 's3:*');
    const versions = await iam.send(new ListPolicyVersionsCommand({ PolicyArn: arn }));
    assert.deepEqual(versions.Versions!.map((v) => [v.VersionId, v.IsDefaultVersion]), [['v2', true], ['v1', false]]);

    const local = await iam.send(new ListPoliciesCommand({ Scope: 'Local' }));
    assert.deepEqual(local.Policies!.map((p) => p.PolicyName), ['S3Read']);
    assert.equal(local.Policies![0].DefaultVersionId, 'v2');

    await rejects(
      iam.send(new DeletePolicyCommand({ PolicyArn: arn })),
      'DeleteConflict',
      "This policy has more than one version. Before you delete a policy, you must delete the policy's versions. The default version is deleted with the policy.",
      409,
    );
    await rejects(iam.send(new DeletePolicyVersionCommand({ PolicyArn: arn, VersionId: 'v2' })), 'DeleteConflict', 'Cannot delete the default version of a policy.', 409);
    await iam.send(new SetDefaultPolicyVersionCommand({ PolicyArn: arn, VersionId: 'v1' }));
    await iam.send(new DeletePolicyVersionCommand({ PolicyArn: arn, VersionId: 'v2' }));
    await iam.send(new DeletePolicyCommand({ PolicyArn: arn }));
    await rejects(iam.send(new GetPolicyCommand({ PolicyArn: arn })), 'NoSuchEntity', `Policy ${arn} was not found.`, 404);
  });

  test('errors as AWS words them', async () => {
    const d = doc([{ Effect: 'Allow', Action: 's3:*', Resource: '*' }]);
    await iam.send(new CreatePolicyCommand({ PolicyName: 'Once', PolicyDocument: d }));
    await rejects(iam.send(new CreatePolicyCommand({ PolicyName: 'once', PolicyDocument: d })), 'EntityAlreadyExists', 'A policy called once already exists. Duplicate names are not allowed.', 409);
    await rejects(iam.send(new CreatePolicyCommand({ PolicyName: 'Broken', PolicyDocument: '{"Statement":' })), 'MalformedPolicyDocument', undefined, 400);
    const arn = `arn:aws:iam::${ACCOUNT}:policy/Once`;
    for (let i = 0; i < 4; i++) await iam.send(new CreatePolicyVersionCommand({ PolicyArn: arn, PolicyDocument: d }));
    await rejects(
      iam.send(new CreatePolicyVersionCommand({ PolicyArn: arn, PolicyDocument: d })),
      'LimitExceeded',
      'A managed policy can have up to 5 versions. Before you create a new version, you must delete an existing version.',
      409,
    );
  });
});

describe('AWS managed policies over the SDK', () => {
  test('every one is listed, page by page, with the SDK paginator', async () => {
    const names: string[] = [];
    for await (const page of paginateListPolicies({ client: iam, pageSize: 500 }, { Scope: 'AWS' })) names.push(...page.Policies!.map((p) => p.PolicyName!));
    assert.ok(names.length > 1000);
    for (const n of ['AdministratorAccess', 'ReadOnlyAccess', 'PowerUserAccess', 'IAMFullAccess', 'AmazonS3FullAccess', 'AmazonS3ReadOnlyAccess', 'AmazonDynamoDBFullAccess', 'AmazonEC2FullAccess']) {
      assert.ok(names.includes(n), n);
    }
    assert.equal(new Set(names).size, names.length);
  });

  test('readable, never changeable: even the root user gets AccessDenied', async () => {
    const got = await iam.send(new GetPolicyCommand({ PolicyArn: AWS('ReadOnlyAccess') }));
    assert.equal(got.Policy!.Arn, AWS('ReadOnlyAccess'));
    await rejects(
      iam.send(new DeletePolicyCommand({ PolicyArn: AWS('ReadOnlyAccess') })),
      'AccessDenied',
      // IAM writes a policy resource as "policy arn:…"; either spelling of the resource is accepted here.
      new RegExp(`^User: arn:aws:iam::${ACCOUNT}:root is not authorized to perform: iam:DeletePolicy on resource: (policy )?${AWS('ReadOnlyAccess')} because no resource-based policy allows the iam:DeletePolicy action$`),
      403,
    );
  });
});

describe('attachments over the SDK', () => {
  test('a policy attached to a group grants its members at once (seed 000 EC2Admins style)', async () => {
    const member = await userClient('reader');
    await iam.send(new CreateGroupCommand({ GroupName: 'Readers' }));
    await iam.send(new AddUserToGroupCommand({ GroupName: 'Readers', UserName: 'reader' }));
    await rejects(member.send(new ListUsersCommand({})), 'AccessDenied', /because no identity-based policy allows the iam:ListUsers action$/, 403);

    await iam.send(new AttachGroupPolicyCommand({ GroupName: 'Readers', PolicyArn: AWS('IAMReadOnlyAccess') }));
    const listed = await member.send(new ListUsersCommand({}));
    assert.ok(listed.Users!.some((u) => u.UserName === 'reader'));
    assert.deepEqual((await iam.send(new ListAttachedGroupPoliciesCommand({ GroupName: 'Readers' }))).AttachedPolicies, [
      { PolicyName: 'IAMReadOnlyAccess', PolicyArn: AWS('IAMReadOnlyAccess') },
    ]);
    const entities = await iam.send(new ListEntitiesForPolicyCommand({ PolicyArn: AWS('IAMReadOnlyAccess') }));
    assert.deepEqual(entities.PolicyGroups!.map((g) => g.GroupName), ['Readers']);
    assert.equal((await iam.send(new GetPolicyCommand({ PolicyArn: AWS('IAMReadOnlyAccess') }))).Policy!.AttachmentCount, 1);
  });

  test('user attachments: quota, detach, and DeleteUser conflicts', async () => {
    await iam.send(new CreateUserCommand({ UserName: 'loaded' }));
    const all: string[] = [];
    for await (const page of paginateListPolicies({ client: iam, pageSize: 100 }, { Scope: 'AWS', PathPrefix: '/job-function/' })) all.push(...page.Policies!.map((p) => p.Arn!));
    const arns = [AWS('ReadOnlyAccess'), AWS('IAMReadOnlyAccess'), ...all].slice(0, 11);
    assert.equal(arns.length, 11);
    for (const arn of arns.slice(0, 10)) await iam.send(new AttachUserPolicyCommand({ UserName: 'loaded', PolicyArn: arn }));
    await rejects(iam.send(new AttachUserPolicyCommand({ UserName: 'loaded', PolicyArn: arns[10] })), 'LimitExceeded', 'Cannot exceed quota for PoliciesPerUser: 10', 409);
    const attached = await iam.send(new ListAttachedUserPoliciesCommand({ UserName: 'loaded', MaxItems: 5 }));
    assert.equal(attached.AttachedPolicies!.length, 5);
    assert.equal(attached.IsTruncated, true);
    await rejects(iam.send(new DeleteUserCommand({ UserName: 'loaded' })), 'DeleteConflict', 'Cannot delete entity, must detach all policies first.', 409);
    for (const arn of arns.slice(0, 10)) await iam.send(new DetachUserPolicyCommand({ UserName: 'loaded', PolicyArn: arn }));
    await rejects(iam.send(new DetachUserPolicyCommand({ UserName: 'loaded', PolicyArn: arns[0] })), 'NoSuchEntity', `Policy ${arns[0]} was not found.`, 404);
    await rejects(
      iam.send(new AttachUserPolicyCommand({ UserName: 'loaded', PolicyArn: AWS('NoSuchPolicy') })),
      'NoSuchEntity',
      `Policy ${AWS('NoSuchPolicy')} does not exist or is not attachable.`,
      404,
    );
    await iam.send(new DeleteUserCommand({ UserName: 'loaded' }));
  });
});

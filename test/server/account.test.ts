import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  IAMClient,
  AddUserToGroupCommand,
  AttachGroupPolicyCommand,
  CreateAccessKeyCommand,
  CreateAccountAliasCommand,
  CreateGroupCommand,
  CreateUserCommand,
  DeleteAccountAliasCommand,
  GenerateCredentialReportCommand,
  GetAccountAuthorizationDetailsCommand,
  GetAccountSummaryCommand,
  GetCredentialReportCommand,
  ListAccountAliasesCommand,
  PutUserPolicyCommand,
  paginateGetAccountAuthorizationDetails,
} from '@aws-sdk/client-iam';
import { startTestServer, clientConfig, type TestServer } from '../helpers/server.js';
import { rejects } from '../helpers/aws.js';

let server: TestServer;
let iam: IAMClient;

before(async () => {
  server = await startTestServer();
  iam = new IAMClient(clientConfig(server));
});
after(async () => server.stop());

const ACCOUNT = '000000000000';

const doc = (statements: unknown[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements });

async function userClient(userName: string, policy?: string): Promise<IAMClient> {
  await iam.send(new CreateUserCommand({ UserName: userName }));
  if (policy) await iam.send(new PutUserPolicyCommand({ UserName: userName, PolicyName: 'p', PolicyDocument: policy }));
  const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: userName }));
  return new IAMClient(clientConfig(server, { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! }));
}

describe('account over the wire', () => {
  test('account alias: create, list, delete; errors as AWS', async () => {
    await iam.send(new CreateAccountAliasCommand({ AccountAlias: 'wire-corp' }));
    assert.deepEqual((await iam.send(new ListAccountAliasesCommand({}))).AccountAliases, ['wire-corp']);
    await rejects(iam.send(new CreateAccountAliasCommand({ AccountAlias: 'Bad_Alias' })), 'ValidationError', /regular expression pattern/, 400);
    await rejects(iam.send(new DeleteAccountAliasCommand({ AccountAlias: 'other' })), 'NoSuchEntity', 'The account alias other cannot be found.', 404);
    await iam.send(new DeleteAccountAliasCommand({ AccountAlias: 'wire-corp' }));
    assert.deepEqual((await iam.send(new ListAccountAliasesCommand({}))).AccountAliases, []);
  });

  test('GetAccountSummary: a map of counts and quotas', async () => {
    const before = (await iam.send(new GetAccountSummaryCommand({}))).SummaryMap!;
    await iam.send(new CreateUserCommand({ UserName: 'summary-user' }));
    const after = (await iam.send(new GetAccountSummaryCommand({}))).SummaryMap!;
    assert.equal(after.Users, before.Users! + 1);
    assert.equal(after.UsersQuota, 5000);
    assert.equal(after.AccessKeysPerUserQuota, 2);
    assert.equal(after.AccountAccessKeysPresent, 1);
  });

  test('credential report: not present, started, complete, a base64 CSV the SDK hands over as bytes', async () => {
    await rejects(iam.send(new GetCredentialReportCommand({})), 'CredentialReportNotPresent', undefined, 410);
    const started = await iam.send(new GenerateCredentialReportCommand({}));
    assert.equal(started.State, 'STARTED');
    assert.equal((await iam.send(new GenerateCredentialReportCommand({}))).State, 'COMPLETE');
    const report = await iam.send(new GetCredentialReportCommand({}));
    assert.equal(report.ReportFormat, 'text/csv');
    assert.ok(report.GeneratedTime instanceof Date);
    const csv = Buffer.from(report.Content!).toString('utf8');
    const lines = csv.split('\n');
    assert.match(lines[0], /^user,arn,user_creation_time,password_enabled,/);
    assert.match(lines[1], new RegExp(`^<root_account>,arn:aws:iam::${ACCOUNT}:root,`));
  });

  test('GetAccountAuthorizationDetails pages through the SDK paginator; documents come URL-encoded', async () => {
    const policy = doc([{ Effect: 'Allow', Action: 'ec2:Describe*', Resource: '*' }]);
    await iam.send(new CreateGroupCommand({ GroupName: 'EC2Admins' }));
    await iam.send(new AttachGroupPolicyCommand({ GroupName: 'EC2Admins', PolicyArn: 'arn:aws:iam::aws:policy/AmazonEC2FullAccess' }));
    for (const name of ['details-a', 'details-b', 'details-c']) {
      await iam.send(new CreateUserCommand({ UserName: name }));
      await iam.send(new PutUserPolicyCommand({ UserName: name, PolicyName: 'inline', PolicyDocument: policy }));
      await iam.send(new AddUserToGroupCommand({ GroupName: 'EC2Admins', UserName: name }));
    }
    const users: string[] = [];
    const policies: string[] = [];
    let pages = 0;
    for await (const page of paginateGetAccountAuthorizationDetails({ client: iam, pageSize: 2 }, {})) {
      pages++;
      for (const u of page.UserDetailList ?? []) {
        users.push(u.UserName!);
        if (u.UserName!.startsWith('details-')) {
          assert.deepEqual(u.GroupList, ['EC2Admins']);
          assert.equal(decodeURIComponent(u.UserPolicyList![0].PolicyDocument!), policy);
        }
      }
      for (const p of page.Policies ?? []) policies.push(p.PolicyName!);
    }
    assert.ok(pages > 1);
    for (const name of ['details-a', 'details-b', 'details-c']) assert.ok(users.includes(name));
    assert.ok(policies.includes('AmazonEC2FullAccess'));
    const only = await iam.send(new GetAccountAuthorizationDetailsCommand({ Filter: ['Group'] }));
    assert.deepEqual([only.UserDetailList, only.RoleDetailList, only.Policies], [[], [], []]);
    assert.ok(only.GroupDetailList!.some((g) => g.GroupName === 'EC2Admins'));
  });

  test('the account operations need their own actions, on "*"', async () => {
    const nobody = await userClient('no-account-rights');
    await rejects(
      nobody.send(new GetAccountSummaryCommand({})),
      'AccessDenied',
      `User: arn:aws:iam::${ACCOUNT}:user/no-account-rights is not authorized to perform: iam:GetAccountSummary on resource: * because no identity-based policy allows the iam:GetAccountSummary action`,
      403,
    );
    const reader = await userClient('summary-reader', doc([{ Effect: 'Allow', Action: ['iam:GetAccountSummary', 'iam:ListAccountAliases'], Resource: '*' }]));
    assert.ok((await reader.send(new GetAccountSummaryCommand({}))).SummaryMap);
    await reader.send(new ListAccountAliasesCommand({}));
    await rejects(reader.send(new CreateAccountAliasCommand({ AccountAlias: 'not-mine' })), 'AccessDenied', /iam:CreateAccountAlias on resource: \*/);
    await rejects(reader.send(new GenerateCredentialReportCommand({})), 'AccessDenied', /iam:GenerateCredentialReport/);
  });
});

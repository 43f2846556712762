import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import {
  IAMClient, CreateUserCommand, CreateAccessKeyCommand, PutUserPolicyCommand, CreateRoleCommand, PutRolePolicyCommand,
  CreateVirtualMFADeviceCommand, EnableMFADeviceCommand, ListUsersCommand, ListRolesCommand, CreateLoginProfileCommand,
  ChangePasswordCommand, UpdateAccountPasswordPolicyCommand, GetLoginProfileCommand, DeleteRolePolicyCommand,
} from '@aws-sdk/client-iam';
import {
  STSClient, AssumeRoleCommand, GetCallerIdentityCommand, GetSessionTokenCommand, GetFederationTokenCommand,
  GetAccessKeyInfoCommand, DecodeAuthorizationMessageCommand,
} from '@aws-sdk/client-sts';
import type { TestServer } from '../helpers/server.js';
import { startTestServer, clientConfig } from '../helpers/server.js';
import { adminPost, config, doc, rejects, seedOf, startClockServer, TestClock, type Creds } from './sts-support.js';

const ACCOUNT = '000000000000';
const OTHER = '111111111111';

let server: TestServer;
const clock = new TestClock();
let iam: IAMClient;

before(async () => {
  server = await startClockServer();
  iam = new IAMClient(config(server, clock));
});
after(async () => server.stop());

async function userWithKey(name: string, policy?: string): Promise<Creds> {
  await iam.send(new CreateUserCommand({ UserName: name }));
  if (policy) await iam.send(new PutUserPolicyCommand({ UserName: name, PolicyName: 'p', PolicyDocument: policy }));
  const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: name }));
  return { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! };
}

const credsOf = (c: { AccessKeyId?: string; SecretAccessKey?: string; SessionToken?: string } | undefined): Creds => ({
  accessKeyId: c!.AccessKeyId!,
  secretAccessKey: c!.SecretAccessKey!,
  sessionToken: c!.SessionToken!,
});

describe('AssumeRole over HTTP', () => {
  test('errors AWS documents: ValidationError for durations, MalformedPolicyDocument, PackedPolicyTooLarge', async () => {
    const creds = await userWithKey('caller', doc({ Effect: 'Allow', Action: ['sts:AssumeRole', 'sts:TagSession'], Resource: '*' }));
    await iam.send(new CreateRoleCommand({
      RoleName: 'errs',
      AssumeRolePolicyDocument: doc({ Effect: 'Allow', Principal: { AWS: ACCOUNT }, Action: ['sts:AssumeRole', 'sts:TagSession'] }),
    }));
    const sts = new STSClient(config(server, clock, creds));
    const RoleArn = `arn:aws:iam::${ACCOUNT}:role/errs`;
    await rejects(sts.send(new AssumeRoleCommand({ RoleArn, RoleSessionName: 'ss', DurationSeconds: 100 })), 'ValidationError', /Member must have value greater than or equal to 900/, 400);
    await rejects(sts.send(new AssumeRoleCommand({ RoleArn, RoleSessionName: 'ss', DurationSeconds: 7200 })), 'ValidationError', 'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.', 400);
    await rejects(sts.send(new AssumeRoleCommand({ RoleArn, RoleSessionName: 'ss', Policy: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow"' })), 'MalformedPolicyDocument', undefined, 400);
    // Random values do not compress: 45 of them overflow the packed budget.
    const tags = Array.from({ length: 45 }, (_, i) => ({ Key: `key${i}`, Value: randomBytes(120).toString('base64') }));
    await rejects(sts.send(new AssumeRoleCommand({ RoleArn, RoleSessionName: 'ss', Tags: tags })), 'PackedPolicyTooLarge', /Packed policy consumes \d+% of allotted space/, 400);
    await rejects(sts.send(new AssumeRoleCommand({ RoleArn, RoleSessionName: 'bad name!' })), 'ValidationError', /roleSessionName/, 400);
    const ok = await sts.send(new AssumeRoleCommand({ RoleArn, RoleSessionName: 'ss', Policy: doc({ Effect: 'Allow', Action: 'iam:ListUsers', Resource: '*' }) }));
    assert.ok((ok.PackedPolicySize ?? 0) > 0);
  });

  test('a role session is its role’s policies, live', async () => {
    const creds = await userWithKey('live', doc({ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: '*' }));
    await iam.send(new CreateRoleCommand({ RoleName: 'lister', AssumeRolePolicyDocument: doc({ Effect: 'Allow', Principal: { AWS: ACCOUNT }, Action: 'sts:AssumeRole' }) }));
    await iam.send(new PutRolePolicyCommand({ RoleName: 'lister', PolicyName: 'list', PolicyDocument: doc({ Effect: 'Allow', Action: 'iam:ListRoles', Resource: '*' }) }));
    const out = await new STSClient(config(server, clock, creds)).send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${ACCOUNT}:role/lister`, RoleSessionName: 'live' }));
    const asRole = new IAMClient(config(server, clock, credsOf(out.Credentials)));
    assert.ok((await asRole.send(new ListRolesCommand({}))).Roles!.some((r) => r.RoleName === 'lister'));
    await iam.send(new DeleteRolePolicyCommand({ RoleName: 'lister', PolicyName: 'list' }));
    await rejects(asRole.send(new ListRolesCommand({})), 'AccessDenied', undefined, 403);
  });
});

describe('GetSessionToken and GetFederationToken over HTTP', () => {
  test('an MFA session token can call IAM; a plain one cannot', async () => {
    const creds = await userWithKey('mfa-user', doc({ Effect: 'Allow', Action: 'iam:ListUsers', Resource: '*' }));
    const { VirtualMFADevice } = await iam.send(new CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: 'mfa-user' }));
    const png = Buffer.from(VirtualMFADevice!.QRCodePNG!);
    assert.equal(png.subarray(1, 4).toString('latin1'), 'PNG');
    const seed = seedOf(VirtualMFADevice);
    await iam.send(new EnableMFADeviceCommand({ UserName: 'mfa-user', SerialNumber: VirtualMFADevice!.SerialNumber, AuthenticationCode1: clock.code(seed, -30_000), AuthenticationCode2: clock.code(seed) }));
    const sts = new STSClient(config(server, clock, creds));
    const plain = await sts.send(new GetSessionTokenCommand({ DurationSeconds: 900 }));
    await rejects(new IAMClient(config(server, clock, credsOf(plain.Credentials))).send(new ListUsersCommand({})), 'InvalidClientTokenId', undefined, 403);
    const withMfa = await sts.send(new GetSessionTokenCommand({ SerialNumber: VirtualMFADevice!.SerialNumber, TokenCode: clock.code(seed, 30_000) }));
    const users = await new IAMClient(config(server, clock, credsOf(withMfa.Credentials))).send(new ListUsersCommand({}));
    assert.ok(users.Users!.some((u) => u.UserName === 'mfa-user'));
    await rejects(new STSClient(config(server, clock, credsOf(withMfa.Credentials))).send(new GetSessionTokenCommand({})), 'AccessDenied', 'Cannot call GetSessionToken with session credentials', 403);
  });

  test('GetFederationToken returns a federated user; its key names the account', async () => {
    const creds = await userWithKey('broker', doc({ Effect: 'Allow', Action: ['sts:GetFederationToken', 'sts:GetAccessKeyInfo'], Resource: '*' }));
    const sts = new STSClient(config(server, clock, creds));
    const out = await sts.send(new GetFederationTokenCommand({ Name: 'jane', DurationSeconds: 900, Policy: doc({ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }) }));
    assert.deepEqual(out.FederatedUser, { FederatedUserId: `${ACCOUNT}:jane`, Arn: `arn:aws:sts::${ACCOUNT}:federated-user/jane` });
    const me = await new STSClient(config(server, clock, credsOf(out.Credentials))).send(new GetCallerIdentityCommand({}));
    assert.equal(me.Arn, `arn:aws:sts::${ACCOUNT}:federated-user/jane`);
    const info = await sts.send(new GetAccessKeyInfoCommand({ AccessKeyId: out.Credentials!.AccessKeyId }));
    assert.equal(info.Account, ACCOUNT);
    await rejects(sts.send(new DecodeAuthorizationMessageCommand({ EncodedMessage: 'bm90LWEtbWVzc2FnZQ' })), 'AccessDenied', undefined, 403);
    const root = new STSClient(config(server, clock));
    await rejects(root.send(new DecodeAuthorizationMessageCommand({ EncodedMessage: 'bm90LWEtbWVzc2FnZS1hdC1hbGwtbm90LWF0LWFsbA' })), 'InvalidAuthorizationMessageException', undefined, 400);
  });
});

describe('a second account and cross-account AssumeRole', () => {
  test('POST /_iamlocal/accounts makes an account with its own root; AssumeRole into it follows both accounts’ policies', async () => {
    const unsigned = await fetch(`${server.url}/_iamlocal/accounts`, { method: 'POST', body: JSON.stringify({ accountId: OTHER }) });
    assert.equal(unsigned.status, 403);
    const bad = await adminPost(server, '/_iamlocal/accounts', { accountId: '12' }, server.root, clock);
    assert.equal(bad.status, 400);
    const made = await adminPost(server, '/_iamlocal/accounts', { accountId: OTHER }, server.root, clock);
    assert.equal(made.status, 201);
    assert.equal(made.json.accountId, OTHER);
    const otherRoot: Creds = { accessKeyId: made.json.rootAccessKeyId, secretAccessKey: made.json.rootSecretAccessKey };
    assert.equal((await new STSClient(config(server, clock, otherRoot)).send(new GetCallerIdentityCommand({}))).Arn, `arn:aws:iam::${OTHER}:root`);
    // Its root key is not handed to another account's root a second time.
    assert.equal((await adminPost(server, '/_iamlocal/accounts', { accountId: OTHER }, server.root, clock)).status, 409);
    assert.equal((await adminPost(server, '/_iamlocal/accounts', { accountId: OTHER }, otherRoot, clock)).status, 200);

    const otherIam = new IAMClient(config(server, clock, otherRoot));
    await otherIam.send(new CreateRoleCommand({ RoleName: 'partner', AssumeRolePolicyDocument: doc({ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'sts:AssumeRole' }) }));
    await otherIam.send(new PutRolePolicyCommand({ RoleName: 'partner', PolicyName: 'list', PolicyDocument: doc({ Effect: 'Allow', Action: 'iam:ListRoles', Resource: '*' }) }));
    const RoleArn = `arn:aws:iam::${OTHER}:role/partner`;
    const withoutPolicy = await userWithKey('xacct-nopolicy');
    await rejects(new STSClient(config(server, clock, withoutPolicy)).send(new AssumeRoleCommand({ RoleArn, RoleSessionName: 'xx' })), 'AccessDenied', undefined, 403);
    const allowed = await userWithKey('xacct', doc({ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: RoleArn }));
    const out = await new STSClient(config(server, clock, allowed)).send(new AssumeRoleCommand({ RoleArn, RoleSessionName: 'xx' }));
    const session = credsOf(out.Credentials);
    const me = await new STSClient(config(server, clock, session)).send(new GetCallerIdentityCommand({}));
    assert.equal(me.Account, OTHER);
    assert.equal(me.Arn, `arn:aws:sts::${OTHER}:assumed-role/partner/xx`);
    const roles = await new IAMClient(config(server, clock, session)).send(new ListRolesCommand({}));
    assert.deepEqual(roles.Roles!.map((r) => r.Arn), [RoleArn]);
  });
});

describe('passwords over HTTP', () => {
  test('with AllowUsersToChangePassword a user changes its own password without any policy', async () => {
    const creds = await userWithKey('pw-user');
    await iam.send(new CreateLoginProfileCommand({ UserName: 'pw-user', Password: 'First-Pass-1', PasswordResetRequired: true }));
    const self = new IAMClient(config(server, clock, creds));
    await rejects(self.send(new ChangePasswordCommand({ OldPassword: 'First-Pass-1', NewPassword: 'Second-Pass-2' })), 'AccessDenied', /iam:ChangePassword/, 403);
    await iam.send(new UpdateAccountPasswordPolicyCommand({ MinimumPasswordLength: 10, AllowUsersToChangePassword: true, PasswordReusePrevention: 1 }));
    await rejects(self.send(new ChangePasswordCommand({ OldPassword: 'First-Pass-1', NewPassword: 'short' })), 'PasswordPolicyViolation', 'Password should have a minimum length of 10', 400);
    await rejects(self.send(new ChangePasswordCommand({ OldPassword: 'First-Pass-1', NewPassword: 'First-Pass-1' })), 'PasswordPolicyViolation', /previous 1 password/, 400);
    await self.send(new ChangePasswordCommand({ OldPassword: 'First-Pass-1', NewPassword: 'Second-Pass-2' }));
    const { LoginProfile } = await iam.send(new GetLoginProfileCommand({ UserName: 'pw-user' }));
    assert.equal(LoginProfile?.PasswordResetRequired, false);
  });
});

describe('--auth off', () => {
  test('every caller is the root user, and may still assume roles (with any MFA code)', async () => {
    const off = await startTestServer({ auth: 'off' });
    try {
      const anyone = { accessKeyId: 'AKIAANYTHINGATALL000', secretAccessKey: 'whatever' };
      await new IAMClient(clientConfig(off, anyone)).send(new CreateRoleCommand({
        RoleName: 'app', AssumeRolePolicyDocument: doc({ Effect: 'Allow', Principal: { AWS: ACCOUNT }, Action: 'sts:AssumeRole' }),
      }));
      const out = await new STSClient(clientConfig(off, anyone)).send(new AssumeRoleCommand({
        RoleArn: `arn:aws:iam::${ACCOUNT}:role/app`, RoleSessionName: 'dev', SerialNumber: `arn:aws:iam::${ACCOUNT}:mfa/none`, TokenCode: '123456',
      }));
      assert.equal(out.AssumedRoleUser?.Arn, `arn:aws:sts::${ACCOUNT}:assumed-role/app/dev`);
    } finally {
      await off.stop();
    }
  });
});

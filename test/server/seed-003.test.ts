import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  IAMClient, CreateUserCommand, CreateAccessKeyCommand, CreateGroupCommand, PutGroupPolicyCommand, AddUserToGroupCommand,
  CreateRoleCommand, PutRolePolicyCommand, CreateVirtualMFADeviceCommand, EnableMFADeviceCommand, ListMFADevicesCommand,
  ListUsersCommand,
} from '@aws-sdk/client-iam';
import { STSClient, AssumeRoleCommand, GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import type { TestServer } from '../helpers/server.js';
import { advance, config, doc, rejects, seedOf, startClockServer, TestClock, type Creds } from './sts-support.js';

/**
 * Seed 003 ("AWS IAM configuration using boto3"), end to end over HTTP with the AWS SDK:
 * three users who may assume one role only with an MFA-authenticated session; the role
 * allows S3 read-only and EC2 full access and denies creating IAM users.
 */
const ACCOUNT = '000000000000';
const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/Boto3AssumedRole`;
const USERS = ['boto3-user-1', 'boto3-user-2', 'boto3-user-3'];

let server: TestServer;
const clock = new TestClock();
const keys = new Map<string, Creds>();
const devices = new Map<string, { serial: string; seed: string }>();

before(async () => {
  server = await startClockServer();
  const iam = new IAMClient(config(server, clock));
  await iam.send(new CreateGroupCommand({ GroupName: 'RoleAssumers' }));
  await iam.send(new PutGroupPolicyCommand({
    GroupName: 'RoleAssumers',
    PolicyName: 'AssumeTheRole',
    PolicyDocument: doc({ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: ROLE_ARN }),
  }));
  for (const name of USERS) {
    await iam.send(new CreateUserCommand({ UserName: name }));
    await iam.send(new AddUserToGroupCommand({ GroupName: 'RoleAssumers', UserName: name }));
    const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: name }));
    keys.set(name, { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! });
  }
  await iam.send(new CreateRoleCommand({
    RoleName: 'Boto3AssumedRole',
    AssumeRolePolicyDocument: doc({
      Effect: 'Allow',
      Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` },
      Action: 'sts:AssumeRole',
      Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } },
    }),
  }));
  await iam.send(new PutRolePolicyCommand({
    RoleName: 'Boto3AssumedRole',
    PolicyName: 'S3ReadOnlyEC2Full',
    PolicyDocument: doc(
      { Effect: 'Allow', Action: ['s3:Get*', 's3:List*', 's3:Describe*'], Resource: '*' },
      { Effect: 'Allow', Action: 'ec2:*', Resource: '*' },
    ),
  }));
  await iam.send(new PutRolePolicyCommand({
    RoleName: 'Boto3AssumedRole',
    PolicyName: 'DenyIAMUserCreation',
    PolicyDocument: doc({ Effect: 'Deny', Action: 'iam:CreateUser', Resource: '*' }),
  }));
  // Each user enrols a virtual MFA device: two consecutive codes from its authenticator.
  for (const name of USERS) {
    const { VirtualMFADevice } = await iam.send(new CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: name }));
    const seed = seedOf(VirtualMFADevice);
    await iam.send(new EnableMFADeviceCommand({
      UserName: name,
      SerialNumber: VirtualMFADevice!.SerialNumber,
      AuthenticationCode1: clock.code(seed, -30_000),
      AuthenticationCode2: clock.code(seed),
    }));
    devices.set(name, { serial: VirtualMFADevice!.SerialNumber!, seed });
  }
});
after(async () => server.stop());

const stsAs = (name: string) => new STSClient(config(server, clock, keys.get(name)));

describe('seed 003: assume a role only with MFA', () => {
  test('every user has an enrolled device', async () => {
    const iam = new IAMClient(config(server, clock));
    for (const name of USERS) {
      const { MFADevices } = await iam.send(new ListMFADevicesCommand({ UserName: name }));
      assert.deepEqual(MFADevices?.map((d) => d.SerialNumber), [`arn:aws:iam::${ACCOUNT}:mfa/${name}`]);
    }
  });

  test('without MFA, AssumeRole is denied', async () => {
    for (const name of USERS) {
      await rejects(
        stsAs(name).send(new AssumeRoleCommand({ RoleArn: ROLE_ARN, RoleSessionName: name })),
        'AccessDenied',
        new RegExp(`^User: arn:aws:iam::${ACCOUNT}:user/${name} is not authorized to perform: sts:AssumeRole on resource: ${ROLE_ARN}`),
        403,
      );
    }
  });

  test('with a code from the enrolled device it is allowed; the session cannot create IAM users; the code cannot be replayed', async () => {
    for (const name of USERS) {
      const { serial, seed } = devices.get(name)!;
      // Enrolment used the current step; the authenticator's next code is the first fresh one.
      const code = clock.code(seed, 30_000);
      const out = await stsAs(name).send(new AssumeRoleCommand({ RoleArn: ROLE_ARN, RoleSessionName: name, SerialNumber: serial, TokenCode: code }));
      assert.equal(out.AssumedRoleUser?.Arn, `arn:aws:sts::${ACCOUNT}:assumed-role/Boto3AssumedRole/${name}`);
      assert.match(out.AssumedRoleUser?.AssumedRoleId ?? '', new RegExp(`^AROA[A-Z2-7]{17}:${name}$`));
      const session = { accessKeyId: out.Credentials!.AccessKeyId!, secretAccessKey: out.Credentials!.SecretAccessKey!, sessionToken: out.Credentials!.SessionToken! };
      assert.match(session.accessKeyId, /^ASIA/);
      const me = await new STSClient(config(server, clock, session)).send(new GetCallerIdentityCommand({}));
      assert.equal(me.Arn, out.AssumedRoleUser?.Arn);
      const asRole = new IAMClient(config(server, clock, session));
      await rejects(asRole.send(new CreateUserCommand({ UserName: `made-by-${name}` })), 'AccessDenied', /iam:CreateUser .*with an explicit deny in an identity-based policy/, 403);
      // The role grants nothing in IAM beyond that: listing users is not allowed either.
      await rejects(asRole.send(new ListUsersCommand({})), 'AccessDenied', /because no identity-based policy allows the iam:ListUsers action/, 403);
      await rejects(
        stsAs(name).send(new AssumeRoleCommand({ RoleArn: ROLE_ARN, RoleSessionName: `${name}-again`, SerialNumber: serial, TokenCode: code })),
        'AccessDenied',
        'MultiFactorAuthentication failed with invalid MFA one time pass code.',
        403,
      );
    }
  });

  test('an expired session is refused with ExpiredToken', async () => {
    const name = USERS[0];
    const { serial, seed } = devices.get(name)!;
    await advance(server, clock, 60);
    const out = await stsAs(name).send(new AssumeRoleCommand({
      RoleArn: ROLE_ARN, RoleSessionName: 'short', DurationSeconds: 900, SerialNumber: serial, TokenCode: clock.code(seed),
    }));
    const session = { accessKeyId: out.Credentials!.AccessKeyId!, secretAccessKey: out.Credentials!.SecretAccessKey!, sessionToken: out.Credentials!.SessionToken! };
    assert.equal(out.Credentials!.Expiration!.getTime() - clock.now() <= 900_000, true);
    await new STSClient(config(server, clock, session)).send(new GetCallerIdentityCommand({}));
    await advance(server, clock, 901);
    await rejects(
      new STSClient(config(server, clock, session)).send(new GetCallerIdentityCommand({})),
      'ExpiredToken',
      'The security token included in the request is expired',
      403,
    );
    // The user's long-term key still works at the moved time.
    await stsAs(name).send(new GetCallerIdentityCommand({}));
  });
});

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateKeyPairCommand, CreateSecurityGroupCommand, DescribeImagesCommand, DescribeInstancesCommand, DescribeKeyPairsCommand, RunInstancesCommand,
  StopInstancesCommand, TerminateInstancesCommand, type EC2Client,
} from '@aws-sdk/client-ec2';
import { STSClient, DecodeAuthorizationMessageCommand } from '@aws-sdk/client-sts';
import { AddRoleToInstanceProfileCommand, CreateInstanceProfileCommand, CreateRoleCommand } from '@aws-sdk/client-iam';
import { clientConfig, startTestServer, type TestServer } from '../helpers/server.js';
import { rejects } from '../helpers/aws.js';
import { iam, otherAccount, userWith, type Creds } from './s3-support.js';
import { ec2, EC2_TRUST } from './ec2-support.js';

let server: TestServer;
let root: EC2Client;
let image: string;
before(async () => {
  server = await startTestServer();
  root = ec2(server);
  image = (await root.send(new DescribeImagesCommand({ Filters: [{ Name: 'name', Values: ['al2023-*-x86_64'] }] }))).Images![0].ImageId!;
  await iam(server).send(new CreateRoleCommand({ RoleName: 'web-role', AssumeRolePolicyDocument: EC2_TRUST }));
  await iam(server).send(new CreateInstanceProfileCommand({ InstanceProfileName: 'web-profile' }));
  await iam(server).send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: 'web-profile', RoleName: 'web-role' }));
});
after(async () => {
  await server.stop();
});

const launch = (client: EC2Client, extra: Record<string, unknown> = {}) =>
  client.send(new RunInstancesCommand({ ImageId: image, InstanceType: 't2.micro', MinCount: 1, MaxCount: 1, ...extra }));

async function unauthorized(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err: any) {
    assert.equal(err.name, 'UnauthorizedOperation', err.message);
    assert.equal(err.$metadata.httpStatusCode, 403);
    return err.message as string;
  }
  assert.fail('expected UnauthorizedOperation');
}

function encodedPart(message: string): string {
  const m = /Encoded authorization failure message: (\S+)$/.exec(message);
  assert.ok(m, `no encoded message in: ${message}`);
  return m[1];
}

async function decode(encoded: string, creds: Creds = server.root): Promise<any> {
  const sts = new STSClient(clientConfig(server, creds));
  return JSON.parse((await sts.send(new DecodeAuthorizationMessageCommand({ EncodedMessage: encoded }))).DecodedMessage!);
}

test('a user with no EC2 permission: Describe* is UnauthorizedOperation without an encoded message; RunInstances names the resource and encodes why', async () => {
  const creds = await userWith(server, 'nobody', [{ Effect: 'Allow', Action: 'iam:GetUser', Resource: '*' }]);
  const client = ec2(server, creds);
  const describe = await unauthorized(client.send(new DescribeInstancesCommand({})));
  assert.equal(describe, 'You are not authorized to perform this operation. User: arn:aws:iam::000000000000:user/nobody is not authorized to perform: ec2:DescribeInstances because no identity-based policy allows the ec2:DescribeInstances action');
  const run = await unauthorized(launch(client));
  assert.match(run, /^You are not authorized to perform this operation\. User: arn:aws:iam::000000000000:user\/nobody is not authorized to perform: ec2:RunInstances on resource: arn:aws:ec2:us-east-1:000000000000:instance\/\* because no identity-based policy allows the ec2:RunInstances action\. Encoded authorization failure message: \S+$/);
  const decoded = await decode(encodedPart(run));
  assert.equal(decoded.allowed, false);
  assert.equal(decoded.explicitDeny, false);
  assert.deepEqual(decoded.matchedStatements, { items: [] });
  assert.equal(decoded.context.action, 'ec2:RunInstances');
  assert.equal(decoded.context.resource, 'arn:aws:ec2:us-east-1:000000000000:instance/*');
  assert.equal(decoded.context.principal.arn, 'arn:aws:iam::000000000000:user/nobody');
  assert.match(decoded.context.principal.id, /^AIDA/);
  const type = decoded.context.conditions.items.find((c: any) => c.key === 'ec2:InstanceType');
  assert.deepEqual(type.values.items, [{ value: 't2.micro' }]);
});

test('DecodeAuthorizationMessage needs sts:DecodeAuthorizationMessage, and only the account that was denied can open the message', async () => {
  const creds = await userWith(server, 'denied-one', [{ Effect: 'Allow', Action: 'ec2:Describe*', Resource: '*' }]);
  const encoded = encodedPart(await unauthorized(launch(ec2(server, creds))));
  // The denied user may not decode it (no sts:DecodeAuthorizationMessage).
  await rejects(new STSClient(clientConfig(server, creds)).send(new DecodeAuthorizationMessageCommand({ EncodedMessage: encoded })), 'AccessDenied');
  const other = await otherAccount(server, '111122223333');
  await rejects(new STSClient(clientConfig(server, other)).send(new DecodeAuthorizationMessageCommand({ EncodedMessage: encoded })), 'InvalidAuthorizationMessageException');
  await rejects(new STSClient(clientConfig(server)).send(new DecodeAuthorizationMessageCommand({ EncodedMessage: `${encoded.slice(0, -4)}AAAA` })), 'InvalidAuthorizationMessageException');
  const explicit = await userWith(server, 'explicit', [
    { Effect: 'Allow', Action: 'ec2:*', Resource: '*' },
    { Sid: 'NoBigOnes', Effect: 'Deny', Action: 'ec2:RunInstances', Resource: 'arn:aws:ec2:*:*:instance/*', Condition: { StringNotEquals: { 'ec2:InstanceType': 't2.micro' } } },
  ]);
  const message = await unauthorized(launch(ec2(server, explicit), { InstanceType: 'm5.xlarge' }));
  assert.match(message, /with an explicit deny in an identity-based policy\. Encoded authorization failure message:/);
  const decoded = await decode(encodedPart(message));
  assert.equal(decoded.explicitDeny, true);
  assert.equal(decoded.matchedStatements.items[0].statementId, 'NoBigOnes');
  assert.equal(decoded.matchedStatements.items[0].effect, 'DENY');
  await launch(ec2(server, explicit), { InstanceType: 't2.micro' });
});

test('DryRun answers DryRunOperation when the request would be allowed, UnauthorizedOperation when not, and writes nothing', async () => {
  const allowed = ec2(server, await userWith(server, 'dry-ok', [{ Effect: 'Allow', Action: 'ec2:*', Resource: '*' }]));
  const before = (await root.send(new DescribeInstancesCommand({}))).Reservations!.length;
  await rejects(launch(allowed, { DryRun: true }), 'DryRunOperation', 'Request would have succeeded, but DryRun flag is set.', 412);
  await rejects(allowed.send(new CreateKeyPairCommand({ KeyName: 'dry', DryRun: true })), 'DryRunOperation');
  await rejects(allowed.send(new CreateSecurityGroupCommand({ GroupName: 'dry', Description: 'd', DryRun: true })), 'DryRunOperation');
  await rejects(allowed.send(new DescribeInstancesCommand({ DryRun: true })), 'DryRunOperation');
  assert.equal((await root.send(new DescribeInstancesCommand({}))).Reservations!.length, before);
  await rejects(root.send(new DescribeKeyPairsCommand({ KeyNames: ['dry'] })), 'InvalidKeyPair.NotFound');
  const denied = ec2(server, await userWith(server, 'dry-no', [{ Effect: 'Allow', Action: 'ec2:Describe*', Resource: '*' }]));
  await unauthorized(launch(denied, { DryRun: true }));
  const { Instances } = await launch(root);
  await unauthorized(denied.send(new TerminateInstancesCommand({ InstanceIds: [Instances![0].InstanceId!], DryRun: true })));
  await rejects(allowed.send(new TerminateInstancesCommand({ InstanceIds: [Instances![0].InstanceId!], DryRun: true })), 'DryRunOperation');
});

test('launching with an instance profile needs iam:PassRole on its role', async () => {
  const noPass = ec2(server, await userWith(server, 'no-pass', [{ Effect: 'Allow', Action: 'ec2:*', Resource: '*' }]));
  const message = await unauthorized(launch(noPass, { IamInstanceProfile: { Name: 'web-profile' } }));
  assert.match(message, /is not authorized to perform: iam:PassRole on resource: arn:aws:iam::000000000000:role\/web-role because no identity-based policy allows the iam:PassRole action/);
  await launch(noPass);
  const pass = ec2(server, await userWith(server, 'can-pass', [
    { Effect: 'Allow', Action: 'ec2:*', Resource: '*' },
    { Effect: 'Allow', Action: 'iam:PassRole', Resource: 'arn:aws:iam::000000000000:role/web-role', Condition: { StringEquals: { 'iam:PassedToService': 'ec2.amazonaws.com' } } },
  ]));
  const out = await launch(pass, { IamInstanceProfile: { Arn: 'arn:aws:iam::000000000000:instance-profile/web-profile' } });
  assert.equal(out.Instances![0].IamInstanceProfile!.Arn, 'arn:aws:iam::000000000000:instance-profile/web-profile');
  // ec2:InstanceProfile names the profile in the RunInstances request.
  const onlyOther = ec2(server, await userWith(server, 'only-other', [
    { Effect: 'Allow', Action: ['ec2:*', 'iam:PassRole'], Resource: '*' },
    { Effect: 'Deny', Action: 'ec2:RunInstances', Resource: '*', Condition: { ArnLike: { 'ec2:InstanceProfile': 'arn:aws:iam::*:instance-profile/web-*' } } },
  ]));
  await unauthorized(launch(onlyOther, { IamInstanceProfile: { Name: 'web-profile' } }));
});

test('tag conditions: aws:RequestTag and aws:TagKeys at launch, ec2:ResourceTag on existing instances; ec2:InstanceType', async () => {
  const client = ec2(server, await userWith(server, 'tagger', [
    { Effect: 'Allow', Action: 'ec2:Describe*', Resource: '*' },
    { Effect: 'Allow', Action: 'ec2:RunInstances', Resource: 'arn:aws:ec2:*:*:instance/*', Condition: { StringEquals: { 'aws:RequestTag/team': 'blue', 'ec2:InstanceType': 't2.micro' }, 'ForAllValues:StringEquals': { 'aws:TagKeys': ['team'] } } },
    { Effect: 'Allow', Action: 'ec2:RunInstances', Resource: ['arn:aws:ec2:*::image/*', 'arn:aws:ec2:*:*:subnet/*', 'arn:aws:ec2:*:*:security-group/*', 'arn:aws:ec2:*:*:volume/*', 'arn:aws:ec2:*:*:network-interface/*'], Condition: { StringEquals: { 'ec2:Region': 'us-east-1' } } },
    { Effect: 'Allow', Action: 'ec2:CreateTags', Resource: '*', Condition: { StringEquals: { 'ec2:CreateAction': 'RunInstances' } } },
    { Effect: 'Allow', Action: 'ec2:StopInstances', Resource: '*', Condition: { StringEquals: { 'ec2:ResourceTag/team': 'blue' } } },
  ]));
  const blueTags = { TagSpecifications: [{ ResourceType: 'instance' as const, Tags: [{ Key: 'team', Value: 'blue' }] }] };
  await unauthorized(launch(client));
  await unauthorized(launch(client, { TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'team', Value: 'red' }] }] }));
  await unauthorized(launch(client, { ...blueTags, InstanceType: 't3.micro' }));
  const blue = await launch(client, blueTags);
  const blueId = blue.Instances![0].InstanceId!;
  const { Instances } = await launch(root, { TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'team', Value: 'red' }] }] });
  const redId = Instances![0].InstanceId!;
  await new Promise((r) => setTimeout(r, 2200));
  const message = await unauthorized(client.send(new StopInstancesCommand({ InstanceIds: [redId] })));
  assert.match(message, new RegExp(`on resource: arn:aws:ec2:us-east-1:000000000000:instance/${redId} because`));
  const decoded = await decode(encodedPart(message));
  assert.ok(decoded.context.conditions.items.some((c: any) => c.key === 'ec2:ResourceTag/team' && c.values.items[0].value === 'red'));
  const stopped = await client.send(new StopInstancesCommand({ InstanceIds: [blueId] }));
  assert.equal(stopped.StoppingInstances![0].CurrentState!.Name, 'stopping');
  // Several instances: all must be allowed.
  await unauthorized(client.send(new StopInstancesCommand({ InstanceIds: [blueId, redId] })));
});

test('ec2:Region: a policy limited to one region denies the others', async () => {
  const creds = await userWith(server, 'east-only', [{ Effect: 'Allow', Action: 'ec2:*', Resource: '*', Condition: { StringEquals: { 'ec2:Region': 'us-east-1' } } }]);
  await ec2(server, creds).send(new DescribeInstancesCommand({}));
  await unauthorized(ec2(server, creds, 'eu-west-1').send(new DescribeInstancesCommand({})));
});

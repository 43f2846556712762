import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  AssociateIamInstanceProfileCommand, CreateKeyPairCommand, CreateTagsCommand, DescribeIamInstanceProfileAssociationsCommand, DescribeImagesCommand,
  DescribeInstancesCommand, DisassociateIamInstanceProfileCommand, ModifyInstanceMetadataOptionsCommand, RebootInstancesCommand,
  ReplaceIamInstanceProfileAssociationCommand, RunInstancesCommand, StartInstancesCommand, StopInstancesCommand, TerminateInstancesCommand,
  type EC2Client,
} from '@aws-sdk/client-ec2';
import { AddRoleToInstanceProfileCommand, CreateInstanceProfileCommand, CreateRoleCommand } from '@aws-sdk/client-iam';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { rejects } from '../helpers/aws.js';
import { iam } from './s3-support.js';
import { ec2, EC2_TRUST, sleep, TRANSITION_WAIT_MS } from './ec2-support.js';

let server: TestServer;
let client: EC2Client;
let al2023: string;
let al2018: string;
before(async () => {
  server = await startTestServer();
  client = ec2(server);
  const images = await client.send(new DescribeImagesCommand({ Owners: ['amazon'] }));
  al2023 = images.Images!.find((i) => i.Name!.startsWith('al2023') && i.Architecture === 'x86_64')!.ImageId!;
  al2018 = images.Images!.find((i) => i.Name!.startsWith('amzn-ami-hvm-2018'))!.ImageId!;
  await client.send(new CreateKeyPairCommand({ KeyName: 'ex-key' }));
  for (const name of ['app', 'other']) {
    await iam(server).send(new CreateRoleCommand({ RoleName: `${name}-role`, AssumeRolePolicyDocument: EC2_TRUST }));
    await iam(server).send(new CreateInstanceProfileCommand({ InstanceProfileName: `${name}-profile` }));
    await iam(server).send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: `${name}-profile`, RoleName: `${name}-role` }));
  }
});
after(async () => {
  await server.stop();
});

test('RunInstances launches from the catalogue: a reservation of pending instances in the default subnet, running 2 s later by the server clock', async () => {
  const res = await client.send(new RunInstancesCommand({
    ImageId: al2023, InstanceType: 't2.micro', MinCount: 2, MaxCount: 2, KeyName: 'ex-key', UserData: Buffer.from('#!/bin/bash\necho hi\n').toString('base64'),
    TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'Name', Value: 'Ex4WebServer' }] }],
  }));
  assert.match(res.ReservationId!, /^r-[0-9a-f]{17}$/);
  assert.equal(res.OwnerId, '000000000000');
  assert.equal(res.Instances!.length, 2);
  const [i] = res.Instances!;
  assert.match(i.InstanceId!, /^i-[0-9a-f]{17}$/);
  assert.deepEqual(i.State, { Code: 0, Name: 'pending' });
  assert.equal(i.InstanceType, 't2.micro');
  assert.equal(i.KeyName, 'ex-key');
  assert.equal(i.ImageId, al2023);
  assert.match(i.PrivateIpAddress!, /^172\.31\.\d+\.\d+$/);
  assert.match(i.PrivateDnsName!, /^ip-172-31-\d+-\d+\.ec2\.internal$/);
  assert.match(i.SubnetId!, /^subnet-/);
  assert.equal(i.Placement!.AvailabilityZone, 'us-east-1a');
  assert.equal(i.SecurityGroups![0].GroupName, 'default');
  assert.deepEqual(i.Tags, [{ Key: 'Name', Value: 'Ex4WebServer' }]);
  assert.equal(i.MetadataOptions!.HttpTokens, 'required', 'Amazon Linux 2023 launches with IMDSv2 only');
  assert.equal(i.MetadataOptions!.HttpPutResponseHopLimit, 2);
  assert.deepEqual(res.Instances!.map((x) => x.AmiLaunchIndex), [0, 1]);
  await sleep(TRANSITION_WAIT_MS);
  const now = await client.send(new DescribeInstancesCommand({ InstanceIds: [i.InstanceId!] }));
  const running = now.Reservations![0].Instances![0];
  assert.deepEqual(running.State, { Code: 16, Name: 'running' });
  assert.match(running.PublicIpAddress!, /^\d+\.\d+\.\d+\.\d+$/);
  assert.equal(now.Reservations![0].ReservationId, res.ReservationId);
  const old = await client.send(new RunInstancesCommand({ ImageId: al2018, InstanceType: 't2.micro', MinCount: 1, MaxCount: 1 }));
  assert.equal(old.Instances![0].MetadataOptions!.HttpTokens, 'optional', 'older AMIs allow IMDSv1');
});

test('RunInstances refuses what EC2 refuses: unknown or malformed AMIs, instance types, keys, subnets, groups, user data, profiles', async () => {
  const base = { ImageId: al2023, InstanceType: 't3.micro' as const, MinCount: 1, MaxCount: 1 };
  await rejects(client.send(new RunInstancesCommand({ ...base, ImageId: 'ami-0123456789abcdef0' })), 'InvalidAMIID.NotFound', "The image id '[ami-0123456789abcdef0]' does not exist");
  await rejects(client.send(new RunInstancesCommand({ ...base, ImageId: 'ami-nope' })), 'InvalidAMIID.Malformed', 'Invalid id: "ami-nope"');
  await rejects(client.send(new RunInstancesCommand({ ...base, InstanceType: 'x9.huge' as never })), 'InvalidParameterValue', /x9.huge/);
  await rejects(client.send(new RunInstancesCommand({ ...base, InstanceType: 't4g.micro' })), 'InvalidParameterValue', /architecture 'arm64' of the specified instance type/);
  await rejects(client.send(new RunInstancesCommand({ ...base, KeyName: 'nope' })), 'InvalidKeyPair.NotFound');
  await rejects(client.send(new RunInstancesCommand({ ...base, SubnetId: 'subnet-0123456789abcdef0' })), 'InvalidSubnetID.NotFound');
  await rejects(client.send(new RunInstancesCommand({ ...base, SecurityGroupIds: ['sg-0123456789abcdef0'] })), 'InvalidGroup.NotFound');
  await rejects(client.send(new RunInstancesCommand({ ...base, UserData: '!!not base64!!' })), 'InvalidParameterValue', 'Invalid BASE64 encoding of user data.');
  await rejects(client.send(new RunInstancesCommand({ ...base, IamInstanceProfile: { Name: 'nope' } })), 'InvalidParameterValue', /Invalid IAM Instance Profile name/);
  await rejects(client.send(new RunInstancesCommand({ ...base, MinCount: 3, MaxCount: 2 })), 'InvalidParameterValue');
  await rejects(client.send(new RunInstancesCommand({ ...base, MetadataOptions: { HttpPutResponseHopLimit: 65 } })), 'InvalidParameterValue');
  await rejects(client.send(new RunInstancesCommand({ ...base, MinCount: undefined as never })), 'MissingParameter');
});

test('a ClientToken makes RunInstances idempotent', async () => {
  const a = await client.send(new RunInstancesCommand({ ImageId: al2023, InstanceType: 't3.micro', MinCount: 1, MaxCount: 1, ClientToken: 'once' }));
  const b = await client.send(new RunInstancesCommand({ ImageId: al2023, InstanceType: 't3.micro', MinCount: 1, MaxCount: 1, ClientToken: 'once' }));
  assert.equal(b.Instances![0].InstanceId, a.Instances![0].InstanceId);
});

test('DescribeInstances filters: state, tag:Key, tag-key, instance-id, instance-type, key-name, iam-instance-profile.arn', async () => {
  const tagged = await client.send(new RunInstancesCommand({
    ImageId: al2023, InstanceType: 'm5.large', MinCount: 1, MaxCount: 1, IamInstanceProfile: { Name: 'app-profile' },
    TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'team', Value: 'blue' }] }],
  }));
  const id = tagged.Instances![0].InstanceId!;
  const profileArn = tagged.Instances![0].IamInstanceProfile!.Arn!;
  assert.equal(profileArn, 'arn:aws:iam::000000000000:instance-profile/app-profile');
  assert.match(tagged.Instances![0].IamInstanceProfile!.Id!, /^AIPA/);
  const ids = async (filters: Array<{ Name: string; Values: string[] }>) =>
    (await client.send(new DescribeInstancesCommand({ Filters: filters }))).Reservations!.flatMap((r) => r.Instances!.map((i) => i.InstanceId));
  assert.deepEqual(await ids([{ Name: 'tag:team', Values: ['blue'] }]), [id]);
  assert.deepEqual(await ids([{ Name: 'tag-key', Values: ['team'] }]), [id]);
  assert.deepEqual(await ids([{ Name: 'tag:team', Values: ['b*'] }, { Name: 'instance-type', Values: ['m5.large'] }]), [id]);
  assert.deepEqual(await ids([{ Name: 'tag:team', Values: ['red'] }]), []);
  assert.deepEqual(await ids([{ Name: 'instance-id', Values: [id] }]), [id]);
  assert.deepEqual(await ids([{ Name: 'iam-instance-profile.arn', Values: [profileArn] }]), [id]);
  assert.deepEqual(await ids([{ Name: 'instance-state-name', Values: ['pending'] }, { Name: 'instance-type', Values: ['m5.large'] }]), [id]);
  assert.ok((await ids([{ Name: 'key-name', Values: ['ex-key'] }])).length >= 2);
  await rejects(client.send(new DescribeInstancesCommand({ InstanceIds: ['i-0123456789abcdef0'] })), 'InvalidInstanceID.NotFound', "The instance ID 'i-0123456789abcdef0' does not exist");
  await rejects(client.send(new DescribeInstancesCommand({ InstanceIds: ['i-xyz'] })), 'InvalidInstanceID.Malformed');
  await rejects(client.send(new DescribeInstancesCommand({ Filters: [{ Name: 'flavour', Values: ['x'] }] })), 'InvalidParameterValue');
});

test('DescribeInstances pages with MaxResults and NextToken, and refuses MaxResults with InstanceIds', async () => {
  await client.send(new RunInstancesCommand({ ImageId: al2023, InstanceType: 't3.nano', MinCount: 12, MaxCount: 12 }));
  const seen: string[] = [];
  let token: string | undefined;
  let pages = 0;
  do {
    const page = await client.send(new DescribeInstancesCommand({ MaxResults: 5, NextToken: token, Filters: [{ Name: 'instance-type', Values: ['t3.nano'] }] }));
    const got = page.Reservations!.flatMap((r) => r.Instances!.map((i) => i.InstanceId!));
    assert.ok(got.length <= 5);
    seen.push(...got);
    token = page.NextToken;
    pages++;
  } while (token);
  assert.equal(seen.length, 12);
  assert.equal(new Set(seen).size, 12);
  assert.equal(pages, 3);
  await rejects(client.send(new DescribeInstancesCommand({ MaxResults: 5, InstanceIds: [seen[0]] })), 'InvalidParameterCombination');
  await rejects(client.send(new DescribeInstancesCommand({ MaxResults: 2 })), 'InvalidParameterValue');
  await rejects(client.send(new DescribeInstancesCommand({ NextToken: 'garbage' })), 'InvalidParameterValue');
});

test('Stop, Start, Reboot and Terminate move instances through their states over time; terminated ones stay listed', async () => {
  const { Instances } = await client.send(new RunInstancesCommand({ ImageId: al2023, InstanceType: 't3.micro', MinCount: 1, MaxCount: 1 }));
  const id = Instances![0].InstanceId!;
  await rejects(client.send(new StopInstancesCommand({ InstanceIds: [id] })), 'IncorrectInstanceState', `The instance '${id}' is not in a state from which it can be stopped.`);
  await sleep(TRANSITION_WAIT_MS);
  await client.send(new RebootInstancesCommand({ InstanceIds: [id] }));
  const stopping = await client.send(new StopInstancesCommand({ InstanceIds: [id] }));
  assert.deepEqual(stopping.StoppingInstances, [{ InstanceId: id, CurrentState: { Code: 64, Name: 'stopping' }, PreviousState: { Code: 16, Name: 'running' } }]);
  await sleep(TRANSITION_WAIT_MS);
  const stopped = (await client.send(new DescribeInstancesCommand({ InstanceIds: [id] }))).Reservations![0].Instances![0];
  assert.equal(stopped.State!.Name, 'stopped');
  assert.match(stopped.StateTransitionReason!, /^User initiated \(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d GMT\)$/);
  assert.equal(stopped.PublicIpAddress, undefined);
  await rejects(client.send(new RebootInstancesCommand({ InstanceIds: [id] })), 'IncorrectInstanceState');
  const starting = await client.send(new StartInstancesCommand({ InstanceIds: [id] }));
  assert.equal(starting.StartingInstances![0].CurrentState!.Name, 'pending');
  const again = await client.send(new StartInstancesCommand({ InstanceIds: [id] }));
  assert.equal(again.StartingInstances![0].PreviousState!.Name, 'pending', 'starting a starting instance changes nothing');
  const terminating = await client.send(new TerminateInstancesCommand({ InstanceIds: [id] }));
  assert.deepEqual(terminating.TerminatingInstances![0].CurrentState, { Code: 32, Name: 'shutting-down' });
  await sleep(TRANSITION_WAIT_MS);
  const gone = (await client.send(new DescribeInstancesCommand({ InstanceIds: [id] }))).Reservations![0].Instances![0];
  assert.deepEqual(gone.State, { Code: 48, Name: 'terminated' });
  assert.equal(gone.PrivateIpAddress, undefined);
  await rejects(client.send(new StartInstancesCommand({ InstanceIds: [id] })), 'IncorrectInstanceState');
  const twice = await client.send(new TerminateInstancesCommand({ InstanceIds: [id] }));
  assert.equal(twice.TerminatingInstances![0].CurrentState!.Name, 'terminated');
  await rejects(client.send(new TerminateInstancesCommand({ InstanceIds: [id, 'i-0123456789abcdef0'] })), 'InvalidInstanceID.NotFound');
});

test('ModifyInstanceMetadataOptions changes HttpTokens and the hop limit', async () => {
  const { Instances } = await client.send(new RunInstancesCommand({ ImageId: al2023, InstanceType: 't3.micro', MinCount: 1, MaxCount: 1 }));
  const id = Instances![0].InstanceId!;
  const out = await client.send(new ModifyInstanceMetadataOptionsCommand({ InstanceId: id, HttpTokens: 'optional', HttpPutResponseHopLimit: 3 }));
  assert.equal(out.InstanceId, id);
  assert.equal(out.InstanceMetadataOptions!.State, 'pending');
  assert.equal(out.InstanceMetadataOptions!.HttpTokens, 'optional');
  const now = (await client.send(new DescribeInstancesCommand({ InstanceIds: [id] }))).Reservations![0].Instances![0];
  assert.equal(now.MetadataOptions!.HttpTokens, 'optional');
  assert.equal(now.MetadataOptions!.HttpPutResponseHopLimit, 3);
  await rejects(client.send(new ModifyInstanceMetadataOptionsCommand({ InstanceId: id, HttpPutResponseHopLimit: 0 })), 'InvalidParameterValue');
  await rejects(client.send(new ModifyInstanceMetadataOptionsCommand({ InstanceId: 'i-0123456789abcdef0', HttpTokens: 'required' })), 'InvalidInstanceID.NotFound');
});

test('Associate, Describe, Replace and Disassociate IAM instance profiles', async () => {
  const { Instances } = await client.send(new RunInstancesCommand({ ImageId: al2023, InstanceType: 't3.micro', MinCount: 1, MaxCount: 1 }));
  const id = Instances![0].InstanceId!;
  const assoc = await client.send(new AssociateIamInstanceProfileCommand({ InstanceId: id, IamInstanceProfile: { Name: 'app-profile' } }));
  const a = assoc.IamInstanceProfileAssociation!;
  assert.match(a.AssociationId!, /^iip-assoc-[0-9a-f]{17}$/);
  assert.equal(a.State, 'associating');
  assert.equal(a.IamInstanceProfile!.Arn, 'arn:aws:iam::000000000000:instance-profile/app-profile');
  await rejects(client.send(new AssociateIamInstanceProfileCommand({ InstanceId: id, IamInstanceProfile: { Name: 'other-profile' } })), 'IncorrectState', `There is an existing association for instance ${id}`);
  const listed = await client.send(new DescribeIamInstanceProfileAssociationsCommand({ Filters: [{ Name: 'instance-id', Values: [id] }] }));
  assert.equal(listed.IamInstanceProfileAssociations![0].State, 'associated');
  const replaced = await client.send(new ReplaceIamInstanceProfileAssociationCommand({ AssociationId: a.AssociationId, IamInstanceProfile: { Arn: 'arn:aws:iam::000000000000:instance-profile/other-profile' } }));
  assert.notEqual(replaced.IamInstanceProfileAssociation!.AssociationId, a.AssociationId);
  const described = (await client.send(new DescribeInstancesCommand({ InstanceIds: [id] }))).Reservations![0].Instances![0];
  assert.equal(described.IamInstanceProfile!.Arn, 'arn:aws:iam::000000000000:instance-profile/other-profile');
  const gone = await client.send(new DisassociateIamInstanceProfileCommand({ AssociationId: replaced.IamInstanceProfileAssociation!.AssociationId }));
  assert.equal(gone.IamInstanceProfileAssociation!.State, 'disassociating');
  assert.equal((await client.send(new DescribeInstancesCommand({ InstanceIds: [id] }))).Reservations![0].Instances![0].IamInstanceProfile, undefined);
  await rejects(client.send(new DisassociateIamInstanceProfileCommand({ AssociationId: a.AssociationId })), 'InvalidAssociationID.NotFound');
  await rejects(client.send(new AssociateIamInstanceProfileCommand({ InstanceId: id, IamInstanceProfile: { Name: 'missing' } })), 'InvalidParameterValue');
});

test('instance tags through CreateTags show in DescribeInstances', async () => {
  const { Instances } = await client.send(new RunInstancesCommand({ ImageId: al2023, InstanceType: 't3.micro', MinCount: 1, MaxCount: 1 }));
  const id = Instances![0].InstanceId!;
  await client.send(new CreateTagsCommand({ Resources: [id], Tags: [{ Key: 'Stage', Value: 'prod' }] }));
  const i = (await client.send(new DescribeInstancesCommand({ Filters: [{ Name: 'tag:Stage', Values: ['prod'] }] }))).Reservations![0].Instances![0];
  assert.equal(i.InstanceId, id);
});

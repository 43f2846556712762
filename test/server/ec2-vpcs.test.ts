import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateSecurityGroupCommand, CreateSubnetCommand, CreateVpcCommand, DeleteSecurityGroupCommand, DeleteSubnetCommand, DeleteVpcCommand, DescribeImagesCommand,
  DescribeInstancesCommand, DescribeSecurityGroupsCommand, DescribeSubnetsCommand, DescribeVpcsCommand, RunInstancesCommand, TerminateInstancesCommand,
  type EC2Client,
} from '@aws-sdk/client-ec2';
import type { TestServer } from '../helpers/server.js';
import { rejects } from '../helpers/aws.js';
import { userWith } from './s3-support.js';
import { ec2, startEc2Server, sleep, TRANSITION_WAIT_MS } from './ec2-support.js';

let server: TestServer;
let client: EC2Client;
let image: string;
before(async () => {
  ({ server, client, image } = await startEc2Server());
});
after(() => server.stop());

const toInt = (ip: string) => ip.split('.').reduce((n, o) => n * 256 + Number(o), 0);
const inBlock = (ip: string, cidr: string) => {
  const [base, prefix] = cidr.split('/');
  const size = 2 ** (32 - Number(prefix));
  return toInt(ip) >= toInt(base) && toInt(ip) < toInt(base) + size;
};

test('CreateVpc: a vpc-… ID, pending then available, its own default security group, tags, and DescribeVpcs filters', async () => {
  const made = await client.send(new CreateVpcCommand({ CidrBlock: '10.0.0.0/16', TagSpecifications: [{ ResourceType: 'vpc', Tags: [{ Key: 'Name', Value: 'app' }] }] }));
  const vpc = made.Vpc!;
  assert.match(vpc.VpcId!, /^vpc-[0-9a-f]{17}$/);
  assert.equal(vpc.State, 'pending');
  assert.equal(vpc.CidrBlock, '10.0.0.0/16');
  assert.equal(vpc.IsDefault, false);
  assert.equal(vpc.OwnerId, '000000000000');
  assert.deepEqual(vpc.Tags, [{ Key: 'Name', Value: 'app' }]);
  const described = await client.send(new DescribeVpcsCommand({ VpcIds: [vpc.VpcId!] }));
  assert.equal(described.Vpcs![0].State, 'available');
  assert.equal(described.Vpcs![0].CidrBlockAssociationSet![0].CidrBlock, '10.0.0.0/16');
  const ids = async (filters: Array<{ Name: string; Values: string[] }>) => (await client.send(new DescribeVpcsCommand({ Filters: filters }))).Vpcs!.map((v) => v.VpcId);
  assert.deepEqual(await ids([{ Name: 'tag:Name', Values: ['app'] }]), [vpc.VpcId]);
  assert.deepEqual(await ids([{ Name: 'cidr', Values: ['10.0.*'] }]), [vpc.VpcId]);
  assert.equal((await ids([{ Name: 'is-default', Values: ['true'] }])).length, 1);
  assert.ok(!(await ids([{ Name: 'is-default', Values: ['true'] }])).includes(vpc.VpcId));
  assert.equal((await ids([])).length, 2, 'the default VPC and the new one');
  const groups = await client.send(new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'vpc-id', Values: [vpc.VpcId!] }] }));
  assert.deepEqual(groups.SecurityGroups!.map((g) => g.GroupName), ['default']);
  await client.send(new DeleteVpcCommand({ VpcId: vpc.VpcId! }));
  await rejects(client.send(new DescribeVpcsCommand({ VpcIds: [vpc.VpcId!] })), 'InvalidVpcID.NotFound', `The vpc ID '${vpc.VpcId}' does not exist`);
  assert.equal((await client.send(new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'vpc-id', Values: [vpc.VpcId!] }] }))).SecurityGroups!.length, 0);
});

test('CIDR blocks: /16 to /28 with no host bits, subnets inside their VPC and apart from each other; EC2\'s errors otherwise', async () => {
  await rejects(client.send(new CreateVpcCommand({ CidrBlock: '10.0.0.0/8' })), 'InvalidVpc.Range', "The CIDR '10.0.0.0/8' is invalid.");
  await rejects(client.send(new CreateVpcCommand({ CidrBlock: '10.0.0.0/29' })), 'InvalidVpc.Range', "The CIDR '10.0.0.0/29' is invalid.");
  await rejects(client.send(new CreateVpcCommand({ CidrBlock: 'ten/16' })), 'InvalidParameterValue', 'Value (ten/16) for parameter cidrBlock is invalid. This is not a valid CIDR block.');
  await rejects(client.send(new CreateVpcCommand({ CidrBlock: '10.0.1.0/16' })), 'InvalidParameterValue', /not a valid CIDR block/);
  await rejects(client.send(new CreateVpcCommand({ CidrBlock: '10.300.0.0/16' })), 'InvalidParameterValue', /not a valid CIDR block/);
  const vpcId = (await client.send(new CreateVpcCommand({ CidrBlock: '10.1.0.0/16' }))).Vpc!.VpcId!;
  const a = (await client.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: '10.1.0.0/24', AvailabilityZone: 'us-east-1b' }))).Subnet!;
  assert.match(a.SubnetId!, /^subnet-[0-9a-f]{17}$/);
  assert.equal(a.SubnetArn, `arn:aws:ec2:us-east-1:000000000000:subnet/${a.SubnetId}`);
  assert.equal(a.VpcId, vpcId);
  assert.equal(a.AvailabilityZone, 'us-east-1b');
  assert.equal(a.AvailabilityZoneId, 'use1-az2');
  assert.equal(a.AvailableIpAddressCount, 251, '256 addresses less the five AWS keeps');
  assert.equal(a.DefaultForAz, false);
  assert.equal(a.MapPublicIpOnLaunch, false);
  const byZoneId = (await client.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: '10.1.1.0/28', AvailabilityZoneId: 'use1-az3' }))).Subnet!;
  assert.equal(byZoneId.AvailabilityZone, 'us-east-1c');
  assert.equal(byZoneId.AvailableIpAddressCount, 11);
  await rejects(client.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: '10.1.0.128/25' })), 'InvalidSubnet.Conflict', "The CIDR '10.1.0.128/25' conflicts with another subnet");
  await rejects(client.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: '10.1.0.0/16' })), 'InvalidSubnet.Conflict');
  await rejects(client.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: '10.2.0.0/24' })), 'InvalidSubnet.Range', "The CIDR '10.2.0.0/24' is invalid.");
  await rejects(client.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: '10.1.9.0/29' })), 'InvalidSubnet.Range');
  await rejects(client.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: '10.1.9.0/24', AvailabilityZone: 'us-east-1z' })), 'InvalidParameterValue', /Subnets can currently only be created in the following availability zones: us-east-1a, us-east-1b/);
  await rejects(client.send(new CreateSubnetCommand({ VpcId: 'vpc-0123456789abcdef0', CidrBlock: '10.1.9.0/24' })), 'InvalidVpcID.NotFound', "The vpc ID 'vpc-0123456789abcdef0' does not exist");
  await rejects(client.send(new CreateSubnetCommand({ VpcId: 'vpc-nope', CidrBlock: '10.1.9.0/24' })), 'InvalidVpcID.Malformed');
  const listed = await client.send(new DescribeSubnetsCommand({ Filters: [{ Name: 'vpc-id', Values: [vpcId] }] }));
  assert.deepEqual(listed.Subnets!.map((s) => s.CidrBlock).sort(), ['10.1.0.0/24', '10.1.1.0/28']);
  await rejects(client.send(new DeleteVpcCommand({ VpcId: vpcId })), 'DependencyViolation', `The vpc '${vpcId}' has dependencies and cannot be deleted.`);
  await client.send(new DeleteSubnetCommand({ SubnetId: a.SubnetId! }));
  await client.send(new DeleteSubnetCommand({ SubnetId: byZoneId.SubnetId! }));
  await rejects(client.send(new DeleteSubnetCommand({ SubnetId: a.SubnetId! })), 'InvalidSubnetID.NotFound', `The subnet ID '${a.SubnetId}' does not exist`);
  const sg = await client.send(new CreateSecurityGroupCommand({ VpcId: vpcId, GroupName: 'web', Description: 'web' }));
  await rejects(client.send(new DeleteVpcCommand({ VpcId: vpcId })), 'DependencyViolation', /has dependencies/); // a security group of its own keeps the VPC
  await client.send(new DeleteSecurityGroupCommand({ GroupId: sg.GroupId! }));
  await client.send(new DeleteVpcCommand({ VpcId: vpcId }));
  await rejects(client.send(new DeleteVpcCommand({ VpcId: vpcId })), 'InvalidVpcID.NotFound');
});

test('RunInstances into a chosen subnet: an address inside it, its VPC\'s default group, no public address; the subnet and VPC are kept while it lives', async () => {
  const vpcId = (await client.send(new CreateVpcCommand({ CidrBlock: '10.5.0.0/16' }))).Vpc!.VpcId!;
  const subnet = (await client.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: '10.5.3.0/28', AvailabilityZone: 'us-east-1d' }))).Subnet!;
  const run = await client.send(new RunInstancesCommand({ ImageId: image, InstanceType: 't3.micro', MinCount: 2, MaxCount: 2, SubnetId: subnet.SubnetId }));
  for (const i of run.Instances!) {
    assert.equal(i.SubnetId, subnet.SubnetId);
    assert.equal(i.VpcId, vpcId);
    assert.equal(i.Placement!.AvailabilityZone, 'us-east-1d');
    assert.ok(inBlock(i.PrivateIpAddress!, '10.5.3.0/28') && toInt(i.PrivateIpAddress!) >= toInt('10.5.3.4') && toInt(i.PrivateIpAddress!) <= toInt('10.5.3.14'), i.PrivateIpAddress);
    assert.equal(i.SecurityGroups![0].GroupName, 'default');
    assert.equal(i.PublicIpAddress, undefined);
  }
  const [sg] = (await client.send(new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'vpc-id', Values: [vpcId] }] }))).SecurityGroups!;
  assert.equal(run.Instances![0].SecurityGroups![0].GroupId, sg.GroupId);
  const after = await client.send(new DescribeSubnetsCommand({ SubnetIds: [subnet.SubnetId!] }));
  assert.equal(after.Subnets![0].AvailableIpAddressCount, 9);
  const ids = (await client.send(new DescribeInstancesCommand({ Filters: [{ Name: 'vpc-id', Values: [vpcId] }] }))).Reservations!.flatMap((r) => r.Instances!.map((i) => i.InstanceId));
  assert.equal(ids.length, 2);

  await rejects(client.send(new RunInstancesCommand({ ImageId: image, InstanceType: 't3.micro', MinCount: 10, MaxCount: 10, SubnetId: subnet.SubnetId })),
    'InsufficientFreeAddressesInSubnet', `There are not enough free addresses in subnet '${subnet.SubnetId}' to satisfy the requested number of instances.`);
  await rejects(client.send(new RunInstancesCommand({ ImageId: image, InstanceType: 't3.micro', MinCount: 1, MaxCount: 1, SubnetId: subnet.SubnetId, PrivateIpAddress: '10.5.4.9' })),
    'InvalidParameterValue', "Address 10.5.4.9 does not fall within the subnet's address range");
  await rejects(client.send(new RunInstancesCommand({ ImageId: image, InstanceType: 't3.micro', MinCount: 1, MaxCount: 1, SubnetId: subnet.SubnetId, PrivateIpAddress: run.Instances![0].PrivateIpAddress })),
    'InvalidIPAddress.InUse');
  // Addresses are handed out from a random start: ask for one the two instances do not hold.
  const held = new Set(run.Instances!.map((i) => i.PrivateIpAddress));
  const wanted = ['10.5.3.14', '10.5.3.13', '10.5.3.12'].find((a) => !held.has(a))!;
  const fixed = await client.send(new RunInstancesCommand({ ImageId: image, InstanceType: 't3.micro', MinCount: 1, MaxCount: 1, SubnetId: subnet.SubnetId, PrivateIpAddress: wanted }));
  assert.equal(fixed.Instances![0].PrivateIpAddress, wanted);
  const some = await client.send(new RunInstancesCommand({ ImageId: image, InstanceType: 't3.micro', MinCount: 1, MaxCount: 20, SubnetId: subnet.SubnetId }));
  assert.equal(some.Instances!.length, 8, 'MaxCount is cut to what the subnet holds');

  await rejects(client.send(new DeleteSubnetCommand({ SubnetId: subnet.SubnetId! })), 'DependencyViolation', `The subnet '${subnet.SubnetId}' has dependencies and cannot be deleted.`);
  await rejects(client.send(new DeleteVpcCommand({ VpcId: vpcId })), 'DependencyViolation');
  await client.send(new TerminateInstancesCommand({ InstanceIds: [...ids as string[], fixed.Instances![0].InstanceId!, ...some.Instances!.map((i) => i.InstanceId!)] }));
  await sleep(TRANSITION_WAIT_MS);
  await client.send(new DeleteSubnetCommand({ SubnetId: subnet.SubnetId! }));
  await client.send(new DeleteVpcCommand({ VpcId: vpcId }));
});

test('the default VPC can be deleted once its subnets are; then launching without a subnet is VPCIdNotSpecified, and it is not made again', async () => {
  const west = ec2(server, server.root, 'us-west-1');
  const subnets = (await west.send(new DescribeSubnetsCommand({}))).Subnets!;
  assert.equal(subnets.length, 2);
  const vpcId = subnets[0].VpcId!;
  await rejects(west.send(new DeleteVpcCommand({ VpcId: vpcId })), 'DependencyViolation');
  await west.send(new DeleteSubnetCommand({ SubnetId: subnets[0].SubnetId! }));
  const westImage = (await west.send(new DescribeImagesCommand({ Filters: [{ Name: 'name', Values: ['al2023-*-x86_64'] }] }))).Images![0].ImageId!;
  const launch = () => west.send(new RunInstancesCommand({ ImageId: westImage, InstanceType: 't3.micro', MinCount: 1, MaxCount: 1, Placement: { AvailabilityZone: subnets[0].AvailabilityZone } }));
  await rejects(launch(), 'MissingInput', `No subnets found for the default VPC '${vpcId}'. Please specify a subnet.`);
  await west.send(new DeleteSubnetCommand({ SubnetId: subnets[1].SubnetId! }));
  await west.send(new DeleteVpcCommand({ VpcId: vpcId }));
  assert.deepEqual((await west.send(new DescribeVpcsCommand({}))).Vpcs, []);
  assert.deepEqual((await west.send(new DescribeSubnetsCommand({}))).Subnets, []);
  await rejects(west.send(new RunInstancesCommand({ ImageId: westImage, InstanceType: 't3.micro', MinCount: 1, MaxCount: 1 })), 'VPCIdNotSpecified', 'No default VPC for this user');
  await rejects(west.send(new CreateSecurityGroupCommand({ GroupName: 'x', Description: 'x' })), 'VPCIdNotSpecified');
  const again = (await west.send(new CreateVpcCommand({ CidrBlock: '172.31.0.0/16' }))).Vpc!;
  assert.equal(again.IsDefault, false);
  assert.equal((await west.send(new DescribeVpcsCommand({}))).Vpcs!.length, 1);
});

test('VPC and subnet writes are authorized on arn:aws:ec2:REGION:ACCOUNT:vpc/… and subnet/… with ec2:VpcID, ec2:Vpc and tags', async () => {
  const mine = (await client.send(new CreateVpcCommand({ CidrBlock: '10.7.0.0/16', TagSpecifications: [{ ResourceType: 'vpc', Tags: [{ Key: 'team', Value: 'blue' }] }] }))).Vpc!.VpcId!;
  const theirs = (await client.send(new CreateVpcCommand({ CidrBlock: '10.8.0.0/16' }))).Vpc!.VpcId!;
  const creds = await userWith(server, 'netops', [
    { Effect: 'Allow', Action: ['ec2:CreateSubnet', 'ec2:DeleteVpc'], Resource: 'arn:aws:ec2:us-east-1:000000000000:vpc/*', Condition: { StringEquals: { 'ec2:ResourceTag/team': 'blue' } } },
    { Effect: 'Allow', Action: ['ec2:CreateSubnet'], Resource: 'arn:aws:ec2:us-east-1:000000000000:subnet/*' },
    { Effect: 'Allow', Action: ['ec2:DeleteSubnet'], Resource: 'arn:aws:ec2:us-east-1:000000000000:subnet/*', Condition: { ArnEquals: { 'ec2:Vpc': `arn:aws:ec2:us-east-1:000000000000:vpc/${mine}` } } },
  ]);
  const user = ec2(server, creds);
  const ok = (await user.send(new CreateSubnetCommand({ VpcId: mine, CidrBlock: '10.7.1.0/24' }))).Subnet!;
  await assert.rejects(user.send(new CreateSubnetCommand({ VpcId: theirs, CidrBlock: '10.8.1.0/24' })), (err: any) => {
    assert.equal(err.name, 'UnauthorizedOperation');
    assert.match(err.message, new RegExp(`not authorized to perform: ec2:CreateSubnet on resource: arn:aws:ec2:us-east-1:000000000000:vpc/${theirs} `));
    return true;
  });
  const other = (await client.send(new CreateSubnetCommand({ VpcId: theirs, CidrBlock: '10.8.1.0/24' }))).Subnet!;
  await assert.rejects(user.send(new DeleteSubnetCommand({ SubnetId: other.SubnetId! })), /subnet\//);
  await user.send(new DeleteSubnetCommand({ SubnetId: ok.SubnetId! }));
  await assert.rejects(user.send(new CreateVpcCommand({ CidrBlock: '10.9.0.0/16' })), /ec2:CreateVpc on resource: arn:aws:ec2:us-east-1:000000000000:vpc\/\*/);
  await assert.rejects(user.send(new DeleteVpcCommand({ VpcId: theirs })), /UnauthorizedOperation|not authorized/);
  await user.send(new DeleteVpcCommand({ VpcId: mine }));
  await client.send(new DeleteSubnetCommand({ SubnetId: other.SubnetId! }));
  await client.send(new DeleteVpcCommand({ VpcId: theirs }));
});

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateTagsCommand, DescribeInstancesCommand, DescribeNetworkInterfacesCommand, DescribeTagsCommand, DescribeVolumesCommand,
  RunInstancesCommand, TerminateInstancesCommand, type EC2Client,
} from '@aws-sdk/client-ec2';
import { STSClient, DecodeAuthorizationMessageCommand } from '@aws-sdk/client-sts';
import { clientConfig, type TestServer } from '../helpers/server.js';
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

test('RunInstances makes a root volume and a primary network interface per instance, tagged from TagSpecifications, listed by DescribeVolumes and DescribeNetworkInterfaces', async () => {
  const run = await client.send(new RunInstancesCommand({
    ImageId: image, InstanceType: 't3.micro', MinCount: 2, MaxCount: 2,
    TagSpecifications: [
      { ResourceType: 'volume', Tags: [{ Key: 'backup', Value: 'daily' }] },
      { ResourceType: 'network-interface', Tags: [{ Key: 'net', Value: 'front' }] },
    ],
  }));
  const [a, b] = run.Instances!;
  const volumeId = a.BlockDeviceMappings![0].Ebs!.VolumeId!;
  const eniId = a.NetworkInterfaces![0].NetworkInterfaceId!;
  assert.match(volumeId, /^vol-[0-9a-f]{17}$/);
  assert.match(eniId, /^eni-[0-9a-f]{17}$/);

  const volumes = (await client.send(new DescribeVolumesCommand({ VolumeIds: [volumeId] }))).Volumes!;
  assert.equal(volumes.length, 1);
  const v = volumes[0];
  assert.equal(v.Size, 8);
  assert.equal(v.VolumeType, 'gp3');
  assert.equal(v.Iops, 3000);
  assert.equal(v.Throughput, 125);
  assert.equal(v.State, 'in-use');
  assert.equal(v.Encrypted, false);
  assert.equal(v.AvailabilityZone, a.Placement!.AvailabilityZone);
  assert.match(v.SnapshotId!, /^snap-[0-9a-f]{17}$/);
  assert.deepEqual(v.Attachments!.map((x) => [x.InstanceId, x.Device, x.State, x.DeleteOnTermination]), [[a.InstanceId, '/dev/xvda', 'attached', true]]);
  assert.deepEqual(v.Tags, [{ Key: 'backup', Value: 'daily' }]);
  const byInstance = await client.send(new DescribeVolumesCommand({ Filters: [{ Name: 'attachment.instance-id', Values: [b.InstanceId!] }] }));
  assert.deepEqual(byInstance.Volumes!.map((x) => x.VolumeId), [b.BlockDeviceMappings![0].Ebs!.VolumeId]);
  assert.equal((await client.send(new DescribeVolumesCommand({ Filters: [{ Name: 'tag:backup', Values: ['daily'] }] }))).Volumes!.length, 2);

  const enis = (await client.send(new DescribeNetworkInterfacesCommand({ NetworkInterfaceIds: [eniId] }))).NetworkInterfaces!;
  assert.equal(enis.length, 1);
  const e = enis[0];
  assert.equal(e.Status, 'in-use');
  assert.equal(e.PrivateIpAddress, a.PrivateIpAddress);
  assert.equal(e.SubnetId, a.SubnetId);
  assert.equal(e.VpcId, a.VpcId);
  assert.equal(e.InterfaceType, 'interface');
  assert.equal(e.Attachment!.InstanceId, a.InstanceId);
  assert.equal(e.Attachment!.InstanceOwnerId, '000000000000');
  assert.equal(e.Attachment!.DeviceIndex, 0);
  assert.equal(e.Attachment!.DeleteOnTermination, true);
  assert.equal(e.MacAddress, a.NetworkInterfaces![0].MacAddress);
  assert.deepEqual(e.Groups, a.SecurityGroups);
  assert.deepEqual(e.TagSet, [{ Key: 'net', Value: 'front' }]);
  const byIp = await client.send(new DescribeNetworkInterfacesCommand({ Filters: [{ Name: 'private-ip-address', Values: [b.PrivateIpAddress!] }] }));
  assert.deepEqual(byIp.NetworkInterfaces!.map((x) => x.NetworkInterfaceId), [b.NetworkInterfaces![0].NetworkInterfaceId]);

  await client.send(new CreateTagsCommand({ Resources: [volumeId, eniId], Tags: [{ Key: 'owner', Value: 'ops' }] }));
  const tagged = await client.send(new DescribeTagsCommand({ Filters: [{ Name: 'key', Values: ['owner'] }] }));
  assert.deepEqual(tagged.Tags!.map((t) => [t.ResourceId, t.ResourceType]).sort(), [[eniId, 'network-interface'], [volumeId, 'volume']].sort());

  await rejects(client.send(new DescribeVolumesCommand({ VolumeIds: ['vol-0123456789abcdef0'] })), 'InvalidVolume.NotFound', "The volume 'vol-0123456789abcdef0' does not exist.");
  await rejects(client.send(new DescribeVolumesCommand({ VolumeIds: ['vol-zz'] })), 'InvalidVolumeID.Malformed');
  await rejects(client.send(new DescribeNetworkInterfacesCommand({ NetworkInterfaceIds: ['eni-0123456789abcdef0'] })), 'InvalidNetworkInterfaceID.NotFound', "The networkInterface ID 'eni-0123456789abcdef0' does not exist");
  await rejects(client.send(new DescribeVolumesCommand({ Filters: [{ Name: 'colour', Values: ['x'] }] })), 'InvalidParameterValue');
});

test('terminating an instance deletes its volume and interface (DeleteOnTermination) with their tags', async () => {
  const run = await client.send(new RunInstancesCommand({
    ImageId: image, InstanceType: 't3.micro', MinCount: 1, MaxCount: 1, TagSpecifications: [{ ResourceType: 'volume', Tags: [{ Key: 'gone', Value: 'soon' }] }],
  }));
  const i = run.Instances![0];
  const volumeId = i.BlockDeviceMappings![0].Ebs!.VolumeId!;
  const eniId = i.NetworkInterfaces![0].NetworkInterfaceId!;
  await client.send(new TerminateInstancesCommand({ InstanceIds: [i.InstanceId!] }));
  await sleep(TRANSITION_WAIT_MS);
  const described = (await client.send(new DescribeInstancesCommand({ InstanceIds: [i.InstanceId!] }))).Reservations![0].Instances![0];
  assert.equal(described.State!.Name, 'terminated');
  assert.deepEqual(described.BlockDeviceMappings, []);
  await rejects(client.send(new DescribeVolumesCommand({ VolumeIds: [volumeId] })), 'InvalidVolume.NotFound');
  await rejects(client.send(new DescribeNetworkInterfacesCommand({ NetworkInterfaceIds: [eniId] })), 'InvalidNetworkInterfaceID.NotFound');
  assert.deepEqual((await client.send(new DescribeTagsCommand({ Filters: [{ Name: 'key', Values: ['gone'] }] }))).Tags, []);
  await rejects(client.send(new CreateTagsCommand({ Resources: [volumeId], Tags: [{ Key: 'a', Value: 'b' }] })), 'InvalidVolume.NotFound');
});

test('DescribeVolumes and DescribeNetworkInterfaces page with MaxResults and NextToken', async () => {
  await client.send(new RunInstancesCommand({ ImageId: image, InstanceType: 't3.nano', MinCount: 7, MaxCount: 7 }));
  const total = (await client.send(new DescribeVolumesCommand({}))).Volumes!.length;
  assert.ok(total >= 9);
  for (const list of [
    async (token?: string) => { const r = await client.send(new DescribeVolumesCommand({ MaxResults: 5, NextToken: token })); return { ids: r.Volumes!.map((v) => v.VolumeId!), next: r.NextToken }; },
    async (token?: string) => { const r = await client.send(new DescribeNetworkInterfacesCommand({ MaxResults: 5, NextToken: token })); return { ids: r.NetworkInterfaces!.map((v) => v.NetworkInterfaceId!), next: r.NextToken }; },
  ]) {
    const seen: string[] = [];
    let token: string | undefined;
    do {
      const page = await list(token);
      assert.ok(page.ids.length <= 5);
      seen.push(...page.ids);
      token = page.next;
    } while (token);
    assert.equal(seen.length, total);
    assert.equal(new Set(seen).size, total);
  }
  await rejects(client.send(new DescribeVolumesCommand({ MaxResults: 3 })), 'InvalidParameterValue', 'Value ( 3 ) for parameter maxResults is invalid. Expecting a value between 5 and 500.');
  await rejects(client.send(new DescribeVolumesCommand({ MaxResults: 5, VolumeIds: ['vol-0123456789abcdef0'] })), 'InvalidParameterCombination');
  await rejects(client.send(new DescribeNetworkInterfacesCommand({ NextToken: 'nope' })), 'InvalidParameterValue');
});

test('RunInstances asks for the volume and network interface it makes: a policy without them is denied on volume/* or network-interface/*', async () => {
  const allowBut = (except: string) => userWith(server, `no-${except}`, [
    { Effect: 'Allow', Action: 'ec2:RunInstances', NotResource: `arn:aws:ec2:us-east-1:000000000000:${except}/*` },
  ]);
  for (const kind of ['volume', 'network-interface']) {
    const user = ec2(server, await allowBut(kind));
    const err: any = await user.send(new RunInstancesCommand({ ImageId: image, InstanceType: 't3.micro', MinCount: 1, MaxCount: 1 })).then(() => assert.fail('launched'), (e) => e);
    assert.equal(err.name, 'UnauthorizedOperation');
    assert.match(err.message, new RegExp(`on resource: arn:aws:ec2:us-east-1:000000000000:${kind}/\\* `));
    const encoded = /Encoded authorization failure message: (\S+)$/.exec(err.message)![1];
    const sts = new STSClient(clientConfig(server, server.root));
    const decoded = JSON.parse((await sts.send(new DecodeAuthorizationMessageCommand({ EncodedMessage: encoded }))).DecodedMessage!);
    const keys = decoded.context.conditions.items.map((c: any) => c.key);
    assert.ok(keys.includes('ec2:AvailabilityZone'), keys.join());
    if (kind === 'volume') assert.ok(keys.includes('ec2:VolumeType') && keys.includes('ec2:VolumeSize') && keys.includes('ec2:AvailabilityZoneId'), keys.join());
    else assert.ok(keys.includes('ec2:Subnet') && keys.includes('ec2:Vpc'), keys.join());
  }
});

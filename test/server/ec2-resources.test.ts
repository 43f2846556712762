import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto';
import {
  AuthorizeSecurityGroupEgressCommand, AuthorizeSecurityGroupIngressCommand, CreateKeyPairCommand, CreateSecurityGroupCommand, CreateTagsCommand,
  DeleteKeyPairCommand, DeleteSecurityGroupCommand, DeleteTagsCommand, DescribeAvailabilityZonesCommand, DescribeImagesCommand, DescribeKeyPairsCommand,
  DescribeRegionsCommand, DescribeSecurityGroupRulesCommand, DescribeSecurityGroupsCommand, DescribeSubnetsCommand, DescribeTagsCommand, DescribeVpcsCommand,
  ImportKeyPairCommand, RevokeSecurityGroupEgressCommand, RevokeSecurityGroupIngressCommand,
} from '@aws-sdk/client-ec2';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { rejects } from '../helpers/aws.js';
import { ec2 } from './ec2-support.js';

let server: TestServer;
before(async () => {
  server = await startTestServer();
});
after(async () => {
  await server.stop();
});

test('DescribeRegions lists the enabled regions, all of them with AllRegions; DescribeAvailabilityZones the zones of the signing region', async () => {
  const client = ec2(server);
  const { Regions } = await client.send(new DescribeRegionsCommand({}));
  const names = Regions!.map((r) => r.RegionName);
  assert.ok(names.includes('us-east-1') && names.includes('us-west-2'));
  assert.ok(!names.includes('af-south-1'), 'opt-in regions only with AllRegions');
  assert.equal(Regions!.find((r) => r.RegionName === 'eu-west-1')!.Endpoint, 'ec2.eu-west-1.amazonaws.com');
  const all = await client.send(new DescribeRegionsCommand({ AllRegions: true }));
  assert.equal(all.Regions!.find((r) => r.RegionName === 'af-south-1')!.OptInStatus, 'not-opted-in');
  const filtered = await client.send(new DescribeRegionsCommand({ Filters: [{ Name: 'region-name', Values: ['eu-*'] }] }));
  assert.ok(filtered.Regions!.length >= 4 && filtered.Regions!.every((r) => r.RegionName!.startsWith('eu-')));
  const zones = await ec2(server, server.root, 'us-west-2').send(new DescribeAvailabilityZonesCommand({}));
  assert.deepEqual(zones.AvailabilityZones!.map((z) => z.ZoneName), ['us-west-2a', 'us-west-2b', 'us-west-2c', 'us-west-2d']);
  assert.equal(zones.AvailabilityZones![0].ZoneId, 'usw2-az1');
  assert.equal(zones.AvailabilityZones![0].State, 'available');
  await rejects(client.send(new DescribeRegionsCommand({ RegionNames: ['mars-1'] })), 'InvalidParameterValue');
  await rejects(client.send(new DescribeRegionsCommand({ Filters: [{ Name: 'colour', Values: ['x'] }] })), 'InvalidParameterValue', "The filter 'colour' is invalid");
});

test('every region has a default VPC with a default subnet per zone and a default security group, the same before and after it is written', async () => {
  const client = ec2(server, server.root, 'eu-west-1');
  const before = await client.send(new DescribeVpcsCommand({}));
  assert.equal(before.Vpcs!.length, 1);
  const vpc = before.Vpcs![0];
  assert.match(vpc.VpcId!, /^vpc-[0-9a-f]{17}$/);
  assert.equal(vpc.IsDefault, true);
  assert.equal(vpc.CidrBlock, '172.31.0.0/16');
  const subnets = await client.send(new DescribeSubnetsCommand({ Filters: [{ Name: 'vpc-id', Values: [vpc.VpcId!] }] }));
  assert.deepEqual(subnets.Subnets!.map((s) => s.AvailabilityZone).sort(), ['eu-west-1a', 'eu-west-1b', 'eu-west-1c']);
  assert.ok(subnets.Subnets!.every((s) => s.DefaultForAz && s.MapPublicIpOnLaunch && /^172\.31\.\d+\.0\/20$/.test(s.CidrBlock!)));
  const groups = await client.send(new DescribeSecurityGroupsCommand({}));
  const sg = groups.SecurityGroups!.find((g) => g.GroupName === 'default')!;
  assert.equal(sg.VpcId, vpc.VpcId);
  assert.equal(sg.IpPermissions![0].UserIdGroupPairs![0].GroupId, sg.GroupId, 'the default group lets its own members in');
  assert.equal(sg.IpPermissionsEgress![0].IpRanges![0].CidrIp, '0.0.0.0/0');
  // A write (a new group) writes the default VPC down: same IDs.
  await client.send(new CreateSecurityGroupCommand({ GroupName: 'web', Description: 'web' }));
  const afterWrite = await client.send(new DescribeVpcsCommand({}));
  assert.equal(afterWrite.Vpcs![0].VpcId, vpc.VpcId);
  const other = await ec2(server, server.root, 'us-east-2').send(new DescribeVpcsCommand({}));
  assert.notEqual(other.Vpcs![0].VpcId, vpc.VpcId, 'each region has its own');
  await rejects(client.send(new DescribeVpcsCommand({ VpcIds: ['vpc-0123456789abcdef0'] })), 'InvalidVpcID.NotFound');
  await rejects(client.send(new DescribeSubnetsCommand({ SubnetIds: ['subnet-0123456789abcdef0'] })), 'InvalidSubnetID.NotFound');
  const isDefault = await client.send(new DescribeSubnetsCommand({ Filters: [{ Name: 'default-for-az', Values: ['true'] }, { Name: 'availability-zone', Values: ['eu-west-1b'] }] }));
  assert.equal(isDefault.Subnets!.length, 1);
});

test('CreateKeyPair makes a real RSA key (PKCS#1 PEM) whose fingerprint is the SHA-1 of its PKCS#8 DER; names are unique per region', async () => {
  const client = ec2(server);
  const made = await client.send(new CreateKeyPairCommand({ KeyName: 'rsa-key' }));
  assert.match(made.KeyMaterial!, /^-----BEGIN RSA PRIVATE KEY-----\n[\s\S]+\n-----END RSA PRIVATE KEY-----$/);
  assert.match(made.KeyPairId!, /^key-[0-9a-f]{17}$/);
  const key = createPrivateKey(made.KeyMaterial!);
  assert.equal(key.asymmetricKeyDetails!.modulusLength, 2048);
  const sha1 = createHash('sha1').update(key.export({ type: 'pkcs8', format: 'der' })).digest('hex').match(/../g)!.join(':');
  assert.equal(made.KeyFingerprint, sha1);
  await rejects(client.send(new CreateKeyPairCommand({ KeyName: 'rsa-key' })), 'InvalidKeyPair.Duplicate', "The keypair 'rsa-key' already exists.");
  // Another region has its own names.
  await ec2(server, server.root, 'us-west-2').send(new CreateKeyPairCommand({ KeyName: 'rsa-key' }));
  const described = await client.send(new DescribeKeyPairsCommand({ KeyNames: ['rsa-key'], IncludePublicKey: true }));
  assert.equal(described.KeyPairs![0].KeyFingerprint, sha1);
  assert.equal(described.KeyPairs![0].KeyType, 'rsa');
  assert.ok(described.KeyPairs![0].CreateTime instanceof Date);
  // The public key shown is the private key's.
  const blob = Buffer.from(described.KeyPairs![0].PublicKey!.split(' ')[1], 'base64');
  const n = createPublicKey(key).export({ format: 'jwk' }).n!;
  assert.ok(blob.includes(Buffer.from(n, 'base64url')));
  await rejects(client.send(new DescribeKeyPairsCommand({ KeyNames: ['nope'] })), 'InvalidKeyPair.NotFound', "The key pair 'nope' does not exist");
});

test('ED25519 keys come in OpenSSH format with a base64 SHA-256 fingerprint; ppk is PuTTY format', async () => {
  const client = ec2(server);
  const made = await client.send(new CreateKeyPairCommand({ KeyName: 'ed-key', KeyType: 'ed25519' }));
  assert.match(made.KeyMaterial!, /^-----BEGIN OPENSSH PRIVATE KEY-----\n[\s\S]+\n-----END OPENSSH PRIVATE KEY-----$/);
  const body = Buffer.from(made.KeyMaterial!.split('\n').slice(1, -1).join(''), 'base64');
  assert.equal(body.subarray(0, 15).toString('latin1'), 'openssh-key-v1\0');
  const described = await client.send(new DescribeKeyPairsCommand({ KeyNames: ['ed-key'], IncludePublicKey: true }));
  const pubBlob = Buffer.from(described.KeyPairs![0].PublicKey!.split(' ')[1], 'base64');
  assert.equal(made.KeyFingerprint, createHash('sha256').update(pubBlob).digest('base64'));
  assert.ok(body.includes(pubBlob), 'the private key file carries the same public key');
  const ppk = await client.send(new CreateKeyPairCommand({ KeyName: 'putty', KeyFormat: 'ppk' }));
  assert.match(ppk.KeyMaterial!, /^PuTTY-User-Key-File-2: ssh-rsa\nEncryption: none\nComment: putty\n[\s\S]*Private-MAC: [0-9a-f]{40}$/);
});

test('ImportKeyPair reads OpenSSH public keys: RSA fingerprinted by the MD5 of the DER public key, ED25519 by SHA-256', async () => {
  const client = ec2(server);
  const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = publicKey.export({ format: 'jwk' });
  const str = (b: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(b.length);
    return Buffer.concat([length, b]);
  };
  const mp = (b: Buffer) => str(b[0] & 0x80 ? Buffer.concat([Buffer.from([0]), b]) : b);
  const blob = Buffer.concat([str(Buffer.from('ssh-rsa')), mp(Buffer.from(jwk.e!, 'base64url')), mp(Buffer.from(jwk.n!, 'base64url'))]);
  const imported = await client.send(new ImportKeyPairCommand({ KeyName: 'mine', PublicKeyMaterial: Buffer.from(`ssh-rsa ${blob.toString('base64')} me@laptop\n`) }));
  const md5 = createHash('md5').update(publicKey.export({ type: 'spki', format: 'der' })).digest('hex').match(/../g)!.join(':');
  assert.equal(imported.KeyFingerprint, md5);
  const pem = await client.send(new ImportKeyPairCommand({ KeyName: 'from-pem', PublicKeyMaterial: Buffer.from(publicKey.export({ type: 'spki', format: 'pem' }) as string) }));
  assert.equal(pem.KeyFingerprint, md5);
  const ed = generateKeyPairSync('ed25519').publicKey;
  const edBlob = Buffer.concat([str(Buffer.from('ssh-ed25519')), str(Buffer.from(ed.export({ format: 'jwk' }).x!, 'base64url'))]);
  const edImported = await client.send(new ImportKeyPairCommand({ KeyName: 'ed-mine', PublicKeyMaterial: Buffer.from(`ssh-ed25519 ${edBlob.toString('base64')}`) }));
  assert.equal(edImported.KeyFingerprint, createHash('sha256').update(edBlob).digest('base64'));
  await rejects(client.send(new ImportKeyPairCommand({ KeyName: 'junk', PublicKeyMaterial: Buffer.from('not a key') })), 'InvalidKey.Format', 'Key is not in valid OpenSSH public key format');
  await rejects(client.send(new ImportKeyPairCommand({ KeyName: 'mine', PublicKeyMaterial: Buffer.from(`ssh-rsa ${blob.toString('base64')}`) })), 'InvalidKeyPair.Duplicate');
  const types = await client.send(new DescribeKeyPairsCommand({ Filters: [{ Name: 'key-type', Values: ['ed25519'] }] }));
  assert.deepEqual(types.KeyPairs!.map((k) => k.KeyName).sort(), ['ed-key', 'ed-mine']);
});

test('DeleteKeyPair by name (a missing name succeeds, as on EC2) or by ID (a missing ID is NotFound)', async () => {
  const client = ec2(server);
  const made = await client.send(new CreateKeyPairCommand({ KeyName: 'doomed' }));
  const del = await client.send(new DeleteKeyPairCommand({ KeyName: 'doomed' }));
  assert.equal(del.KeyPairId, made.KeyPairId);
  await rejects(client.send(new DescribeKeyPairsCommand({ KeyNames: ['doomed'] })), 'InvalidKeyPair.NotFound');
  assert.equal((await client.send(new DeleteKeyPairCommand({ KeyName: 'doomed' }))).Return, true);
  await rejects(client.send(new DeleteKeyPairCommand({ KeyPairId: made.KeyPairId })), 'InvalidKeyPair.NotFound');
});

test('security groups: create, rules with sgr- IDs, duplicates refused, describe with filters, revoke, delete', async () => {
  const client = ec2(server);
  const { GroupId, SecurityGroupArn } = await client.send(new CreateSecurityGroupCommand({
    GroupName: 'exercise3-sg', Description: 'ssh and web', TagSpecifications: [{ ResourceType: 'security-group', Tags: [{ Key: 'team', Value: 'edx' }] }],
  }));
  assert.match(GroupId!, /^sg-[0-9a-f]{17}$/);
  assert.match(SecurityGroupArn!, new RegExp(`^arn:aws:ec2:us-east-1:000000000000:security-group/${GroupId}$`));
  await rejects(client.send(new CreateSecurityGroupCommand({ GroupName: 'exercise3-sg', Description: 'x' })), 'InvalidGroup.Duplicate', /already exists for VPC 'vpc-/);
  await rejects(client.send(new CreateSecurityGroupCommand({ GroupName: 'sg-lookalike', Description: 'x' })), 'InvalidParameterValue');
  const added = await client.send(new AuthorizeSecurityGroupIngressCommand({
    GroupId, IpPermissions: [
      { IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '203.0.113.0/24', Description: 'office' }] },
      { IpProtocol: 'tcp', FromPort: 80, ToPort: 80, IpRanges: [{ CidrIp: '0.0.0.0/0' }], Ipv6Ranges: [{ CidrIpv6: '::/0' }] },
    ],
  }));
  assert.equal(added.SecurityGroupRules!.length, 3);
  assert.ok(added.SecurityGroupRules!.every((r) => /^sgr-[0-9a-f]{17}$/.test(r.SecurityGroupRuleId!) && r.IsEgress === false));
  await rejects(client.send(new AuthorizeSecurityGroupIngressCommand({ GroupId, IpProtocol: 'tcp', FromPort: 22, ToPort: 22, CidrIp: '203.0.113.0/24' })), 'InvalidPermission.Duplicate',
    'the specified rule "peer: 203.0.113.0/24, TCP, from port: 22, to port: 22, ALLOW" already exists');
  await rejects(client.send(new AuthorizeSecurityGroupIngressCommand({ GroupId, IpPermissions: [{ IpProtocol: 'tcp', IpRanges: [{ CidrIp: '10.0.0.0/8' }] }] })), 'InvalidParameterValue');
  await rejects(client.send(new AuthorizeSecurityGroupIngressCommand({ GroupId, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 1, ToPort: 2, IpRanges: [{ CidrIp: '10.0.0/8' }] }] })), 'InvalidParameterValue');
  await client.send(new AuthorizeSecurityGroupEgressCommand({ GroupId, IpPermissions: [{ IpProtocol: 'udp', FromPort: 53, ToPort: 53, IpRanges: [{ CidrIp: '10.0.0.2/32' }] }] }));
  const { SecurityGroups } = await client.send(new DescribeSecurityGroupsCommand({ GroupIds: [GroupId!] }));
  const g = SecurityGroups![0];
  assert.equal(g.GroupName, 'exercise3-sg');
  assert.deepEqual(g.Tags, [{ Key: 'team', Value: 'edx' }]);
  const ssh = g.IpPermissions!.find((p) => p.FromPort === 22)!;
  assert.deepEqual(ssh.IpRanges, [{ CidrIp: '203.0.113.0/24', Description: 'office' }]);
  const web = g.IpPermissions!.find((p) => p.FromPort === 80)!;
  assert.deepEqual(web.Ipv6Ranges, [{ CidrIpv6: '::/0' }]);
  assert.equal(g.IpPermissionsEgress!.length, 2, 'all traffic out, and DNS');
  const byFilter = await client.send(new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'ip-permission.from-port', Values: ['22'] }] }));
  assert.deepEqual(byFilter.SecurityGroups!.map((x) => x.GroupId), [GroupId]);
  const byTag = await client.send(new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'tag:team', Values: ['edx'] }] }));
  assert.deepEqual(byTag.SecurityGroups!.map((x) => x.GroupId), [GroupId]);
  const rules = await client.send(new DescribeSecurityGroupRulesCommand({ Filters: [{ Name: 'group-id', Values: [GroupId!] }] }));
  assert.equal(rules.SecurityGroupRules!.length, 5);
  // Revoke by rule ID and by permission.
  const sshRule = added.SecurityGroupRules!.find((r) => r.FromPort === 22)!;
  await client.send(new RevokeSecurityGroupIngressCommand({ GroupId, SecurityGroupRuleIds: [sshRule.SecurityGroupRuleId!] }));
  const revoked = await client.send(new RevokeSecurityGroupIngressCommand({ GroupId, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 80, ToPort: 80, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }] }));
  assert.equal(revoked.Return, true);
  await rejects(client.send(new RevokeSecurityGroupIngressCommand({ GroupId, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 80, ToPort: 80, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }] })), 'InvalidPermission.NotFound');
  await client.send(new RevokeSecurityGroupEgressCommand({ GroupId, IpPermissions: [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] }] }));
  const left = await client.send(new DescribeSecurityGroupsCommand({ GroupIds: [GroupId!] }));
  assert.equal(left.SecurityGroups![0].IpPermissions!.length, 1);
  assert.deepEqual(left.SecurityGroups![0].IpPermissionsEgress!.map((p) => p.IpProtocol), ['udp']);
  await client.send(new DeleteSecurityGroupCommand({ GroupId }));
  await rejects(client.send(new DescribeSecurityGroupsCommand({ GroupIds: [GroupId!] })), 'InvalidGroup.NotFound');
  const dflt = (await client.send(new DescribeSecurityGroupsCommand({ GroupNames: ['default'] }))).SecurityGroups![0];
  await rejects(client.send(new DeleteSecurityGroupCommand({ GroupId: dflt.GroupId })), 'CannotDelete');
  await rejects(client.send(new DeleteSecurityGroupCommand({ GroupId: 'sg-zz' })), 'InvalidGroupId.Malformed');
});

test('DescribeImages: the AMI catalogue, with an Amazon Linux 2023 image per region under its own ID', async () => {
  const east = await ec2(server).send(new DescribeImagesCommand({ Owners: ['amazon'], Filters: [{ Name: 'name', Values: ['al2023-ami-2023*-x86_64'] }] }));
  assert.equal(east.Images!.length, 1);
  const al = east.Images![0];
  assert.match(al.ImageId!, /^ami-[0-9a-f]{17}$/);
  assert.equal(al.Architecture, 'x86_64');
  assert.equal(al.ImdsSupport, 'v2.0');
  assert.equal(al.ImageOwnerAlias, 'amazon');
  const west = await ec2(server, server.root, 'us-west-2').send(new DescribeImagesCommand({ Filters: [{ Name: 'name', Values: [al.Name!] }] }));
  assert.notEqual(west.Images![0].ImageId, al.ImageId);
  await rejects(ec2(server).send(new DescribeImagesCommand({ ImageIds: ['ami-0123456789abcdef0'] })), 'InvalidAMIID.NotFound', "The image id '[ami-0123456789abcdef0]' does not exist");
  await rejects(ec2(server).send(new DescribeImagesCommand({ ImageIds: ['ami-xyz'] })), 'InvalidAMIID.Malformed');
});

test('CreateTags, DescribeTags (filters, pagination), DeleteTags by key and by value', async () => {
  const client = ec2(server);
  const { GroupId } = await client.send(new CreateSecurityGroupCommand({ GroupName: 'tagged', Description: 't' }));
  const { KeyPairId } = await client.send(new CreateKeyPairCommand({ KeyName: 'tagged-key' }));
  await client.send(new CreateTagsCommand({ Resources: [GroupId!, KeyPairId!], Tags: [{ Key: 'env', Value: 'dev' }, { Key: 'owner', Value: 'ana' }] }));
  await client.send(new CreateTagsCommand({ Resources: [KeyPairId!], Tags: [{ Key: 'cost', Value: '1' }, { Key: 'z', Value: '' }] }));
  const tags = await client.send(new DescribeTagsCommand({ Filters: [{ Name: 'resource-id', Values: [GroupId!] }] }));
  assert.deepEqual(tags.Tags, [
    { Key: 'env', ResourceId: GroupId, ResourceType: 'security-group', Value: 'dev' },
    { Key: 'owner', ResourceId: GroupId, ResourceType: 'security-group', Value: 'ana' },
  ]);
  const keyTags = await client.send(new DescribeTagsCommand({ Filters: [{ Name: 'resource-type', Values: ['key-pair'] }, { Name: 'key', Values: ['env'] }] }));
  assert.deepEqual(keyTags.Tags!.map((t) => t.ResourceId), [KeyPairId]);
  const page1 = await client.send(new DescribeTagsCommand({ MaxResults: 5 }));
  assert.equal(page1.Tags!.length, 5);
  const page2 = await client.send(new DescribeTagsCommand({ MaxResults: 5, NextToken: page1.NextToken }));
  assert.equal(page2.Tags!.length, 1);
  assert.equal(page2.NextToken, undefined);
  assert.ok(page2.Tags!.every((t) => !page1.Tags!.some((u) => u.ResourceId === t.ResourceId && u.Key === t.Key)));
  await client.send(new DeleteTagsCommand({ Resources: [GroupId!], Tags: [{ Key: 'env', Value: 'prod' }] }));
  assert.equal((await client.send(new DescribeTagsCommand({ Filters: [{ Name: 'resource-id', Values: [GroupId!] }] }))).Tags!.length, 2, 'a different value is kept');
  await client.send(new DeleteTagsCommand({ Resources: [GroupId!], Tags: [{ Key: 'env' }] }));
  assert.deepEqual((await client.send(new DescribeTagsCommand({ Filters: [{ Name: 'resource-id', Values: [GroupId!] }] }))).Tags!.map((t) => t.Key), ['owner']);
  await rejects(client.send(new CreateTagsCommand({ Resources: ['sg-0123456789abcdef0'], Tags: [{ Key: 'a', Value: 'b' }] })), 'InvalidGroup.NotFound');
  await rejects(client.send(new CreateTagsCommand({ Resources: [GroupId!], Tags: [{ Key: 'aws:x', Value: 'b' }] })), 'InvalidParameterValue');
  await rejects(client.send(new CreateTagsCommand({ Resources: ['bogus'], Tags: [{ Key: 'a', Value: 'b' }] })), 'InvalidID');
});

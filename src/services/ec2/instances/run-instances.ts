import { randomBytes } from 'node:crypto';
import { AwsError } from '../../../protocol/errors.js';
import { operation } from '../../operation.js';
import type { AuthzEntry, RequestContext } from '../../types.js';
import { ec2Arn, imageArn, instanceArn, keyPairArn, securityGroupArn, subnetArn, vpcArn } from '../authz/arns.js';
import { requestTagKeys, resourceEntry } from '../authz/entries.js';
import { imagesIn, type CatalogueImage } from '../images/catalogue.js';
import { checkImageId, imageNotFound } from '../images/images.js';
import { findInstanceProfile, invalidProfile, passRoleEntry, type InstanceProfile } from '../instance-profiles/profiles.js';
import { findKeyPair, keyPairNotFound } from '../key-pairs/key-pairs.js';
import { zonesOf } from '../regions/catalogue.js';
import { checkDryRun, ec2Errors } from '../shared/errors.js';
import { isEc2Id, newEc2Id } from '../shared/ids.js';
import { putTags, specTags, tagsOf, type Tag, type TagSpecification } from '../tags/tag-rows.js';
import { ensureDefaultVpc, groupsIn, requireDefaultVpc, subnetsIn, type GroupRow, type SubnetRow } from '../vpcs/rows.js';
import { ipText, parseCidr, usableAddresses } from '../vpcs/cidr.js';
import { groupNotFound } from '../security-groups/security-groups.js';
import { subnetNotFound } from '../vpcs/vpcs.js';
import { associationOf, instanceShape, type InstanceRow, type MetadataOptions } from './instance-rows.js';
import { instanceTypeArchitecture } from './instance-types.js';
import { aliveSql } from './states.js';

interface RunInstancesInput {
  ImageId?: string;
  InstanceType?: string;
  MinCount: number;
  MaxCount: number;
  KeyName?: string;
  SecurityGroupIds?: string[];
  SecurityGroups?: string[];
  SubnetId?: string;
  UserData?: string;
  TagSpecifications?: TagSpecification[];
  IamInstanceProfile?: { Arn?: string; Name?: string };
  MetadataOptions?: Partial<MetadataOptions>;
  Placement?: { AvailabilityZone?: string };
  ClientToken?: string;
  PrivateIpAddress?: string;
  DryRun?: boolean;
}

const TAGGABLE = ['instance', 'volume', 'network-interface', 'spot-instances-request', 'elastic-gpu'];
/** The most instances one RunInstances launches here (EC2's own limit is the account's vCPU quota). */
const MAX_PER_CALL = 1000;

/** What a launch would use: every resource RunInstances names, resolved (or what is missing). */
interface Launch {
  image?: CatalogueImage;
  subnet?: SubnetRow;
  groups: GroupRow[];
  missingGroup?: string;
  profile?: InstanceProfile;
  instanceTags: Tag[];
  volumeTags: Tag[];
  eniTags: Tag[];
}

function resolve(ctx: RequestContext, input: RunInstancesInput): Launch {
  const image = input.ImageId !== undefined ? imagesIn(ctx.region).get(input.ImageId) : undefined;
  const subnets = subnetsIn(ctx.store, ctx.accountId, ctx.region);
  const zone = input.Placement?.AvailabilityZone;
  const subnet = input.SubnetId !== undefined
    ? subnets.find((s) => s.subnet_id === input.SubnetId)
    : subnets.find((s) => s.default_for_az === 1 && (zone === undefined || s.availability_zone === zone));
  const all = groupsIn(ctx.store, ctx.accountId, ctx.region);
  const groups: GroupRow[] = [];
  let missingGroup: string | undefined;
  for (const id of input.SecurityGroupIds ?? []) {
    const g = all.find((x) => x.group_id === id && (!subnet || x.vpc_id === subnet.vpc_id));
    if (g) groups.push(g);
    else missingGroup ??= id;
  }
  for (const name of input.SecurityGroups ?? []) {
    const g = all.find((x) => x.group_name === name && (!subnet || x.vpc_id === subnet.vpc_id));
    if (g) groups.push(g);
    else missingGroup ??= name;
  }
  if (groups.length === 0 && missingGroup === undefined && subnet) {
    const d = all.find((x) => x.vpc_id === subnet.vpc_id && x.group_name === 'default');
    if (d) groups.push(d);
  }
  const profile = input.IamInstanceProfile ? findInstanceProfile(ctx.store, ctx.accountId, input.IamInstanceProfile) : undefined;
  return {
    image, subnet, groups, missingGroup, profile,
    instanceTags: specTags(input.TagSpecifications, 'instance', TAGGABLE),
    volumeTags: specTags(input.TagSpecifications, 'volume', TAGGABLE),
    eniTags: specTags(input.TagSpecifications, 'network-interface', TAGGABLE),
  };
}

function metadataOptions(image: CatalogueImage | undefined, asked: Partial<MetadataOptions> | undefined): MetadataOptions {
  const v2 = image?.imdsSupport === 'v2.0';
  return {
    HttpTokens: asked?.HttpTokens ?? (v2 ? 'required' : 'optional'),
    HttpPutResponseHopLimit: asked?.HttpPutResponseHopLimit ?? (v2 ? 2 : 1),
    HttpEndpoint: asked?.HttpEndpoint ?? 'enabled',
    HttpProtocolIpv6: asked?.HttpProtocolIpv6 ?? 'disabled',
    InstanceMetadataTags: asked?.InstanceMetadataTags ?? 'disabled',
  };
}

/**
 * RunInstances is authorized on every resource it uses or makes, as EC2 does: the new
 * instance (instance/*), the image, the subnet, each security group, the key pair, the
 * new volume and network interface; ec2:CreateTags for the tags it sets; iam:PassRole
 * for the instance profile's role.
 */
function runEntries(ctx: RequestContext, input: RunInstancesInput): AuthzEntry[] {
  const launch = resolve(ctx, input);
  const { region, accountId } = ctx;
  const subnetId = input.SubnetId ?? launch.subnet?.subnet_id ?? '*';
  const vpc = launch.subnet ? vpcArn(region, accountId, launch.subnet.vpc_id) : undefined;
  const zone = launch.subnet?.availability_zone;
  const where: Record<string, string> = {};
  if (zone) where['ec2:AvailabilityZone'] = zone;
  // ec2:AvailabilityZoneId is a key of the instance, subnet and volume, not of the network interface.
  const zoneId = zone ? zonesOf(region).find((z) => z.name === zone)?.id : undefined;
  const whereId: Record<string, string> = zoneId ? { ...where, 'ec2:AvailabilityZoneId': zoneId } : where;
  const options = metadataOptions(launch.image, input.MetadataOptions);
  const instanceKeys: Record<string, string | string[]> = {
    ...whereId,
    'ec2:InstanceType': input.InstanceType ?? 'm1.small',
    'ec2:Tenancy': 'default',
    'ec2:RootDeviceType': 'ebs',
    'ec2:InstanceMarketType': 'on-demand',
    'ec2:IsLaunchTemplateResource': 'false',
    'ec2:EbsOptimized': 'false',
    'ec2:MetadataHttpTokens': options.HttpTokens,
    'ec2:MetadataHttpEndpoint': options.HttpEndpoint,
    'ec2:MetadataHttpPutResponseHopLimit': String(options.HttpPutResponseHopLimit),
    'ec2:InstanceMetadataTags': options.InstanceMetadataTags,
    ...requestTagKeys(launch.instanceTags),
  };
  if (launch.profile) instanceKeys['ec2:InstanceProfile'] = launch.profile.arn;
  const entries: AuthzEntry[] = [
    resourceEntry(ctx, 'ec2:RunInstances', instanceArn(region, accountId, '*'), {}, instanceKeys),
    resourceEntry(ctx, 'ec2:RunInstances', imageArn(region, input.ImageId ?? '*'), {}, launch.image
      ? { 'ec2:Owner': launch.image.ownerAlias ?? launch.image.ownerId, 'ec2:Public': 'true', 'ec2:ImageType': 'machine', 'ec2:RootDeviceType': 'ebs', 'ec2:ImageID': input.ImageId! }
      : {}),
    resourceEntry(ctx, 'ec2:RunInstances', subnetArn(region, accountId, subnetId), launch.subnet ? tagsOf(ctx.store, accountId, launch.subnet.subnet_id) : {},
      { ...whereId, ...(vpc ? { 'ec2:Vpc': vpc } : {}), 'ec2:SubnetID': subnetId }),
  ];
  for (const g of launch.groups) {
    entries.push(resourceEntry(ctx, 'ec2:RunInstances', securityGroupArn(region, accountId, g.group_id), tagsOf(ctx.store, accountId, g.group_id),
      { 'ec2:Vpc': vpcArn(region, accountId, g.vpc_id), 'ec2:SecurityGroupID': g.group_id }));
  }
  if (input.KeyName !== undefined) {
    const key = findKeyPair(ctx.store, accountId, region, input.KeyName);
    entries.push(resourceEntry(ctx, 'ec2:RunInstances', keyPairArn(region, accountId, input.KeyName), key ? tagsOf(ctx.store, accountId, key.key_pair_id) : {},
      { 'ec2:KeyPairName': input.KeyName, ...(key ? { 'ec2:KeyPairType': key.key_type } : {}) }));
  }
  entries.push(resourceEntry(ctx, 'ec2:RunInstances', ec2Arn(region, accountId, 'volume', '*'), {}, {
    ...whereId, 'ec2:VolumeSize': String(launch.image?.volumeSize ?? 8), 'ec2:VolumeType': launch.image?.volumeType ?? 'gp3', 'ec2:Encrypted': 'false',
    ...requestTagKeys(launch.volumeTags),
  }));
  entries.push(resourceEntry(ctx, 'ec2:RunInstances', ec2Arn(region, accountId, 'network-interface', '*'), {}, {
    ...where, 'ec2:Subnet': subnetArn(region, accountId, subnetId), ...(vpc ? { 'ec2:Vpc': vpc } : {}), ...requestTagKeys(launch.eniTags),
  }));
  const tagged: Array<[string, Tag[]]> = [['instance', launch.instanceTags], ['volume', launch.volumeTags], ['network-interface', launch.eniTags]];
  for (const [type, tags] of tagged) {
    if (tags.length > 0) entries.push(resourceEntry(ctx, 'ec2:CreateTags', ec2Arn(region, accountId, type, '*'), {}, { ...requestTagKeys(tags), 'ec2:CreateAction': 'RunInstances' }));
  }
  entries.push(...passRoleEntry(launch.profile));
  return entries;
}

/** A free address in the subnet (EC2 keeps its first four and its last), or undefined when it is full. */
function privateIp(subnet: SubnetRow, taken: Set<string>): string | undefined {
  const { first, count } = usableAddresses(parseCidr(subnet.cidr_block)!);
  if (taken.size >= count) return undefined;
  const start = randomBytes(4).readUInt32BE() % count;
  for (let k = 0; k < count; k++) {
    const ip = ipText(first + ((start + k) % count));
    if (!taken.has(ip)) {
      taken.add(ip);
      return ip;
    }
  }
  return undefined;
}

function publicIp(): string {
  const r = randomBytes(3);
  return `3.${80 + (r[0] % 16)}.${r[1]}.${1 + (r[2] % 254)}`;
}

export const RunInstances = operation({
  writes: true,
  authorize: (ctx, input: RunInstancesInput) => {
    if (input.ImageId !== undefined) checkImageId(input.ImageId);
    return runEntries(ctx, input);
  },
  run: (ctx, input: RunInstancesInput) => {
    ensureDefaultVpc(ctx.store, ctx.accountId, ctx.region);
    if (input.ClientToken !== undefined) {
      const again = ctx.store.prepare<InstanceRow>('SELECT * FROM ec2_instances WHERE account_id = ? AND region = ? AND client_token = ? ORDER BY ami_launch_index')
        .all(ctx.accountId, ctx.region, input.ClientToken);
      if (again.length > 0) return reservation(ctx, again, input.DryRun);
    }
    if (input.ImageId === undefined) throw ec2Errors.missingParameter('ImageId');
    const launch = resolve(ctx, input);
    if (!launch.image) throw imageNotFound(input.ImageId);
    const type = input.InstanceType ?? 'm1.small';
    const arch = instanceTypeArchitecture(type);
    if (!arch) throw ec2Errors.invalidParameterValue(`The following supplied instance types do not exist: [${type}]`);
    if (arch !== launch.image.architecture) {
      throw ec2Errors.invalidParameterValue(`The architecture '${arch}' of the specified instance type does not match the architecture '${launch.image.architecture}' of the specified AMI. Specify an instance type and an AMI that have matching architectures, and try again. You can use 'describe-instance-types' or 'describe-images' to discover the architecture of the instance type or AMI.`);
    }
    if (input.MinCount < 1) throw ec2Errors.invalidParameterValue(`Value (${input.MinCount}) for parameter minCount is invalid. Expected a value greater than 0.`);
    if (input.MaxCount < input.MinCount) throw ec2Errors.invalidParameterValue(`Value (${input.MaxCount}) for parameter maxCount is invalid. Expected a value greater than or equal to minCount.`);
    if (input.MinCount > MAX_PER_CALL) {
      throw new AwsError('InstanceLimitExceeded', `You have requested more instances (${input.MinCount}) than your current instance limit of ${MAX_PER_CALL} allows for the specified instance type.`, 400);
    }
    if (input.SubnetId !== undefined) {
      if (!isEc2Id('subnet', input.SubnetId)) throw ec2Errors.malformed('InvalidSubnetID.Malformed', input.SubnetId);
      if (!launch.subnet) throw subnetNotFound(input.SubnetId);
    }
    if (input.Placement?.AvailabilityZone !== undefined && !zonesOf(ctx.region).some((z) => z.name === input.Placement!.AvailabilityZone)) {
      throw ec2Errors.invalidParameterValue(`Invalid availability zone: [${input.Placement.AvailabilityZone}]`);
    }
    if (!launch.subnet) {
      const vpc = requireDefaultVpc(ctx.store, ctx.accountId, ctx.region);
      throw new AwsError('MissingInput', `No subnets found for the default VPC '${vpc.vpc_id}'. Please specify a subnet.`, 400);
    }
    const subnet = launch.subnet;
    if (input.Placement?.AvailabilityZone !== undefined && subnet.availability_zone !== input.Placement.AvailabilityZone) {
      throw ec2Errors.invalidParameterValue(`Value (${input.Placement.AvailabilityZone}) for parameter availabilityZone is invalid. Subnet '${subnet.subnet_id}' is in the availability zone ${subnet.availability_zone}`);
    }
    if (launch.missingGroup !== undefined) throw groupNotFound(launch.missingGroup);
    if (input.KeyName !== undefined && !findKeyPair(ctx.store, ctx.accountId, ctx.region, input.KeyName)) throw keyPairNotFound(input.KeyName);
    if (input.IamInstanceProfile && !launch.profile) throw invalidProfile(input.IamInstanceProfile);
    if (input.UserData !== undefined) checkUserData(input.UserData);
    const options = metadataOptions(launch.image, input.MetadataOptions);
    if (options.HttpPutResponseHopLimit < 1 || options.HttpPutResponseHopLimit > 64) {
      throw ec2Errors.invalidParameterValue(`Value (${options.HttpPutResponseHopLimit}) for parameter HttpPutResponseHopLimit is invalid. Valid values are between 1 and 64.`);
    }
    checkDryRun(input);

    const reservationId = newEc2Id('r');
    const groups = JSON.stringify(launch.groups.map((g) => ({ GroupId: g.group_id, GroupName: g.group_name })));
    const alive = aliveSql(ctx.now);
    const taken = new Set(ctx.store.prepare<{ private_ip: string }>(`SELECT private_ip FROM ec2_instances WHERE account_id = ? AND subnet_id = ? AND ${alive.sql}`)
      .all(ctx.accountId, subnet.subnet_id, alive.param).map((r) => r.private_ip));
    const insert = ctx.store.prepare(
      `INSERT INTO ec2_instances (account_id, instance_id, region, reservation_id, image_id, instance_type, key_name, vpc_id, subnet_id, availability_zone,
         private_ip, public_ip, security_groups, state, state_since, state_reason, launched_at, ami_launch_index, user_data, metadata_options, client_token,
         requester_arn, volume_id, eni_id)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?, NULL, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    if (input.PrivateIpAddress !== undefined) {
      const ip = parseCidr(`${input.PrivateIpAddress}/32`);
      if (!ip) throw ec2Errors.invalidParameterValue(`Value (${input.PrivateIpAddress}) for parameter privateIpAddress is invalid. This is not a valid IP address.`);
      const { first, count } = usableAddresses(parseCidr(subnet.cidr_block)!);
      if (ip.base < first || ip.base >= first + count) throw ec2Errors.invalidParameterValue(`Address ${input.PrivateIpAddress} does not fall within the subnet's address range`);
      if (taken.has(input.PrivateIpAddress)) throw new AwsError('InvalidIPAddress.InUse', `Address ${input.PrivateIpAddress} is in use.`, 400);
      if (input.MaxCount > 1) throw ec2Errors.invalidParameterCombination('Cannot specify a private IP address when launching more than 1 instance.');
      taken.add(input.PrivateIpAddress);
    }
    // As many as the subnet has addresses for, at least MinCount.
    const room = usableAddresses(parseCidr(subnet.cidr_block)!).count - taken.size + (input.PrivateIpAddress !== undefined ? 1 : 0);
    if (room < input.MinCount) {
      throw new AwsError('InsufficientFreeAddressesInSubnet', `There are not enough free addresses in subnet '${subnet.subnet_id}' to satisfy the requested number of instances.`, 400);
    }
    const rows: InstanceRow[] = [];
    for (let i = 0; i < input.MaxCount && i < MAX_PER_CALL && i < room; i++) {
      const id = newEc2Id('i');
      const volumeId = newEc2Id('vol');
      const eniId = newEc2Id('eni');
      insert.run(
        ctx.accountId, id, ctx.region, reservationId, input.ImageId, type, input.KeyName ?? null, subnet.vpc_id, subnet.subnet_id, subnet.availability_zone,
        input.PrivateIpAddress !== undefined ? input.PrivateIpAddress : privateIp(subnet, taken)!, subnet.default_for_az ? publicIp() : null,
        groups, ctx.now, ctx.now, i, input.UserData ?? null, JSON.stringify(options), input.ClientToken ?? null, ctx.principal.arn,
        volumeId, eniId,
      );
      putTags(ctx.store, ctx.accountId, id, 'instance', launch.instanceTags);
      putTags(ctx.store, ctx.accountId, volumeId, 'volume', launch.volumeTags);
      putTags(ctx.store, ctx.accountId, eniId, 'network-interface', launch.eniTags);
      if (launch.profile) {
        ctx.store.prepare(
          'INSERT INTO ec2_profile_associations (account_id, association_id, instance_id, instance_profile_arn, instance_profile_id, associated_at) VALUES (?, ?, ?, ?, ?, ?)',
        ).run(ctx.accountId, newEc2Id('iip-assoc'), id, launch.profile.arn, launch.profile.id, ctx.now);
      }
      rows.push(ctx.store.prepare<InstanceRow>('SELECT * FROM ec2_instances WHERE account_id = ? AND instance_id = ?').get(ctx.accountId, id)!);
    }
    return reservation(ctx, rows);
  },
});

function reservation(ctx: RequestContext, rows: InstanceRow[], dryRun?: boolean) {
  checkDryRun({ DryRun: dryRun });
  const groups = JSON.parse(rows[0].security_groups) as unknown[];
  return {
    ReservationId: rows[0].reservation_id,
    OwnerId: ctx.accountId,
    Groups: groups,
    Instances: rows.map((r) => instanceShape(r, ctx.now, tagsOf(ctx.store, ctx.accountId, r.instance_id), associationOf(ctx.store, ctx.accountId, r.instance_id))),
  };
}

/** UserData: base64 of at most 16 KB. */
function checkUserData(data: string): void {
  if (!/^[A-Za-z0-9+/\r\n]*={0,2}\s*$/.test(data)) throw ec2Errors.invalidParameterValue('Invalid BASE64 encoding of user data.');
  if (Buffer.from(data, 'base64').length > 16384) throw ec2Errors.invalidParameterValue('User data is limited to 16384 bytes');
}

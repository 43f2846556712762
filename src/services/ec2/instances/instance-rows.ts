import type { Store } from '../../../store/store.js';
import type { RequestContext, AuthzEntry } from '../../types.js';
import { ec2Errors } from '../shared/errors.js';
import { isEc2Id } from '../shared/ids.js';
import { instanceArn } from '../authz/arns.js';
import { resourceEntry } from '../authz/entries.js';
import { tagList, tagsOf } from '../tags/tag-rows.js';
import { imagesIn } from '../images/catalogue.js';
import { currentState, stateShape, type CurrentState, type StateName } from './states.js';

export interface InstanceRow {
  account_id: string;
  instance_id: string;
  region: string;
  reservation_id: string;
  image_id: string;
  instance_type: string;
  key_name: string | null;
  vpc_id: string;
  subnet_id: string;
  availability_zone: string;
  private_ip: string;
  public_ip: string | null;
  security_groups: string;
  state: StateName;
  state_since: number;
  state_reason: string | null;
  launched_at: number;
  ami_launch_index: number;
  user_data: string | null;
  metadata_options: string;
  client_token: string | null;
  requester_arn: string;
  volume_id: string;
  eni_id: string;
}

export interface MetadataOptions {
  HttpTokens: 'optional' | 'required';
  HttpPutResponseHopLimit: number;
  HttpEndpoint: 'enabled' | 'disabled';
  HttpProtocolIpv6: 'enabled' | 'disabled';
  InstanceMetadataTags: 'enabled' | 'disabled';
}

/** The instance's IAM instance profile association, when it has one. */
export interface AssociationRow {
  account_id: string;
  association_id: string;
  instance_id: string;
  instance_profile_arn: string;
  instance_profile_id: string;
  associated_at: number;
}

export function findInstance(store: Store, accountId: string, region: string, id: string): InstanceRow | undefined {
  return store.prepare<InstanceRow>('SELECT * FROM ec2_instances WHERE account_id = ? AND instance_id = ? AND region = ?').get(accountId, id, region);
}

/** An instance anywhere (the metadata service knows instances by ID alone). */
export function findInstanceAnywhere(store: Store, id: string): InstanceRow | undefined {
  return store.prepare<InstanceRow>('SELECT * FROM ec2_instances WHERE instance_id = ?').get(id);
}

export function associationOf(store: Store, accountId: string, instanceId: string): AssociationRow | undefined {
  return store.prepare<AssociationRow>('SELECT * FROM ec2_profile_associations WHERE account_id = ? AND instance_id = ?').get(accountId, instanceId);
}

export function checkInstanceId(id: string): void {
  if (!isEc2Id('i', id)) throw ec2Errors.malformed('InvalidInstanceID.Malformed', id);
}

export function instanceNotFound(id: string) {
  return ec2Errors.notFound('InvalidInstanceID.NotFound', `The instance ID '${id}' does not exist`);
}

/** The instance, or EC2's Malformed / NotFound. A terminated instance past its listing is gone. */
export function requireInstance(ctx: RequestContext, id: string): InstanceRow {
  checkInstanceId(id);
  const row = findInstance(ctx.store, ctx.accountId, ctx.region, id);
  if (!row) throw instanceNotFound(id);
  return row;
}

export function stateOf(row: InstanceRow, now: number): CurrentState {
  return currentState(row.state, row.state_since, now);
}

/** Keys every action on an existing instance carries, besides its tags. */
export function instanceKeys(row: InstanceRow, association?: AssociationRow): Record<string, string> {
  const options = JSON.parse(row.metadata_options) as MetadataOptions;
  const image = imagesIn(row.region).get(row.image_id);
  const keys: Record<string, string> = {
    'ec2:InstanceType': row.instance_type,
    'ec2:AvailabilityZone': row.availability_zone,
    'ec2:Tenancy': 'default',
    'ec2:RootDeviceType': 'ebs',
    'ec2:InstanceID': row.instance_id,
    'ec2:InstanceMarketType': 'on-demand',
    'ec2:MetadataHttpTokens': options.HttpTokens,
    'ec2:MetadataHttpEndpoint': options.HttpEndpoint,
    'ec2:MetadataHttpPutResponseHopLimit': String(options.HttpPutResponseHopLimit),
    'ec2:InstanceMetadataTags': options.InstanceMetadataTags,
    'ec2:EbsOptimized': 'false',
  };
  if (image) keys['ec2:Architecture'] = image.architecture;
  if (association) keys['ec2:InstanceProfile'] = association.instance_profile_arn;
  return keys;
}

/** An entry on one instance (which may not exist: then only its ARN is known). */
export function instanceEntry(ctx: RequestContext, action: string, id: string): AuthzEntry {
  const row = isEc2Id('i', id) ? findInstance(ctx.store, ctx.accountId, ctx.region, id) : undefined;
  const arn = instanceArn(ctx.region, ctx.accountId, id);
  if (!row) return resourceEntry(ctx, action, arn, {});
  return resourceEntry(ctx, action, arn, tagsOf(ctx.store, ctx.accountId, id), instanceKeys(row, associationOf(ctx.store, ctx.accountId, id)));
}

/** Private DNS names: ip-172-31-5-10.ec2.internal in us-east-1, …REGION.compute.internal elsewhere. */
export function privateDnsName(ip: string, region: string): string {
  return `ip-${ip.replace(/\./g, '-')}.${region === 'us-east-1' ? 'ec2.internal' : `${region}.compute.internal`}`;
}

export function publicDnsName(ip: string, region: string): string {
  return `ec2-${ip.replace(/\./g, '-')}.${region === 'us-east-1' ? 'compute-1' : `${region}.compute`}.amazonaws.com`;
}

/**
 * The instance's primary network interface (eni-…, made with it and deleted with it), as
 * the instance lists it; DescribeNetworkInterfaces adds what only it shows.
 */
export function primaryInterface(row: InstanceRow, groups: Array<{ GroupId: string; GroupName: string }>, live: boolean) {
  const association = live && row.public_ip
    ? { Association: { IpOwnerId: 'amazon', PublicDnsName: publicDnsName(row.public_ip, row.region), PublicIp: row.public_ip } }
    : {};
  return {
    ...association,
    Attachment: { AttachTime: new Date(row.launched_at), AttachmentId: row.eni_id.replace('eni-', 'eni-attach-'), DeleteOnTermination: true, DeviceIndex: 0, Status: 'attached', NetworkCardIndex: 0 },
    Description: '', Groups: groups, Ipv6Addresses: [], MacAddress: macAddress(row.eni_id), NetworkInterfaceId: row.eni_id, OwnerId: row.account_id,
    PrivateDnsName: privateDnsName(row.private_ip, row.region), PrivateIpAddress: row.private_ip,
    PrivateIpAddresses: [{ ...association, Primary: true, PrivateDnsName: privateDnsName(row.private_ip, row.region), PrivateIpAddress: row.private_ip }],
    SourceDestCheck: true, Status: 'in-use', SubnetId: row.subnet_id, VpcId: row.vpc_id, InterfaceType: 'interface',
  };
}

/** A MAC address derived from the interface's ID (locally administered, stable). */
export function macAddress(eniId: string): string {
  return `0e:${eniId.slice(4, 14).match(/../g)!.join(':')}`;
}

/** The instance as DescribeInstances and RunInstances show it. */
export function instanceShape(row: InstanceRow, now: number, tags: Record<string, string> | undefined, association: AssociationRow | undefined): Record<string, unknown> {
  const state = stateOf(row, now);
  const live = state.name === 'pending' || state.name === 'running';
  const image = imagesIn(row.region).get(row.image_id);
  const groups = JSON.parse(row.security_groups) as Array<{ GroupId: string; GroupName: string }>;
  const options = JSON.parse(row.metadata_options) as MetadataOptions;
  const gone = state.name === 'terminated';
  const root = image?.rootDeviceName ?? '/dev/xvda';
  const out: Record<string, unknown> = {
    InstanceId: row.instance_id,
    ImageId: row.image_id,
    State: stateShape(state.name),
    PrivateDnsName: gone ? '' : privateDnsName(row.private_ip, row.region),
    PublicDnsName: live && row.public_ip ? publicDnsName(row.public_ip, row.region) : '',
    StateTransitionReason: row.state_reason ?? '',
    AmiLaunchIndex: row.ami_launch_index,
    ProductCodes: [],
    InstanceType: row.instance_type,
    LaunchTime: new Date(row.launched_at),
    Placement: { AvailabilityZone: row.availability_zone, GroupName: '', Tenancy: 'default' },
    Monitoring: { State: 'disabled' },
    Architecture: image?.architecture ?? 'x86_64',
    RootDeviceType: 'ebs',
    RootDeviceName: root,
    VirtualizationType: 'hvm',
    Hypervisor: 'xen',
    EbsOptimized: false,
    EnaSupport: true,
    ClientToken: row.client_token ?? '',
    Tags: tagList(tags),
    MetadataOptions: { State: 'applied', ...options },
    PlatformDetails: image?.platformDetails ?? 'Linux/UNIX',
    UsageOperation: image?.usageOperation ?? 'RunInstances',
    UsageOperationUpdateTime: new Date(row.launched_at),
    CpuOptions: { CoreCount: 1, ThreadsPerCore: 2 },
    CapacityReservationSpecification: { CapacityReservationPreference: 'open' },
    HibernationOptions: { Configured: false },
    EnclaveOptions: { Enabled: false },
    MaintenanceOptions: { AutoRecovery: 'default' },
    PrivateDnsNameOptions: { HostnameType: 'ip-name', EnableResourceNameDnsARecord: false, EnableResourceNameDnsAAAARecord: false },
    CurrentInstanceBootMode: image?.bootMode === 'uefi' ? 'uefi' : 'legacy-bios',
  };
  if (image?.platform) out.Platform = image.platform;
  if (row.key_name !== null) out.KeyName = row.key_name;
  if (state.name === 'stopped' || state.name === 'stopping' || state.name === 'shutting-down' || gone) {
    out.StateReason = { Code: 'Client.UserInitiatedShutdown', Message: 'Client.UserInitiatedShutdown: User initiated shutdown' };
  }
  if (!gone) {
    out.SubnetId = row.subnet_id;
    out.VpcId = row.vpc_id;
    out.PrivateIpAddress = row.private_ip;
    out.SecurityGroups = groups;
    out.SourceDestCheck = true;
    out.BlockDeviceMappings = [{ DeviceName: root, Ebs: { AttachTime: new Date(row.launched_at), DeleteOnTermination: true, Status: 'attached', VolumeId: row.volume_id } }];
    out.NetworkInterfaces = [primaryInterface(row, groups, live)];
    if (live && row.public_ip) out.PublicIpAddress = row.public_ip;
  } else {
    out.SecurityGroups = [];
    out.BlockDeviceMappings = [];
    out.NetworkInterfaces = [];
  }
  if (association && !gone) out.IamInstanceProfile = { Arn: association.instance_profile_arn, Id: association.instance_profile_id };
  return out;
}

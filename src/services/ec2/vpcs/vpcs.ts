import { operation } from '../../operation.js';
import { describeEntry } from '../authz/entries.js';
import { subnetArn } from '../authz/arns.js';
import { checkDryRun, ec2Errors } from '../shared/errors.js';
import { matchesFilters, type Filter } from '../shared/filters.js';
import { tagList, tagsByResource } from '../tags/tag-rows.js';
import { zonesOf } from '../regions/catalogue.js';
import type { Store } from '../../../store/store.js';
import { aliveSql } from '../instances/states.js';
import { parseCidr, usableAddresses } from './cidr.js';
import { subnetsIn, vpcsIn, type SubnetRow, type VpcRow } from './rows.js';

const VPC_FILTERS = new Set(['cidr', 'cidr-block-association.cidr-block', 'dhcp-options-id', 'is-default', 'owner-id', 'state', 'vpc-id']);

export const DescribeVpcs = operation({
  writes: false,
  authorize: (ctx) => describeEntry(ctx, 'ec2:DescribeVpcs'),
  run: (ctx, input: { VpcIds?: string[]; Filters?: Filter[]; DryRun?: boolean }) => {
    checkDryRun(input);
    const rows = vpcsIn(ctx.store, ctx.accountId, ctx.region);
    for (const id of input.VpcIds ?? []) {
      if (!rows.some((v) => v.vpc_id === id)) throw ec2Errors.notFound('InvalidVpcID.NotFound', `The vpc ID '${id}' does not exist`);
    }
    const tags = tagsByResource(ctx.store, ctx.accountId, 'vpc');
    const vpcs = rows
      .filter((v) => !input.VpcIds || input.VpcIds.includes(v.vpc_id))
      .filter((v) =>
        matchesFilters(input.Filters, (n) => ({
          cidr: v.cidr_block, 'cidr-block-association.cidr-block': v.cidr_block, 'dhcp-options-id': dhcpOptionsId(v.vpc_id),
          'is-default': String(v.is_default === 1), 'owner-id': ctx.accountId, state: 'available', 'vpc-id': v.vpc_id,
        } as Record<string, string>)[n], tags.get(v.vpc_id) ?? {}, VPC_FILTERS),
      )
      .map((v) => vpcShape(v, 'available', tags.get(v.vpc_id)));
    return { Vpcs: vpcs };
  },
});

/** A VPC as DescribeVpcs and CreateVpc show it. */
export function vpcShape(v: VpcRow, state: 'pending' | 'available', tags: Record<string, string> | undefined) {
  return {
    VpcId: v.vpc_id, OwnerId: v.account_id, State: state, CidrBlock: v.cidr_block, DhcpOptionsId: dhcpOptionsId(v.vpc_id),
    InstanceTenancy: 'default', IsDefault: v.is_default === 1,
    CidrBlockAssociationSet: [{ AssociationId: v.vpc_id.replace('vpc-', 'vpc-cidr-assoc-'), CidrBlock: v.cidr_block, CidrBlockState: { State: 'associated' } }],
    BlockPublicAccessStates: { InternetGatewayBlockMode: 'off' },
    Tags: tagList(tags),
  };
}

function dhcpOptionsId(vpcId: string): string {
  return vpcId.replace('vpc-', 'dopt-');
}

const SUBNET_FILTERS = new Set(['availability-zone', 'availability-zone-id', 'cidr-block', 'default-for-az', 'owner-id', 'state', 'subnet-id', 'vpc-id', 'map-public-ip-on-launch']);

export const DescribeSubnets = operation({
  writes: false,
  authorize: (ctx) => describeEntry(ctx, 'ec2:DescribeSubnets'),
  run: (ctx, input: { SubnetIds?: string[]; Filters?: Filter[]; DryRun?: boolean }) => {
    checkDryRun(input);
    const rows = subnetsIn(ctx.store, ctx.accountId, ctx.region);
    for (const id of input.SubnetIds ?? []) {
      if (!rows.some((s) => s.subnet_id === id)) throw subnetNotFound(id);
    }
    const zoneIds = new Map(zonesOf(ctx.region).map((z) => [z.name, z.id]));
    const tags = tagsByResource(ctx.store, ctx.accountId, 'subnet');
    const used = addressesInUse(ctx.store, ctx.accountId, ctx.region, ctx.now);
    const subnets = rows
      .filter((s) => !input.SubnetIds || input.SubnetIds.includes(s.subnet_id))
      .filter((s) =>
        matchesFilters(input.Filters, (n) => ({
          'availability-zone': s.availability_zone, 'availability-zone-id': zoneIds.get(s.availability_zone), 'cidr-block': s.cidr_block,
          'default-for-az': String(s.default_for_az === 1), 'owner-id': ctx.accountId, state: 'available', 'subnet-id': s.subnet_id, 'vpc-id': s.vpc_id,
          'map-public-ip-on-launch': String(s.default_for_az === 1),
        } as Record<string, string | undefined>)[n], tags.get(s.subnet_id) ?? {}, SUBNET_FILTERS),
      )
      .map((s) => subnetShape(s, zoneIds.get(s.availability_zone), used.get(s.subnet_id) ?? 0, tags.get(s.subnet_id)));
    return { Subnets: subnets };
  },
});

/** A subnet as DescribeSubnets and CreateSubnet show it; `used`: the addresses instances hold in it. */
export function subnetShape(s: SubnetRow, zoneId: string | undefined, used: number, tags: Record<string, string> | undefined) {
  const block = parseCidr(s.cidr_block)!;
  return {
    SubnetId: s.subnet_id, SubnetArn: subnetArn(s.region, s.account_id, s.subnet_id), VpcId: s.vpc_id, OwnerId: s.account_id, State: 'available',
    CidrBlock: s.cidr_block, AvailabilityZone: s.availability_zone, AvailabilityZoneId: zoneId,
    AvailableIpAddressCount: usableAddresses(block).count - used, DefaultForAz: s.default_for_az === 1, MapPublicIpOnLaunch: s.default_for_az === 1,
    MapCustomerOwnedIpOnLaunch: false, AssignIpv6AddressOnCreation: false, Ipv6CidrBlockAssociationSet: [], EnableDns64: false, Ipv6Native: false,
    PrivateDnsNameOptionsOnLaunch: { HostnameType: 'ip-name', EnableResourceNameDnsARecord: false, EnableResourceNameDnsAAAARecord: false },
    BlockPublicAccessStates: { InternetGatewayBlockMode: 'off' },
    Tags: tagList(tags),
  };
}

/** Addresses held per subnet: one per instance that is not terminated (its primary network interface). */
export function addressesInUse(store: Store, accountId: string, region: string, now: number): Map<string, number> {
  const alive = aliveSql(now);
  const rows = store.prepare<{ subnet_id: string; n: number }>(
    `SELECT subnet_id, count(*) AS n FROM ec2_instances WHERE account_id = ? AND region = ? AND ${alive.sql} GROUP BY subnet_id`,
  ).all(accountId, region, alive.param);
  return new Map(rows.map((r) => [r.subnet_id, r.n]));
}

export function subnetNotFound(id: string) {
  return ec2Errors.notFound('InvalidSubnetID.NotFound', `The subnet ID '${id}' does not exist`);
}

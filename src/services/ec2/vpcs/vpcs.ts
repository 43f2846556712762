import { operation } from '../../operation.js';
import { describeEntry } from '../authz/entries.js';
import { subnetArn } from '../authz/arns.js';
import { checkDryRun, ec2Errors } from '../shared/errors.js';
import { matchesFilters, type Filter } from '../shared/filters.js';
import { tagList, tagsByResource } from '../tags/tag-rows.js';
import { zonesOf } from '../regions/catalogue.js';
import { subnetsIn, vpcsIn } from './rows.js';

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
      .map((v) => ({
        VpcId: v.vpc_id, OwnerId: ctx.accountId, State: 'available', CidrBlock: v.cidr_block, DhcpOptionsId: dhcpOptionsId(v.vpc_id),
        InstanceTenancy: 'default', IsDefault: v.is_default === 1,
        CidrBlockAssociationSet: [{ AssociationId: v.vpc_id.replace('vpc-', 'vpc-cidr-assoc-'), CidrBlock: v.cidr_block, CidrBlockState: { State: 'associated' } }],
        BlockPublicAccessStates: { InternetGatewayBlockMode: 'off' },
        Tags: tagList(tags.get(v.vpc_id)),
      }));
    return { Vpcs: vpcs };
  },
});

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
    const subnets = rows
      .filter((s) => !input.SubnetIds || input.SubnetIds.includes(s.subnet_id))
      .filter((s) =>
        matchesFilters(input.Filters, (n) => ({
          'availability-zone': s.availability_zone, 'availability-zone-id': zoneIds.get(s.availability_zone), 'cidr-block': s.cidr_block,
          'default-for-az': String(s.default_for_az === 1), 'owner-id': ctx.accountId, state: 'available', 'subnet-id': s.subnet_id, 'vpc-id': s.vpc_id,
          'map-public-ip-on-launch': String(s.default_for_az === 1),
        } as Record<string, string | undefined>)[n], tags.get(s.subnet_id) ?? {}, SUBNET_FILTERS),
      )
      .map((s) => ({
        SubnetId: s.subnet_id, SubnetArn: subnetArn(ctx.region, ctx.accountId, s.subnet_id), VpcId: s.vpc_id, OwnerId: ctx.accountId, State: 'available',
        CidrBlock: s.cidr_block, AvailabilityZone: s.availability_zone, AvailabilityZoneId: zoneIds.get(s.availability_zone),
        AvailableIpAddressCount: 4091, DefaultForAz: s.default_for_az === 1, MapPublicIpOnLaunch: s.default_for_az === 1,
        MapCustomerOwnedIpOnLaunch: false, AssignIpv6AddressOnCreation: false, Ipv6CidrBlockAssociationSet: [], EnableDns64: false, Ipv6Native: false,
        PrivateDnsNameOptionsOnLaunch: { HostnameType: 'ip-name', EnableResourceNameDnsARecord: false, EnableResourceNameDnsAAAARecord: false },
        BlockPublicAccessStates: { InternetGatewayBlockMode: 'off' },
        Tags: tagList(tags.get(s.subnet_id)),
      }));
    return { Subnets: subnets };
  },
});

export function subnetNotFound(id: string) {
  return ec2Errors.notFound('InvalidSubnetID.NotFound', `The subnet ID '${id}' does not exist`);
}

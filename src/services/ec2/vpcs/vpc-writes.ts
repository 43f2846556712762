import { AwsError } from '../../../protocol/errors.js';
import { operation } from '../../operation.js';
import type { AuthzEntry, RequestContext } from '../../types.js';
import { subnetArn, vpcArn } from '../authz/arns.js';
import { requestTagKeys, resourceEntry } from '../authz/entries.js';
import { zonesOf } from '../regions/catalogue.js';
import { checkDryRun, ec2Errors } from '../shared/errors.js';
import { isEc2Id, newEc2Id } from '../shared/ids.js';
import { deleteAllTags, putTags, specTags, tagsOf, type TagSpecification } from '../tags/tag-rows.js';
import { aliveSql } from '../instances/states.js';
import { contains, overlaps, parseCidr, type Cidr } from './cidr.js';
import { DELETED_DEFAULT, defaultGroup, ensureDefaultVpc, findVpc, insertGroup, insertRule, subnetsIn, vpcsIn, type SubnetRow, type VpcRow } from './rows.js';
import { subnetNotFound, subnetShape, vpcShape } from './vpcs.js';

/** VPCs per region, the default one included (EC2's default quota). */
const MAX_VPCS = 5;

export const vpcNotFound = (id: string) => ec2Errors.notFound('InvalidVpcID.NotFound', `The vpc ID '${id}' does not exist`);

function checkVpcId(id: string): void {
  if (!isEc2Id('vpc', id)) throw ec2Errors.malformed('InvalidVpcID.Malformed', id);
}

function checkSubnetId(id: string): void {
  if (!isEc2Id('subnet', id)) throw ec2Errors.malformed('InvalidSubnetID.Malformed', id);
}

/** A CIDR block of /16 to /28 (EC2's bounds for VPCs and subnets), or the error `rangeCode` names. */
function blockOf(text: string | undefined, rangeCode: string): Cidr {
  if (text === undefined) throw ec2Errors.missingParameter('cidrBlock');
  const block = parseCidr(text);
  if (!block) throw ec2Errors.invalidParameterValue(`Value (${text}) for parameter cidrBlock is invalid. This is not a valid CIDR block.`);
  if (block.prefix < 16 || block.prefix > 28) throw rangeError(rangeCode, text);
  return block;
}

const rangeError = (code: string, text: string) => new AwsError(code, `The CIDR '${text}' is invalid.`, 400);
const hasDependencies = (kind: string, id: string) => new AwsError('DependencyViolation', `The ${kind} '${id}' has dependencies and cannot be deleted.`, 400);

/** An entry on an existing VPC (or one that may not exist: then only its ARN is known). */
function vpcEntry(ctx: RequestContext, action: string, vpcId: string): AuthzEntry {
  const known = isEc2Id('vpc', vpcId) ? findVpc(ctx.store, ctx.accountId, ctx.region, vpcId) : undefined;
  return resourceEntry(ctx, action, vpcArn(ctx.region, ctx.accountId, vpcId), known ? tagsOf(ctx.store, ctx.accountId, vpcId) : {},
    { 'ec2:VpcID': vpcId, 'ec2:Tenancy': 'default' });
}

interface CreateVpcInput {
  CidrBlock?: string;
  InstanceTenancy?: string;
  TagSpecifications?: TagSpecification[];
  DryRun?: boolean;
}

export const CreateVpc = operation({
  writes: true,
  authorize: (ctx, input: CreateVpcInput) => {
    const tags = specTags(input.TagSpecifications, 'vpc', ['vpc']);
    const entries = [resourceEntry(ctx, 'ec2:CreateVpc', vpcArn(ctx.region, ctx.accountId, '*'), {}, requestTagKeys(tags))];
    if (tags.length > 0) entries.push(resourceEntry(ctx, 'ec2:CreateTags', vpcArn(ctx.region, ctx.accountId, '*'), {}, { ...requestTagKeys(tags), 'ec2:CreateAction': 'CreateVpc' }));
    return entries;
  },
  run: (ctx, input: CreateVpcInput) => {
    blockOf(input.CidrBlock, 'InvalidVpc.Range');
    if (input.InstanceTenancy !== undefined && input.InstanceTenancy !== 'default') {
      throw ec2Errors.invalidParameterValue(`Value (${input.InstanceTenancy}) for parameter instanceTenancy is invalid. Only 'default' tenancy is offered here.`);
    }
    const tags = specTags(input.TagSpecifications, 'vpc', ['vpc']);
    if (vpcsIn(ctx.store, ctx.accountId, ctx.region).length >= MAX_VPCS) throw new AwsError('VpcLimitExceeded', 'The maximum number of VPCs has been reached.', 400);
    checkDryRun(input);
    ensureDefaultVpc(ctx.store, ctx.accountId, ctx.region);
    const vpc: VpcRow = { account_id: ctx.accountId, vpc_id: newEc2Id('vpc'), region: ctx.region, cidr_block: input.CidrBlock!, is_default: 0, created_at: ctx.now };
    ctx.store.prepare('INSERT INTO ec2_vpcs (account_id, vpc_id, region, cidr_block, is_default, created_at) VALUES (?, ?, ?, ?, ?, ?)')
      .run(vpc.account_id, vpc.vpc_id, vpc.region, vpc.cidr_block, vpc.is_default, vpc.created_at);
    // Every VPC comes with its "default" security group (all in from its members, all out).
    const group = { ...defaultGroup(ctx.accountId, ctx.region, vpc.vpc_id), created_at: ctx.now };
    insertGroup(ctx.store, group);
    insertRule(ctx.store, { account_id: ctx.accountId, rule_id: newEc2Id('sgr'), group_id: group.group_id, is_egress: 0, ip_protocol: '-1', from_port: -1, to_port: -1, peer_kind: 'group', peer: group.group_id, description: null });
    insertRule(ctx.store, { account_id: ctx.accountId, rule_id: newEc2Id('sgr'), group_id: group.group_id, is_egress: 1, ip_protocol: '-1', from_port: -1, to_port: -1, peer_kind: 'ipv4', peer: '0.0.0.0/0', description: null });
    putTags(ctx.store, ctx.accountId, vpc.vpc_id, 'vpc', tags);
    return { Vpc: vpcShape(vpc, 'pending', Object.fromEntries(tags.map((t) => [t.Key!, t.Value!]))) };
  },
});

export const DeleteVpc = operation({
  writes: true,
  authorize: (ctx, input: { VpcId: string }) => vpcEntry(ctx, 'ec2:DeleteVpc', input.VpcId),
  run: (ctx, input: { VpcId: string; DryRun?: boolean }) => {
    checkVpcId(input.VpcId);
    const vpc = findVpc(ctx.store, ctx.accountId, ctx.region, input.VpcId);
    if (!vpc) throw vpcNotFound(input.VpcId);
    const subnets = subnetsIn(ctx.store, ctx.accountId, ctx.region).filter((s) => s.vpc_id === vpc.vpc_id);
    const groups = ctx.store.prepare("SELECT 1 FROM ec2_security_groups WHERE account_id = ? AND vpc_id = ? AND group_name != 'default'").get(ctx.accountId, vpc.vpc_id);
    const alive = aliveSql(ctx.now);
    const instances = ctx.store.prepare(`SELECT 1 FROM ec2_instances WHERE account_id = ? AND vpc_id = ? AND ${alive.sql}`).get(ctx.accountId, vpc.vpc_id, alive.param);
    if (subnets.length > 0 || groups || instances) throw hasDependencies('vpc', vpc.vpc_id);
    checkDryRun(input);
    ensureDefaultVpc(ctx.store, ctx.accountId, ctx.region);
    const own = ctx.store.prepare<{ group_id: string }>('SELECT group_id FROM ec2_security_groups WHERE account_id = ? AND vpc_id = ?').all(ctx.accountId, vpc.vpc_id);
    for (const g of own) deleteAllTags(ctx.store, ctx.accountId, g.group_id);
    ctx.store.prepare('DELETE FROM ec2_security_groups WHERE account_id = ? AND vpc_id = ?').run(ctx.accountId, vpc.vpc_id);
    deleteAllTags(ctx.store, ctx.accountId, vpc.vpc_id);
    if (vpc.is_default === 1) {
      // The default VPC is not computed again once deleted: its row stays as a mark.
      ctx.store.prepare('UPDATE ec2_vpcs SET is_default = ? WHERE account_id = ? AND vpc_id = ?').run(DELETED_DEFAULT, ctx.accountId, vpc.vpc_id);
    } else {
      ctx.store.prepare('DELETE FROM ec2_vpcs WHERE account_id = ? AND vpc_id = ?').run(ctx.accountId, vpc.vpc_id);
    }
    return {};
  },
});

interface CreateSubnetInput {
  VpcId: string;
  CidrBlock?: string;
  AvailabilityZone?: string;
  AvailabilityZoneId?: string;
  TagSpecifications?: TagSpecification[];
  DryRun?: boolean;
}

export const CreateSubnet = operation({
  writes: true,
  authorize: (ctx, input: CreateSubnetInput) => {
    const tags = specTags(input.TagSpecifications, 'subnet', ['subnet']);
    const zone = zoneOf(ctx, input);
    const entries = [
      resourceEntry(ctx, 'ec2:CreateSubnet', subnetArn(ctx.region, ctx.accountId, '*'), {}, {
        ...requestTagKeys(tags), ...(zone ? { 'ec2:AvailabilityZone': zone.name, 'ec2:AvailabilityZoneId': zone.id } : {}),
        'ec2:Vpc': vpcArn(ctx.region, ctx.accountId, input.VpcId),
      }),
      vpcEntry(ctx, 'ec2:CreateSubnet', input.VpcId),
    ];
    if (tags.length > 0) entries.push(resourceEntry(ctx, 'ec2:CreateTags', subnetArn(ctx.region, ctx.accountId, '*'), {}, { ...requestTagKeys(tags), 'ec2:CreateAction': 'CreateSubnet' }));
    return entries;
  },
  run: (ctx, input: CreateSubnetInput) => {
    checkVpcId(input.VpcId);
    const vpc = findVpc(ctx.store, ctx.accountId, ctx.region, input.VpcId);
    if (!vpc) throw vpcNotFound(input.VpcId);
    const block = blockOf(input.CidrBlock, 'InvalidSubnet.Range');
    if (!contains(parseCidr(vpc.cidr_block)!, block)) throw rangeError('InvalidSubnet.Range', input.CidrBlock!);
    const siblings = subnetsIn(ctx.store, ctx.accountId, ctx.region).filter((s) => s.vpc_id === vpc.vpc_id);
    if (siblings.some((s) => overlaps(parseCidr(s.cidr_block)!, block))) {
      throw new AwsError('InvalidSubnet.Conflict', `The CIDR '${input.CidrBlock}' conflicts with another subnet`, 400);
    }
    const zone = zoneOf(ctx, input);
    if (!zone) {
      const asked = input.AvailabilityZone !== undefined ? ['availabilityZone', input.AvailabilityZone] : ['availabilityZoneId', input.AvailabilityZoneId];
      throw ec2Errors.invalidParameterValue(
        `Value (${asked[1]}) for parameter ${asked[0]} is invalid. Subnets can currently only be created in the following availability zones: ${zonesOf(ctx.region).map((z) => z.name).join(', ')}.`,
      );
    }
    const tags = specTags(input.TagSpecifications, 'subnet', ['subnet']);
    checkDryRun(input);
    ensureDefaultVpc(ctx.store, ctx.accountId, ctx.region);
    const subnet: SubnetRow = {
      account_id: ctx.accountId, subnet_id: newEc2Id('subnet'), region: ctx.region, vpc_id: vpc.vpc_id, availability_zone: zone.name,
      cidr_block: input.CidrBlock!, default_for_az: 0, created_at: ctx.now,
    };
    ctx.store.prepare(
      'INSERT INTO ec2_subnets (account_id, subnet_id, region, vpc_id, availability_zone, cidr_block, default_for_az, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    ).run(subnet.account_id, subnet.subnet_id, subnet.region, subnet.vpc_id, subnet.availability_zone, subnet.cidr_block, subnet.default_for_az, subnet.created_at);
    putTags(ctx.store, ctx.accountId, subnet.subnet_id, 'subnet', tags);
    return { Subnet: subnetShape(subnet, zone.id, 0, Object.fromEntries(tags.map((t) => [t.Key!, t.Value!]))) };
  },
});

/** The zone a CreateSubnet names (by name or ID), the region's first when it names none; undefined when unknown. */
function zoneOf(ctx: RequestContext, input: { AvailabilityZone?: string; AvailabilityZoneId?: string }) {
  const zones = zonesOf(ctx.region);
  if (input.AvailabilityZone !== undefined) return zones.find((z) => z.name === input.AvailabilityZone);
  if (input.AvailabilityZoneId !== undefined) return zones.find((z) => z.id === input.AvailabilityZoneId);
  return zones[0];
}

export const DeleteSubnet = operation({
  writes: true,
  authorize: (ctx, input: { SubnetId: string }) => {
    const s = isEc2Id('subnet', input.SubnetId) ? subnetsIn(ctx.store, ctx.accountId, ctx.region).find((x) => x.subnet_id === input.SubnetId) : undefined;
    const zone = s ? zonesOf(ctx.region).find((z) => z.name === s.availability_zone) : undefined;
    return resourceEntry(ctx, 'ec2:DeleteSubnet', subnetArn(ctx.region, ctx.accountId, input.SubnetId), s ? tagsOf(ctx.store, ctx.accountId, s.subnet_id) : {}, {
      'ec2:SubnetID': input.SubnetId,
      ...(s ? { 'ec2:Vpc': vpcArn(ctx.region, ctx.accountId, s.vpc_id), 'ec2:AvailabilityZone': s.availability_zone } : {}),
      ...(zone ? { 'ec2:AvailabilityZoneId': zone.id } : {}),
    });
  },
  run: (ctx, input: { SubnetId: string; DryRun?: boolean }) => {
    checkSubnetId(input.SubnetId);
    const s = subnetsIn(ctx.store, ctx.accountId, ctx.region).find((x) => x.subnet_id === input.SubnetId);
    if (!s) throw subnetNotFound(input.SubnetId);
    const alive = aliveSql(ctx.now);
    const instances = ctx.store.prepare(`SELECT 1 FROM ec2_instances WHERE account_id = ? AND subnet_id = ? AND ${alive.sql}`).get(ctx.accountId, s.subnet_id, alive.param);
    if (instances) throw hasDependencies('subnet', s.subnet_id);
    checkDryRun(input);
    ensureDefaultVpc(ctx.store, ctx.accountId, ctx.region);
    ctx.store.prepare('DELETE FROM ec2_subnets WHERE account_id = ? AND subnet_id = ?').run(ctx.accountId, s.subnet_id);
    deleteAllTags(ctx.store, ctx.accountId, s.subnet_id);
    return {};
  },
});

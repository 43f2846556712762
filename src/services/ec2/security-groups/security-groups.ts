import { AwsError } from '../../../protocol/errors.js';
import { operation } from '../../operation.js';
import type { AuthzEntry, RequestContext } from '../../types.js';
import { describeEntry, requestTagKeys, resourceEntry } from '../authz/entries.js';
import { securityGroupArn, securityGroupRuleArn, vpcArn } from '../authz/arns.js';
import { checkDryRun, ec2Errors } from '../shared/errors.js';
import { matchesFilters, type Filter } from '../shared/filters.js';
import { isEc2Id, newEc2Id } from '../shared/ids.js';
import { deleteAllTags, putTags, specTags, tagList, tagsByResource, tagsOf, type TagSpecification } from '../tags/tag-rows.js';
import { aliveSql } from '../instances/states.js';
import { ensureDefaultVpc, findGroup, groupsIn, insertGroup, insertRule, requireDefaultVpc, rulesIn, vpcsIn, type GroupRow, type RuleRow } from '../vpcs/rows.js';
import { describeRule, permissionsOf, ruleShape, rulesOf, type IpPermission, type RuleSpec } from './permissions.js';

export const groupNotFound = (id: string) => ec2Errors.notFound('InvalidGroup.NotFound', `The security group '${id}' does not exist`);

/** The group a request names by ID, or by name in the default VPC (EC2-Classic's way, still accepted). */
function namedGroup(ctx: RequestContext, input: { GroupId?: string; GroupName?: string }): GroupRow | undefined {
  if (input.GroupId !== undefined) return findGroup(ctx.store, ctx.accountId, ctx.region, input.GroupId);
  if (input.GroupName === undefined) return undefined;
  const defaultVpcId = vpcsIn(ctx.store, ctx.accountId, ctx.region).find((v) => v.is_default)?.vpc_id;
  return groupsIn(ctx.store, ctx.accountId, ctx.region).find((g) => g.group_name === input.GroupName && g.vpc_id === defaultVpcId);
}

function requireGroup(ctx: RequestContext, input: { GroupId?: string; GroupName?: string }): GroupRow {
  if (input.GroupId === undefined && input.GroupName === undefined) throw ec2Errors.missingParameter('GroupId');
  if (input.GroupId !== undefined && !isEc2Id('sg', input.GroupId)) throw ec2Errors.malformed('InvalidGroupId.Malformed', input.GroupId);
  const g = namedGroup(ctx, input);
  if (!g) throw groupNotFound(input.GroupId ?? input.GroupName!);
  return g;
}

/** An action on an existing group: its ARN, tags and VPC. */
function groupEntry(ctx: RequestContext, action: string, input: { GroupId?: string; GroupName?: string }): AuthzEntry {
  const g = namedGroup(ctx, input);
  const id = g?.group_id ?? input.GroupId ?? input.GroupName ?? '*';
  const keys: Record<string, string> = g ? { 'ec2:Vpc': vpcArn(ctx.region, ctx.accountId, g.vpc_id), 'ec2:SecurityGroupID': g.group_id } : {};
  return resourceEntry(ctx, action, securityGroupArn(ctx.region, ctx.accountId, id), g ? tagsOf(ctx.store, ctx.accountId, g.group_id) : {}, keys);
}

interface CreateInput {
  GroupName: string;
  Description: string;
  VpcId?: string;
  TagSpecifications?: TagSpecification[];
  DryRun?: boolean;
}

export const CreateSecurityGroup = operation({
  writes: true,
  authorize: (ctx, input: CreateInput) => {
    const tags = specTags(input.TagSpecifications, 'security-group', ['security-group']);
    const vpcId = input.VpcId ?? requireDefaultVpc(ctx.store, ctx.accountId, ctx.region).vpc_id;
    const vpc = vpcArn(ctx.region, ctx.accountId, vpcId);
    const entries = [
      resourceEntry(ctx, 'ec2:CreateSecurityGroup', securityGroupArn(ctx.region, ctx.accountId, '*'), {}, { ...requestTagKeys(tags), 'ec2:Vpc': vpc }),
      resourceEntry(ctx, 'ec2:CreateSecurityGroup', vpc, tagsOf(ctx.store, ctx.accountId, vpcId), { 'ec2:Vpc': vpc }),
    ];
    if (tags.length > 0) {
      entries.push(resourceEntry(ctx, 'ec2:CreateTags', securityGroupArn(ctx.region, ctx.accountId, '*'), {}, { ...requestTagKeys(tags), 'ec2:CreateAction': 'CreateSecurityGroup' }));
    }
    return entries;
  },
  run: (ctx, input: CreateInput) => {
    ensureDefaultVpc(ctx.store, ctx.accountId, ctx.region);
    const vpcs = vpcsIn(ctx.store, ctx.accountId, ctx.region);
    const vpcId = input.VpcId ?? requireDefaultVpc(ctx.store, ctx.accountId, ctx.region).vpc_id;
    if (!vpcs.some((v) => v.vpc_id === vpcId)) throw ec2Errors.notFound('InvalidVpcID.NotFound', `The vpc ID '${vpcId}' does not exist`);
    const name = input.GroupName;
    if (name.length === 0 || name.length > 255) throw ec2Errors.invalidParameterValue(`Value (${name}) for parameter GroupName is invalid. Length must be 1 to 255 characters.`);
    if (/^sg-/i.test(name)) throw ec2Errors.invalidParameterValue('Group names may not be in the format sg-*.');
    if (input.Description.length > 255) throw ec2Errors.invalidParameterValue('Value for parameter GroupDescription is invalid. Length must be 0 to 255 characters.');
    if (groupsIn(ctx.store, ctx.accountId, ctx.region).some((g) => g.vpc_id === vpcId && g.group_name === name)) {
      throw new AwsError('InvalidGroup.Duplicate', `The security group '${name}' already exists for VPC '${vpcId}'`, 400);
    }
    const tags = specTags(input.TagSpecifications, 'security-group', ['security-group']);
    checkDryRun(input);
    const group: GroupRow = { account_id: ctx.accountId, group_id: newEc2Id('sg'), region: ctx.region, vpc_id: vpcId, group_name: name, description: input.Description, created_at: ctx.now };
    insertGroup(ctx.store, group);
    // A new group lets all traffic out, as EC2's do.
    insertRule(ctx.store, { account_id: ctx.accountId, rule_id: newEc2Id('sgr'), group_id: group.group_id, is_egress: 1, ip_protocol: '-1', from_port: -1, to_port: -1, peer_kind: 'ipv4', peer: '0.0.0.0/0', description: null });
    putTags(ctx.store, ctx.accountId, group.group_id, 'security-group', tags);
    return { GroupId: group.group_id, SecurityGroupArn: securityGroupArn(ctx.region, ctx.accountId, group.group_id), Tags: tagList(Object.fromEntries(tags.map((t) => [t.Key!, t.Value!]))) };
  },
});

export const DeleteSecurityGroup = operation({
  writes: true,
  authorize: (ctx, input: { GroupId?: string; GroupName?: string }) => groupEntry(ctx, 'ec2:DeleteSecurityGroup', input),
  run: (ctx, input: { GroupId?: string; GroupName?: string; DryRun?: boolean }) => {
    const g = requireGroup(ctx, input);
    if (g.group_name === 'default') {
      throw new AwsError('CannotDelete', `the specified group: "${g.group_id}" name: "default" cannot be deleted by a user`, 400);
    }
    const alive = aliveSql(ctx.now);
    const inUse = ctx.store.prepare<{ instance_id: string }>(
      `SELECT instance_id FROM ec2_instances WHERE account_id = ? AND ${alive.sql} AND EXISTS (SELECT 1 FROM json_each(security_groups) WHERE json_extract(value, '$.GroupId') = ?)`,
    ).get(ctx.accountId, alive.param, g.group_id);
    const referenced = ctx.store.prepare("SELECT 1 FROM ec2_security_group_rules WHERE account_id = ? AND peer_kind = 'group' AND peer = ? AND group_id != ?").get(ctx.accountId, g.group_id, g.group_id);
    if (inUse || referenced) throw new AwsError('DependencyViolation', `resource ${g.group_id} has a dependent object`, 400);
    checkDryRun(input);
    ctx.store.prepare('DELETE FROM ec2_security_groups WHERE account_id = ? AND group_id = ?').run(ctx.accountId, g.group_id);
    deleteAllTags(ctx.store, ctx.accountId, g.group_id);
    return { Return: true, GroupId: g.group_id };
  },
});

const GROUP_FILTERS = new Set(['description', 'group-id', 'group-name', 'owner-id', 'vpc-id', 'ip-permission.cidr', 'ip-permission.protocol', 'ip-permission.from-port', 'ip-permission.to-port', 'egress.ip-permission.cidr']);

export const DescribeSecurityGroups = operation({
  writes: false,
  authorize: (ctx) => describeEntry(ctx, 'ec2:DescribeSecurityGroups'),
  run: (ctx, input: { GroupIds?: string[]; GroupNames?: string[]; Filters?: Filter[]; DryRun?: boolean }) => {
    checkDryRun(input);
    const groups = groupsIn(ctx.store, ctx.accountId, ctx.region);
    for (const id of input.GroupIds ?? []) {
      if (!isEc2Id('sg', id)) throw ec2Errors.malformed('InvalidGroupId.Malformed', id);
      if (!groups.some((g) => g.group_id === id)) throw groupNotFound(id);
    }
    const defaultVpcId = vpcsIn(ctx.store, ctx.accountId, ctx.region).find((v) => v.is_default)?.vpc_id;
    for (const name of input.GroupNames ?? []) {
      if (!groups.some((g) => g.group_name === name && g.vpc_id === defaultVpcId)) throw ec2Errors.notFound('InvalidGroup.NotFound', `The security group '${name}' does not exist in default VPC '${defaultVpcId}'`);
    }
    const rules = rulesIn(ctx.store, ctx.accountId, ctx.region);
    const vpcOf = new Map(groups.map((g) => [g.group_id, g.vpc_id]));
    const tags = tagsByResource(ctx.store, ctx.accountId, 'security-group');
    const out = groups
      .filter((g) => (!input.GroupIds && !input.GroupNames) || input.GroupIds?.includes(g.group_id) || (g.vpc_id === defaultVpcId && input.GroupNames?.includes(g.group_name)))
      .map((g) => {
        const mine = rules.filter((r) => r.group_id === g.group_id);
        const ingress = mine.filter((r) => !r.is_egress);
        const egress = mine.filter((r) => r.is_egress);
        return { g, ingress, egress };
      })
      .filter(({ g, ingress, egress }) =>
        matchesFilters(input.Filters, (n) => {
          switch (n) {
            case 'description': return g.description;
            case 'group-id': return g.group_id;
            case 'group-name': return g.group_name;
            case 'owner-id': return ctx.accountId;
            case 'vpc-id': return g.vpc_id;
            case 'ip-permission.cidr': return ingress.filter((r) => r.peer_kind === 'ipv4').map((r) => r.peer);
            case 'ip-permission.protocol': return ingress.map((r) => r.ip_protocol);
            case 'ip-permission.from-port': return ingress.map((r) => String(r.from_port));
            case 'ip-permission.to-port': return ingress.map((r) => String(r.to_port));
            case 'egress.ip-permission.cidr': return egress.filter((r) => r.peer_kind === 'ipv4').map((r) => r.peer);
          }
          return undefined;
        }, tags.get(g.group_id) ?? {}, GROUP_FILTERS),
      )
      .map(({ g, ingress, egress }) => ({
        GroupId: g.group_id, GroupName: g.group_name, Description: g.description, OwnerId: ctx.accountId, VpcId: g.vpc_id,
        SecurityGroupArn: securityGroupArn(ctx.region, ctx.accountId, g.group_id),
        IpPermissions: permissionsOf(ingress, ctx.accountId, (id) => vpcOf.get(id)),
        IpPermissionsEgress: permissionsOf(egress, ctx.accountId, (id) => vpcOf.get(id)),
        Tags: tagList(tags.get(g.group_id)),
      }));
    return { SecurityGroups: out };
  },
});

const RULE_FILTERS = new Set(['group-id', 'security-group-rule-id']);

export const DescribeSecurityGroupRules = operation({
  writes: false,
  authorize: (ctx) => describeEntry(ctx, 'ec2:DescribeSecurityGroupRules'),
  run: (ctx, input: { SecurityGroupRuleIds?: string[]; Filters?: Filter[]; DryRun?: boolean }) => {
    checkDryRun(input);
    const rules = rulesIn(ctx.store, ctx.accountId, ctx.region);
    for (const id of input.SecurityGroupRuleIds ?? []) {
      if (!rules.some((r) => r.rule_id === id)) throw ec2Errors.notFound('InvalidSecurityGroupRuleId.NotFound', `The security group rule ID '${id}' does not exist`);
    }
    return {
      SecurityGroupRules: rules
        .filter((r) => !input.SecurityGroupRuleIds || input.SecurityGroupRuleIds.includes(r.rule_id))
        .filter((r) => matchesFilters(input.Filters, (n) => (n === 'group-id' ? r.group_id : r.rule_id), {}, RULE_FILTERS))
        .map((r) => ruleShape(r, ctx.accountId, securityGroupRuleArn(ctx.region, ctx.accountId, r.rule_id))),
    };
  },
});

/** Authorize and Revoke take IpPermissions, or one permission spelled out at the top level. */
interface RuleChangeInput {
  GroupId?: string;
  GroupName?: string;
  IpPermissions?: IpPermission[];
  IpProtocol?: string;
  FromPort?: number;
  ToPort?: number;
  CidrIp?: string;
  SourceSecurityGroupName?: string;
  SecurityGroupRuleIds?: string[];
  DryRun?: boolean;
}

function requestedRules(ctx: RequestContext, input: RuleChangeInput, group: GroupRow): RuleSpec[] {
  const perms: IpPermission[] = [...(input.IpPermissions ?? [])];
  if (input.CidrIp !== undefined || input.SourceSecurityGroupName !== undefined || input.IpProtocol !== undefined) {
    perms.push({
      IpProtocol: input.IpProtocol ?? '-1', FromPort: input.FromPort, ToPort: input.ToPort,
      IpRanges: input.CidrIp !== undefined ? [{ CidrIp: input.CidrIp }] : [],
      UserIdGroupPairs: input.SourceSecurityGroupName !== undefined ? [{ GroupName: input.SourceSecurityGroupName }] : [],
    });
  }
  const groups = groupsIn(ctx.store, ctx.accountId, ctx.region);
  return rulesOf(perms, (pair) => {
    const found = pair.GroupId !== undefined
      ? groups.find((g) => g.group_id === pair.GroupId)
      : groups.find((g) => g.group_name === pair.GroupName && g.vpc_id === group.vpc_id);
    if (!found) throw groupNotFound(pair.GroupId ?? pair.GroupName ?? '');
    return found.group_id;
  });
}

function sameRule(r: RuleRow, s: RuleSpec): boolean {
  return r.ip_protocol === s.ip_protocol && r.from_port === s.from_port && r.to_port === s.to_port && r.peer_kind === s.peer_kind && r.peer === s.peer;
}

function authorizeRules(egress: boolean) {
  return operation({
    writes: true,
    authorize: (ctx, input: RuleChangeInput) => groupEntry(ctx, egress ? 'ec2:AuthorizeSecurityGroupEgress' : 'ec2:AuthorizeSecurityGroupIngress', input),
    run: (ctx, input: RuleChangeInput) => {
      ensureDefaultVpc(ctx.store, ctx.accountId, ctx.region);
      const group = requireGroup(ctx, input);
      const specs = requestedRules(ctx, input, group);
      if (specs.length === 0) throw ec2Errors.missingParameter('IpPermissions');
      const existing = rulesIn(ctx.store, ctx.accountId, ctx.region).filter((r) => r.group_id === group.group_id && r.is_egress === Number(egress));
      for (const s of specs) {
        if (existing.some((r) => sameRule(r, s))) throw new AwsError('InvalidPermission.Duplicate', `the specified rule "${describeRule(s)}" already exists`, 400);
      }
      checkDryRun(input);
      const made: RuleRow[] = [];
      for (const s of specs) {
        const row: RuleRow = { ...s, account_id: ctx.accountId, rule_id: newEc2Id('sgr'), group_id: group.group_id, is_egress: Number(egress) };
        try {
          insertRule(ctx.store, row);
        } catch (err) {
          if (String(err).includes('UNIQUE')) throw new AwsError('InvalidPermission.Duplicate', `the specified rule "${describeRule(s)}" already exists`, 400);
          throw err;
        }
        made.push(row);
      }
      return { Return: true, SecurityGroupRules: made.map((r) => ruleShape(r, ctx.accountId, securityGroupRuleArn(ctx.region, ctx.accountId, r.rule_id))) };
    },
  });
}

function revokeRules(egress: boolean) {
  return operation({
    writes: true,
    authorize: (ctx, input: RuleChangeInput) => groupEntry(ctx, egress ? 'ec2:RevokeSecurityGroupEgress' : 'ec2:RevokeSecurityGroupIngress', input),
    run: (ctx, input: RuleChangeInput) => {
      ensureDefaultVpc(ctx.store, ctx.accountId, ctx.region);
      const group = requireGroup(ctx, input);
      const existing = rulesIn(ctx.store, ctx.accountId, ctx.region).filter((r) => r.group_id === group.group_id && r.is_egress === Number(egress));
      const doomed: RuleRow[] = [];
      for (const id of input.SecurityGroupRuleIds ?? []) {
        const r = existing.find((e) => e.rule_id === id);
        if (!r) throw ec2Errors.notFound('InvalidSecurityGroupRuleId.NotFound', `The security group rule ID '${id}' does not exist`);
        doomed.push(r);
      }
      const unknown: RuleSpec[] = [];
      for (const s of requestedRules(ctx, input, group)) {
        const r = existing.find((e) => sameRule(e, s));
        if (r) doomed.push(r);
        else unknown.push(s);
      }
      if (doomed.length === 0) throw ec2Errors.notFound('InvalidPermission.NotFound', 'The specified rule does not exist in this security group.');
      checkDryRun(input);
      const del = ctx.store.prepare('DELETE FROM ec2_security_group_rules WHERE account_id = ? AND rule_id = ?');
      for (const r of doomed) del.run(ctx.accountId, r.rule_id);
      const out: Record<string, unknown> = {
        Return: true,
        RevokedSecurityGroupRules: doomed.map((r) => ({
          SecurityGroupRuleId: r.rule_id, GroupId: r.group_id, IsEgress: egress, IpProtocol: r.ip_protocol, FromPort: r.from_port, ToPort: r.to_port,
          ...(r.peer_kind === 'ipv4' ? { CidrIpv4: r.peer } : r.peer_kind === 'ipv6' ? { CidrIpv6: r.peer } : r.peer_kind === 'group' ? { ReferencedGroupId: r.peer } : { PrefixListId: r.peer }),
        })),
      };
      if (unknown.length > 0) out.UnknownIpPermissions = permissionsOf(unknown.map((s) => ({ ...s, account_id: ctx.accountId, rule_id: '', group_id: group.group_id, is_egress: Number(egress) })), ctx.accountId, () => group.vpc_id);
      return out;
    },
  });
}

export const AuthorizeSecurityGroupIngress = authorizeRules(false);
export const AuthorizeSecurityGroupEgress = authorizeRules(true);
export const RevokeSecurityGroupIngress = revokeRules(false);
export const RevokeSecurityGroupEgress = revokeRules(true);

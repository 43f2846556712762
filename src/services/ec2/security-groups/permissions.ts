import type { RuleRow } from '../vpcs/rows.js';
import { ec2Errors } from '../shared/errors.js';

/** An IpPermission as decoded from a request or shown in a response. */
export interface IpPermission {
  IpProtocol?: string;
  FromPort?: number;
  ToPort?: number;
  IpRanges?: Array<{ CidrIp?: string; Description?: string }>;
  Ipv6Ranges?: Array<{ CidrIpv6?: string; Description?: string }>;
  UserIdGroupPairs?: Array<{ GroupId?: string; GroupName?: string; UserId?: string; VpcId?: string; Description?: string }>;
  PrefixListIds?: Array<{ PrefixListId?: string; Description?: string }>;
}

/** A rule before it has an ID: one protocol/port range and one peer. */
export type RuleSpec = Omit<RuleRow, 'account_id' | 'rule_id' | 'group_id' | 'is_egress'>;

const PROTOCOL_NAMES: Record<string, string> = { tcp: 'tcp', '6': 'tcp', udp: 'udp', '17': 'udp', icmp: 'icmp', '1': 'icmp', '-1': '-1', all: '-1', icmpv6: 'icmpv6', '58': 'icmpv6' };

/** The rules an IpPermission list stands for, checked as EC2 checks them. */
export function rulesOf(perms: IpPermission[], groupOf: (p: { GroupId?: string; GroupName?: string }) => string): RuleSpec[] {
  const out: RuleSpec[] = [];
  for (const p of perms) {
    const raw = (p.IpProtocol ?? '').toLowerCase();
    const protocol = PROTOCOL_NAMES[raw] ?? (/^\d+$/.test(raw) && Number(raw) <= 255 ? raw : undefined);
    if (!protocol) throw ec2Errors.invalidParameterValue(`Invalid value '${p.IpProtocol ?? ''}' for IP protocol. Unknown protocol.`);
    let from = p.FromPort ?? -1;
    let to = p.ToPort ?? -1;
    if (protocol === 'tcp' || protocol === 'udp') {
      if (p.FromPort === undefined || p.ToPort === undefined) {
        throw ec2Errors.invalidParameterValue(`Invalid value 'Must specify both from and to ports with TCP/UDP.' for portRange.`);
      }
      if (from < 0 || to > 65535 || from > to) throw ec2Errors.invalidParameterValue(`Invalid value '${from}-${to}' for portRange.`);
    } else if (protocol !== 'icmp' && protocol !== 'icmpv6') {
      from = -1;
      to = -1;
    }
    const base = { ip_protocol: protocol, from_port: from, to_port: to };
    for (const r of p.IpRanges ?? []) out.push({ ...base, peer_kind: 'ipv4', peer: checkCidr(r.CidrIp ?? '', 4), description: r.Description ?? null });
    for (const r of p.Ipv6Ranges ?? []) out.push({ ...base, peer_kind: 'ipv6', peer: checkCidr(r.CidrIpv6 ?? '', 6), description: r.Description ?? null });
    for (const g of p.UserIdGroupPairs ?? []) out.push({ ...base, peer_kind: 'group', peer: groupOf(g), description: g.Description ?? null });
    for (const l of p.PrefixListIds ?? []) out.push({ ...base, peer_kind: 'prefix-list', peer: l.PrefixListId ?? '', description: l.Description ?? null });
  }
  return out;
}

function checkCidr(cidr: string, version: 4 | 6): string {
  const ok = version === 4
    ? /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(cidr)?.slice(1).every((n, i) => Number(n) <= (i === 4 ? 32 : 255))
    : /^[0-9a-fA-F:]+\/\d{1,3}$/.test(cidr) && Number(cidr.split('/')[1]) <= 128;
  if (!ok) throw ec2Errors.invalidParameterValue(`CIDR block ${cidr} is malformed`);
  return cidr;
}

/** Rules gathered back into IpPermissions, one per protocol and port range, as DescribeSecurityGroups shows them. */
export function permissionsOf(rules: RuleRow[], accountId: string, vpcOf: (groupId: string) => string | undefined): IpPermission[] {
  const byRange = new Map<string, Required<Pick<IpPermission, 'IpRanges' | 'Ipv6Ranges' | 'UserIdGroupPairs' | 'PrefixListIds'>> & IpPermission>();
  for (const r of rules) {
    const key = `${r.ip_protocol}/${r.from_port}/${r.to_port}`;
    let p = byRange.get(key);
    if (!p) {
      p = { IpProtocol: r.ip_protocol, IpRanges: [], Ipv6Ranges: [], UserIdGroupPairs: [], PrefixListIds: [] };
      if (r.ip_protocol !== '-1') {
        p.FromPort = r.from_port;
        p.ToPort = r.to_port;
      }
      byRange.set(key, p);
    }
    const description = r.description ?? undefined;
    if (r.peer_kind === 'ipv4') p.IpRanges.push({ CidrIp: r.peer, Description: description });
    else if (r.peer_kind === 'ipv6') p.Ipv6Ranges.push({ CidrIpv6: r.peer, Description: description });
    else if (r.peer_kind === 'group') p.UserIdGroupPairs.push({ GroupId: r.peer, UserId: accountId, VpcId: vpcOf(r.peer), Description: description });
    else p.PrefixListIds.push({ PrefixListId: r.peer, Description: description });
  }
  return [...byRange.values()];
}

/** A rule as DescribeSecurityGroupRules and Authorize* show it. */
export function ruleShape(r: RuleRow, accountId: string, arn: string): Record<string, unknown> {
  const out: Record<string, unknown> = {
    SecurityGroupRuleId: r.rule_id, GroupId: r.group_id, GroupOwnerId: accountId, IsEgress: r.is_egress === 1, IpProtocol: r.ip_protocol,
    FromPort: r.from_port, ToPort: r.to_port, SecurityGroupRuleArn: arn, Tags: [],
  };
  if (r.peer_kind === 'ipv4') out.CidrIpv4 = r.peer;
  else if (r.peer_kind === 'ipv6') out.CidrIpv6 = r.peer;
  else if (r.peer_kind === 'group') out.ReferencedGroupInfo = { GroupId: r.peer, UserId: accountId };
  else out.PrefixListId = r.peer;
  if (r.description !== null) out.Description = r.description;
  return out;
}

/** EC2's words for a rule in InvalidPermission.Duplicate. */
export function describeRule(r: RuleSpec): string {
  const proto = r.ip_protocol === '-1' ? 'ALL' : r.ip_protocol.toUpperCase();
  const ports = r.ip_protocol === '-1' ? '' : `, from port: ${r.from_port}, to port: ${r.to_port}`;
  return `peer: ${r.peer}, ${proto}${ports}, ALLOW`;
}

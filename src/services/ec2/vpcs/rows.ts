import type { Store } from '../../../store/store.js';
import { AwsError } from '../../../protocol/errors.js';
import { derivedEc2Id } from '../shared/ids.js';
import { zonesOf } from '../regions/catalogue.js';

export interface VpcRow {
  account_id: string;
  vpc_id: string;
  region: string;
  cidr_block: string;
  /** 1 the default VPC, 0 another, DELETED_DEFAULT the default VPC once deleted (so it is not computed again). */
  is_default: number;
  created_at: number;
}

export interface SubnetRow {
  account_id: string;
  subnet_id: string;
  region: string;
  vpc_id: string;
  availability_zone: string;
  cidr_block: string;
  default_for_az: number;
  created_at: number;
}

export interface GroupRow {
  account_id: string;
  group_id: string;
  region: string;
  vpc_id: string;
  group_name: string;
  description: string;
  created_at: number;
}

export interface RuleRow {
  account_id: string;
  rule_id: string;
  group_id: string;
  is_egress: number;
  ip_protocol: string;
  from_port: number;
  to_port: number;
  peer_kind: 'ipv4' | 'ipv6' | 'group' | 'prefix-list';
  peer: string;
  description: string | null;
}

/**
 * An account's default VPC in a region, as EC2 makes it: 172.31.0.0/16, one default
 * subnet (/20) per availability zone, and the "default" security group (all traffic in
 * from its own members, all traffic out). IDs derive from account and region, so the
 * VPC read before it is written (see ensureDefaultVpc) is the one written later.
 */
export function defaultVpc(accountId: string, region: string): { vpc: VpcRow; subnets: SubnetRow[]; group: GroupRow; rules: RuleRow[] } {
  const vpcId = derivedEc2Id('vpc', accountId, region);
  const vpc: VpcRow = { account_id: accountId, vpc_id: vpcId, region, cidr_block: '172.31.0.0/16', is_default: 1, created_at: 0 };
  const subnets = zonesOf(region).map((z, i): SubnetRow => ({
    account_id: accountId, subnet_id: derivedEc2Id('subnet', accountId, region, z.name), region, vpc_id: vpcId,
    availability_zone: z.name, cidr_block: `172.31.${i * 16}.0/20`, default_for_az: 1, created_at: 0,
  }));
  const group = defaultGroup(accountId, region, vpcId);
  return { vpc, subnets, group, rules: defaultGroupRules(group) };
}

/** The "default" security group every VPC gets. */
export function defaultGroup(accountId: string, region: string, vpcId: string): GroupRow {
  return {
    account_id: accountId, group_id: derivedEc2Id('sg', accountId, region, vpcId), region, vpc_id: vpcId, group_name: 'default',
    description: 'default VPC security group', created_at: 0,
  };
}

function defaultGroupRules(g: GroupRow): RuleRow[] {
  const base = { account_id: g.account_id, group_id: g.group_id, ip_protocol: '-1', from_port: -1, to_port: -1, description: null };
  return [
    { ...base, rule_id: derivedEc2Id('sgr', g.group_id, 'in'), is_egress: 0, peer_kind: 'group', peer: g.group_id },
    { ...base, rule_id: derivedEc2Id('sgr', g.group_id, 'out'), is_egress: 1, peer_kind: 'ipv4', peer: '0.0.0.0/0' },
  ];
}

/** The mark a deleted default VPC leaves: the region has had its default VPC, and has none now. */
export const DELETED_DEFAULT = -1;

/** Has the region's default VPC been written (and perhaps deleted since)? Then only stored rows count. */
function hasDefaultVpc(store: Store, accountId: string, region: string): boolean {
  return store.prepare('SELECT 1 FROM ec2_vpcs WHERE account_id = ? AND region = ? AND is_default != 0').get(accountId, region) !== undefined;
}

/** Writes the region's default VPC if it is not there yet: every write that may name it calls this first. */
export function ensureDefaultVpc(store: Store, accountId: string, region: string): void {
  if (hasDefaultVpc(store, accountId, region)) return;
  const { vpc, subnets, group, rules } = defaultVpc(accountId, region);
  store.prepare('INSERT INTO ec2_vpcs (account_id, vpc_id, region, cidr_block, is_default, created_at) VALUES (?, ?, ?, ?, ?, ?)')
    .run(vpc.account_id, vpc.vpc_id, vpc.region, vpc.cidr_block, vpc.is_default, vpc.created_at);
  const subnet = store.prepare(
    'INSERT INTO ec2_subnets (account_id, subnet_id, region, vpc_id, availability_zone, cidr_block, default_for_az, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  );
  for (const s of subnets) subnet.run(s.account_id, s.subnet_id, s.region, s.vpc_id, s.availability_zone, s.cidr_block, s.default_for_az, s.created_at);
  insertGroup(store, group);
  for (const r of rules) insertRule(store, r);
}

export function insertGroup(store: Store, g: GroupRow): void {
  store.prepare('INSERT INTO ec2_security_groups (account_id, group_id, region, vpc_id, group_name, description, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
    .run(g.account_id, g.group_id, g.region, g.vpc_id, g.group_name, g.description, g.created_at);
}

export function insertRule(store: Store, r: RuleRow): void {
  store.prepare(
    `INSERT INTO ec2_security_group_rules (account_id, rule_id, group_id, is_egress, ip_protocol, from_port, to_port, peer_kind, peer, description)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(r.account_id, r.rule_id, r.group_id, r.is_egress, r.ip_protocol, r.from_port, r.to_port, r.peer_kind, r.peer, r.description);
}

/** The region's VPCs: stored ones, and the default one computed when it is not written yet. */
export function vpcsIn(store: Store, accountId: string, region: string): VpcRow[] {
  const rows = store.prepare<VpcRow>('SELECT * FROM ec2_vpcs WHERE account_id = ? AND region = ? ORDER BY vpc_id').all(accountId, region);
  if (rows.some((r) => r.is_default !== 0)) return rows.filter((r) => r.is_default !== DELETED_DEFAULT);
  return [defaultVpc(accountId, region).vpc, ...rows];
}

export function findVpc(store: Store, accountId: string, region: string, vpcId: string): VpcRow | undefined {
  return vpcsIn(store, accountId, region).find((v) => v.vpc_id === vpcId);
}

/** The region's default VPC, or EC2's error once it is deleted. */
export function requireDefaultVpc(store: Store, accountId: string, region: string): VpcRow {
  const vpc = vpcsIn(store, accountId, region).find((v) => v.is_default === 1);
  if (!vpc) throw new AwsError('VPCIdNotSpecified', 'No default VPC for this user', 400);
  return vpc;
}

export function subnetsIn(store: Store, accountId: string, region: string): SubnetRow[] {
  const rows = store.prepare<SubnetRow>('SELECT * FROM ec2_subnets WHERE account_id = ? AND region = ? ORDER BY availability_zone, subnet_id').all(accountId, region);
  return hasDefaultVpc(store, accountId, region) ? rows : [...defaultVpc(accountId, region).subnets, ...rows];
}

export function groupsIn(store: Store, accountId: string, region: string): GroupRow[] {
  const rows = store.prepare<GroupRow>('SELECT * FROM ec2_security_groups WHERE account_id = ? AND region = ? ORDER BY group_id').all(accountId, region);
  return hasDefaultVpc(store, accountId, region) ? rows : [defaultVpc(accountId, region).group, ...rows];
}

export function rulesIn(store: Store, accountId: string, region: string): RuleRow[] {
  const rows = store.prepare<RuleRow>(
    `SELECT r.* FROM ec2_security_group_rules r JOIN ec2_security_groups g ON g.account_id = r.account_id AND g.group_id = r.group_id
     WHERE r.account_id = ? AND g.region = ? ORDER BY r.rowid`,
  ).all(accountId, region);
  return hasDefaultVpc(store, accountId, region) ? rows : [...defaultVpc(accountId, region).rules, ...rows];
}

export function findSubnet(store: Store, accountId: string, region: string, subnetId: string): SubnetRow | undefined {
  return subnetsIn(store, accountId, region).find((s) => s.subnet_id === subnetId);
}

export function findGroup(store: Store, accountId: string, region: string, groupId: string): GroupRow | undefined {
  return groupsIn(store, accountId, region).find((g) => g.group_id === groupId);
}

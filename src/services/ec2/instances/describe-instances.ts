import { operation } from '../../operation.js';
import { encodeOnce } from '../../../protocol/index.js';
import type { RequestContext } from '../../types.js';
import { describeEntry } from '../authz/entries.js';
import { checkDryRun, ec2Errors } from '../shared/errors.js';
import { decodeNextToken, encodeNextToken, matchesFilters, type Filter } from '../shared/filters.js';
import { tagsByResource } from '../tags/tag-rows.js';
import { imagesIn } from '../images/catalogue.js';
import { checkInstanceId, instanceNotFound, instanceShape, privateDnsName, publicDnsName, stateOf, type AssociationRow, type InstanceRow } from './instance-rows.js';
import { STATE_CODES, TERMINATED_VISIBLE_MS } from './states.js';

const INSTANCE_FILTERS = new Set([
  'instance-id', 'instance-state-name', 'instance-state-code', 'instance-type', 'image-id', 'key-name', 'subnet-id', 'vpc-id', 'availability-zone',
  'private-ip-address', 'ip-address', 'private-dns-name', 'dns-name', 'reservation-id', 'iam-instance-profile.arn', 'iam-instance-profile.id',
  'instance.group-id', 'instance.group-name', 'group-id', 'group-name', 'owner-id', 'architecture', 'root-device-type', 'launch-time',
  'metadata-options.http-tokens', 'metadata-options.http-endpoint', 'metadata-options.http-put-response-hop-limit', 'client-token', 'ami-launch-index',
]);

/**
 * The region's instances and what Describe needs beside them, read once per snapshot and
 * remembered until the next write (src/store/remembered.ts): a page of DescribeInstances
 * over a thousand instances then costs filtering, not a thousand row reads.
 */
function regionInstances(ctx: RequestContext) {
  return ctx.store.remembered(`ec2:instances:${ctx.accountId}:${ctx.region}`, () => {
    const rows = ctx.store.prepare<InstanceRow>('SELECT * FROM ec2_instances WHERE account_id = ? AND region = ? ORDER BY rowid').all(ctx.accountId, ctx.region);
    const associations = new Map(ctx.store.prepare<AssociationRow>('SELECT * FROM ec2_profile_associations WHERE account_id = ?').all(ctx.accountId).map((a) => [a.instance_id, a]));
    const tags = tagsByResource(ctx.store, ctx.accountId, 'instance');
    return rows.map((row) => ({
      row,
      groups: JSON.parse(row.security_groups) as Array<{ GroupId: string; GroupName: string }>,
      options: JSON.parse(row.metadata_options) as Record<string, unknown>,
      association: associations.get(row.instance_id),
      tags: tags.get(row.instance_id) ?? {},
    }));
  });
}

interface DescribeInstancesInput {
  InstanceIds?: string[];
  Filters?: Filter[];
  MaxResults?: number;
  NextToken?: string;
  DryRun?: boolean;
}

export const DescribeInstances = operation({
  writes: false,
  authorize: (ctx) => describeEntry(ctx, 'ec2:DescribeInstances'),
  run: (ctx, input: DescribeInstancesInput) => {
    checkDryRun(input);
    if (input.MaxResults !== undefined) {
      if (input.InstanceIds?.length) throw ec2Errors.invalidParameterCombination('The parameter instancesSet cannot be used with the parameter maxResults');
      if (input.MaxResults < 5 || input.MaxResults > 1000) {
        throw ec2Errors.invalidParameterValue(`Value ( ${input.MaxResults} ) for parameter maxResults is invalid. Expecting a value greater than 5.`);
      }
    }
    const ids = input.InstanceIds ? new Set(input.InstanceIds) : undefined;
    for (const id of input.InstanceIds ?? []) checkInstanceId(id);
    const now = ctx.now;
    const visible = regionInstances(ctx).filter((i) => {
      const state = stateOf(i.row, now);
      return state.name !== 'terminated' || now - state.since < TERMINATED_VISIBLE_MS;
    });
    if (ids) {
      const missing = [...ids].filter((id) => !visible.some((i) => i.row.instance_id === id));
      if (missing.length > 0) {
        throw missing.length === 1 ? instanceNotFound(missing[0]) : ec2Errors.notFound('InvalidInstanceID.NotFound', `The instance IDs '${missing.join(', ')}' do not exist`);
      }
    }
    let start = 0;
    if (input.NextToken !== undefined) {
      const after = decodeNextToken(input.NextToken);
      start = visible.findIndex((i) => i.row.instance_id === after) + 1;
      if (start === 0) throw ec2Errors.invalidNextToken();
    }
    const limit = input.MaxResults ?? Infinity;
    const page: typeof visible = [];
    let next: string | undefined;
    for (let k = start; k < visible.length; k++) {
      const i = visible[k];
      if (ids && !ids.has(i.row.instance_id)) continue;
      if (input.Filters && !matchesFilters(input.Filters, (n) => filterValue(ctx, i, n), i.tags, INSTANCE_FILTERS)) continue;
      if (page.length === limit) {
        next = encodeNextToken(page[page.length - 1].row.instance_id);
        break;
      }
      page.push(i);
    }
    // Instances are listed in their reservations, in launch order.
    const reservations = new Map<string, { ReservationId: string; OwnerId: string; Groups: unknown[]; Instances: unknown[] }>();
    for (const i of page) {
      let r = reservations.get(i.row.reservation_id);
      if (!r) reservations.set(i.row.reservation_id, (r = { ReservationId: i.row.reservation_id, OwnerId: ctx.accountId, Groups: [], Instances: [] }));
      r.Instances.push(shapeOf(i, now));
    }
    return { Reservations: [...reservations.values()], NextToken: next };
  },
});

/**
 * Instances' shapes, kept by what they are computed from (the row, its tags, its profile
 * association and the state the clock puts it in), so they survive writes that change
 * nothing about them. Each is marked `encodeOnce`: its XML is written once too, and a page
 * of a thousand instances is a join of kept strings.
 */
const shapes = new Map<string, { key: string; shape: Record<string, unknown> }>();
const MAX_KEPT_SHAPES = 50_000;

function shapeOf(i: { row: InstanceRow; tags: Record<string, string>; association?: AssociationRow }, now: number): Record<string, unknown> {
  const state = stateOf(i.row, now).name;
  const key = `${state}\n${JSON.stringify(i.row)}\n${JSON.stringify(i.tags)}\n${i.association ? JSON.stringify(i.association) : ''}`;
  const id = `${i.row.account_id}:${i.row.instance_id}`;
  const kept = shapes.get(id);
  if (kept?.key === key) return kept.shape;
  const shape = encodeOnce(instanceShape(i.row, now, i.tags, i.association));
  if (shapes.size >= MAX_KEPT_SHAPES) shapes.clear();
  shapes.set(id, { key, shape });
  return shape;
}

function filterValue(
  ctx: RequestContext, i: { row: InstanceRow; groups: Array<{ GroupId: string; GroupName: string }>; options: Record<string, unknown>; association?: AssociationRow }, name: string,
): string | string[] | undefined {
  const { row } = i;
  const state = stateOf(row, ctx.now).name;
  switch (name) {
    case 'instance-id': return row.instance_id;
    case 'instance-state-name': return state;
    case 'instance-state-code': return String(STATE_CODES[state]);
    case 'instance-type': return row.instance_type;
    case 'image-id': return row.image_id;
    case 'key-name': return row.key_name ?? undefined;
    case 'subnet-id': return row.subnet_id;
    case 'vpc-id': return row.vpc_id;
    case 'availability-zone': return row.availability_zone;
    case 'private-ip-address': return row.private_ip;
    case 'ip-address': return row.public_ip ?? undefined;
    case 'private-dns-name': return privateDnsName(row.private_ip, row.region);
    case 'dns-name': return row.public_ip ? publicDnsName(row.public_ip, row.region) : undefined;
    case 'reservation-id': return row.reservation_id;
    case 'iam-instance-profile.arn': return i.association?.instance_profile_arn;
    case 'iam-instance-profile.id': return i.association?.instance_profile_id;
    case 'instance.group-id': case 'group-id': return i.groups.map((g) => g.GroupId);
    case 'instance.group-name': case 'group-name': return i.groups.map((g) => g.GroupName);
    case 'owner-id': return row.account_id;
    case 'architecture': return imagesIn(row.region).get(row.image_id)?.architecture;
    case 'root-device-type': return 'ebs';
    case 'launch-time': return new Date(row.launched_at).toISOString();
    case 'metadata-options.http-tokens': return String(i.options.HttpTokens);
    case 'metadata-options.http-endpoint': return String(i.options.HttpEndpoint);
    case 'metadata-options.http-put-response-hop-limit': return String(i.options.HttpPutResponseHopLimit);
    case 'client-token': return row.client_token ?? undefined;
    case 'ami-launch-index': return String(row.ami_launch_index);
  }
  return undefined;
}

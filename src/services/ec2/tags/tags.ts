import { operation } from '../../operation.js';
import type { AuthzEntry, RequestContext } from '../../types.js';
import { AwsError } from '../../../protocol/errors.js';
import { ec2Arn, keyPairArn } from '../authz/arns.js';
import { describeEntry, requestTagKeys, resourceEntry } from '../authz/entries.js';
import { checkDryRun, ec2Errors } from '../shared/errors.js';
import { decodeNextToken, encodeNextToken, matchesFilters, type Filter } from '../shared/filters.js';
import { findInstance, instanceKeys, associationOf, stateOf, type InstanceRow } from '../instances/instance-rows.js';
import { findGroup, findSubnet, vpcsIn, ensureDefaultVpc } from '../vpcs/rows.js';
import { checkTags, putTags, tagsOf, type Tag } from './tag-rows.js';

/** The resource types CreateTags reaches here, by ID prefix, with their ARN type and NotFound code. */
const KINDS: Record<string, { type: string; notFound: string; what: string }> = {
  i: { type: 'instance', notFound: 'InvalidInstanceID.NotFound', what: 'instance ID' },
  sg: { type: 'security-group', notFound: 'InvalidGroup.NotFound', what: 'security group ID' },
  key: { type: 'key-pair', notFound: 'InvalidKeyPair.NotFound', what: 'key pair ID' },
  vpc: { type: 'vpc', notFound: 'InvalidVpcID.NotFound', what: 'vpc ID' },
  subnet: { type: 'subnet', notFound: 'InvalidSubnetID.NotFound', what: 'subnet ID' },
  vol: { type: 'volume', notFound: 'InvalidVolume.NotFound', what: 'volume' },
  eni: { type: 'network-interface', notFound: 'InvalidNetworkInterfaceID.NotFound', what: 'networkInterface ID' },
};

interface Resolved {
  id: string;
  type: string;
  arn: string;
  exists: boolean;
  keys: Record<string, string>;
}

function resolve(ctx: RequestContext, id: string): Resolved {
  const prefix = /^([a-z]+)-[0-9a-f]+$/.exec(id)?.[1];
  const kind = prefix ? KINDS[prefix] : undefined;
  if (!kind) throw new AwsError('InvalidID', `The ID '${id}' is not valid`, 400);
  const { store, accountId, region } = ctx;
  let exists = false;
  let arn = ec2Arn(region, accountId, kind.type, id);
  let keys: Record<string, string> = {};
  if (kind.type === 'instance') {
    const row = findInstance(store, accountId, region, id);
    exists = row !== undefined;
    if (row) keys = instanceKeys(row, associationOf(store, accountId, id));
  } else if (kind.type === 'security-group') exists = findGroup(store, accountId, region, id) !== undefined;
  else if (kind.type === 'subnet') exists = findSubnet(store, accountId, region, id) !== undefined;
  else if (kind.type === 'vpc') exists = vpcsIn(store, accountId, region).some((v) => v.vpc_id === id);
  else if (kind.type === 'volume' || kind.type === 'network-interface') {
    // A root volume or primary interface lives as long as its instance.
    const column = kind.type === 'volume' ? 'volume_id' : 'eni_id';
    const row = store.prepare<InstanceRow>(`SELECT * FROM ec2_instances WHERE account_id = ? AND region = ? AND ${column} = ?`).get(accountId, region, id);
    exists = row !== undefined && stateOf(row, ctx.now).name !== 'terminated';
  } else {
    const key = store.prepare<{ key_name: string }>('SELECT key_name FROM ec2_key_pairs WHERE account_id = ? AND region = ? AND key_pair_id = ?').get(accountId, region, id);
    exists = key !== undefined;
    if (key) arn = keyPairArn(region, accountId, key.key_name);
  }
  return { id, type: kind.type, arn, exists, keys };
}

function requireExisting(r: Resolved): void {
  if (!r.exists) {
    const kind = Object.values(KINDS).find((k) => k.type === r.type)!;
    throw ec2Errors.notFound(kind.notFound, `The ${kind.what} '${r.id}' does not exist`);
  }
}

interface TagsInput {
  Resources: string[];
  Tags?: Tag[];
  DryRun?: boolean;
}

function tagEntries(action: string) {
  return (ctx: RequestContext, input: TagsInput): AuthzEntry[] =>
    input.Resources.map((id) => {
      const r = resolve(ctx, id);
      const keys = { ...r.keys, ...requestTagKeys(input.Tags ?? []) };
      return resourceEntry(ctx, action, r.arn, r.exists ? tagsOf(ctx.store, ctx.accountId, id) : {}, keys);
    });
}

export const CreateTags = operation({
  writes: true,
  authorize: tagEntries('ec2:CreateTags'),
  run: (ctx, input: TagsInput) => {
    const tags = input.Tags ?? [];
    if (tags.length === 0) throw ec2Errors.missingParameter('Tags');
    checkTags(tags);
    const resolved = input.Resources.map((id) => resolve(ctx, id));
    resolved.forEach(requireExisting);
    checkDryRun(input);
    if (resolved.some((r) => r.type === 'vpc' || r.type === 'subnet' || r.type === 'security-group')) ensureDefaultVpc(ctx.store, ctx.accountId, ctx.region);
    for (const r of resolved) putTags(ctx.store, ctx.accountId, r.id, r.type, tags);
    return {};
  },
});

export const DeleteTags = operation({
  writes: true,
  authorize: tagEntries('ec2:DeleteTags'),
  run: (ctx, input: TagsInput) => {
    const resolved = input.Resources.map((id) => resolve(ctx, id));
    resolved.forEach(requireExisting);
    checkDryRun(input);
    const byKey = ctx.store.prepare('DELETE FROM ec2_tags WHERE account_id = ? AND resource_id = ? AND key = ?');
    const byValue = ctx.store.prepare('DELETE FROM ec2_tags WHERE account_id = ? AND resource_id = ? AND key = ? AND value = ?');
    const all = ctx.store.prepare('DELETE FROM ec2_tags WHERE account_id = ? AND resource_id = ?');
    for (const r of resolved) {
      // No Tags: every tag goes. A tag with a Value (even "") goes only with that value.
      if (!input.Tags || input.Tags.length === 0) all.run(ctx.accountId, r.id);
      for (const t of input.Tags ?? []) {
        if (t.Value === undefined) byKey.run(ctx.accountId, r.id, t.Key ?? '');
        else byValue.run(ctx.accountId, r.id, t.Key ?? '', t.Value);
      }
    }
    return {};
  },
});

const TAG_FILTERS = new Set(['key', 'value', 'resource-id', 'resource-type']);

export const DescribeTags = operation({
  writes: false,
  authorize: (ctx) => describeEntry(ctx, 'ec2:DescribeTags'),
  run: (ctx, input: { Filters?: Filter[]; MaxResults?: number; NextToken?: string; DryRun?: boolean }) => {
    checkDryRun(input);
    if (input.MaxResults !== undefined && (input.MaxResults < 5 || input.MaxResults > 1000)) {
      throw ec2Errors.invalidParameterValue(`Value ( ${input.MaxResults} ) for parameter maxResults is invalid. Expecting a value between 5 and 1000.`);
    }
    const rows = ctx.store.prepare<{ resource_id: string; resource_type: string; key: string; value: string }>(
      `SELECT t.resource_id, t.resource_type, t.key, t.value FROM ec2_tags t
       WHERE t.account_id = ? AND (
         (t.resource_type = 'instance' AND EXISTS (SELECT 1 FROM ec2_instances i WHERE i.account_id = t.account_id AND i.instance_id = t.resource_id AND i.region = ?))
         OR (t.resource_type = 'security-group' AND EXISTS (SELECT 1 FROM ec2_security_groups g WHERE g.account_id = t.account_id AND g.group_id = t.resource_id AND g.region = ?))
         OR (t.resource_type = 'key-pair' AND EXISTS (SELECT 1 FROM ec2_key_pairs k WHERE k.account_id = t.account_id AND k.key_pair_id = t.resource_id AND k.region = ?))
         OR (t.resource_type = 'vpc' AND EXISTS (SELECT 1 FROM ec2_vpcs v WHERE v.account_id = t.account_id AND v.vpc_id = t.resource_id AND v.region = ?))
         OR (t.resource_type = 'subnet' AND EXISTS (SELECT 1 FROM ec2_subnets s WHERE s.account_id = t.account_id AND s.subnet_id = t.resource_id AND s.region = ?))
         OR (t.resource_type = 'volume' AND EXISTS (SELECT 1 FROM ec2_instances i WHERE i.account_id = t.account_id AND i.volume_id = t.resource_id AND i.region = ?))
         OR (t.resource_type = 'network-interface' AND EXISTS (SELECT 1 FROM ec2_instances i WHERE i.account_id = t.account_id AND i.eni_id = t.resource_id AND i.region = ?)))
       ORDER BY t.resource_id, t.key`,
    ).all(ctx.accountId, ctx.region, ctx.region, ctx.region, ctx.region, ctx.region, ctx.region, ctx.region);
    let list = rows.filter((t) =>
      matchesFilters(input.Filters, (n) => ({ key: t.key, value: t.value, 'resource-id': t.resource_id, 'resource-type': t.resource_type } as Record<string, string>)[n], {}, TAG_FILTERS),
    );
    if (input.NextToken !== undefined) {
      const after = decodeNextToken(input.NextToken);
      list = list.filter((t) => `${t.resource_id}\0${t.key}` > after);
    }
    const max = input.MaxResults ?? 1000;
    const page = list.slice(0, max);
    return {
      Tags: page.map((t) => ({ ResourceId: t.resource_id, ResourceType: t.resource_type, Key: t.key, Value: t.value })),
      NextToken: list.length > max ? encodeNextToken(`${page[page.length - 1].resource_id}\0${page[page.length - 1].key}`) : undefined,
    };
  },
});

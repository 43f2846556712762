import { AwsError } from '../../../protocol/errors.js';
import { operation } from '../../operation.js';
import type { AuthzEntry, RequestContext } from '../../types.js';
import { describeEntry } from '../authz/entries.js';
import { ec2Errors } from '../shared/errors.js';
import { decodeNextToken, encodeNextToken, matchesFilters, type Filter } from '../shared/filters.js';
import { newEc2Id } from '../shared/ids.js';
import { associationOf, instanceEntry, requireInstance, stateOf, type AssociationRow } from '../instances/instance-rows.js';
import { forgetInstanceCredentials } from '../imds/credentials.js';
import { findInstanceProfile, invalidProfile, passRoleEntry } from './profiles.js';

/**
 * IAM instance profile associations (iip-assoc-…): which profile an instance's metadata
 * service hands out credentials for. Associating or replacing passes the profile's role
 * to EC2, so it needs iam:PassRole on that role besides the EC2 action.
 */
type ProfileSpec = { Arn?: string; Name?: string };

function shape(a: AssociationRow, state: string) {
  return { AssociationId: a.association_id, InstanceId: a.instance_id, IamInstanceProfile: { Arn: a.instance_profile_arn, Id: a.instance_profile_id }, State: state, Timestamp: new Date(a.associated_at) };
}

function findAssociation(ctx: RequestContext, id: string): AssociationRow | undefined {
  return ctx.store.prepare<AssociationRow>('SELECT a.* FROM ec2_profile_associations a JOIN ec2_instances i USING (account_id, instance_id) WHERE a.account_id = ? AND a.association_id = ? AND i.region = ?')
    .get(ctx.accountId, id, ctx.region);
}

function requireAssociation(ctx: RequestContext, id: string): AssociationRow {
  const a = findAssociation(ctx, id);
  if (!a) throw ec2Errors.notFound('InvalidAssociationID.NotFound', `An association with ID ${id} does not exist`);
  return a;
}

function withProfile(ctx: RequestContext, entry: AuthzEntry, spec: ProfileSpec): AuthzEntry[] {
  const profile = findInstanceProfile(ctx.store, ctx.accountId, spec);
  const context = { ...entry.context, ...(profile ? { 'ec2:NewInstanceProfile': profile.arn } : {}) };
  return [{ ...entry, context }, ...passRoleEntry(profile)];
}

function insertAssociation(ctx: RequestContext, instanceId: string, spec: ProfileSpec): AssociationRow {
  const profile = findInstanceProfile(ctx.store, ctx.accountId, spec);
  if (!profile) throw invalidProfile(spec);
  const row: AssociationRow = {
    account_id: ctx.accountId, association_id: newEc2Id('iip-assoc'), instance_id: instanceId, instance_profile_arn: profile.arn,
    instance_profile_id: profile.id, associated_at: ctx.now,
  };
  ctx.store.prepare(
    'INSERT INTO ec2_profile_associations (account_id, association_id, instance_id, instance_profile_arn, instance_profile_id, associated_at) VALUES (?, ?, ?, ?, ?, ?)',
  ).run(row.account_id, row.association_id, row.instance_id, row.instance_profile_arn, row.instance_profile_id, row.associated_at);
  return row;
}

export const AssociateIamInstanceProfile = operation({
  writes: true,
  authorize: (ctx, input: { InstanceId: string; IamInstanceProfile: ProfileSpec }) =>
    withProfile(ctx, instanceEntry(ctx, 'ec2:AssociateIamInstanceProfile', input.InstanceId), input.IamInstanceProfile),
  run: (ctx, input: { InstanceId: string; IamInstanceProfile: ProfileSpec }) => {
    const instance = requireInstance(ctx, input.InstanceId);
    const state = stateOf(instance, ctx.now).name;
    if (state !== 'running' && state !== 'stopped' && state !== 'pending' && state !== 'stopping') {
      throw new AwsError('IncorrectInstanceState', `The instance '${instance.instance_id}' is not in the 'running' or 'stopped' states.`, 400);
    }
    if (associationOf(ctx.store, ctx.accountId, instance.instance_id)) {
      throw new AwsError('IncorrectState', `There is an existing association for instance ${instance.instance_id}`, 400);
    }
    return { IamInstanceProfileAssociation: shape(insertAssociation(ctx, instance.instance_id, input.IamInstanceProfile), 'associating') };
  },
});

export const ReplaceIamInstanceProfileAssociation = operation({
  writes: true,
  authorize: (ctx, input: { AssociationId: string; IamInstanceProfile: ProfileSpec }) => {
    const a = findAssociation(ctx, input.AssociationId);
    return withProfile(ctx, instanceEntry(ctx, 'ec2:ReplaceIamInstanceProfileAssociation', a?.instance_id ?? '*'), input.IamInstanceProfile);
  },
  run: (ctx, input: { AssociationId: string; IamInstanceProfile: ProfileSpec }) => {
    const old = requireAssociation(ctx, input.AssociationId);
    if (!findInstanceProfile(ctx.store, ctx.accountId, input.IamInstanceProfile)) throw invalidProfile(input.IamInstanceProfile);
    ctx.store.prepare('DELETE FROM ec2_profile_associations WHERE account_id = ? AND association_id = ?').run(ctx.accountId, old.association_id);
    forgetInstanceCredentials(ctx.store, ctx.accountId, old.instance_id);
    return { IamInstanceProfileAssociation: shape(insertAssociation(ctx, old.instance_id, input.IamInstanceProfile), 'associating') };
  },
});

export const DisassociateIamInstanceProfile = operation({
  writes: true,
  authorize: (ctx, input: { AssociationId: string }) => {
    const a = findAssociation(ctx, input.AssociationId);
    return instanceEntry(ctx, 'ec2:DisassociateIamInstanceProfile', a?.instance_id ?? '*');
  },
  run: (ctx, input: { AssociationId: string }) => {
    const a = requireAssociation(ctx, input.AssociationId);
    ctx.store.prepare('DELETE FROM ec2_profile_associations WHERE account_id = ? AND association_id = ?').run(ctx.accountId, a.association_id);
    forgetInstanceCredentials(ctx.store, ctx.accountId, a.instance_id);
    return { IamInstanceProfileAssociation: shape(a, 'disassociating') };
  },
});

const ASSOCIATION_FILTERS = new Set(['instance-id', 'state']);

export const DescribeIamInstanceProfileAssociations = operation({
  writes: false,
  authorize: (ctx) => describeEntry(ctx, 'ec2:DescribeIamInstanceProfileAssociations'),
  run: (ctx, input: { AssociationIds?: string[]; Filters?: Filter[]; MaxResults?: number; NextToken?: string }) => {
    const rows = ctx.store.prepare<AssociationRow>(
      'SELECT a.* FROM ec2_profile_associations a JOIN ec2_instances i USING (account_id, instance_id) WHERE a.account_id = ? AND i.region = ? ORDER BY a.association_id',
    ).all(ctx.accountId, ctx.region);
    for (const id of input.AssociationIds ?? []) {
      if (!rows.some((r) => r.association_id === id)) throw ec2Errors.notFound('InvalidAssociationID.NotFound', `An association with ID ${id} does not exist`);
    }
    let list = rows
      .filter((r) => !input.AssociationIds || input.AssociationIds.includes(r.association_id))
      .filter((r) => matchesFilters(input.Filters, (n) => (n === 'instance-id' ? r.instance_id : 'associated'), {}, ASSOCIATION_FILTERS));
    if (input.NextToken !== undefined) {
      const after = decodeNextToken(input.NextToken);
      list = list.filter((r) => r.association_id > after);
    }
    const max = input.MaxResults ?? list.length;
    const page = list.slice(0, max);
    return {
      IamInstanceProfileAssociations: page.map((a) => shape(a, 'associated')),
      NextToken: list.length > max ? encodeNextToken(page[page.length - 1].association_id) : undefined,
    };
  },
});

import { operation } from '../../operation.js';
import type { RequestContext } from '../../types.js';
import { memberRow } from '../../../identity/organization.js';
import type { InstanceRow } from '../../identitystore/shared/rows.js';
import { pageOf } from '../../identitystore/shared/paging.js';
import { deleteAllTags, requestTagKeys, type Tag } from '../../../identity/tags.js';
import { SSO_TAG_KIND, tagResource } from '../tags/tags.js';
import { conflict, hex, instanceArn, onInstance, requireInstance, validation } from '../shared/sso.js';

/**
 * The Identity Center instance: one per account. In an organization's management account
 * it is the organization instance (what enabling Identity Center in the console makes):
 * permission sets and account assignments for every member account. Elsewhere it is an
 * account instance, which AWS serves no permission sets for.
 */

function instanceShape(row: InstanceRow): Record<string, unknown> {
  return {
    InstanceArn: instanceArn(row.instance_id),
    IdentityStoreId: row.identity_store_id,
    OwnerAccountId: row.account_id,
    Name: row.name ?? undefined,
    CreatedDate: new Date(row.created_at),
    Status: 'ACTIVE',
  };
}

export const CreateInstance = operation({
  writes: true,
  authorize: (_ctx: RequestContext, input: { Tags?: Tag[] }) => ({ action: 'sso:CreateInstance', resource: 'arn:aws:sso:::instance/*', context: requestTagKeys(input.Tags) }),
  run: (ctx: RequestContext, input: { Name?: string; Tags?: Tag[] }) => {
    const existing = ctx.store.prepare('SELECT 1 AS one FROM sso_instances WHERE account_id = ?').get(ctx.accountId);
    if (existing) throw conflict('An instance of IAM Identity Center already exists in this account.');
    const member = memberRow(ctx.store, ctx.accountId);
    if (member && member.account_id !== ctx.accountId) {
      // A member account's own instance is possible on AWS; iamlocal serves the organization instance only.
      throw validation('iamlocal serves the organization instance of IAM Identity Center: create it in the management account.');
    }
    const row: InstanceRow = {
      instance_id: `ssoins-${hex(16)}`, account_id: ctx.accountId, identity_store_id: `d-${hex(10)}`, name: input.Name ?? null,
      region: ctx.region, created_at: ctx.now,
    };
    ctx.store
      .prepare('INSERT INTO sso_instances (instance_id, account_id, identity_store_id, name, region, created_at) VALUES (@instance_id, @account_id, @identity_store_id, @name, @region, @created_at)')
      .run(row);
    if (input.Tags?.length) tagResource(ctx, row.instance_id, input.Tags);
    return { InstanceArn: instanceArn(row.instance_id) };
  },
});

export const DescribeInstance = operation({
  writes: false,
  authorize: (_ctx: RequestContext, input: { InstanceArn: string }) => onInstance('sso:DescribeInstance', input.InstanceArn),
  run: (ctx: RequestContext, input: { InstanceArn: string }) => instanceShape(requireInstance(ctx, input.InstanceArn)),
});

export const ListInstances = operation({
  writes: false,
  authorize: () => ({ action: 'sso:ListInstances', resource: '*' }),
  run: (ctx: RequestContext, input: { MaxResults?: number; NextToken?: string }) => {
    const rows = ctx.store.prepare<InstanceRow>('SELECT * FROM sso_instances WHERE account_id = ?').all(ctx.accountId);
    const { items, next } = pageOf(rows, input.NextToken, input.MaxResults);
    return { Instances: items.map(instanceShape), NextToken: next };
  },
});

export const UpdateInstance = operation({
  writes: true,
  authorize: (_ctx: RequestContext, input: { InstanceArn: string }) => onInstance('sso:UpdateInstance', input.InstanceArn),
  run: (ctx: RequestContext, input: { InstanceArn: string; Name?: string }) => {
    const row = requireInstance(ctx, input.InstanceArn);
    if (input.Name !== undefined) ctx.store.prepare('UPDATE sso_instances SET name = ? WHERE instance_id = ?').run(input.Name, row.instance_id);
    return {};
  },
});

export const DeleteInstance = operation({
  writes: true,
  authorize: (_ctx: RequestContext, input: { InstanceArn: string }) => onInstance('sso:DeleteInstance', input.InstanceArn),
  run: (ctx: RequestContext, input: { InstanceArn: string }) => {
    const row = requireInstance(ctx, input.InstanceArn);
    const used = ctx.store.prepare('SELECT 1 AS one FROM sso_permission_sets WHERE instance_id = ? LIMIT 1').get(row.instance_id);
    if (used) throw conflict('The instance still has permission sets; delete them first.');
    deleteAllTags(ctx.store, ctx.accountId, SSO_TAG_KIND, row.instance_id);
    for (const sql of [
      'DELETE FROM sso_portal_tokens WHERE instance_id = ?',
      'DELETE FROM sso_requests WHERE instance_id = ?',
      'DELETE FROM ids_memberships WHERE identity_store_id = (SELECT identity_store_id FROM sso_instances WHERE instance_id = ?)',
      'DELETE FROM ids_users WHERE identity_store_id = (SELECT identity_store_id FROM sso_instances WHERE instance_id = ?)',
      'DELETE FROM ids_groups WHERE identity_store_id = (SELECT identity_store_id FROM sso_instances WHERE instance_id = ?)',
      'DELETE FROM sso_instances WHERE instance_id = ?',
    ]) ctx.store.prepare(sql).run(row.instance_id);
    return {};
  },
});

import { AwsError } from '../../../protocol/errors.js';
import { operation } from '../../operation.js';
import type { RequestContext } from '../../types.js';
import { pageOf } from '../../identitystore/shared/paging.js';
import { deleteAllTags, requestTagKeys, type Tag } from '../../../identity/tags.js';
import { SSO_TAG_KIND, tagResource } from '../tags/tags.js';
import {
  checkSessionDuration, conflict, hex, onInstance, permissionSetArn, psArnOf, requireInstance, requirePermissionSet, touch, type PermissionSetRow,
} from '../shared/sso.js';

/** Permission sets: Create, Describe, List, Update, Delete. */

/** AWS's quota of permission sets per instance (adjustable there; fixed here). */
const MAX_PERMISSION_SETS = 2000;

export function permissionSetShape(row: PermissionSetRow): Record<string, unknown> {
  return {
    Name: row.name,
    PermissionSetArn: psArnOf(row),
    Description: row.description ?? undefined,
    CreatedDate: new Date(row.created_at),
    SessionDuration: row.session_duration,
    RelayState: row.relay_state ?? undefined,
  };
}

interface CreateInput {
  InstanceArn: string;
  Name: string;
  Description?: string;
  SessionDuration?: string;
  RelayState?: string;
  Tags?: Tag[];
}

export const CreatePermissionSet = operation({
  writes: true,
  authorize: (_ctx: RequestContext, input: CreateInput) =>
    onInstance('sso:CreatePermissionSet', input.InstanceArn, `arn:aws:sso:::permissionSet/*`).map((e) => ({ ...e, context: requestTagKeys(input.Tags) })),
  run: (ctx: RequestContext, input: CreateInput) => {
    const instance = requireInstance(ctx, input.InstanceArn);
    const taken = ctx.store.prepare('SELECT 1 AS one FROM sso_permission_sets WHERE instance_id = ? AND name = ?').get(instance.instance_id, input.Name);
    if (taken) throw conflict(`PermissionSet with name ${input.Name} already exists.`);
    const count = ctx.store.prepare<{ n: number }>('SELECT count(*) AS n FROM sso_permission_sets WHERE instance_id = ?').get(instance.instance_id)!.n;
    if (count >= MAX_PERMISSION_SETS) throw new AwsError('ServiceQuotaExceededException', `The instance already has ${MAX_PERMISSION_SETS} permission sets.`, 400);
    const row: PermissionSetRow = {
      permission_set_id: `ps-${hex(16)}`, account_id: ctx.accountId, instance_id: instance.instance_id, name: input.Name,
      description: input.Description ?? null, session_duration: checkSessionDuration(input.SessionDuration), relay_state: input.RelayState ?? null,
      inline_policy: null, boundary: null, created_at: ctx.now, changed_at: ctx.now,
    };
    ctx.store
      .prepare(
        `INSERT INTO sso_permission_sets (permission_set_id, account_id, instance_id, name, description, session_duration, relay_state, inline_policy, boundary, created_at, changed_at)
         VALUES (@permission_set_id, @account_id, @instance_id, @name, @description, @session_duration, @relay_state, @inline_policy, @boundary, @created_at, @changed_at)`,
      )
      .run(row);
    if (input.Tags?.length) tagResource(ctx, row.permission_set_id, input.Tags);
    return { PermissionSet: permissionSetShape(row) };
  },
});

interface PsRef {
  InstanceArn: string;
  PermissionSetArn: string;
}

export const DescribePermissionSet = operation({
  writes: false,
  authorize: (_ctx: RequestContext, input: PsRef) => onInstance('sso:DescribePermissionSet', input.InstanceArn, input.PermissionSetArn),
  run: (ctx: RequestContext, input: PsRef) => {
    const instance = requireInstance(ctx, input.InstanceArn);
    return { PermissionSet: permissionSetShape(requirePermissionSet(ctx, instance, input.PermissionSetArn)) };
  },
});

export const ListPermissionSets = operation({
  writes: false,
  authorize: (_ctx: RequestContext, input: { InstanceArn: string }) => onInstance('sso:ListPermissionSets', input.InstanceArn),
  run: (ctx: RequestContext, input: { InstanceArn: string; MaxResults?: number; NextToken?: string }) => {
    const instance = requireInstance(ctx, input.InstanceArn);
    const rows = ctx.store
      .prepare<PermissionSetRow>('SELECT * FROM sso_permission_sets WHERE instance_id = ? ORDER BY created_at, permission_set_id')
      .all(instance.instance_id);
    const { items, next } = pageOf(rows, input.NextToken, input.MaxResults);
    return { PermissionSets: items.map((r) => permissionSetArn(r.instance_id, r.permission_set_id)), NextToken: next };
  },
});

interface UpdateInput extends PsRef {
  Description?: string;
  SessionDuration?: string;
  RelayState?: string;
}

export const UpdatePermissionSet = operation({
  writes: true,
  authorize: (_ctx: RequestContext, input: UpdateInput) => onInstance('sso:UpdatePermissionSet', input.InstanceArn, input.PermissionSetArn),
  run: (ctx: RequestContext, input: UpdateInput) => {
    const instance = requireInstance(ctx, input.InstanceArn);
    const row = requirePermissionSet(ctx, instance, input.PermissionSetArn);
    const duration = input.SessionDuration !== undefined ? checkSessionDuration(input.SessionDuration) : row.session_duration;
    ctx.store
      .prepare('UPDATE sso_permission_sets SET description = ?, session_duration = ?, relay_state = ? WHERE permission_set_id = ?')
      .run(input.Description ?? row.description, duration, input.RelayState ?? row.relay_state, row.permission_set_id);
    touch(ctx, row);
    return {};
  },
});

export const DeletePermissionSet = operation({
  writes: true,
  authorize: (_ctx: RequestContext, input: PsRef) => onInstance('sso:DeletePermissionSet', input.InstanceArn, input.PermissionSetArn),
  run: (ctx: RequestContext, input: PsRef) => {
    const instance = requireInstance(ctx, input.InstanceArn);
    const row = requirePermissionSet(ctx, instance, input.PermissionSetArn);
    const provisioned = ctx.store.prepare('SELECT 1 AS one FROM sso_provisioned WHERE permission_set_id = ? LIMIT 1').get(row.permission_set_id);
    const assigned = ctx.store.prepare('SELECT 1 AS one FROM sso_account_assignments WHERE permission_set_id = ? LIMIT 1').get(row.permission_set_id);
    if (provisioned || assigned) throw conflict('Could not delete because PermissionSet is provisioned to accounts or has account assignments.');
    deleteAllTags(ctx.store, ctx.accountId, SSO_TAG_KIND, row.permission_set_id);
    for (const table of ['sso_ps_managed_policies', 'sso_ps_customer_policies', 'sso_permission_sets']) {
      ctx.store.prepare(`DELETE FROM ${table} WHERE permission_set_id = ?`).run(row.permission_set_id);
    }
    return {};
  },
});

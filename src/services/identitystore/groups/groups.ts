import { randomUUID } from 'node:crypto';
import { operation } from '../../operation.js';
import type { RequestContext } from '../../types.js';
import { pageOf } from '../shared/paging.js';
import { applyOperations, type AttributeOperation } from '../shared/attributes.js';
import { ALL_GROUPS, conflict, groupArn, notFound, onStore, requireGroup, requireStore, validation, type GroupRow } from '../shared/rows.js';
import { matchesAlternate } from '../users/users.js';
import { removeAssignmentsOf } from '../../sso-admin/assignments/provisioning.js';

/** Identity store groups: CreateGroup, DescribeGroup, ListGroups, UpdateGroup, DeleteGroup, GetGroupId. */

export function groupShape(row: GroupRow): Record<string, unknown> {
  return {
    GroupId: row.group_id,
    IdentityStoreId: row.identity_store_id,
    DisplayName: row.display_name,
    Description: row.description ?? undefined,
    CreatedAt: new Date(row.created_at),
    UpdatedAt: new Date(row.updated_at),
  };
}

function nameTaken(ctx: RequestContext, storeId: string, name: string, except?: string): boolean {
  const row = ctx.store.prepare<{ group_id: string }>('SELECT group_id FROM ids_groups WHERE identity_store_id = ? AND display_name = ?').get(storeId, name);
  return row !== undefined && row.group_id !== except;
}

interface CreateGroupInput {
  IdentityStoreId: string;
  DisplayName?: string;
  Description?: string;
}

export const CreateGroup = operation({
  writes: true,
  authorize: (ctx: RequestContext, input: CreateGroupInput) => onStore(ctx, 'identitystore:CreateGroup', input.IdentityStoreId),
  run: (ctx: RequestContext, input: CreateGroupInput) => {
    requireStore(ctx, input.IdentityStoreId);
    if (input.DisplayName === undefined || input.DisplayName.trim() === '') throw validation('DisplayName is a required attribute.');
    if (nameTaken(ctx, input.IdentityStoreId, input.DisplayName)) throw conflict('Duplicate GroupDisplayName');
    const id = randomUUID();
    ctx.store
      .prepare(
        `INSERT INTO ids_groups (group_id, account_id, identity_store_id, display_name, description, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(id, ctx.accountId, input.IdentityStoreId, input.DisplayName, input.Description ?? null, ctx.now, ctx.now);
    return { GroupId: id, IdentityStoreId: input.IdentityStoreId };
  },
});

interface GroupRef {
  IdentityStoreId: string;
  GroupId: string;
}

export const DescribeGroup = operation({
  writes: false,
  authorize: (ctx: RequestContext, input: GroupRef) => onStore(ctx, 'identitystore:DescribeGroup', input.IdentityStoreId, groupArn(input.GroupId)),
  run: (ctx: RequestContext, input: GroupRef) => {
    requireStore(ctx, input.IdentityStoreId);
    return groupShape(requireGroup(ctx.store, input.IdentityStoreId, input.GroupId));
  },
});

interface ListGroupsInput {
  IdentityStoreId: string;
  Filters?: Array<{ AttributePath: string; AttributeValue: string }>;
  MaxResults?: number;
  NextToken?: string;
}

export const ListGroups = operation({
  writes: false,
  authorize: (ctx: RequestContext, input: ListGroupsInput) => onStore(ctx, 'identitystore:ListGroups', input.IdentityStoreId, ALL_GROUPS),
  run: (ctx: RequestContext, input: ListGroupsInput) => {
    requireStore(ctx, input.IdentityStoreId);
    let rows = ctx.store.prepare<GroupRow>('SELECT * FROM ids_groups WHERE identity_store_id = ? ORDER BY created_at, group_id').all(input.IdentityStoreId);
    for (const f of input.Filters ?? []) {
      if (f.AttributePath.toLowerCase() !== 'displayname') throw validation(`Filter on ${f.AttributePath} is not supported; only DisplayName is.`);
      rows = rows.filter((r) => r.display_name.toLowerCase() === f.AttributeValue.toLowerCase());
    }
    const { items, next } = pageOf(rows, input.NextToken, input.MaxResults);
    return { Groups: items.map(groupShape), NextToken: next };
  },
});

export const UpdateGroup = operation({
  writes: true,
  authorize: (ctx: RequestContext, input: GroupRef) => onStore(ctx, 'identitystore:UpdateGroup', input.IdentityStoreId, groupArn(input.GroupId)),
  run: (ctx: RequestContext, input: GroupRef & { Operations: AttributeOperation[] }) => {
    requireStore(ctx, input.IdentityStoreId);
    const row = requireGroup(ctx.store, input.IdentityStoreId, input.GroupId);
    const updated = applyOperations({ DisplayName: row.display_name, Description: row.description ?? undefined }, input.Operations, ['DisplayName', 'Description']);
    const name = updated.DisplayName;
    if (typeof name !== 'string' || name.trim() === '') throw validation('DisplayName is a required attribute.');
    if (nameTaken(ctx, input.IdentityStoreId, name, row.group_id)) throw conflict('Duplicate GroupDisplayName');
    const description = typeof updated.Description === 'string' ? updated.Description : null;
    ctx.store.prepare('UPDATE ids_groups SET display_name = ?, description = ?, updated_at = ? WHERE group_id = ?').run(name, description, ctx.now, row.group_id);
    return {};
  },
});

export const DeleteGroup = operation({
  writes: true,
  authorize: (ctx: RequestContext, input: GroupRef) => onStore(ctx, 'identitystore:DeleteGroup', input.IdentityStoreId, groupArn(input.GroupId)),
  run: (ctx: RequestContext, input: GroupRef) => {
    requireStore(ctx, input.IdentityStoreId);
    const row = requireGroup(ctx.store, input.IdentityStoreId, input.GroupId);
    ctx.store.prepare('DELETE FROM ids_memberships WHERE group_id = ?').run(row.group_id);
    removeAssignmentsOf(ctx, 'GROUP', row.group_id);
    ctx.store.prepare('DELETE FROM ids_groups WHERE group_id = ?').run(row.group_id);
    return {};
  },
});

export const GetGroupId = operation({
  writes: false,
  authorize: (ctx: RequestContext, input: { IdentityStoreId: string }) => onStore(ctx, 'identitystore:GetGroupId', input.IdentityStoreId, ALL_GROUPS),
  run: (ctx: RequestContext, input: { IdentityStoreId: string; AlternateIdentifier: Parameters<typeof matchesAlternate>[1] }) => {
    requireStore(ctx, input.IdentityStoreId);
    const rows = ctx.store.prepare<GroupRow>('SELECT * FROM ids_groups WHERE identity_store_id = ?').all(input.IdentityStoreId);
    const found = rows.find((r) => matchesAlternate(groupShape(r), input.AlternateIdentifier));
    if (!found) throw notFound('GROUP', '', 'GROUP not found.');
    return { IdentityStoreId: input.IdentityStoreId, GroupId: found.group_id };
  },
});

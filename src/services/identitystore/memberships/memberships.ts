import { randomUUID } from 'node:crypto';
import { operation } from '../../operation.js';
import type { RequestContext } from '../../types.js';
import { pageOf } from '../shared/paging.js';
import {
  ALL_MEMBERSHIPS, conflict, groupArn, membershipArn, notFound, onStore, requireGroup, requireStore, requireUser, userArn, validation, type MembershipRow,
} from '../shared/rows.js';

/** Group memberships: Create/Describe/Delete/ListGroupMemberships, GetGroupMembershipId, ListGroupMembershipsForMember, IsMemberInGroups. */

interface MemberId {
  UserId?: string;
}

function memberUser(member: MemberId): string {
  if (!member.UserId) throw validation('MemberId must name a UserId.');
  return member.UserId;
}

function membershipShape(row: MembershipRow): Record<string, unknown> {
  return {
    IdentityStoreId: row.identity_store_id,
    MembershipId: row.membership_id,
    GroupId: row.group_id,
    MemberId: { UserId: row.user_id },
    CreatedAt: new Date(row.created_at),
    UpdatedAt: new Date(row.created_at),
  };
}

function requireMembership(ctx: RequestContext, storeId: string, id: string): MembershipRow {
  const row = ctx.store.prepare<MembershipRow>('SELECT * FROM ids_memberships WHERE membership_id = ? AND identity_store_id = ?').get(id, storeId);
  if (!row) throw notFound('GROUP_MEMBERSHIP', id);
  return row;
}

interface CreateInput {
  IdentityStoreId: string;
  GroupId: string;
  MemberId: MemberId;
}

export const CreateGroupMembership = operation({
  writes: true,
  authorize: (ctx: RequestContext, input: CreateInput) =>
    onStore(ctx, 'identitystore:CreateGroupMembership', input.IdentityStoreId, groupArn(input.GroupId), ...(input.MemberId.UserId ? [userArn(input.MemberId.UserId)] : [])),
  run: (ctx: RequestContext, input: CreateInput) => {
    requireStore(ctx, input.IdentityStoreId);
    const group = requireGroup(ctx.store, input.IdentityStoreId, input.GroupId);
    const user = requireUser(ctx.store, input.IdentityStoreId, memberUser(input.MemberId));
    const taken = ctx.store.prepare('SELECT 1 AS one FROM ids_memberships WHERE group_id = ? AND user_id = ?').get(group.group_id, user.user_id);
    if (taken) throw conflict('Member and Group relationship already exists.');
    const id = randomUUID();
    ctx.store
      .prepare('INSERT INTO ids_memberships (membership_id, account_id, identity_store_id, group_id, user_id, created_at) VALUES (?, ?, ?, ?, ?, ?)')
      .run(id, ctx.accountId, input.IdentityStoreId, group.group_id, user.user_id, ctx.now);
    return { MembershipId: id, IdentityStoreId: input.IdentityStoreId };
  },
});

interface MembershipRef {
  IdentityStoreId: string;
  MembershipId: string;
}

export const DescribeGroupMembership = operation({
  writes: false,
  authorize: (ctx: RequestContext, input: MembershipRef) =>
    onStore(ctx, 'identitystore:DescribeGroupMembership', input.IdentityStoreId, membershipArn(input.MembershipId)),
  run: (ctx: RequestContext, input: MembershipRef) => {
    requireStore(ctx, input.IdentityStoreId);
    return membershipShape(requireMembership(ctx, input.IdentityStoreId, input.MembershipId));
  },
});

export const DeleteGroupMembership = operation({
  writes: true,
  authorize: (ctx: RequestContext, input: MembershipRef) =>
    onStore(ctx, 'identitystore:DeleteGroupMembership', input.IdentityStoreId, membershipArn(input.MembershipId)),
  run: (ctx: RequestContext, input: MembershipRef) => {
    requireStore(ctx, input.IdentityStoreId);
    const row = requireMembership(ctx, input.IdentityStoreId, input.MembershipId);
    ctx.store.prepare('DELETE FROM ids_memberships WHERE membership_id = ?').run(row.membership_id);
    return {};
  },
});

interface ListInput {
  IdentityStoreId: string;
  GroupId: string;
  MaxResults?: number;
  NextToken?: string;
}

export const ListGroupMemberships = operation({
  writes: false,
  authorize: (ctx: RequestContext, input: ListInput) =>
    onStore(ctx, 'identitystore:ListGroupMemberships', input.IdentityStoreId, ALL_MEMBERSHIPS, groupArn(input.GroupId)),
  run: (ctx: RequestContext, input: ListInput) => {
    requireStore(ctx, input.IdentityStoreId);
    const group = requireGroup(ctx.store, input.IdentityStoreId, input.GroupId);
    const rows = ctx.store.prepare<MembershipRow>('SELECT * FROM ids_memberships WHERE group_id = ? ORDER BY created_at, membership_id').all(group.group_id);
    const { items, next } = pageOf(rows, input.NextToken, input.MaxResults);
    return { GroupMemberships: items.map(membershipShape), NextToken: next };
  },
});

interface ForMemberInput {
  IdentityStoreId: string;
  MemberId: MemberId;
  MaxResults?: number;
  NextToken?: string;
}

export const ListGroupMembershipsForMember = operation({
  writes: false,
  authorize: (ctx: RequestContext, input: ForMemberInput) =>
    onStore(ctx, 'identitystore:ListGroupMembershipsForMember', input.IdentityStoreId, ALL_MEMBERSHIPS, ...(input.MemberId.UserId ? [userArn(input.MemberId.UserId)] : [])),
  run: (ctx: RequestContext, input: ForMemberInput) => {
    requireStore(ctx, input.IdentityStoreId);
    const user = requireUser(ctx.store, input.IdentityStoreId, memberUser(input.MemberId));
    const rows = ctx.store.prepare<MembershipRow>('SELECT * FROM ids_memberships WHERE user_id = ? ORDER BY created_at, membership_id').all(user.user_id);
    const { items, next } = pageOf(rows, input.NextToken, input.MaxResults);
    return { GroupMemberships: items.map(membershipShape), NextToken: next };
  },
});

export const GetGroupMembershipId = operation({
  writes: false,
  authorize: (ctx: RequestContext, input: CreateInput) =>
    onStore(ctx, 'identitystore:GetGroupMembershipId', input.IdentityStoreId, ALL_MEMBERSHIPS, groupArn(input.GroupId)),
  run: (ctx: RequestContext, input: CreateInput) => {
    requireStore(ctx, input.IdentityStoreId);
    const row = ctx.store
      .prepare<MembershipRow>('SELECT * FROM ids_memberships WHERE group_id = ? AND user_id = ? AND identity_store_id = ?')
      .get(input.GroupId, memberUser(input.MemberId), input.IdentityStoreId);
    if (!row) throw notFound('GROUP_MEMBERSHIP', '', 'GROUP_MEMBERSHIP not found.');
    return { MembershipId: row.membership_id, IdentityStoreId: input.IdentityStoreId };
  },
});

export const IsMemberInGroups = operation({
  writes: false,
  authorize: (ctx: RequestContext, input: { IdentityStoreId: string }) => onStore(ctx, 'identitystore:IsMemberInGroups', input.IdentityStoreId, ALL_MEMBERSHIPS),
  run: (ctx: RequestContext, input: { IdentityStoreId: string; MemberId: MemberId; GroupIds: string[] }) => {
    requireStore(ctx, input.IdentityStoreId);
    const userId = memberUser(input.MemberId);
    const check = ctx.store.prepare('SELECT 1 AS one FROM ids_memberships WHERE group_id = ? AND user_id = ? AND identity_store_id = ?');
    return {
      Results: input.GroupIds.map((g) => ({ GroupId: g, MemberId: { UserId: userId }, MembershipExists: check.get(g, userId, input.IdentityStoreId) !== undefined })),
    };
  },
});

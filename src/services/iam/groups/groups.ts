import { operation } from '../../operation.js';
import type { AuthzEntry } from '../../types.js';
import { alreadyExists, deleteConflict, quotaExceeded } from '../../../identity/errors.js';
import { findGroup, groupArn, groupShape, requireGroup, type GroupRow } from '../../../identity/groups.js';
import { newUniqueId } from '../../../identity/ids.js';
import { paginate, type PageRequest } from '../shared/paginate.js';
import { userShape, type UserRow } from '../../../identity/users.js';
import { entityCount } from '../../../store/store.js';
import { groupResource, onGroup } from './group-resource.js';

/** IAM's default quota of groups per account. */
export const MAX_GROUPS_PER_ACCOUNT = 300;

export const CreateGroup = operation({
  writes: true,
  authorize: (ctx, input: { GroupName: string; Path?: string }) => ({
    action: 'iam:CreateGroup',
    resource: groupArn(ctx.accountId, input.Path ?? '/', input.GroupName),
  }),
  run: (ctx, input: { GroupName: string; Path?: string }) => {
    const { store, accountId } = ctx;
    if (findGroup(store, accountId, input.GroupName)) throw alreadyExists('Group', input.GroupName);
    const count = entityCount(store, accountId, 'groups');
    if (count >= MAX_GROUPS_PER_ACCOUNT) throw quotaExceeded('GroupsPerAccount', MAX_GROUPS_PER_ACCOUNT);
    const row: GroupRow = { account_id: accountId, group_id: newUniqueId('AGPA'), group_name: input.GroupName, path: input.Path ?? '/', created_at: ctx.now };
    store.prepare('INSERT INTO groups (account_id, group_id, group_name, path, created_at) VALUES (@account_id, @group_id, @group_name, @path, @created_at)').run(row);
    return { Group: groupShape(row) };
  },
});

/** The group and a page of its members (users in ListUsers' shape, by name). */
export const GetGroup = operation({
  writes: false,
  authorize: (ctx, input: PageRequest & { GroupName: string }) => onGroup(ctx, 'iam:GetGroup', input.GroupName),
  run: (ctx, input: PageRequest & { GroupName: string }) => {
    const group = requireGroup(ctx.store, ctx.accountId, input.GroupName);
    const members = ctx.store
      .prepare<UserRow>(
        `SELECT u.* FROM group_members m JOIN users u ON u.account_id = m.account_id AND u.user_id = m.user_id
         WHERE m.account_id = ? AND m.group_id = ?`,
      )
      .all(group.account_id, group.group_id);
    const { items, more } = paginate(members, input, (u) => u.user_name.toLowerCase());
    return { Group: groupShape(group), Users: items.map((u) => userShape(ctx.store, u, { withTags: false })), ...more };
  },
});

export const ListGroups = operation({
  writes: false,
  // IAM checks listing against the group path being listed: arn:…:group/ for all groups.
  authorize: (ctx, input: PageRequest & { PathPrefix?: string }) => ({ action: 'iam:ListGroups', resource: `arn:aws:iam::${ctx.accountId}:group${input.PathPrefix ?? '/'}` }),
  run: (ctx, input: PageRequest & { PathPrefix?: string }) => {
    const prefix = input.PathPrefix ?? '/';
    const rows = ctx.store
      .prepare<GroupRow>('SELECT * FROM groups WHERE account_id = ?')
      .all(ctx.accountId)
      .filter((g) => g.path.startsWith(prefix));
    const { items, more } = paginate(rows, input, (g) => g.group_name.toLowerCase());
    return { Groups: items.map(groupShape), ...more };
  },
});

type UpdateGroupInput = { GroupName: string; NewGroupName?: string; NewPath?: string };

export const UpdateGroup = operation({
  writes: true,
  // Renaming or moving needs permission on the group as it is and as it will be.
  authorize: (ctx, input: UpdateGroupInput) => {
    const current: AuthzEntry = { action: 'iam:UpdateGroup', resource: groupResource(ctx, input.GroupName) };
    const row = findGroup(ctx.store, ctx.accountId, input.GroupName);
    const next = groupArn(ctx.accountId, input.NewPath ?? row?.path ?? '/', input.NewGroupName ?? row?.group_name ?? input.GroupName);
    return next === current.resource ? current : [current, { action: 'iam:UpdateGroup', resource: next }];
  },
  run: (ctx, input: UpdateGroupInput) => {
    const { store, accountId } = ctx;
    const row = requireGroup(store, accountId, input.GroupName);
    if (input.NewGroupName !== undefined) {
      const other = findGroup(store, accountId, input.NewGroupName);
      if (other && other.group_id !== row.group_id) throw alreadyExists('Group', input.NewGroupName);
    }
    store
      .prepare('UPDATE groups SET group_name = ?, path = ? WHERE account_id = ? AND group_id = ?')
      .run(input.NewGroupName ?? row.group_name, input.NewPath ?? row.path, accountId, row.group_id);
    return {};
  },
});

/** What must go before a group can be deleted, in the order IAM reports the conflict. */
const GROUP_DEPENDENTS: Array<{ table: string; mustFirst: string }> = [
  { table: 'group_members', mustFirst: 'remove users from group' },
  { table: 'group_policies', mustFirst: 'delete policies' },
  { table: 'group_policy_attachments', mustFirst: 'detach all policies' },
];

export const DeleteGroup = operation({
  writes: true,
  authorize: (ctx, input: { GroupName: string }) => onGroup(ctx, 'iam:DeleteGroup', input.GroupName),
  run: (ctx, input: { GroupName: string }) => {
    const { store, accountId } = ctx;
    const row = requireGroup(store, accountId, input.GroupName);
    for (const dep of GROUP_DEPENDENTS) {
      if (store.prepare(`SELECT 1 AS found FROM ${dep.table} WHERE account_id = ? AND group_id = ? LIMIT 1`).get(accountId, row.group_id)) {
        throw deleteConflict(dep.mustFirst);
      }
    }
    store.prepare('DELETE FROM groups WHERE account_id = ? AND group_id = ?').run(accountId, row.group_id);
    return {};
  },
});

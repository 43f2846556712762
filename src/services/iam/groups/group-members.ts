import { operation } from '../../operation.js';
import { noSuchNamed, quotaExceeded } from '../../../identity/errors.js';
import { groupShape, groupsOfUser, requireGroup } from '../../../identity/groups.js';
import { paginate, type PageRequest } from '../shared/paginate.js';
import { requireUser } from '../../../identity/users.js';
import { onUser } from '../users/user-resource.js';
import { onGroup } from './group-resource.js';

/** IAM's quota of groups one user can be a member of (not adjustable). */
export const MAX_GROUPS_PER_USER = 10;

type Membership = { GroupName: string; UserName: string };

/** Adding a user who is already a member succeeds and changes nothing, as in IAM. */
export const AddUserToGroup = operation({
  writes: true,
  authorize: (ctx, input: Membership) => onGroup(ctx, 'iam:AddUserToGroup', input.GroupName),
  run: (ctx, input: Membership) => {
    const { store, accountId } = ctx;
    const group = requireGroup(store, accountId, input.GroupName);
    const user = requireUser(store, accountId, input.UserName);
    const groups = groupsOfUser(store, accountId, user.user_id);
    if (groups.some((g) => g.group_id === group.group_id)) return {};
    if (groups.length >= MAX_GROUPS_PER_USER) throw quotaExceeded('GroupsPerUser', MAX_GROUPS_PER_USER);
    store.prepare('INSERT INTO group_members (account_id, group_id, user_id, added_at) VALUES (?, ?, ?, ?)').run(accountId, group.group_id, user.user_id, ctx.now);
    return {};
  },
});

export const RemoveUserFromGroup = operation({
  writes: true,
  authorize: (ctx, input: Membership) => onGroup(ctx, 'iam:RemoveUserFromGroup', input.GroupName),
  run: (ctx, input: Membership) => {
    const { store, accountId } = ctx;
    const group = requireGroup(store, accountId, input.GroupName);
    const user = requireUser(store, accountId, input.UserName);
    const { changes } = store.prepare('DELETE FROM group_members WHERE account_id = ? AND group_id = ? AND user_id = ?').run(accountId, group.group_id, user.user_id);
    // IAM answers a user who is not a member as one it cannot find (in that group).
    if (changes === 0) throw noSuchNamed('user', input.UserName);
    return {};
  },
});

/** Acts on the user (with its tags), not on a group. */
export const ListGroupsForUser = operation({
  writes: false,
  authorize: (ctx, input: PageRequest & { UserName: string }) => onUser(ctx, 'iam:ListGroupsForUser', input.UserName),
  run: (ctx, input: PageRequest & { UserName: string }) => {
    const user = requireUser(ctx.store, ctx.accountId, input.UserName);
    const { items, more } = paginate(groupsOfUser(ctx.store, ctx.accountId, user.user_id), input, (g) => g.group_name.toLowerCase());
    return { Groups: items.map(groupShape), ...more };
  },
});

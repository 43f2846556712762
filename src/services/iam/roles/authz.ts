import type { AuthzEntry, AuthzRule, RequestContext } from '../../types.js';
import { instanceProfileArn } from './instance-profile-rows.js';
import { onProfile } from './instance-profile-resource.js';
import { entry, onRole, type ConditionKeys as Context } from './role-resource.js';
import { roleArn } from '../../../identity/roles.js';
import { deletionTaskRoleArn, serviceLinkedRoleName, serviceLinkedRolePath } from './service-linked-roles.js';
import { requestTagKeys, type Tag } from '../../../identity/tags.js';

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

const role =
  (action: string, opts: { boundary?: boolean } = {}): AuthzRule =>
  (ctx, input: { RoleName: string }) =>
    onRole(ctx, action, input.RoleName, {}, opts.boundary);

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
};

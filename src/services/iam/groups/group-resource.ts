import type { AuthzEntry, RequestContext } from '../../types.js';
import { findGroup, groupArn } from '../../../identity/groups.js';

/**
 * The ARN a group operation acts on. Groups carry no tags, so no resource-tag keys; a
 * group that does not exist is checked as arn:…:group/NAME, so the caller learns nothing.
 */
export function groupResource(ctx: RequestContext, groupName: string): string {
  const row = findGroup(ctx.store, ctx.accountId, groupName);
  return row ? groupArn(row.account_id, row.path, row.group_name) : groupArn(ctx.accountId, '/', groupName);
}

export function onGroup(ctx: RequestContext, action: string, groupName: string): AuthzEntry {
  return { action, resource: groupResource(ctx, groupName) };
}

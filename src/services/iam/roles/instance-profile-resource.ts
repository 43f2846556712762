import type { AuthzEntry, RequestContext } from '../../types.js';
import { tagRecord } from '../../../identity/tags.js';
import { findInstanceProfile, INSTANCE_PROFILE_KIND, instanceProfileArn } from './instance-profile-rows.js';
import { entry, type ConditionKeys } from './role-resource.js';

/**
 * The ARN and condition keys of an instance profile an operation names: an existing
 * profile brings aws:ResourceTag/* only (IAM defines no iam:ResourceTag for instance
 * profiles); adding tags (CreateInstanceProfile, TagInstanceProfile) brings
 * aws:RequestTag/* and aws:TagKeys, untagging aws:TagKeys. A profile that does not exist
 * is checked at path /, so the caller learns nothing.
 */
export function onProfile(ctx: RequestContext, action: string, name: string, extra: ConditionKeys = {}): AuthzEntry {
  const row = findInstanceProfile(ctx.store, ctx.accountId, name);
  if (!row) return entry(action, instanceProfileArn(ctx.accountId, '/', name), extra);
  const tags: ConditionKeys = {};
  for (const [k, v] of Object.entries(tagRecord(ctx.store, row.account_id, INSTANCE_PROFILE_KIND, row.instance_profile_id))) tags[`aws:ResourceTag/${k}`] = v;
  return entry(action, instanceProfileArn(row.account_id, row.path, row.instance_profile_name), { ...tags, ...extra });
}

import type { AuthzEntry, AuthzRule, RequestContext } from '../../types.js';
import { authzEntry, type ConditionKeys } from '../shared/authz-entry.js';
import { targetResource } from '../users/caller.js';
import { resourceTagKeys, tagRecord } from '../../../identity/tags.js';
import { USER_KIND } from '../../../identity/users.js';

/**
 * What the user-credential operations ask the policy engine (Service Authorization
 * Reference): access keys, SSH keys, signing certificates and service-specific
 * credentials act on their owner, the user (the caller when UserName is omitted), with
 * its tags as aws:/iam:ResourceTag.
 */
export function onCredentialOwner(ctx: RequestContext, action: string, userName: string | undefined, extra: ConditionKeys = {}): AuthzEntry {
  const target = targetResource(ctx, userName);
  const tags = target.row ? resourceTagKeys(tagRecord(ctx.store, target.row.account_id, USER_KIND, target.row.user_id)) : {};
  return authzEntry(action, target.arn, { ...tags, ...extra });
}

export const credentialOwnerRule =
  (action: string): AuthzRule =>
  (ctx, input: { UserName?: string }) =>
    onCredentialOwner(ctx, action, input.UserName);

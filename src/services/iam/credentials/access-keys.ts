import { AwsError } from '../../../protocol/errors.js';
import type { Handler, RequestContext } from '../../types.js';
import { targetOf, type Target } from '../users/caller.js';
import { noSuchEntity, quotaExceeded } from '../../../identity/errors.js';
import { newAccessKeyId, newSecretAccessKey } from '../../../identity/ids.js';
import { paginate, type PageRequest } from '../shared/paginate.js';
import { findUserById } from '../../../identity/users.js';

/** IAM's fixed quota, for users and for the root user alike. */
export const MAX_ACCESS_KEYS = 2;

/** One long-term key row (root or user). */
export interface AccessKeyRow {
  access_key_id: string;
  account_id: string;
  owner_kind: 'root' | 'user';
  user_id: string | null;
  secret_access_key: string;
  status: 'Active' | 'Inactive' | 'Expired';
  created_at: number;
  last_used_at: number | null;
  last_used_service: string | null;
  last_used_region: string | null;
}

/** The long-term keys of a user or of the root, oldest first. */
function keysOf(ctx: RequestContext, target: Target): AccessKeyRow[] {
  if (target.kind === 'root') {
    return ctx.store
      .prepare<AccessKeyRow>("SELECT * FROM access_keys WHERE account_id = ? AND owner_kind = 'root' ORDER BY created_at, access_key_id")
      .all(ctx.accountId);
  }
  return ctx.store
    .prepare<AccessKeyRow>("SELECT * FROM access_keys WHERE account_id = ? AND owner_kind = 'user' AND user_id = ? ORDER BY created_at, access_key_id")
    .all(ctx.accountId, target.row.user_id);
}

/** The target's key with this id, or IAM's NoSuchEntity (also when it is someone else's). */
function keyOf(ctx: RequestContext, target: Target, accessKeyId: string): AccessKeyRow {
  const key = keysOf(ctx, target).find((k) => k.access_key_id === accessKeyId);
  if (!key) throw noSuchEntity(`The Access Key with id ${accessKeyId} cannot be found.`);
  return key;
}

/** The root user has no name: IAM leaves UserName out of its keys' shapes. */
function ownerName(target: Target): { UserName?: string } {
  return target.kind === 'user' ? { UserName: target.row.user_name } : {};
}

const createAccessKey: Handler = (ctx, input: { UserName?: string }) => {
  const target = targetOf(ctx, input.UserName);
  if (keysOf(ctx, target).length >= MAX_ACCESS_KEYS) throw quotaExceeded('AccessKeysPerUser', MAX_ACCESS_KEYS);
  const id = newAccessKeyId('AKIA');
  const secret = newSecretAccessKey();
  ctx.store
    .prepare(
      `INSERT INTO access_keys (access_key_id, account_id, owner_kind, user_id, secret_access_key, status, created_at)
       VALUES (?, ?, ?, ?, ?, 'Active', ?)`,
    )
    .run(id, ctx.accountId, target.kind, target.kind === 'user' ? target.row.user_id : null, secret, ctx.now);
  return { AccessKey: { ...ownerName(target), AccessKeyId: id, Status: 'Active', SecretAccessKey: secret, CreateDate: new Date(ctx.now) } };
};

const listAccessKeys: Handler = (ctx, input: PageRequest & { UserName?: string }) => {
  const target = targetOf(ctx, input.UserName);
  const { items, more } = paginate(keysOf(ctx, target), input);
  return {
    AccessKeyMetadata: items.map((k) => ({ ...ownerName(target), AccessKeyId: k.access_key_id, Status: k.status, CreateDate: new Date(k.created_at) })),
    ...more,
  };
};

const updateAccessKey: Handler = (ctx, input: { UserName?: string; AccessKeyId: string; Status: string }) => {
  const target = targetOf(ctx, input.UserName);
  const key = keyOf(ctx, target, input.AccessKeyId);
  ctx.store.prepare('UPDATE access_keys SET status = ? WHERE access_key_id = ?').run(input.Status, key.access_key_id);
  return {};
};

const deleteAccessKey: Handler = (ctx, input: { UserName?: string; AccessKeyId: string }) => {
  const target = targetOf(ctx, input.UserName);
  const key = keyOf(ctx, target, input.AccessKeyId);
  ctx.store.prepare('DELETE FROM access_keys WHERE access_key_id = ?').run(key.access_key_id);
  return {};
};

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

const getAccessKeyLastUsed: Handler = (ctx, input: { AccessKeyId: string }) => {
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
};

export const accessKeyHandlers: Record<string, Handler> = {
  CreateAccessKey: createAccessKey,
  ListAccessKeys: listAccessKeys,
  UpdateAccessKey: updateAccessKey,
  DeleteAccessKey: deleteAccessKey,
  GetAccessKeyLastUsed: getAccessKeyLastUsed,
};

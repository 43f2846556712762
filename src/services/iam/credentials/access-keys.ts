import { operation } from '../../operation.js';
import type { RequestContext } from '../../types.js';
import { targetOf, type Target } from '../users/caller.js';
import { credentialOwnerRule } from './credential-owner.js';
import { credentialDeletion, credentialStatusUpdate } from '../shared/credential-status.js';
import { noSuchEntity, quotaExceeded } from '../../../identity/errors.js';
import { newAccessKeyId, newSecretAccessKey } from '../../../identity/ids.js';
import { paginate, type PageRequest } from '../shared/paginate.js';

/** Long-term access keys of IAM users and of the root user: create, list, status, delete. */

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

export const CreateAccessKey = operation({
  writes: true,
  authorize: credentialOwnerRule('iam:CreateAccessKey'),
  run: (ctx, input: { UserName?: string }) => {
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
  },
});

export const ListAccessKeys = operation({
  writes: false,
  authorize: credentialOwnerRule('iam:ListAccessKeys'),
  run: (ctx, input: PageRequest & { UserName?: string }) => {
    const target = targetOf(ctx, input.UserName);
    const { items, more } = paginate(keysOf(ctx, target), input);
    return {
      AccessKeyMetadata: items.map((k) => ({ ...ownerName(target), AccessKeyId: k.access_key_id, Status: k.status, CreateDate: new Date(k.created_at) })),
      ...more,
    };
  },
});

/** The key a request names, as its owner's. */
const namedKey = (ctx: RequestContext, input: { UserName?: string; AccessKeyId: string }) => keyOf(ctx, targetOf(ctx, input.UserName), input.AccessKeyId).access_key_id;

export const UpdateAccessKey = credentialStatusUpdate('access_keys', credentialOwnerRule('iam:UpdateAccessKey'), namedKey);

export const DeleteAccessKey = credentialDeletion('access_keys', credentialOwnerRule('iam:DeleteAccessKey'), namedKey);

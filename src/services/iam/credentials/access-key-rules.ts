import type { AuthzRule } from '../../types.js';
import { rootArn } from '../../../identity/accounts.js';
import { findUserById } from '../../../identity/users.js';
import { onUser } from '../users/user-resource.js';
import { findAccountKey, lastUsedDenied } from './access-keys.js';

/**
 * Transition only: the access-key rules that lived in users/authz.ts until the users
 * folder defined its operations; they move next to their handlers in access-keys.ts
 * when the credentials folder does the same. Access-key operations act on the user
 * (the caller when UserName is omitted), with its tags.
 */
const user =
  (action: string): AuthzRule =>
  (ctx, input: { UserName?: string }) =>
    onUser(ctx, action, input.UserName);

export const accessKeyAuthz: Record<string, AuthzRule> = {
  CreateAccessKey: user('iam:CreateAccessKey'),
  ListAccessKeys: user('iam:ListAccessKeys'),
  UpdateAccessKey: user('iam:UpdateAccessKey'),
  DeleteAccessKey: user('iam:DeleteAccessKey'),
  // Acts on the key's owner; a key IAM will not show the caller is refused outright.
  GetAccessKeyLastUsed: (ctx, input: { AccessKeyId: string }) => {
    const key = findAccountKey(ctx, input.AccessKeyId);
    if (!key) throw lastUsedDenied(ctx, input.AccessKeyId);
    if (key.user_id === null) return { action: 'iam:GetAccessKeyLastUsed', resource: rootArn(ctx.accountId) };
    const owner = findUserById(ctx.store, ctx.accountId, key.user_id);
    if (!owner) throw lastUsedDenied(ctx, input.AccessKeyId);
    return onUser(ctx, 'iam:GetAccessKeyLastUsed', owner.user_name);
  },
};

import { USER_INLINE } from '../../../identity/inline-policies.js';
import { requireUser } from '../../../identity/users.js';
import { inlinePolicyOperations } from '../shared/inline-policy-operations.js';
import { onUser } from './user-resource.js';

/** A user's inline policies; Put and Delete also bring the user's permissions boundary. */
export const { PutUserPolicy, GetUserPolicy, ListUserPolicies, DeleteUserPolicy } = inlinePolicyOperations({
  noun: 'User',
  nameMember: 'UserName',
  kind: USER_INLINE,
  owner: (ctx, name) => {
    const user = requireUser(ctx.store, ctx.accountId, name);
    return { accountId: user.account_id, id: user.user_id, name: user.user_name };
  },
  authorize: (ctx, action, name, changes) => onUser(ctx, action, name, {}, changes),
});

import { requireUser, USER_KIND } from '../../../identity/users.js';
import { tagOperations } from '../shared/tag-operations.js';
import { onUser } from './user-resource.js';

export const { TagUser, UntagUser, ListUserTags } = tagOperations({
  noun: 'User',
  nameMember: 'UserName',
  kind: USER_KIND,
  tagId: (ctx, name) => requireUser(ctx.store, ctx.accountId, name).user_id,
  authorize: onUser,
});

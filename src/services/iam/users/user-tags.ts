import type { Handler } from '../../types.js';
import { paginate, type PageRequest } from '../shared/paginate.js';
import { listTags, putTags, removeTags, type Tag } from '../../../identity/tags.js';
import { requireUser, USER_KIND } from '../../../identity/users.js';

const tagUser: Handler = (ctx, input: { UserName: string; Tags: Tag[] }) => {
  const user = requireUser(ctx.store, ctx.accountId, input.UserName);
  putTags(ctx.store, ctx.accountId, USER_KIND, user.user_id, input.Tags);
  return {};
};

const untagUser: Handler = (ctx, input: { UserName: string; TagKeys: string[] }) => {
  const user = requireUser(ctx.store, ctx.accountId, input.UserName);
  removeTags(ctx.store, ctx.accountId, USER_KIND, user.user_id, input.TagKeys);
  return {};
};

const listUserTags: Handler = (ctx, input: PageRequest & { UserName: string }) => {
  const user = requireUser(ctx.store, ctx.accountId, input.UserName);
  const { items, more } = paginate(listTags(ctx.store, ctx.accountId, USER_KIND, user.user_id), input);
  return { Tags: items, ...more };
};

export const userTagHandlers: Record<string, Handler> = {
  TagUser: tagUser,
  UntagUser: untagUser,
  ListUserTags: listUserTags,
};

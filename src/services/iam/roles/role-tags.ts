import type { Handler } from '../../types.js';
import { paginate, type PageRequest } from '../shared/paginate.js';
import { requireRole, ROLE_KIND } from '../../../identity/roles.js';
import { listTags, putTags, removeTags, type Tag } from '../../../identity/tags.js';

const tagRole: Handler = (ctx, input: { RoleName: string; Tags: Tag[] }) => {
  const role = requireRole(ctx.store, ctx.accountId, input.RoleName);
  putTags(ctx.store, ctx.accountId, ROLE_KIND, role.role_id, input.Tags);
  return {};
};

const untagRole: Handler = (ctx, input: { RoleName: string; TagKeys: string[] }) => {
  const role = requireRole(ctx.store, ctx.accountId, input.RoleName);
  removeTags(ctx.store, ctx.accountId, ROLE_KIND, role.role_id, input.TagKeys);
  return {};
};

const listRoleTags: Handler = (ctx, input: PageRequest & { RoleName: string }) => {
  const role = requireRole(ctx.store, ctx.accountId, input.RoleName);
  const { items, more } = paginate(listTags(ctx.store, ctx.accountId, ROLE_KIND, role.role_id), input);
  return { Tags: items, ...more };
};

export const roleTagHandlers: Record<string, Handler> = {
  TagRole: tagRole,
  UntagRole: untagRole,
  ListRoleTags: listRoleTags,
};

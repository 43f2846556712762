import { operation, type Operation } from '../../operation.js';
import type { AuthzEntry, RequestContext } from '../../types.js';
import { listTags, putTags, removeTags, requestTagKeys, type Tag } from '../../../identity/tags.js';
import { paginate, type PageMore, type PageRequest } from './paginate.js';

/**
 * Tag<Noun>, Untag<Noun> and List<Noun>Tags of one taggable IAM entity, made from what
 * differs between entities (the API below is fixed; other folders use it):
 *
 *   export const { TagRole, UntagRole, ListRoleTags } = tagOperations({
 *     noun: 'Role',               // as the three operation names spell it
 *     nameMember: 'RoleName',     // the input member that names the entity
 *     kind: ROLE_KIND,            // the tags table's resource_kind
 *     tagId: (ctx, name) => requireRole(ctx.store, ctx.accountId, name).role_id,
 *     authorize: onRole,          // (ctx, action, name, requestKeys) => AuthzEntry
 *   });
 *
 * - tagId(ctx, name, action): the entity's resource_id in the tags table; throws the
 *   entity's NoSuchEntity, or any refusal (action is 'iam:TagRole'…, for its message).
 * - listTagId?(ctx, name, action): List<Noun>Tags' lookup when it differs; undefined
 *   means the entity exists but carries no tags (AWS managed policies). Default: tagId.
 * - authorize(ctx, action, name, requestKeys): the entry for action ('iam:TagRole'…) on
 *   the entity; requestKeys are the request's own condition keys: aws:RequestTag/* and
 *   aws:TagKeys for Tag, aws:TagKeys for Untag, {} for List.
 * Tag and Untag write; List reads, a page at a time (Marker/MaxItems).
 */
export interface TaggableEntity<N extends string, M extends string> {
  noun: N;
  nameMember: M;
  kind: string;
  tagId: (ctx: RequestContext, name: string, action: string) => string;
  listTagId?: (ctx: RequestContext, name: string, action: string) => string | undefined;
  authorize: (ctx: RequestContext, action: string, name: string, requestKeys: Record<string, string | string[]>) => AuthzEntry;
}

type Named<M extends string> = { [K in M]: string };

export type TagOperations<N extends string, M extends string> = {
  [K in `Tag${N}`]: Operation<Named<M> & { Tags: Tag[] }, Record<string, never>>;
} & {
  [K in `Untag${N}`]: Operation<Named<M> & { TagKeys: string[] }, Record<string, never>>;
} & {
  [K in `List${N}Tags`]: Operation<Named<M> & PageRequest, { Tags: Tag[] } & PageMore>;
};

export function tagOperations<N extends string, M extends string>(entity: TaggableEntity<N, M>): TagOperations<N, M> {
  const { noun, nameMember: member, kind } = entity;
  const tagName = `Tag${noun}`;
  const untagName = `Untag${noun}`;
  const listName = `List${noun}Tags`;
  const listTagId = entity.listTagId ?? entity.tagId;

  const tag = operation({
    writes: true,
    authorize: (ctx, input: Named<M> & { Tags: Tag[] }) => entity.authorize(ctx, `iam:${tagName}`, input[member], requestTagKeys(input.Tags)),
    run: (ctx, input: Named<M> & { Tags: Tag[] }) => {
      putTags(ctx.store, ctx.accountId, kind, entity.tagId(ctx, input[member], `iam:${tagName}`), input.Tags);
      return {};
    },
  });

  const untag = operation({
    writes: true,
    authorize: (ctx, input: Named<M> & { TagKeys: string[] }) => entity.authorize(ctx, `iam:${untagName}`, input[member], { 'aws:TagKeys': input.TagKeys }),
    run: (ctx, input: Named<M> & { TagKeys: string[] }) => {
      removeTags(ctx.store, ctx.accountId, kind, entity.tagId(ctx, input[member], `iam:${untagName}`), input.TagKeys);
      return {};
    },
  });

  const list = operation({
    writes: false,
    authorize: (ctx, input: Named<M> & PageRequest) => entity.authorize(ctx, `iam:${listName}`, input[member], {}),
    run: (ctx, input: Named<M> & PageRequest) => {
      const id = listTagId(ctx, input[member], `iam:${listName}`);
      const { items, more } = paginate(id === undefined ? [] : listTags(ctx.store, ctx.accountId, kind, id), input);
      return { Tags: items, ...more };
    },
  });

  return { [tagName]: tag, [untagName]: untag, [listName]: list } as TagOperations<N, M>;
}

import { AwsError } from '../../../protocol/errors.js';
import { listTags, putTags, removeTags, requestTagKeys, type Tag } from '../../../identity/tags.js';
import { operation } from '../../operation.js';
import type { RequestContext } from '../../types.js';
import { pageOf } from '../../identitystore/shared/paging.js';
import { findPermissionSet, notFound, requireInstance, validation } from '../shared/sso.js';

/** Tags of instances and permission sets: TagResource, UntagResource, ListTagsForResource (and Create*'s Tags). */

export const SSO_TAG_KIND = 'sso';

/** The tags table's key of a taggable resource the caller owns, by its ARN. */
function taggedResource(ctx: RequestContext, arn: string, instanceArn?: string): string {
  if (arn.startsWith('arn:aws:sso:::instance/')) return requireInstance(ctx, arn).instance_id;
  const m = /^arn:aws:sso:::permissionSet\/(ssoins-[0-9a-f]{16})\/(ps-[0-9a-f]{16})$/.exec(arn);
  if (!m) throw validation(`${arn} is not the ARN of a resource that takes tags.`);
  const instance = requireInstance(ctx, instanceArn ?? `arn:aws:sso:::instance/${m[1]}`);
  if (!findPermissionSet(ctx.store, instance, arn)) throw notFound(`Could not find PermissionSet with arn ${arn}.`);
  return m[2];
}

/** IAM's tag rules (50 a resource, no aws: keys, no duplicates) with sso-admin's error code. */
export function tagResource(ctx: RequestContext, id: string, tags: Tag[]): void {
  try {
    putTags(ctx.store, ctx.accountId, SSO_TAG_KIND, id, tags);
  } catch (err) {
    if (err instanceof AwsError && err.status < 500) throw validation(err.message);
    throw err;
  }
}

interface TagInput {
  InstanceArn?: string;
  ResourceArn: string;
  Tags: Tag[];
}

export const TagResource = operation({
  writes: true,
  authorize: (_ctx: RequestContext, input: TagInput) => ({ action: 'sso:TagResource', resource: input.ResourceArn, context: requestTagKeys(input.Tags) }),
  run: (ctx: RequestContext, input: TagInput) => {
    tagResource(ctx, taggedResource(ctx, input.ResourceArn, input.InstanceArn), input.Tags);
    return {};
  },
});

export const UntagResource = operation({
  writes: true,
  authorize: (_ctx: RequestContext, input: { ResourceArn: string; TagKeys: string[] }) => ({
    action: 'sso:UntagResource', resource: input.ResourceArn, context: { 'aws:TagKeys': input.TagKeys },
  }),
  run: (ctx: RequestContext, input: { InstanceArn?: string; ResourceArn: string; TagKeys: string[] }) => {
    removeTags(ctx.store, ctx.accountId, SSO_TAG_KIND, taggedResource(ctx, input.ResourceArn, input.InstanceArn), input.TagKeys);
    return {};
  },
});

export const ListTagsForResource = operation({
  writes: false,
  authorize: (_ctx: RequestContext, input: { ResourceArn: string }) => ({ action: 'sso:ListTagsForResource', resource: input.ResourceArn }),
  run: (ctx: RequestContext, input: { InstanceArn?: string; ResourceArn: string; NextToken?: string }) => {
    const tags = listTags(ctx.store, ctx.accountId, SSO_TAG_KIND, taggedResource(ctx, input.ResourceArn, input.InstanceArn));
    const { items, next } = pageOf(tags, input.NextToken, undefined, 50);
    return { Tags: items, NextToken: next };
  },
});

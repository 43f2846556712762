import type { Handler } from '../../types.js';
import { paginate, type PageRequest } from '../shared/paginate.js';
import { POLICY_KIND, requireOwnPolicy, requirePolicy } from '../../../identity/managed-policies.js';
import { listTags, putTags, removeTags, type Tag } from '../../../identity/tags.js';

/** Tags of customer managed policies. AWS managed policies carry none and take none. */

const tagPolicy: Handler = (ctx, input: { PolicyArn: string; Tags: Tag[] }) => {
  const row = requireOwnPolicy(ctx.store, ctx.accountId, input.PolicyArn, ctx.principal.arn, 'iam:TagPolicy');
  putTags(ctx.store, ctx.accountId, POLICY_KIND, row.policy_id, input.Tags);
  return {};
};

const untagPolicy: Handler = (ctx, input: { PolicyArn: string; TagKeys: string[] }) => {
  const row = requireOwnPolicy(ctx.store, ctx.accountId, input.PolicyArn, ctx.principal.arn, 'iam:UntagPolicy');
  removeTags(ctx.store, ctx.accountId, POLICY_KIND, row.policy_id, input.TagKeys);
  return {};
};

const listPolicyTags: Handler = (ctx, input: PageRequest & { PolicyArn: string }) => {
  const p = requirePolicy(ctx.store, ctx.accountId, input.PolicyArn);
  const tags = p.row ? listTags(ctx.store, ctx.accountId, POLICY_KIND, p.row.policy_id) : [];
  const { items, more } = paginate(tags, input);
  return { Tags: items, ...more };
};

export const policyTagHandlers: Record<string, Handler> = {
  TagPolicy: tagPolicy,
  UntagPolicy: untagPolicy,
  ListPolicyTags: listPolicyTags,
};

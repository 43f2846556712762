import { operation } from '../../operation.js';
import { listPage, type PageRequest } from '../shared/paginate.js';
import { POLICY_KIND, requireOwnPolicy, requirePolicy } from '../../../identity/managed-policies.js';
import { listTags, putTags, removeTags, requestTagKeys, type Tag } from '../../../identity/tags.js';
import { onPolicy, readsPolicy } from './policy-resource.js';

/** Tags of customer managed policies. AWS managed policies carry none and take none. */

export const TagPolicy = operation({
  writes: true,
  authorize: (ctx, input: { PolicyArn: string; Tags: Tag[] }) => onPolicy(ctx, 'iam:TagPolicy', input.PolicyArn, { changes: true }, requestTagKeys(input.Tags)),
  run: (ctx, input: { PolicyArn: string; Tags: Tag[] }) => {
    const row = requireOwnPolicy(ctx.store, ctx.accountId, input.PolicyArn, ctx.principal.arn, 'iam:TagPolicy');
    putTags(ctx.store, ctx.accountId, POLICY_KIND, row.policy_id, input.Tags);
    return {};
  },
});

export const UntagPolicy = operation({
  writes: true,
  authorize: (ctx, input: { PolicyArn: string; TagKeys: string[] }) =>
    onPolicy(ctx, 'iam:UntagPolicy', input.PolicyArn, { changes: true }, { 'aws:TagKeys': input.TagKeys }),
  run: (ctx, input: { PolicyArn: string; TagKeys: string[] }) => {
    const row = requireOwnPolicy(ctx.store, ctx.accountId, input.PolicyArn, ctx.principal.arn, 'iam:UntagPolicy');
    removeTags(ctx.store, ctx.accountId, POLICY_KIND, row.policy_id, input.TagKeys);
    return {};
  },
});

export const ListPolicyTags = operation({
  writes: false,
  authorize: readsPolicy('iam:ListPolicyTags'),
  run: (ctx, input: PageRequest & { PolicyArn: string }) => {
    const p = requirePolicy(ctx.store, ctx.accountId, input.PolicyArn);
    const tags = p.row ? listTags(ctx.store, ctx.accountId, POLICY_KIND, p.row.policy_id) : [];
    return listPage('Tags', tags, input);
  },
});

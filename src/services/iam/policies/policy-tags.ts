import { POLICY_KIND, requireOwnPolicy, requirePolicy } from '../../../identity/managed-policies.js';
import { tagOperations } from '../shared/tag-operations.js';
import { onPolicy } from './policy-resource.js';

/** Tags of customer managed policies. AWS managed policies carry none and take none. */
export const { TagPolicy, UntagPolicy, ListPolicyTags } = tagOperations({
  noun: 'Policy',
  nameMember: 'PolicyArn',
  kind: POLICY_KIND,
  tagId: (ctx, arn, action) => requireOwnPolicy(ctx.store, ctx.accountId, arn, ctx.principal.arn, action).policy_id,
  // An AWS managed policy exists but lists no tags.
  listTagId: (ctx, arn) => requirePolicy(ctx.store, ctx.accountId, arn).row?.policy_id,
  // Tagging changes the policy (which AWS's are not open to); listing reads it.
  authorize: (ctx, action, arn, requestKeys) => onPolicy(ctx, action, arn, { changes: action !== 'iam:ListPolicyTags' }, requestKeys),
});

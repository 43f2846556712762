import { AwsError } from '../../../protocol/errors.js';
import { operation } from '../../operation.js';
import type { RequestContext } from '../../types.js';
import { bucketPolicyOf, effectivePublicAccessBlock } from '../authz/bucket-policies.js';
import { s3DenialMessage } from '../authz/denied.js';
import { onBucket } from '../authz/rules.js';
import { bucketArn, requireBucket, setBucketColumn, type BucketRow } from '../buckets/bucket-rows.js';
import { notConfigured } from '../errors.js';
import { checkBucketPolicy, isPublicPolicy } from './bucket-policy-document.js';

/**
 * The bucket policy: the resource policy every request on the bucket and its objects is
 * decided with (authz/rules.ts). Only identities of the bucket owner's account may read
 * or change it: others with permission get 405 MethodNotAllowed, as S3 answers.
 */
function ownersOnly(ctx: RequestContext, row: BucketRow, method: string): void {
  if (ctx.principal.accountId !== row.account_id) {
    throw new AwsError('MethodNotAllowed', 'The specified method is not allowed against this resource.', 405, {
      extra: { Method: method, ResourceType: 'BUCKETPOLICY' },
    });
  }
}

/**
 * PutBucketPolicy: s3:PutBucketPolicy. The policy is checked as S3 checks it
 * (MalformedPolicy with S3's messages); a public one is refused while BlockPublicPolicy
 * is on for the bucket or its account.
 */
export const PutBucketPolicy = operation({
  writes: true,
  authorize: onBucket('s3:PutBucketPolicy'),
  run: (ctx, input: { Bucket: string; Policy: string }) => {
    const row = requireBucket(ctx.store, input.Bucket);
    ownersOnly(ctx, row, 'PUT');
    const policy = checkBucketPolicy(ctx.store, row.name, input.Policy);
    if (isPublicPolicy(policy) && effectivePublicAccessBlock(ctx.store, row).BlockPublicPolicy) {
      const reason = 'because public policies are blocked by the BlockPublicPolicy block public access setting.';
      throw new AwsError('AccessDenied', s3DenialMessage(ctx.principal, 's3:PutBucketPolicy', bucketArn(row.name), row.account_id, reason), 403);
    }
    setBucketColumn(ctx.store, row.name, 'policy', input.Policy);
    return {};
  },
});

export const GetBucketPolicy = operation({
  writes: false,
  authorize: onBucket('s3:GetBucketPolicy'),
  run: (ctx, input: { Bucket: string }) => {
    const row = requireBucket(ctx.store, input.Bucket);
    ownersOnly(ctx, row, 'GET');
    if (row.policy === null) throw notConfigured('NoSuchBucketPolicy', 'The bucket policy does not exist', row.name);
    return { Policy: row.policy };
  },
});

export const DeleteBucketPolicy = operation({
  writes: true,
  authorize: onBucket('s3:DeleteBucketPolicy'),
  run: (ctx, input: { Bucket: string }) => {
    const row = requireBucket(ctx.store, input.Bucket);
    ownersOnly(ctx, row, 'DELETE');
    setBucketColumn(ctx.store, row.name, 'policy', null);
    return {};
  },
});

/** GetBucketPolicyStatus: s3:GetBucketPolicyStatus; IsPublic as Block Public Access means it. */
export const GetBucketPolicyStatus = operation({
  writes: false,
  authorize: onBucket('s3:GetBucketPolicyStatus'),
  run: (ctx, input: { Bucket: string }) => {
    const row = requireBucket(ctx.store, input.Bucket);
    const state = bucketPolicyOf(row);
    if (!state) throw notConfigured('NoSuchBucketPolicy', 'The bucket policy does not exist', row.name);
    return { PolicyStatus: { IsPublic: state.isPublic } };
  },
});

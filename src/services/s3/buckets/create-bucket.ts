import { AwsError } from '../../../protocol/errors.js';
import { operation } from '../../operation.js';
import { findBucket } from './bucket-rows.js';

/**
 * STUB until the s3-api branch is merged (it owns CreateBucket: name rules,
 * LocationConstraint, ownership, public access block…): enough for the object path's tests.
 */
export const CreateBucket = operation({
  writes: true,
  authorize: (ctx, input: { Bucket: string }) => ({ action: 's3:CreateBucket', resource: `arn:aws:s3:::${input.Bucket}` }),
  run: (ctx, input: { Bucket: string; CreateBucketConfiguration?: { LocationConstraint?: string } }) => {
    const found = findBucket(ctx.store, input.Bucket);
    if (found) {
      if (found.account_id === ctx.accountId) throw new AwsError('BucketAlreadyOwnedByYou', 'Your previous request to create the named bucket succeeded and you already own it.', 409, { extra: { BucketName: input.Bucket } });
      throw new AwsError('BucketAlreadyExists', 'The requested bucket name is not available. The bucket namespace is shared by all users of the system. Please select a different name and try again.', 409, { extra: { BucketName: input.Bucket } });
    }
    const region = input.CreateBucketConfiguration?.LocationConstraint ?? 'us-east-1';
    ctx.store.prepare('INSERT INTO s3_buckets (name, account_id, region, created_at, versioning) VALUES (?, ?, ?, ?, NULL)').run(input.Bucket, ctx.accountId, region, ctx.now);
    return { Location: `/${input.Bucket}` };
  },
});

import { operation } from '../../operation.js';
import { onBucket } from '../authz/rules.js';
import { notConfigured } from '../errors.js';
import { requireBucket } from './bucket-rows.js';

/**
 * Bucket settings iamlocal does not act on, read as S3 reads them for a bucket that never
 * set them, so consoles, Terraform and tutorials that look at every setting get S3's
 * answers (and their permission checks: s3:GetBucketLogging…).
 */

/** GetBucketLogging: server access logging is off. */
export const GetBucketLogging = operation({
  writes: false,
  authorize: onBucket('s3:GetBucketLogging'),
  run: (ctx, input: { Bucket: string }) => (requireBucket(ctx.store, input.Bucket), {}),
});

/** GetBucketNotificationConfiguration: no notifications (S3 asks for s3:GetBucketNotification). */
export const GetBucketNotificationConfiguration = operation({
  writes: false,
  authorize: onBucket('s3:GetBucketNotification'),
  run: (ctx, input: { Bucket: string }) => (requireBucket(ctx.store, input.Bucket), {}),
});

/** GetBucketAccelerateConfiguration: never enabled (S3 asks for s3:GetAccelerateConfiguration). */
export const GetBucketAccelerateConfiguration = operation({
  writes: false,
  authorize: onBucket('s3:GetAccelerateConfiguration'),
  run: (ctx, input: { Bucket: string }) => (requireBucket(ctx.store, input.Bucket), {}),
});

/** GetBucketRequestPayment: the bucket owner pays. */
export const GetBucketRequestPayment = operation({
  writes: false,
  authorize: onBucket('s3:GetBucketRequestPayment'),
  run: (ctx, input: { Bucket: string }) => (requireBucket(ctx.store, input.Bucket), { Payer: 'BucketOwner' }),
});

export const GetBucketWebsite = operation({
  writes: false,
  authorize: onBucket('s3:GetBucketWebsite'),
  run: (ctx, input: { Bucket: string }) => {
    const row = requireBucket(ctx.store, input.Bucket);
    throw notConfigured('NoSuchWebsiteConfiguration', 'The specified bucket does not have a website configuration', row.name);
  },
});

export const GetBucketReplication = operation({
  writes: false,
  authorize: onBucket('s3:GetReplicationConfiguration'),
  run: (ctx, input: { Bucket: string }) => {
    const row = requireBucket(ctx.store, input.Bucket);
    throw notConfigured('ReplicationConfigurationNotFoundError', 'The replication configuration was not found', row.name);
  },
});

/** GetObjectLockConfiguration: S3 asks for s3:GetBucketObjectLockConfiguration. */
export const GetObjectLockConfiguration = operation({
  writes: false,
  authorize: onBucket('s3:GetBucketObjectLockConfiguration'),
  run: (ctx, input: { Bucket: string }) => {
    const row = requireBucket(ctx.store, input.Bucket);
    if (row.object_lock === null) throw notConfigured('ObjectLockConfigurationNotFoundError', 'Object Lock configuration does not exist for this bucket', row.name);
    return { ObjectLockConfiguration: JSON.parse(row.object_lock) as Record<string, unknown> };
  },
});

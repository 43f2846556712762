import { operation } from '../../operation.js';
import { onBucket } from '../authz/rules.js';
import { notConfigured } from '../errors.js';
import { requireBucket, setBucketColumn } from './bucket-rows.js';
import { checkTagSet, type Tag } from './tag-sets.js';

/** PutBucketTagging: s3:PutBucketTagging; the whole tag set is replaced. */
export const PutBucketTagging = operation({
  writes: true,
  authorize: onBucket('s3:PutBucketTagging'),
  run: (ctx, input: { Bucket: string; Tagging: { TagSet: Tag[] } }) => {
    const row = requireBucket(ctx.store, input.Bucket);
    checkTagSet(input.Tagging.TagSet);
    setBucketColumn(ctx.store, row.name, 'tags', JSON.stringify(input.Tagging.TagSet.map((t) => ({ Key: t.Key, Value: t.Value ?? '' }))));
    return {};
  },
});

export const GetBucketTagging = operation({
  writes: false,
  authorize: onBucket('s3:GetBucketTagging'),
  run: (ctx, input: { Bucket: string }) => {
    const row = requireBucket(ctx.store, input.Bucket);
    if (row.tags === null) throw notConfigured('NoSuchTagSet', 'The TagSet does not exist', row.name);
    return { TagSet: JSON.parse(row.tags) as Tag[] };
  },
});

/** DeleteBucketTagging: S3 asks for s3:PutBucketTagging. */
export const DeleteBucketTagging = operation({
  writes: true,
  authorize: onBucket('s3:PutBucketTagging'),
  run: (ctx, input: { Bucket: string }) => {
    const row = requireBucket(ctx.store, input.Bucket);
    setBucketColumn(ctx.store, row.name, 'tags', null);
    return {};
  },
});

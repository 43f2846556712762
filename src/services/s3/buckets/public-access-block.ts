import { operation } from '../../operation.js';
import { bucketEntry, onBucket } from '../authz/rules.js';
import { readPublicAccessBlock, type PublicAccessBlock } from '../authz/bucket-policies.js';
import { notConfigured } from '../errors.js';
import { requireBucket, setBucketColumn } from './bucket-rows.js';

/**
 * A bucket's Block Public Access settings. The account's settings (s3control) add to
 * them: authz/bucket-policies.ts's effectivePublicAccessBlock says what applies, and the
 * policy checks honour it (BlockPublicPolicy at PutBucketPolicy, RestrictPublicBuckets
 * at every request, BlockPublicAcls / IgnorePublicAcls for ACLs).
 */
export const PutPublicAccessBlock = operation({
  writes: true,
  authorize: onBucket('s3:PutBucketPublicAccessBlock'),
  run: (ctx, input: { Bucket: string; PublicAccessBlockConfiguration: Partial<PublicAccessBlock> }) => {
    const row = requireBucket(ctx.store, input.Bucket);
    // Settings not sent are false, as S3 stores them.
    setBucketColumn(ctx.store, row.name, 'public_access_block', JSON.stringify(readPublicAccessBlock(JSON.stringify(input.PublicAccessBlockConfiguration))));
    return {};
  },
});

export const GetPublicAccessBlock = operation({
  writes: false,
  authorize: onBucket('s3:GetBucketPublicAccessBlock'),
  run: (ctx, input: { Bucket: string }) => {
    const row = requireBucket(ctx.store, input.Bucket);
    if (row.public_access_block === null) {
      throw notConfigured('NoSuchPublicAccessBlockConfiguration', 'The public access block configuration was not found', row.name);
    }
    return { PublicAccessBlockConfiguration: readPublicAccessBlock(row.public_access_block) };
  },
});

/** DeletePublicAccessBlock: S3 asks for s3:PutBucketPublicAccessBlock. */
export const DeletePublicAccessBlock = operation({
  writes: true,
  authorize: onBucket('s3:PutBucketPublicAccessBlock'),
  run: (ctx, input: { Bucket: string }) => {
    const row = requireBucket(ctx.store, input.Bucket);
    setBucketColumn(ctx.store, row.name, 'public_access_block', null);
    return {};
  },
});

import { AwsError } from '../../../protocol/errors.js';
import { operation } from '../../operation.js';
import { bucketEntry, onBucket } from '../authz/rules.js';
import { requireBucket, setBucketColumn } from './bucket-rows.js';

interface PutVersioningInput {
  Bucket: string;
  MFA?: string;
  VersioningConfiguration: { Status?: 'Enabled' | 'Suspended'; MFADelete?: 'Enabled' | 'Disabled' };
}

/**
 * PutBucketVersioning: s3:PutBucketVersioning. A bucket is unversioned until versioning
 * is first enabled; after that it is Enabled or Suspended, never unversioned again.
 * Changing MFA Delete needs the x-amz-mfa header; a bucket with Object Lock cannot be
 * suspended.
 */
export const PutBucketVersioning = operation({
  writes: true,
  authorize: (ctx, input: PutVersioningInput) => bucketEntry(ctx, 's3:PutBucketVersioning', input.Bucket),
  run: (ctx, input: PutVersioningInput) => {
    const row = requireBucket(ctx.store, input.Bucket);
    const { Status, MFADelete } = input.VersioningConfiguration;
    if (MFADelete !== undefined && MFADelete !== (row.mfa_delete ?? 'Disabled')) {
      if (input.MFA === undefined) throw new AwsError('InvalidRequest', 'DevPay and Mfa are mutually exclusive authorization methods.', 400);
      setBucketColumn(ctx.store, row.name, 'mfa_delete', MFADelete);
    }
    if (Status !== undefined) {
      if (Status === 'Suspended' && row.object_lock !== null) {
        throw new AwsError('InvalidBucketState', 'An Object Lock configuration is present on this bucket, so the versioning state cannot be changed.', 409);
      }
      // Suspending a bucket that never had versioning leaves it Suspended, as S3 does.
      setBucketColumn(ctx.store, row.name, 'versioning', Status);
    }
    return {};
  },
});

/** GetBucketVersioning: s3:GetBucketVersioning; an unversioned bucket answers an empty configuration. */
export const GetBucketVersioning = operation({
  writes: false,
  authorize: onBucket('s3:GetBucketVersioning'),
  run: (ctx, input: { Bucket: string }) => {
    const row = requireBucket(ctx.store, input.Bucket);
    const out: Record<string, string> = {};
    if (row.versioning !== null) out.Status = row.versioning;
    if (row.mfa_delete !== null) out.MFADelete = row.mfa_delete;
    return out;
  },
});

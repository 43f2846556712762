import { AwsError } from '../../../protocol/errors.js';
import { operation } from '../../operation.js';
import { bucketEntry, onBucket } from '../authz/rules.js';
import { malformedXml } from '../errors.js';
import { requireBucket, setBucketColumn, type BucketRow } from './bucket-rows.js';

export interface EncryptionRule {
  ApplyServerSideEncryptionByDefault?: { SSEAlgorithm: string; KMSMasterKeyID?: string };
  BucketKeyEnabled?: boolean;
}

export interface EncryptionConfiguration {
  Rules: EncryptionRule[];
}

/** What every bucket has had since January 2023 unless told otherwise: SSE-S3. */
const DEFAULT_ENCRYPTION: EncryptionConfiguration = Object.freeze({
  Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' }, BucketKeyEnabled: false }],
});

const ALGORITHMS = new Set(['AES256', 'aws:kms', 'aws:kms:dsse']);

/** The bucket's default encryption: what objects written without their own get (and report). */
export function bucketEncryption(row: BucketRow): EncryptionConfiguration {
  return row.encryption === null ? DEFAULT_ENCRYPTION : (JSON.parse(row.encryption) as EncryptionConfiguration);
}

/** The default a new object gets: algorithm and, for SSE-KMS, the key. */
export function defaultObjectEncryption(row: BucketRow): { ServerSideEncryption: string; SSEKMSKeyId?: string; BucketKeyEnabled?: boolean } {
  const rule = bucketEncryption(row).Rules[0];
  const by = rule?.ApplyServerSideEncryptionByDefault ?? { SSEAlgorithm: 'AES256' };
  const out: { ServerSideEncryption: string; SSEKMSKeyId?: string; BucketKeyEnabled?: boolean } = { ServerSideEncryption: by.SSEAlgorithm };
  if (by.KMSMasterKeyID !== undefined) out.SSEKMSKeyId = by.KMSMasterKeyID;
  if (by.SSEAlgorithm !== 'AES256' && rule?.BucketKeyEnabled) out.BucketKeyEnabled = true;
  return out;
}

/**
 * PutBucketEncryption: s3:PutEncryptionConfiguration. SSE-S3 (AES256), SSE-KMS (aws:kms,
 * optionally with a key) and DSSE-KMS are recorded and reported on objects; iamlocal
 * keeps the bytes as they are.
 */
export const PutBucketEncryption = operation({
  writes: true,
  authorize: onBucket('s3:PutEncryptionConfiguration'),
  run: (ctx, input: { Bucket: string; ServerSideEncryptionConfiguration: EncryptionConfiguration }) => {
    const row = requireBucket(ctx.store, input.Bucket);
    const rules = input.ServerSideEncryptionConfiguration.Rules;
    if (rules.length !== 1) throw malformedXml();
    const by = rules[0].ApplyServerSideEncryptionByDefault;
    if (by) {
      if (!ALGORITHMS.has(by.SSEAlgorithm)) throw malformedXml();
      if (by.KMSMasterKeyID !== undefined && by.SSEAlgorithm === 'AES256') {
        throw new AwsError('InvalidArgument', 'a KMSMasterKeyID is not applicable if the default sse algorithm is not aws:kms or aws:kms:dsse', 400);
      }
    }
    setBucketColumn(ctx.store, row.name, 'encryption', JSON.stringify({ Rules: rules }));
    return {};
  },
});

export const GetBucketEncryption = operation({
  writes: false,
  authorize: onBucket('s3:GetEncryptionConfiguration'),
  run: (ctx, input: { Bucket: string }) => ({ ServerSideEncryptionConfiguration: bucketEncryption(requireBucket(ctx.store, input.Bucket)) }),
});

/** DeleteBucketEncryption: s3:PutEncryptionConfiguration; the bucket goes back to SSE-S3. */
export const DeleteBucketEncryption = operation({
  writes: true,
  authorize: onBucket('s3:PutEncryptionConfiguration'),
  run: (ctx, input: { Bucket: string }) => {
    const row = requireBucket(ctx.store, input.Bucket);
    setBucketColumn(ctx.store, row.name, 'encryption', null);
    return {};
  },
});

/** A new object's encryption: what the request asks for, else the bucket's default. */
export function objectEncryption(
  row: BucketRow,
  input: { ServerSideEncryption?: string; SSEKMSKeyId?: string; BucketKeyEnabled?: boolean },
): { ServerSideEncryption: string; SSEKMSKeyId?: string; BucketKeyEnabled?: boolean } {
  if (input.ServerSideEncryption === undefined) return defaultObjectEncryption(row);
  const out: { ServerSideEncryption: string; SSEKMSKeyId?: string; BucketKeyEnabled?: boolean } = { ServerSideEncryption: input.ServerSideEncryption };
  if (input.SSEKMSKeyId !== undefined) out.SSEKMSKeyId = input.SSEKMSKeyId;
  else if (input.ServerSideEncryption !== 'AES256') {
    // SSE-KMS without a key names the account's AWS managed key for S3.
    out.SSEKMSKeyId = `arn:aws:kms:${row.region}:${row.account_id}:alias/aws/s3`;
  }
  if (input.BucketKeyEnabled !== undefined) out.BucketKeyEnabled = input.BucketKeyEnabled;
  return out;
}

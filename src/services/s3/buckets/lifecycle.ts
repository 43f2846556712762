import { AwsError } from '../../../protocol/errors.js';
import { operation } from '../../operation.js';
import { onBucket } from '../authz/rules.js';
import { malformedXml, notConfigured } from '../errors.js';
import { requireBucket, setBucketColumn } from './bucket-rows.js';

export interface LifecycleRule {
  ID?: string;
  Status: 'Enabled' | 'Disabled';
  Prefix?: string;
  Filter?: {
    Prefix?: string;
    Tag?: { Key: string; Value: string };
    ObjectSizeGreaterThan?: number;
    ObjectSizeLessThan?: number;
    And?: { Prefix?: string; Tags?: Array<{ Key: string; Value: string }>; ObjectSizeGreaterThan?: number; ObjectSizeLessThan?: number };
  };
  Expiration?: { Date?: string | Date; Days?: number; ExpiredObjectDeleteMarker?: boolean };
  Transitions?: Array<{ Date?: string | Date; Days?: number; StorageClass?: string }>;
  NoncurrentVersionTransitions?: Array<{ NoncurrentDays?: number; StorageClass?: string; NewerNoncurrentVersions?: number }>;
  NoncurrentVersionExpiration?: { NoncurrentDays?: number; NewerNoncurrentVersions?: number };
  AbortIncompleteMultipartUpload?: { DaysAfterInitiation?: number };
}

function invalidRequest(message: string): AwsError {
  return new AwsError('InvalidRequest', message, 400);
}

/**
 * S3's checks on a lifecycle configuration: at most 1,000 rules, IDs unique and at most
 * 255 characters, each rule with an action, positive day counts, an expiration by days
 * or by date but not both, and no expired-object-delete-marker with tag filters.
 */
function checkRules(rules: LifecycleRule[]): void {
  if (rules.length === 0) throw malformedXml();
  if (rules.length > 1000) throw invalidRequest('Lifecycle configuration cannot have more than 1000 rules');
  const ids = new Set<string>();
  for (const r of rules) {
    if (r.ID !== undefined) {
      if (r.ID.length > 255) throw new AwsError('InvalidArgument', 'ID length should not exceed allowed limit of 255', 400);
      if (ids.has(r.ID)) throw new AwsError('InvalidArgument', 'Rule ID must be unique. Found same ID for more than one rule', 400);
      ids.add(r.ID);
    }
    if (r.Prefix !== undefined && r.Filter !== undefined) throw malformedXml();
    const hasAction = r.Expiration || r.Transitions?.length || r.NoncurrentVersionTransitions?.length || r.NoncurrentVersionExpiration || r.AbortIncompleteMultipartUpload;
    if (!hasAction) throw malformedXml();
    const e = r.Expiration;
    if (e) {
      const set = [e.Date !== undefined, e.Days !== undefined, e.ExpiredObjectDeleteMarker !== undefined].filter(Boolean).length;
      if (set !== 1) throw malformedXml();
      if (e.Days !== undefined && e.Days <= 0) throw new AwsError('InvalidArgument', "'Days' for Expiration action must be a positive integer", 400);
    }
    if (r.NoncurrentVersionExpiration?.NoncurrentDays !== undefined && r.NoncurrentVersionExpiration.NoncurrentDays <= 0) {
      throw new AwsError('InvalidArgument', "'NoncurrentDays' for NoncurrentVersionExpiration action must be a positive integer", 400);
    }
    const abort = r.AbortIncompleteMultipartUpload?.DaysAfterInitiation;
    if (abort !== undefined && abort <= 0) throw new AwsError('InvalidArgument', "'DaysAfterInitiation' for AbortIncompleteMultipartUpload action must be a positive integer", 400);
    if (r.AbortIncompleteMultipartUpload && (r.Filter?.Tag || r.Filter?.And?.Tags?.length)) {
      throw new AwsError('InvalidRequest', 'AbortIncompleteMultipartUpload cannot be specified with Tags.', 400);
    }
  }
}

/** The rules stored for a bucket (for the lifecycle sweep and GetBucketLifecycleConfiguration). */
export function lifecycleRules(text: string | null): LifecycleRule[] | undefined {
  return text === null ? undefined : (JSON.parse(text) as LifecycleRule[]);
}

/** PutBucketLifecycleConfiguration: s3:PutLifecycleConfiguration; the whole configuration is replaced. */
export const PutBucketLifecycleConfiguration = operation({
  writes: true,
  authorize: onBucket('s3:PutLifecycleConfiguration'),
  run: (ctx, input: { Bucket: string; LifecycleConfiguration?: { Rules: LifecycleRule[] } }) => {
    const row = requireBucket(ctx.store, input.Bucket);
    const rules = input.LifecycleConfiguration?.Rules;
    if (!rules) throw malformedXml();
    checkRules(rules);
    setBucketColumn(ctx.store, row.name, 'lifecycle', JSON.stringify(rules));
    return { TransitionDefaultMinimumObjectSize: 'all_storage_classes_128K' };
  },
});

export const GetBucketLifecycleConfiguration = operation({
  writes: false,
  authorize: onBucket('s3:GetLifecycleConfiguration'),
  run: (ctx, input: { Bucket: string }) => {
    const row = requireBucket(ctx.store, input.Bucket);
    const rules = lifecycleRules(row.lifecycle);
    if (!rules) throw notConfigured('NoSuchLifecycleConfiguration', 'The lifecycle configuration does not exist', row.name);
    return { Rules: rules, TransitionDefaultMinimumObjectSize: 'all_storage_classes_128K' };
  },
});

/** DeleteBucketLifecycle: S3 asks for s3:PutLifecycleConfiguration. */
export const DeleteBucketLifecycle = operation({
  writes: true,
  authorize: onBucket('s3:PutLifecycleConfiguration'),
  run: (ctx, input: { Bucket: string }) => {
    const row = requireBucket(ctx.store, input.Bucket);
    setBucketColumn(ctx.store, row.name, 'lifecycle', null);
    return {};
  },
});

import { evaluate, type PolicySet } from '../../policy/index.js';
import type { Store } from '../../store/store.js';
import { findBucket, type BucketRow } from '../s3/buckets/bucket-rows.js';
import { bucketPolicyOf } from '../s3/authz/bucket-policies.js';

const CLOUDTRAIL = 'cloudtrail.amazonaws.com';

/**
 * May CloudTrail deliver the trail's logs to the bucket? As AWS checks at CreateTrail and
 * at every delivery: the bucket policy must allow the service principal
 * cloudtrail.amazonaws.com s3:GetBucketAcl on the bucket and s3:PutObject on the trail's
 * AWSLogs/ACCOUNT/ prefix with the ACL bucket-owner-full-control, for this trail
 * (aws:SourceArn) of this account (aws:SourceAccount). A service principal has no
 * identity policies: the resource policy alone decides.
 */
export function cloudTrailMayWrite(store: Store, bucket: BucketRow, account: string, trailArnText: string, keyPrefix: string | null): boolean {
  const state = bucketPolicyOf(bucket);
  if (!state) return false;
  const set: PolicySet = { identity: [], resource: [...state.all], resourcePolicyRequired: true };
  const principal = { type: 'service' as const, arn: CLOUDTRAIL, accountId: '', serviceName: CLOUDTRAIL };
  const context = { 'aws:SourceArn': trailArnText, 'aws:SourceAccount': account, 'aws:SecureTransport': 'true' };
  const key = `${keyPrefix ? `${keyPrefix}/` : ''}AWSLogs/${account}/CloudTrail/x.json.gz`;
  const acl = evaluate({ action: 's3:GetBucketAcl', resource: `arn:aws:s3:::${bucket.name}`, principal, resourceAccount: bucket.account_id, context }, set);
  if (acl.decision !== 'allowed') return false;
  const put = evaluate({
    action: 's3:PutObject', resource: `arn:aws:s3:::${bucket.name}/${key}`, principal, resourceAccount: bucket.account_id,
    context: { ...context, 's3:x-amz-acl': 'bucket-owner-full-control' },
  }, set);
  void store;
  return put.decision === 'allowed';
}

export { findBucket };

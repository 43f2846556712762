import { AwsError } from '../../../protocol/errors.js';
import type { AuthzEntry, RequestContext } from '../../types.js';
import { aclsDisabled, type BucketRow } from '../buckets/bucket-rows.js';
import { checkTagSet } from '../buckets/tag-sets.js';
import { accessControlListNotSupported } from '../errors.js';
import {
  aclKeys, bucketEntry, encryptionKeys, existingObjectTagKeys, objectEntry, parseTaggingHeader, requestObjectTagKeys, versionKeys, type Context,
} from './rules.js';

/**
 * The rules of the object operations that read or write a whole object, shared by the
 * streaming path (PutObject, GetObject, HeadObject) and the rest (CopyObject, multipart).
 */

export interface ExtrasRow {
  tags?: string | null;
  acl?: string | null;
}

/** The tags and ACL of the version a request names (the current one when none is named). */
function versionExtras(ctx: RequestContext, bucket: string, key: string, versionId?: string): ExtrasRow | undefined {
  return versionId === undefined
    ? ctx.store.prepare<ExtrasRow>('SELECT tags, acl FROM s3_objects WHERE bucket = ? AND key = ? AND is_latest = 1').get(bucket, key)
    : ctx.store.prepare<ExtrasRow>('SELECT tags, acl FROM s3_objects WHERE bucket = ? AND key = ? AND version_id = ?').get(bucket, key, versionId);
}

/** The tags of the version a request names (the current one when none is named). */
export function objectTags(ctx: RequestContext, bucket: string, key: string, versionId?: string): Array<{ Key: string; Value: string }> | undefined {
  const row = versionExtras(ctx, bucket, key, versionId);
  return row?.tags ? (JSON.parse(row.tags) as Array<{ Key: string; Value: string }>) : undefined;
}

/**
 * GetObject / HeadObject: s3:GetObject, or s3:GetObjectVersion with s3:VersionId for a
 * named version; s3:ExistingObjectTag/<key> from the version's tags.
 */
export function readObjectEntry(ctx: RequestContext, bucket: string, key: string, versionId: string | undefined, known?: ExtrasRow | null): AuthzEntry {
  // `known`: the version, already looked up by the caller (null: there is none).
  const extras = known === undefined ? versionExtras(ctx, bucket, key, versionId) : (known ?? undefined);
  const tags = extras?.tags ? (JSON.parse(extras.tags) as Array<{ Key: string; Value: string }>) : undefined;
  const context: Context = { ...versionKeys(versionId), ...existingObjectTagKeys(tags) };
  return objectEntry(ctx, versionId === undefined ? 's3:GetObject' : 's3:GetObjectVersion', bucket, key, context, extras?.acl ?? null);
}

export interface WriteObjectInput {
  Bucket: string;
  Key: string;
  ACL?: string;
  GrantFullControl?: string;
  GrantRead?: string;
  GrantReadACP?: string;
  GrantWriteACP?: string;
  ServerSideEncryption?: string;
  SSEKMSKeyId?: string;
  StorageClass?: string;
  Tagging?: string;
  ObjectLockMode?: string;
  ObjectLockRetainUntilDate?: Date;
  ObjectLockLegalHoldStatus?: string;
}

/**
 * PutObject (and CopyObject's destination, CreateMultipartUpload): s3:PutObject with
 * the encryption, ACL, tag and storage-class keys the request carries; tags also need
 * s3:PutObjectTagging, an ACL s3:PutObjectAcl (S3 User Guide, "Required permissions
 * for Amazon S3 API operations").
 */
export function writeObjectEntries(ctx: RequestContext, input: WriteObjectInput, extra: Context = {}): AuthzEntry[] {
  const context: Context = { ...encryptionKeys(input), ...aclKeys(input), ...requestObjectTagKeys(input.Tagging), ...extra };
  if (input.StorageClass !== undefined) context['s3:x-amz-storage-class'] = input.StorageClass;
  if (input.ObjectLockMode !== undefined) context['s3:object-lock-mode'] = input.ObjectLockMode;
  if (input.ObjectLockLegalHoldStatus !== undefined) context['s3:object-lock-legal-hold'] = input.ObjectLockLegalHoldStatus;
  if (input.ObjectLockRetainUntilDate !== undefined) context['s3:object-lock-retain-until-date'] = input.ObjectLockRetainUntilDate.toISOString();
  const entries = [objectEntry(ctx, 's3:PutObject', input.Bucket, input.Key, context)];
  if (input.Tagging) entries.push(objectEntry(ctx, 's3:PutObjectTagging', input.Bucket, input.Key, requestObjectTagKeys(input.Tagging)));
  if (hasAcl(input)) entries.push(objectEntry(ctx, 's3:PutObjectAcl', input.Bucket, input.Key, aclKeys(input)));
  return entries;
}

function hasAcl(input: WriteObjectInput): boolean {
  return [input.ACL, input.GrantFullControl, input.GrantRead, input.GrantReadACP, input.GrantWriteACP].some((v) => v !== undefined);
}

/**
 * What S3 refuses of a write before reading its body: an ACL on a bucket whose ACLs are
 * disabled (only bucket-owner-full-control passes), and a bad tag set. Returns the
 * tags and the ACL to store with the new version.
 */
export function checkObjectWrite(bucket: BucketRow, input: WriteObjectInput): { tags: string | null; acl: string | null } {
  let acl: string | null = null;
  if (hasAcl(input)) {
    const ownerOnly = input.ACL === 'bucket-owner-full-control' && [input.GrantFullControl, input.GrantRead, input.GrantReadACP, input.GrantWriteACP].every((g) => g === undefined);
    if (aclsDisabled(bucket)) {
      if (!ownerOnly) throw accessControlListNotSupported();
    } else if (input.ACL !== undefined && input.ACL !== 'private' && !ownerOnly) {
      acl = JSON.stringify({ Canned: input.ACL });
    }
  }
  let tags: string | null = null;
  if (input.Tagging) {
    const list = parseTaggingHeader(input.Tagging);
    checkTagSet(list, 10);
    tags = JSON.stringify(list);
  }
  return { tags, acl };
}

/** Stores a version's tags and ACL, once its row is written. */
export function setVersionExtras(ctx: RequestContext, bucket: string, key: string, versionId: string, extras: { tags: string | null; acl: string | null }): void {
  if (extras.tags === null && extras.acl === null) return;
  ctx.store.prepare('UPDATE s3_objects SET tags = ?, acl = ? WHERE bucket = ? AND key = ? AND version_id = ?').run(extras.tags, extras.acl, bucket, key, versionId);
}

/**
 * A key (or version) that is not there: S3 says NoSuchKey only to callers who may list
 * the bucket; to others it is AccessDenied, so they learn nothing of what exists.
 */
export function hideMissing(ctx: RequestContext, bucket: string, err: unknown): unknown {
  if (!(err instanceof AwsError) || (err.code !== 'NoSuchKey' && err.code !== 'NoSuchVersion')) return err;
  const denied = ctx.permits?.(bucketEntry(ctx, 's3:ListBucket', bucket));
  return denied ?? err;
}

import { randomBytes } from 'node:crypto';
import { AwsError } from '../../../protocol/errors.js';
import { operation } from '../../operation.js';
import type { RequestContext } from '../../types.js';
import { objectEntry, versionKeys } from '../authz/rules.js';
import { requireBucket, type BucketRow } from '../buckets/bucket-rows.js';
import { invalidArgument, malformedXml } from '../errors.js';
import { forgetBlob } from './object-blobs.js';

/**
 * DeleteObject and DeleteObjects, with versions and delete markers as S3 keeps them:
 *   - no version named, versioning never enabled: the object is gone;
 *   - no version named, versioning Enabled: a delete marker becomes the current version;
 *   - no version named, versioning Suspended: a delete marker replaces the null version;
 *   - a version named (s3:DeleteObjectVersion): that version is gone for good, and if it
 *     was current the next newest becomes current.
 * Deleting what does not exist succeeds, as in S3.
 */

interface VersionRow {
  account_id: string;
  key: string;
  version_id: string;
  is_latest: number;
  delete_marker: number;
  blob_id: string | null;
  seq: number;
}

const NULL_VERSION = 'null';

/** S3's version ids: "null" or 32 URL-safe characters. */
function checkVersionId(versionId: string): void {
  if (versionId !== NULL_VERSION && !/^[A-Za-z0-9._-]{1,1024}$/.test(versionId)) throw invalidArgument('Invalid version id specified', 'versionId', versionId);
}

function newVersionId(): string {
  return randomBytes(24).toString('base64url');
}

export interface DeleteResult {
  DeleteMarker?: boolean;
  VersionId?: string;
}

function findVersionRow(ctx: RequestContext, bucket: string, key: string, versionId: string): VersionRow | undefined {
  return ctx.store
    .prepare<VersionRow>('SELECT account_id, key, version_id, is_latest, delete_marker, blob_id, rowid AS seq FROM s3_objects WHERE bucket = ? AND key = ? AND version_id = ?')
    .get(bucket, key, versionId);
}

function removeRow(ctx: RequestContext, bucket: BucketRow, row: VersionRow): void {
  ctx.store.prepare('DELETE FROM s3_objects WHERE rowid = ?').run(row.seq);
  if (row.blob_id) forgetBlob(ctx, row.blob_id);
  if (row.is_latest) {
    // The newest remaining version becomes current.
    ctx.store
      .prepare('UPDATE s3_objects SET is_latest = 1 WHERE rowid = (SELECT rowid FROM s3_objects WHERE bucket = ? AND key = ? ORDER BY rowid DESC LIMIT 1)')
      .run(bucket.name, row.key);
  }
}

function addDeleteMarker(ctx: RequestContext, bucket: BucketRow, key: string, versionId: string): void {
  ctx.store.prepare('UPDATE s3_objects SET is_latest = 0 WHERE bucket = ? AND key = ? AND is_latest = 1').run(bucket.name, key);
  ctx.store
    .prepare(
      `INSERT INTO s3_objects (account_id, bucket, key, version_id, is_latest, delete_marker, blob_id, size, etag, content, metadata, checksums, storage_class, sse, created_at)
       VALUES (?, ?, ?, ?, 1, 1, NULL, 0, '', '{}', '{}', '{}', 'STANDARD', NULL, ?)`,
    )
    .run(bucket.account_id, bucket.name, key, versionId, ctx.now);
}

/** Deletes one key or version as S3 does; the caller has authorized it. */
export function deleteObject(ctx: RequestContext, bucket: BucketRow, key: string, versionId: string | undefined): DeleteResult {
  if (versionId !== undefined) {
    checkVersionId(versionId);
    const row = findVersionRow(ctx, bucket.name, key, versionId);
    if (!row) return { VersionId: versionId };
    removeRow(ctx, bucket, row);
    return row.delete_marker ? { DeleteMarker: true, VersionId: versionId } : { VersionId: versionId };
  }
  if (bucket.versioning === 'Enabled') {
    const id = newVersionId();
    addDeleteMarker(ctx, bucket, key, id);
    return { DeleteMarker: true, VersionId: id };
  }
  const nullVersion = findVersionRow(ctx, bucket.name, key, NULL_VERSION);
  if (nullVersion) {
    ctx.store.prepare('DELETE FROM s3_objects WHERE rowid = ?').run(nullVersion.seq);
    if (nullVersion.blob_id) forgetBlob(ctx, nullVersion.blob_id);
  }
  if (bucket.versioning === 'Suspended') {
    addDeleteMarker(ctx, bucket, key, NULL_VERSION);
    return { DeleteMarker: true, VersionId: NULL_VERSION };
  }
  return {};
}

/** MFA Delete: deleting a version of a bucket that has it needs the x-amz-mfa header. */
function checkMfaDelete(bucket: BucketRow, versionId: string | undefined, mfa: string | undefined): void {
  if (versionId !== undefined && bucket.mfa_delete === 'Enabled' && mfa === undefined) {
    throw new AwsError('AccessDenied', 'Mfa Authentication must be used for this request', 403);
  }
}

interface DeleteObjectInput {
  Bucket: string;
  Key: string;
  VersionId?: string;
  MFA?: string;
}

/** DeleteObject: s3:DeleteObject, or s3:DeleteObjectVersion with s3:VersionId for a named version. */
export const DeleteObject = operation({
  writes: true,
  authorize: (ctx, input: DeleteObjectInput) =>
    objectEntry(ctx, input.VersionId === undefined ? 's3:DeleteObject' : 's3:DeleteObjectVersion', input.Bucket, input.Key, versionKeys(input.VersionId)),
  run: (ctx, input: DeleteObjectInput) => {
    const bucket = requireBucket(ctx.store, input.Bucket);
    checkMfaDelete(bucket, input.VersionId, input.MFA);
    return deleteObject(ctx, bucket, input.Key, input.VersionId);
  },
});

interface DeleteObjectsInput {
  Bucket: string;
  MFA?: string;
  Delete: { Objects: Array<{ Key: string; VersionId?: string }>; Quiet?: boolean };
  ChecksumAlgorithm?: string;
}

/**
 * DeleteObjects: up to 1,000 keys, each decided on its own (s3:DeleteObject or
 * s3:DeleteObjectVersion on that key), so a denied key is an AccessDenied entry in
 * Errors and the others are deleted, as S3 answers. Quiet mode lists only the errors.
 * The request must carry Content-MD5 or an SDK checksum of its body.
 */
export const DeleteObjects = operation({
  writes: true,
  authorize: (ctx, input: DeleteObjectsInput) => {
    requireBucket(ctx.store, input.Bucket);
    return [];
  },
  run: (ctx, input: DeleteObjectsInput) => {
    const bucket = requireBucket(ctx.store, input.Bucket);
    const h = ctx.headers ?? {};
    const integrity = h['content-md5'] !== undefined || Object.keys(h).some((k) => k.startsWith('x-amz-checksum-') || k === 'x-amz-sdk-checksum-algorithm');
    if (!integrity) throw new AwsError('InvalidRequest', 'Missing required header for this request: Content-MD5', 400);
    const objects = input.Delete.Objects ?? [];
    if (objects.length === 0 || objects.length > 1000) throw malformedXml();
    const deleted: Record<string, unknown>[] = [];
    const errors: Record<string, unknown>[] = [];
    for (const o of objects) {
      const action = o.VersionId === undefined ? 's3:DeleteObject' : 's3:DeleteObjectVersion';
      const denied = ctx.permits?.(objectEntry(ctx, action, bucket, o.Key, versionKeys(o.VersionId)));
      if (denied) {
        errors.push({ Key: o.Key, VersionId: o.VersionId, Code: denied.code, Message: denied.message });
        continue;
      }
      try {
        checkMfaDelete(bucket, o.VersionId, input.MFA);
        // Each key in its own savepoint: one failing leaves the others done.
        const result = ctx.store.tx(() => deleteObject(ctx, bucket, o.Key, o.VersionId));
        if (input.Delete.Quiet) continue;
        const entry: Record<string, unknown> = { Key: o.Key };
        if (o.VersionId !== undefined) entry.VersionId = o.VersionId;
        if (result.DeleteMarker) {
          entry.DeleteMarker = true;
          entry.DeleteMarkerVersionId = result.VersionId;
        }
        deleted.push(entry);
      } catch (e) {
        if (!(e instanceof AwsError)) throw e;
        errors.push({ Key: o.Key, VersionId: o.VersionId, Code: e.code, Message: e.message });
      }
    }
    return { Deleted: deleted, Errors: errors };
  },
});

import { operation } from '../../operation.js';
import { existingObjectTagKeys, objectEntry, versionKeys } from '../authz/rules.js';
import { objectTags, hideMissing } from '../authz/object-rules.js';
import { requireBucket } from '../buckets/bucket-rows.js';
import { noSuchKey } from '../errors.js';
import { findLatest, findVersion } from './object-rows.js';

interface AttributesInput {
  Bucket: string;
  Key: string;
  VersionId?: string;
  ObjectAttributes: string[];
  MaxParts?: number;
  PartNumberMarker?: number;
}

/**
 * GetObjectAttributes: s3:GetObjectAttributes (s3:GetObjectVersionAttributes for a named
 * version) — the ETag (without quotes, as S3 gives it here), checksum, storage class and
 * size a request asks for, without the bytes.
 */
export const GetObjectAttributes = operation({
  writes: false,
  authorize: (ctx, input: AttributesInput) =>
    objectEntry(ctx, input.VersionId === undefined ? 's3:GetObjectAttributes' : 's3:GetObjectVersionAttributes', input.Bucket, input.Key, {
      ...versionKeys(input.VersionId),
      ...existingObjectTagKeys(objectTags(ctx, input.Bucket, input.Key, input.VersionId)),
    }),
  run: (ctx, input: AttributesInput) => {
    try {
      const bucket = requireBucket(ctx.store, input.Bucket);
      const row = input.VersionId === undefined ? findLatest(ctx.store, bucket.name, input.Key) : findVersion(ctx.store, bucket.account_id, bucket.name, input.Key, input.VersionId);
      if (!row || row.delete_marker) throw noSuchKey(input.Key);
      const want = new Set(input.ObjectAttributes);
      const out: Record<string, unknown> = { LastModified: new Date(row.created_at), VersionId: bucket.versioning ? row.version_id : undefined };
      if (want.has('ETag')) out.ETag = row.etag.replace(/"/g, '');
      if (want.has('StorageClass')) out.StorageClass = row.storage_class;
      if (want.has('ObjectSize')) out.ObjectSize = row.size;
      if (want.has('Checksum')) {
        const checksums = JSON.parse(row.checksums) as Record<string, string>;
        if (Object.keys(checksums).length) out.Checksum = checksums;
      }
      const parts = /-(\d+)"$/.exec(row.etag);
      if (want.has('ObjectParts') && parts) out.ObjectParts = { TotalPartsCount: Number(parts[1]) };
      return out;
    } catch (err) {
      throw hideMissing(ctx, input.Bucket, err);
    }
  },
});

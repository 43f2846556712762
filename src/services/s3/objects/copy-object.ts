import { AwsError } from '../../../protocol/errors.js';
import { operation, type Staged } from '../../operation.js';
import type { AuthzEntry, RequestContext } from '../../types.js';
import { checkObjectWrite, objectTags, setVersionExtras, writeObjectEntries, type WriteObjectInput } from '../authz/object-rules.js';
import { existingObjectTagKeys, sourceObjectEntry, versionKeys } from '../authz/rules.js';
import { requireBucket } from '../buckets/bucket-rows.js';
import { objectEncryption } from '../buckets/encryption.js';
import { invalidArgument, invalidRequest, noSuchKey } from '../errors.js';
import { checkKey, findLatest, findVersion, putVersion, type ContentHeaders, type ObjectRow } from './object-rows.js';
import { checkWriteConditions, etagMatches, preconditionFailed } from './put-object.js';

/** S3's limit on a copy source in one CopyObject (larger ones are copied in parts). */
const MAX_COPY_BYTES = 5 * 1024 ** 3;

export interface CopySource {
  bucket: string;
  key: string;
  versionId?: string;
}

/** x-amz-copy-source: "[/]bucket/key[?versionId=…]", the bucket and key URL-encoded. */
export function parseCopySource(header: string): CopySource {
  let text = header.startsWith('/') ? header.slice(1) : header;
  let versionId: string | undefined;
  const q = text.indexOf('?');
  if (q >= 0) {
    const query = new URLSearchParams(text.slice(q + 1));
    versionId = query.get('versionId') ?? undefined;
    text = text.slice(0, q);
  }
  const slash = text.indexOf('/');
  if (slash <= 0 || slash === text.length - 1) throw invalidArgument('Invalid copy source object key', 'x-amz-copy-source', header);
  let bucket: string;
  let key: string;
  try {
    bucket = decodeURIComponent(text.slice(0, slash));
    key = decodeURIComponent(text.slice(slash + 1));
  } catch {
    throw invalidArgument('Invalid copy source encoding', 'x-amz-copy-source', header);
  }
  return versionId === undefined ? { bucket, key } : { bucket, key, versionId };
}

/** The source of a copy: s3:GetObject (or s3:GetObjectVersion) on it, with its tags as s3:ExistingObjectTag/*. */
export function copySourceEntry(ctx: RequestContext, source: CopySource): AuthzEntry {
  const context = { ...versionKeys(source.versionId), ...existingObjectTagKeys(objectTags(ctx, source.bucket, source.key, source.versionId)) };
  return sourceObjectEntry(ctx, source.versionId === undefined ? 's3:GetObject' : 's3:GetObjectVersion', source.bucket, source.key, context);
}

export interface CopyConditions {
  CopySourceIfMatch?: string;
  CopySourceIfNoneMatch?: string;
  CopySourceIfModifiedSince?: Date;
  CopySourceIfUnmodifiedSince?: Date;
}

/** The source version, found and its x-amz-copy-source-if-* conditions checked (all fail with 412). */
export function copySourceRow(ctx: RequestContext, source: CopySource, conditions: CopyConditions): ObjectRow {
  const bucket = requireBucket(ctx.store, source.bucket);
  let row: ObjectRow | undefined;
  if (source.versionId !== undefined) {
    row = findVersion(ctx.store, bucket.account_id, bucket.name, source.key, source.versionId, true);
    if (!row) {
      if (source.versionId === 'null') throw noSuchKey(source.key);
      throw new AwsError('NoSuchVersion', 'The specified version does not exist.', 404, { extra: { Key: source.key, VersionId: source.versionId } });
    }
    if (row.delete_marker) throw invalidRequest('The source of a copy request may not specifically refer to a delete marker by version id.');
  } else {
    row = findLatest(ctx.store, bucket.name, source.key, true);
    if (!row || row.delete_marker) throw noSuchKey(source.key);
  }
  const modified = Math.floor(row.created_at / 1000) * 1000;
  // S3's rule: If-Match true with If-Unmodified-Since false still copies; If-None-Match false with If-Modified-Since true still fails.
  if (conditions.CopySourceIfMatch !== undefined) {
    if (!etagMatches(conditions.CopySourceIfMatch, row.etag)) throw preconditionFailed('x-amz-copy-source-If-Match');
  } else if (conditions.CopySourceIfUnmodifiedSince !== undefined && modified > conditions.CopySourceIfUnmodifiedSince.getTime()) {
    throw preconditionFailed('x-amz-copy-source-If-Unmodified-Since');
  }
  if (conditions.CopySourceIfNoneMatch !== undefined) {
    if (etagMatches(conditions.CopySourceIfNoneMatch, row.etag)) throw preconditionFailed('x-amz-copy-source-If-None-Match');
  } else if (conditions.CopySourceIfModifiedSince !== undefined && modified <= conditions.CopySourceIfModifiedSince.getTime()) {
    throw preconditionFailed('x-amz-copy-source-If-Modified-Since');
  }
  return row;
}

interface CopyObjectInput extends WriteObjectInput, CopyConditions {
  CopySource: string;
  MetadataDirective?: 'COPY' | 'REPLACE';
  TaggingDirective?: 'COPY' | 'REPLACE';
  Metadata?: Record<string, string>;
  ContentType?: string;
  ContentEncoding?: string;
  ContentLanguage?: string;
  ContentDisposition?: string;
  CacheControl?: string;
  Expires?: string | Date;
  BucketKeyEnabled?: boolean;
  IfMatch?: string;
  IfNoneMatch?: string;
  WebsiteRedirectLocation?: string;
}

/**
 * CopyObject: s3:GetObject on the source and s3:PutObject on the destination, with
 * s3:x-amz-copy-source and s3:x-amz-metadata-directive. Metadata and Content-* headers
 * come from the source (COPY, the default) or the request (REPLACE); tags likewise by
 * the tagging directive; encryption is the request's or the destination bucket's
 * default. The bytes are not copied: the new version's blob is a hard link to the
 * source's.
 */
export const CopyObject = operation<CopyObjectInput, Record<string, unknown>, Staged & { row: ObjectRow }>({
  writes: true,
  authorize: (ctx, input) => {
    const source = parseCopySource(input.CopySource);
    const extra: Record<string, string> = { 's3:x-amz-copy-source': input.CopySource };
    if (input.MetadataDirective !== undefined) extra['s3:x-amz-metadata-directive'] = input.MetadataDirective;
    return [copySourceEntry(ctx, source), ...writeObjectEntries(ctx, input, extra)];
  },
  // A source in a blob: the copy's blob, a hard link, is made (and its folder fsynced) before the write.
  stage: (ctx, input) => {
    const row = copySourceRow(ctx, parseCopySource(input.CopySource), input);
    const blob = row.blob_id;
    if (!blob) return undefined;
    return ctx.store.blobs.link(blob).then((id) => ({ blob: { id, size: row.size, digests: {} }, row }));
  },
  run: (ctx, input, staged) => {
    checkKey(input.Key);
    const source = parseCopySource(input.CopySource);
    const bucket = requireBucket(ctx.store, input.Bucket);
    // The source as it was when the request was decided (and linked), else as it is now.
    const row = staged?.row ?? copySourceRow(ctx, source, input);
    if (row.size > MAX_COPY_BYTES) {
      throw invalidRequest(`The specified copy source is larger than the maximum allowable size for a copy source: ${MAX_COPY_BYTES}`);
    }
    const replaceMetadata = input.MetadataDirective === 'REPLACE';
    const changesSomething =
      replaceMetadata || input.ServerSideEncryption !== undefined || input.StorageClass !== undefined || input.WebsiteRedirectLocation !== undefined ||
      source.versionId !== undefined;
    if (source.bucket === bucket.name && source.key === input.Key && !changesSomething) {
      throw invalidRequest(
        "This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.",
      );
    }
    checkWriteConditions(ctx, input);
    const extras = checkObjectWrite(bucket, input);
    if (input.TaggingDirective !== 'REPLACE') extras.tags = row.tags ?? null;
    const content: ContentHeaders = replaceMetadata
      ? {
          ContentType: input.ContentType ?? 'binary/octet-stream',
          ContentEncoding: input.ContentEncoding,
          ContentLanguage: input.ContentLanguage,
          ContentDisposition: input.ContentDisposition,
          CacheControl: input.CacheControl,
          Expires: input.Expires === undefined ? undefined : new Date(input.Expires).getTime(),
        }
      : (JSON.parse(row.content) as ContentHeaders);
    const metadata = replaceMetadata ? JSON.stringify(input.Metadata ?? {}) : row.metadata;
    const sse = objectEncryption(bucket, input);
    const write = (blob: string | null) => {
      const versionId = putVersion(ctx, bucket, {
        key: input.Key,
        delete_marker: 0,
        blob_id: blob,
        // A small object's bytes are in its row: the copy's row holds them too.
        data: row.data ?? null,
        size: row.size,
        etag: row.etag,
        content: JSON.stringify(content),
        metadata,
        checksums: row.checksums,
        storage_class: input.StorageClass ?? row.storage_class,
        sse: JSON.stringify(sse),
        created_at: ctx.now,
      });
      setVersionExtras(ctx, bucket.name, input.Key, versionId, extras);
      return versionId;
    };
    const versionId = write(staged?.blob.id ?? null);
    const sourceBucket = requireBucket(ctx.store, source.bucket);
    const checksums = JSON.parse(row.checksums) as Record<string, string>;
    return {
      CopyObjectResult: { ETag: row.etag, LastModified: new Date(ctx.now), ...checksums },
      CopySourceVersionId: sourceBucket.versioning ? row.version_id : undefined,
      VersionId: bucket.versioning ? versionId : undefined,
      ServerSideEncryption: sse.ServerSideEncryption,
      SSEKMSKeyId: sse.SSEKMSKeyId,
      BucketKeyEnabled: sse.BucketKeyEnabled,
    };
  },
});


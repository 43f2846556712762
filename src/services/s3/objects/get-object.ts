import { closeSync, openSync, readSync } from 'node:fs';
import { AwsError } from '../../../protocol/errors.js';
import { operation } from '../../operation.js';
import type { RequestContext } from '../../types.js';
import { bucketOf, checkKey, findLatest, findVersion, MAX_KEY_BYTES, noSuchKey, noSuchVersion, NULL_VERSION, type ContentHeaders, type ObjectRow, type StoredEncryption } from './object-rows.js';
import { findBucket, type BucketRow } from '../buckets/bucket-rows.js';
import { etagMatches, preconditionFailed } from './put-object.js';
import { hideMissing, readObjectEntry } from '../authz/object-rules.js';

export interface ReadObjectInput {
  Bucket: string;
  Key: string;
  VersionId?: string;
  Range?: string;
  IfMatch?: string;
  IfNoneMatch?: string;
  IfModifiedSince?: Date;
  IfUnmodifiedSince?: Date;
  ChecksumMode?: string;
  PartNumber?: number;
  ResponseCacheControl?: string;
  ResponseContentDisposition?: string;
  ResponseContentEncoding?: string;
  ResponseContentLanguage?: string;
  ResponseContentType?: string;
  ResponseExpires?: Date;
}

/** Objects (in files) up to this size are read into memory at once (one synchronous read); larger ones stream from the file. */
const READ_WHOLE_BYTES = 256 * 1024;

/**
 * GetObject and HeadObject ask for s3:GetObject, or s3:GetObjectVersion for a named
 * version (authz/object-rules.ts), with the version's tags: the version is looked up
 * once, here, and run reads it from `looked` (same request, same snapshot).
 */
function authorizeRead(withData: boolean) {
  return (ctx: RequestContext, input: ReadObjectInput) => {
    const bucket = findBucket(ctx.store, input.Bucket);
    // No bucket: objectEntry answers NoSuchBucket. A key too long is refused by run, unlooked.
    if (!bucket || Buffer.byteLength(input.Key) > MAX_KEY_BYTES) return readObjectEntry(ctx, input.Bucket, input.Key, input.VersionId);
    const row = lookUp(ctx, bucket, input, withData) ?? null;
    looked.set(ctx, row);
    return readObjectEntry(ctx, input.Bucket, input.Key, input.VersionId, row);
  };
}

/** The version each request's authorize looked up (null: none), for its run. */
const looked = new WeakMap<RequestContext, ObjectRow | null>();

function lookUp(ctx: RequestContext, bucket: BucketRow, input: ReadObjectInput, withData: boolean): ObjectRow | undefined {
  return input.VersionId !== undefined
    ? findVersion(ctx.store, bucket.account_id, bucket.name, input.Key, input.VersionId, withData)
    : findLatest(ctx.store, bucket.name, input.Key, withData);
}

/**
 * GetObject: the object's headers, and its bytes — read at once when small, else streamed
 * from its file to the socket with backpressure (the file is opened in the request's
 * snapshot, so a version replaced meanwhile is still read whole). A Range gets 206.
 */
export const GetObject = operation<ReadObjectInput, Record<string, unknown>>({
  writes: false,
  authorize: authorizeRead(true),
  run: (ctx, input) => {
    const { row, output, range } = readVisible(ctx, input, true);
    const start = range?.start ?? 0;
    const length = range ? range.end - range.start + 1 : row.size;
    let body: Buffer | NodeJS.ReadableStream;
    if (row.data) body = row.data.subarray(start, start + length);
    else if (!row.blob_id || length === 0) body = EMPTY;
    else if (length <= READ_WHOLE_BYTES) body = readSmall(ctx.store.blobs.path(row.blob_id), start, length);
    else body = ctx.store.blobs.read(row.blob_id, { start, end: start + length - 1 });
    return { ...output, Body: body };
  },
  status: rangeStatus,
});

/** 206 Partial Content for a range, else 200. */
function rangeStatus(output: Record<string, unknown>): number {
  return output.ContentRange ? 206 : 200;
}

/** HeadObject: GetObject's headers without its bytes. */
export const HeadObject = operation<ReadObjectInput, Record<string, unknown>>({
  writes: false,
  authorize: authorizeRead(false),
  run: (ctx, input) => readVisible(ctx, input).output,
  status: rangeStatus,
});

/** readObject, a missing key shown as S3 shows it to this caller (NoSuchKey or AccessDenied). */
function readVisible(ctx: RequestContext, input: ReadObjectInput, withData = false): ReturnType<typeof readObject> {
  try {
    return readObject(ctx, input, withData);
  } catch (err) {
    throw hideMissing(ctx, input.Bucket, err);
  }
}

/** The version asked for, its preconditions checked, and the headers S3 answers with. */
function readObject(ctx: RequestContext, input: ReadObjectInput, withData = false): { row: ObjectRow; output: Record<string, unknown>; range?: ByteRange } {
  checkKey(input.Key);
  const bucket = bucketOf(ctx.store, input.Bucket);
  const known = looked.get(ctx);
  const row: ObjectRow | undefined = known === undefined ? lookUp(ctx, bucket, input, withData) : (known ?? undefined);
  if (input.VersionId !== undefined) {
    if (!row) throw input.VersionId === NULL_VERSION ? noSuchKey(input.Key) : noSuchVersion(input.Key, input.VersionId);
    if (row.delete_marker) throw new AwsError('MethodNotAllowed', 'The specified method is not allowed against this resource.', 405, { extra: { Method: 'GET', ResourceType: 'DeleteMarker' } });
  } else if (!row || row.delete_marker) throw noSuchKey(input.Key);
  checkConditions(input, row);
  if (input.PartNumber !== undefined && input.PartNumber !== 1) {
    throw new AwsError('InvalidPartNumber', 'The requested partnumber is not satisfiable', 416, { extra: { PartNumberRequested: String(input.PartNumber), ActualPartCount: '1' } });
  }
  const range = input.Range !== undefined ? parseRange(input.Range, row.size) : undefined;
  const content = JSON.parse(row.content) as ContentHeaders;
  const sse = row.sse ? (JSON.parse(row.sse) as StoredEncryption) : undefined;
  const output: Record<string, unknown> = {
    AcceptRanges: 'bytes',
    LastModified: new Date(row.created_at),
    ContentLength: range ? range.end - range.start + 1 : row.size,
    ETag: row.etag,
    CacheControl: input.ResponseCacheControl ?? content.CacheControl,
    ContentDisposition: input.ResponseContentDisposition ?? content.ContentDisposition,
    ContentEncoding: input.ResponseContentEncoding ?? content.ContentEncoding,
    ContentLanguage: input.ResponseContentLanguage ?? content.ContentLanguage,
    ContentType: input.ResponseContentType ?? content.ContentType,
    Expires: input.ResponseExpires ?? (content.Expires !== undefined ? new Date(content.Expires) : undefined),
    Metadata: JSON.parse(row.metadata) as Record<string, string>,
    ServerSideEncryption: sse?.ServerSideEncryption,
    SSEKMSKeyId: sse?.SSEKMSKeyId,
    BucketKeyEnabled: sse?.BucketKeyEnabled,
    StorageClass: row.storage_class === 'STANDARD' ? undefined : row.storage_class,
    VersionId: bucket.versioning ? row.version_id : undefined,
  };
  if (row.tags) output.TagCount = (JSON.parse(row.tags) as unknown[]).length;
  if (range) output.ContentRange = `bytes ${range.start}-${range.end}/${row.size}`;
  // Checksums describe the whole object: sent when asked for, and never with a range.
  else if (input.ChecksumMode?.toUpperCase() === 'ENABLED') Object.assign(output, JSON.parse(row.checksums));
  return { row, output, range };
}

/** If-Match / If-Unmodified-Since fail with 412; If-None-Match / If-Modified-Since with 304 (RFC 9110 §13.2.2 order). */
function checkConditions(input: ReadObjectInput, row: ObjectRow): void {
  const modified = Math.floor(row.created_at / 1000) * 1000;
  if (input.IfMatch !== undefined) {
    if (!etagMatches(input.IfMatch, row.etag)) throw preconditionFailed('If-Match');
  } else if (input.IfUnmodifiedSince !== undefined && modified > input.IfUnmodifiedSince.getTime()) {
    throw preconditionFailed('If-Unmodified-Since');
  }
  if (input.IfNoneMatch !== undefined) {
    if (etagMatches(input.IfNoneMatch, row.etag)) throw notModified(row);
  } else if (input.IfModifiedSince !== undefined && modified <= input.IfModifiedSince.getTime()) {
    throw notModified(row);
  }
}

/** 304: no body; the HTTP layer sends none for it. */
function notModified(row: ObjectRow): AwsError {
  return new AwsError('NotModified', 'Not Modified', 304, { extra: { ETag: row.etag } });
}

interface ByteRange {
  start: number;
  /** Inclusive. */
  end: number;
}

/**
 * A Range header against an object's size: `bytes=a-b`, `bytes=a-`, `bytes=-n`. A header
 * S3 cannot read (another unit, several ranges) is ignored and the whole object sent; a
 * range that starts past the end is InvalidRange (416).
 */
export function parseRange(header: string, size: number): ByteRange | undefined {
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === '' && m[2] === '')) return undefined;
  let start: number;
  let end: number;
  if (m[1] === '') {
    const suffix = Number(m[2]);
    if (suffix === 0) throw invalidRange(header, size);
    start = Math.max(0, size - suffix);
    end = size - 1;
  } else {
    start = Number(m[1]);
    end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
    if (m[2] !== '' && Number(m[2]) < start) return undefined;
  }
  if (start >= size) throw invalidRange(header, size);
  return { start, end };
}

function invalidRange(header: string, size: number): AwsError {
  return new AwsError('InvalidRange', 'The requested range is not satisfiable', 416, { extra: { RangeRequested: header, ActualObjectSize: String(size) } });
}

function readSmall(path: string, start: number, length: number): Buffer {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.allocUnsafe(length);
    let at = 0;
    while (at < length) {
      const n = readSync(fd, buf, at, length - at, start + at);
      if (n === 0) throw new Error(`blob ${path} is shorter than its row says`);
      at += n;
    }
    return buf;
  } finally {
    closeSync(fd);
  }
}

const EMPTY = Buffer.alloc(0);

import { randomBytes } from 'node:crypto';
import { AwsError } from '../../../protocol/errors.js';
import type { Store } from '../../../store/store.js';
import type { RequestContext } from '../../types.js';
import type { BucketRow } from '../buckets/bucket-rows.js';
import { findBucket } from '../buckets/bucket-rows.js';

/** One version of an object (s3_objects). */
export interface ObjectRow {
  account_id: string;
  bucket: string;
  key: string;
  version_id: string;
  is_latest: number;
  delete_marker: number;
  blob_id: string | null;
  /** A small object's bytes (only when selected: findLatest/findVersion with data). */
  data?: Buffer | null;
  size: number;
  etag: string;
  /** JSON of ContentHeaders. */
  content: string;
  /** JSON: user metadata (x-amz-meta-*), names lower-cased without the prefix. */
  metadata: string;
  /** JSON of StoredChecksums. */
  checksums: string;
  storage_class: string;
  /** JSON of StoredEncryption, or null. */
  sse: string | null;
  created_at: number;
  /** JSON [{Key, Value}], or null: the version's tags. */
  tags?: string | null;
  /** JSON {Canned} or {Grants}, or null: the version's ACL when the bucket allows ACLs. */
  acl?: string | null;
}

/** The Content-* headers (and Cache-Control, Expires) an object was stored with, as the model names them. */
export interface ContentHeaders {
  ContentType?: string;
  ContentEncoding?: string;
  ContentLanguage?: string;
  ContentDisposition?: string;
  CacheControl?: string;
  /** Epoch ms. */
  Expires?: number;
}

/** S3 checksums by model member name (ChecksumCRC32: base64…) and ChecksumType. */
export type StoredChecksums = Record<string, string>;

export interface StoredEncryption {
  ServerSideEncryption: string;
  SSEKMSKeyId?: string;
  BucketKeyEnabled?: boolean;
}

/**
 * Objects up to this size keep their bytes in their row: the commit that writes the row
 * makes them durable (kill -9 and power loss alike: WAL frames are atomic), with no file
 * to create, fsync, rename and later unlink. On the disk we measure on, one fsync'd file
 * costs more than a hundred such rows. Larger objects stream to blob files.
 */
export const INLINE_MAX_BYTES = 16 * 1024;

/** The null version: what an unversioned (or suspended) bucket writes and overwrites. */
export const NULL_VERSION = 'null';
/** S3's limit on key length, in UTF-8 bytes. */
export const MAX_KEY_BYTES = 1024;

const COLUMNS = 'account_id, bucket, key, version_id, is_latest, delete_marker, blob_id, size, etag, content, metadata, checksums, storage_class, sse, created_at';
const READ_COLUMNS = `${COLUMNS}, tags, acl`;

/** The current version of a key (possibly a delete marker), or undefined; `withData` adds a small object's bytes. */
export function findLatest(store: Store, bucket: string, key: string, withData = false): ObjectRow | undefined {
  return store.prepare<ObjectRow>(`SELECT ${READ_COLUMNS}${withData ? ', data' : ''} FROM s3_objects WHERE bucket = ? AND key = ? AND is_latest = 1`).get(bucket, key);
}

/** One version of a key, or undefined; `withData` adds a small object's bytes. */
export function findVersion(store: Store, account: string, bucket: string, key: string, versionId: string, withData = false): ObjectRow | undefined {
  return store
    .prepare<ObjectRow>(`SELECT ${READ_COLUMNS}${withData ? ', data' : ''} FROM s3_objects WHERE account_id = ? AND bucket = ? AND key = ? AND version_id = ?`)
    .get(account, bucket, key, versionId);
}

/**
 * Writes a new current version of a key, as S3 does for the bucket's versioning state:
 * Enabled adds a version (the old one stays, no longer latest); otherwise the null version
 * is replaced (its blob unlinked once the write commits) and other versions stay.
 * Returns the new version's id.
 */
export function putVersion(ctx: RequestContext, bucket: BucketRow, row: Omit<ObjectRow, 'account_id' | 'bucket' | 'version_id' | 'is_latest'> & { data: Buffer | null }): string {
  const { store } = ctx;
  const versionId = bucket.versioning === 'Enabled' ? newVersionId() : NULL_VERSION;
  store.prepare('UPDATE s3_objects SET is_latest = 0 WHERE bucket = ? AND key = ? AND is_latest = 1').run(bucket.name, row.key);
  if (versionId === NULL_VERSION) {
    const replaced = findVersion(store, bucket.account_id, bucket.name, row.key, NULL_VERSION);
    if (replaced) {
      store.prepare('DELETE FROM s3_objects WHERE account_id = ? AND bucket = ? AND key = ? AND version_id = ?').run(bucket.account_id, bucket.name, row.key, NULL_VERSION);
      const blob = replaced.blob_id;
      if (blob) ctx.afterCommit?.(() => store.blobs.remove(blob));
    }
  }
  store
    .prepare(`INSERT INTO s3_objects (${COLUMNS}, data) VALUES (?, ?, ?, ?, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
    .run(
      bucket.account_id, bucket.name, row.key, versionId, row.delete_marker, row.blob_id, row.size, row.etag, row.content, row.metadata,
      row.checksums, row.storage_class, row.sse, row.created_at, row.data,
    );
  return versionId;
}

/** Version ids as S3's look: 32 URL-safe characters. */
function newVersionId(): string {
  return randomBytes(24).toString('base64url');
}

/** The bucket an object request names, or S3's NoSuchBucket. */
export function bucketOf(store: Store, name: string): BucketRow {
  const bucket = findBucket(store, name);
  if (!bucket) throw noSuchBucket(name);
  return bucket;
}

export function noSuchBucket(name: string): AwsError {
  return new AwsError('NoSuchBucket', 'The specified bucket does not exist', 404, { extra: { BucketName: name } });
}

export function noSuchKey(key: string): AwsError {
  return new AwsError('NoSuchKey', 'The specified key does not exist.', 404, { extra: { Key: key } });
}

export function noSuchVersion(key: string, versionId: string): AwsError {
  return new AwsError('NoSuchVersion', 'The specified version does not exist.', 404, { extra: { Key: key, VersionId: versionId } });
}

/** KeyTooLongError for a key over 1,024 bytes. */
export function checkKey(key: string): void {
  const bytes = Buffer.byteLength(key);
  if (bytes > MAX_KEY_BYTES) {
    throw new AwsError('KeyTooLongError', 'Your key is too long', 400, { extra: { Size: String(bytes), MaxSizeAllowed: String(MAX_KEY_BYTES) } });
  }
}

/** The object's ARN, as IAM policies name it. */
export function objectArn(bucket: string, key: string): string {
  return `arn:aws:s3:::${bucket}/${key}`;
}

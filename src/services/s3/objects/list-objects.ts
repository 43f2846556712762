import type { Store } from '../../../store/store.js';
import { operation } from '../../operation.js';
import type { RequestContext } from '../../types.js';
import { bucketEntry, type Context } from '../authz/rules.js';
import { canonicalUserId, requireBucket, type BucketRow } from '../buckets/bucket-rows.js';
import { invalidArgument } from '../errors.js';

/**
 * ListObjects (v1), ListObjectsV2 and ListObjectVersions: s3:ListBucket (versions:
 * s3:ListBucketVersions) with s3:prefix, s3:delimiter and s3:max-keys, as S3 sets them.
 *
 * Keys are listed in UTF-8 binary order (SQLite's BINARY collation on UTF-8 text is that
 * order). With a delimiter, keys that share the part up to the first delimiter after the
 * prefix are rolled up into one common prefix, which counts once against max-keys; the
 * listing then jumps past the whole group instead of reading it. A marker (Marker,
 * StartAfter, continuation token, KeyMarker) excludes everything up to it, common
 * prefixes included.
 */

interface ListRow {
  key: string;
  version_id: string;
  is_latest: number;
  delete_marker: number;
  size: number;
  etag: string;
  checksums: string;
  storage_class: string;
  created_at: number;
  seq: number;
}

const BATCH = 1000;
const MAX_KEYS = 1000;

/** Code point (UTF-8 byte) order, which is S3's and SQLite's; JS's < compares UTF-16 units. */
export function compareKeys(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/** The least string above every string that starts with `prefix` (its last code point plus one). */
function pastPrefix(prefix: string): string {
  const chars = [...prefix];
  const last = chars.pop()!.codePointAt(0)!;
  // U+D7FF + 1 would land among surrogates: jump to U+E000, the next valid code point.
  const next = last === 0xd7ff ? 0xe000 : last + 1;
  return chars.join('') + String.fromCodePoint(Math.min(next, 0x10ffff));
}

type Item = { kind: 'key'; row: ListRow } | { kind: 'prefix'; prefix: string };

interface Walk {
  prefix: string;
  delimiter: string | undefined;
  /** Exclusive lower bound (a key or a common prefix). */
  after: string | undefined;
  max: number;
  /** Versions: every version of each key (newest first); otherwise the current, non-deleted ones. */
  versions: boolean;
  /** Versions: continue within `after`'s versions older than this one. */
  afterSeq?: number;
}

interface WalkResult {
  items: Item[];
  truncated: boolean;
}

/**
 * Walks a bucket's keys from `after`, rolling up common prefixes, until `max` items are
 * found (and one more, to know whether the listing is truncated).
 */
function walk(store: Store, bucket: string, w: Walk): WalkResult {
  const items: Item[] = [];
  const prefix = w.prefix;
  let from = w.after ?? '';
  let inclusive = false;
  let seqBound = w.afterSeq;
  let lastPrefix: string | undefined;
  const latest = w.versions ? '' : 'AND is_latest = 1 AND delete_marker = 0';
  const order = w.versions ? 'ORDER BY key, seq DESC' : 'ORDER BY key';
  const sqlAfter = `SELECT key, version_id, is_latest, delete_marker, size, etag, checksums, storage_class, created_at, rowid AS seq
     FROM s3_objects WHERE bucket = ? ${latest} AND key > ? AND substr(key, 1, ?) = ? ${order} LIMIT ?`;
  const sqlFrom = sqlAfter.replace('key > ?', 'key >= ?');
  for (;;) {
    // The rest of the versions of the key the marker named (ListObjectVersions' version-id-marker).
    let rows: ListRow[];
    const fromMarker = seqBound !== undefined;
    if (seqBound !== undefined) {
      rows = store
        .prepare<ListRow>(
          `SELECT key, version_id, is_latest, delete_marker, size, etag, checksums, storage_class, created_at, rowid AS seq
           FROM s3_objects WHERE bucket = ? AND key = ? AND rowid < ? ORDER BY seq DESC`,
        )
        .all(bucket, from, seqBound);
      seqBound = undefined;
    } else {
      rows = store.prepare<ListRow>(inclusive ? sqlFrom : sqlAfter).all(bucket, from, [...prefix].length, prefix, BATCH);
    }
    let jumped = false;
    for (const row of rows) {
      if (w.delimiter) {
        const at = row.key.indexOf(w.delimiter, prefix.length);
        if (at >= 0) {
          const common = row.key.slice(0, at + w.delimiter.length);
          if (common !== lastPrefix && (w.after === undefined || compareKeys(common, w.after) > 0)) {
            if (items.length === w.max) return { items, truncated: true };
            items.push({ kind: 'prefix', prefix: common });
          }
          lastPrefix = common;
          // Skip the rest of the group.
          from = pastPrefix(common);
          inclusive = true;
          jumped = true;
          break;
        }
      }
      if (items.length === w.max) return { items, truncated: true };
      items.push({ kind: 'key', row });
      from = row.key;
      inclusive = false;
    }
    if (jumped || fromMarker) continue;
    if (rows.length < BATCH) return { items, truncated: false };
    if (w.versions) {
      // A batch may end inside a key's versions: continue with that key's older ones.
      const last = rows[rows.length - 1];
      const more = store
        .prepare<ListRow>(
          `SELECT key, version_id, is_latest, delete_marker, size, etag, checksums, storage_class, created_at, rowid AS seq
           FROM s3_objects WHERE bucket = ? AND key = ? AND rowid < ? ORDER BY seq DESC`,
        )
        .all(bucket, last.key, last.seq);
      for (const row of more) {
        if (items.length === w.max) return { items, truncated: true };
        items.push({ kind: 'key', row });
      }
    }
  }
}

// ---------------------------------------------------------------------------------------

/** encoding-type=url: what S3 URL-encodes in its answer, and how. */
function encoder(encodingType: string | undefined): (text: string) => string {
  if (encodingType === undefined) return (t) => t;
  if (encodingType !== 'url') throw invalidArgument('Invalid Encoding Method specified in Request', 'encoding-type', encodingType);
  return (t) => encodeURIComponent(t).replace(/%2F/g, '/').replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function maxKeysOf(value: number | undefined): number {
  if (value === undefined) return MAX_KEYS;
  if (!Number.isInteger(value) || value < 0) throw invalidArgument('Argument maxKeys must be an integer between 0 and 2147483647', 'maxKeys', String(value));
  return Math.min(value, MAX_KEYS);
}

/** The condition keys of a listing: s3:prefix, s3:delimiter, s3:max-keys (as sent). */
function listingKeys(input: { Prefix?: string; Delimiter?: string; MaxKeys?: number }): Context {
  const keys: Context = {};
  // S3 sets s3:prefix even when none is sent (an empty prefix), so "StringLike s3:prefix ''" lists the root.
  keys['s3:prefix'] = input.Prefix ?? '';
  if (input.Delimiter !== undefined) keys['s3:delimiter'] = input.Delimiter;
  if (input.MaxKeys !== undefined) keys['s3:max-keys'] = String(input.MaxKeys);
  return keys;
}

function checksumAlgorithms(checksums: string): string[] | undefined {
  try {
    const c = JSON.parse(checksums) as Record<string, string>;
    const algorithms = Object.keys(c).filter((k) => k.startsWith('Checksum') && k !== 'ChecksumType').map((k) => k.slice('Checksum'.length));
    return algorithms.length ? algorithms : undefined;
  } catch {
    return undefined;
  }
}

function owner(row: BucketRow) {
  return { ID: canonicalUserId(row.account_id) };
}

function content(row: ListRow, bucket: BucketRow, enc: (t: string) => string, withOwner: boolean) {
  const out: Record<string, unknown> = {
    Key: enc(row.key),
    LastModified: new Date(row.created_at),
    ETag: row.etag,
    Size: row.size,
    StorageClass: row.storage_class,
  };
  const algorithms = checksumAlgorithms(row.checksums);
  if (algorithms) {
    out.ChecksumAlgorithm = algorithms;
    out.ChecksumType = (JSON.parse(row.checksums) as Record<string, string>).ChecksumType ?? 'FULL_OBJECT';
  }
  if (withOwner) out.Owner = owner(bucket);
  return out;
}

interface ListV2Input {
  Bucket: string;
  Delimiter?: string;
  EncodingType?: string;
  MaxKeys?: number;
  Prefix?: string;
  ContinuationToken?: string;
  FetchOwner?: boolean;
  StartAfter?: string;
}

/** Continuation tokens are opaque to clients: the marker, base64url with a tag so a forged one is refused. */
function encodeToken(marker: string): string {
  return Buffer.from(`v1\u0000${marker}`, 'utf8').toString('base64url');
}

function decodeToken(token: string): string {
  const text = Buffer.from(token, 'base64url').toString('utf8');
  if (!text.startsWith('v1\u0000')) throw invalidArgument('The continuation token provided is incorrect', 'continuation-token', token);
  return text.slice(3);
}

function markerOf(items: Item[]): string | undefined {
  const last = items[items.length - 1];
  return last === undefined ? undefined : last.kind === 'key' ? last.row.key : last.prefix;
}

export const ListObjectsV2 = operation({
  writes: false,
  authorize: (ctx, input: ListV2Input) => bucketEntry(ctx, 's3:ListBucket', input.Bucket, listingKeys(input)),
  run: (ctx, input: ListV2Input) => {
    const bucket = requireBucket(ctx.store, input.Bucket);
    const enc = encoder(input.EncodingType);
    const max = maxKeysOf(input.MaxKeys);
    const prefix = input.Prefix ?? '';
    let after = input.StartAfter;
    if (input.ContinuationToken !== undefined) after = decodeToken(input.ContinuationToken);
    if (input.ContinuationToken === '') throw invalidArgument('The continuation token provided is incorrect', 'continuation-token', '');
    const { items, truncated } = walk(ctx.store, bucket.name, { prefix, delimiter: input.Delimiter || undefined, after, max, versions: false });
    const out: Record<string, unknown> = {
      IsTruncated: truncated,
      Name: bucket.name,
      Prefix: enc(prefix),
      MaxKeys: input.MaxKeys ?? MAX_KEYS,
      KeyCount: items.length,
      Contents: items.filter((i) => i.kind === 'key').map((i) => content((i as { row: ListRow }).row, bucket, enc, input.FetchOwner === true)),
      CommonPrefixes: items.filter((i) => i.kind === 'prefix').map((i) => ({ Prefix: enc((i as { prefix: string }).prefix) })),
    };
    if (input.Delimiter !== undefined) out.Delimiter = enc(input.Delimiter);
    if (input.EncodingType !== undefined) out.EncodingType = input.EncodingType;
    if (input.ContinuationToken !== undefined) out.ContinuationToken = input.ContinuationToken;
    if (input.StartAfter !== undefined) out.StartAfter = enc(input.StartAfter);
    if (truncated) out.NextContinuationToken = encodeToken(markerOf(items)!);
    return out;
  },
});

interface ListV1Input {
  Bucket: string;
  Delimiter?: string;
  EncodingType?: string;
  Marker?: string;
  MaxKeys?: number;
  Prefix?: string;
}

export const ListObjects = operation({
  writes: false,
  authorize: (ctx, input: ListV1Input) => bucketEntry(ctx, 's3:ListBucket', input.Bucket, listingKeys(input)),
  run: (ctx, input: ListV1Input) => {
    const bucket = requireBucket(ctx.store, input.Bucket);
    const enc = encoder(input.EncodingType);
    const max = maxKeysOf(input.MaxKeys);
    const prefix = input.Prefix ?? '';
    const { items, truncated } = walk(ctx.store, bucket.name, { prefix, delimiter: input.Delimiter || undefined, after: input.Marker || undefined, max, versions: false });
    const out: Record<string, unknown> = {
      IsTruncated: truncated,
      Marker: enc(input.Marker ?? ''),
      Name: bucket.name,
      Prefix: enc(prefix),
      MaxKeys: input.MaxKeys ?? MAX_KEYS,
      Contents: items.filter((i) => i.kind === 'key').map((i) => content((i as { row: ListRow }).row, bucket, enc, true)),
      CommonPrefixes: items.filter((i) => i.kind === 'prefix').map((i) => ({ Prefix: enc((i as { prefix: string }).prefix) })),
    };
    if (input.Delimiter !== undefined) out.Delimiter = enc(input.Delimiter);
    if (input.EncodingType !== undefined) out.EncodingType = input.EncodingType;
    // S3 gives NextMarker only with a delimiter; without one the last key is the marker.
    if (truncated && input.Delimiter) out.NextMarker = enc(markerOf(items)!);
    return out;
  },
});

interface ListVersionsInput {
  Bucket: string;
  Delimiter?: string;
  EncodingType?: string;
  KeyMarker?: string;
  MaxKeys?: number;
  Prefix?: string;
  VersionIdMarker?: string;
}

export const ListObjectVersions = operation({
  writes: false,
  authorize: (ctx, input: ListVersionsInput) => bucketEntry(ctx, 's3:ListBucketVersions', input.Bucket, listingKeys(input)),
  run: (ctx, input: ListVersionsInput) => {
    const bucket = requireBucket(ctx.store, input.Bucket);
    const enc = encoder(input.EncodingType);
    const max = maxKeysOf(input.MaxKeys);
    const prefix = input.Prefix ?? '';
    let afterSeq: number | undefined;
    const keyMarker = input.KeyMarker || undefined;
    if (input.VersionIdMarker) {
      if (!keyMarker) throw invalidArgument('A version-id marker cannot be specified without a key marker.', 'version-id-marker', input.VersionIdMarker);
      const seq = versionSeq(ctx, bucket.name, keyMarker, input.VersionIdMarker);
      if (seq === undefined) throw invalidArgument('Invalid version id specified', 'version-id-marker', input.VersionIdMarker);
      afterSeq = seq;
    }
    const { items, truncated } = walk(ctx.store, bucket.name, { prefix, delimiter: input.Delimiter || undefined, after: keyMarker, max, versions: true, afterSeq });
    const versions: Record<string, unknown>[] = [];
    const markers: Record<string, unknown>[] = [];
    for (const i of items) {
      if (i.kind !== 'key') continue;
      const r = i.row;
      if (r.delete_marker) {
        markers.push({ Owner: owner(bucket), Key: enc(r.key), VersionId: r.version_id, IsLatest: r.is_latest === 1, LastModified: new Date(r.created_at) });
      } else {
        versions.push({ ...content(r, bucket, enc, true), VersionId: r.version_id, IsLatest: r.is_latest === 1 });
      }
    }
    const out: Record<string, unknown> = {
      IsTruncated: truncated,
      KeyMarker: enc(input.KeyMarker ?? ''),
      VersionIdMarker: input.VersionIdMarker ?? '',
      Name: bucket.name,
      Prefix: enc(prefix),
      MaxKeys: input.MaxKeys ?? MAX_KEYS,
      Versions: versions,
      DeleteMarkers: markers,
      CommonPrefixes: items.filter((i) => i.kind === 'prefix').map((i) => ({ Prefix: enc((i as { prefix: string }).prefix) })),
    };
    if (input.Delimiter !== undefined) out.Delimiter = enc(input.Delimiter);
    if (input.EncodingType !== undefined) out.EncodingType = input.EncodingType;
    if (truncated) {
      const last = items[items.length - 1];
      if (last.kind === 'key') {
        out.NextKeyMarker = enc(last.row.key);
        out.NextVersionIdMarker = last.row.version_id;
      } else {
        out.NextKeyMarker = enc(last.prefix);
      }
    }
    return out;
  },
});

function versionSeq(ctx: RequestContext, bucket: string, key: string, versionId: string): number | undefined {
  return ctx.store
    .prepare<{ seq: number }>('SELECT rowid AS seq FROM s3_objects WHERE bucket = ? AND key = ? AND version_id = ?')
    .get(bucket, key, versionId)?.seq;
}

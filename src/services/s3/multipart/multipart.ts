import { createHash, randomBytes } from 'node:crypto';
import { CHECKSUM_ALGORITHMS, createChecksum, decodeChecksumValue, type ChecksumAlgorithm } from '../../../auth/sigv4/checksums.js';
import { AwsError } from '../../../protocol/errors.js';
import type { Digest } from '../../../store/blobs.js';
import { ThreadedHash } from '../../../store/threaded-hash.js';
import { operation, streamingOperation, type Staged } from '../../operation.js';
import type { RequestContext } from '../../types.js';
import { checkObjectWrite, setVersionExtras, writeObjectEntries, type WriteObjectInput } from '../authz/object-rules.js';
import { bucketEntry, objectEntry, type Context } from '../authz/rules.js';
import { canonicalUserId, requireBucket, type BucketRow } from '../buckets/bucket-rows.js';
import { objectEncryption } from '../buckets/encryption.js';
import { invalidArgument, invalidRequest, malformedXml } from '../errors.js';
import { copySourceEntry, copySourceRow, parseCopySource, type CopyConditions } from '../objects/copy-object.js';
import { forgetBlob, withNewBlob } from '../objects/object-blobs.js';
import { checkKey, putVersion, type ContentHeaders, type StoredChecksums } from '../objects/object-rows.js';
import { checkWriteConditions, checkedChecksums } from '../objects/put-object.js';
import { compareKeys } from '../objects/list-objects.js';

/**
 * Multipart uploads (S3 User Guide, "Uploading and copying objects using multipart
 * upload"): CreateMultipartUpload records what the object will be; parts (1–10,000)
 * stream to blobs of their own (UploadPart) or are cut from an object (UploadPartCopy);
 * CompleteMultipartUpload checks the list it is sent (ascending, each part there with its
 * ETag, all but the last at least 5 MiB) and writes the object as one new blob whose ETag
 * is the MD5 of the parts' MD5s and "-N"; AbortMultipartUpload drops the parts.
 *
 * Actions: s3:PutObject for create, parts and complete (with the object's keys at
 * create), s3:AbortMultipartUpload, s3:ListMultipartUploadParts,
 * s3:ListBucketMultipartUploads; UploadPartCopy also needs s3:GetObject on its source.
 */

const MIN_PART_BYTES = 5 * 1024 * 1024;
const MAX_PART_BYTES = 5 * 1024 ** 3;
const MAX_PARTS = 10_000;

interface UploadRow {
  upload_id: string;
  account_id: string;
  bucket: string;
  key: string;
  initiated_at: number;
  initiator_arn: string;
  initiator_id: string;
  attributes: string;
}

interface PartRow {
  upload_id: string;
  part_number: number;
  size: number;
  etag: string;
  blob: string;
  checksums: string | null;
  uploaded_at: number;
}

/** What CreateMultipartUpload said the object will be. */
interface UploadAttributes {
  content: ContentHeaders;
  metadata: Record<string, string>;
  storageClass: string;
  sse: { ServerSideEncryption: string; SSEKMSKeyId?: string; BucketKeyEnabled?: boolean };
  tags: string | null;
  acl: string | null;
  checksumAlgorithm?: ChecksumAlgorithm;
  checksumType?: 'COMPOSITE' | 'FULL_OBJECT';
}

function noSuchUpload(uploadId: string): AwsError {
  return new AwsError(
    'NoSuchUpload',
    'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.',
    404,
    { extra: { UploadId: uploadId } },
  );
}

function requireUpload(ctx: RequestContext, bucket: string, key: string, uploadId: string): UploadRow {
  const row = ctx.store.prepare<UploadRow>('SELECT * FROM s3_multipart_uploads WHERE upload_id = ?').get(uploadId);
  if (!row || row.bucket !== bucket || row.key !== key) throw noSuchUpload(uploadId);
  return row;
}

function attributesOf(upload: UploadRow): UploadAttributes {
  return JSON.parse(upload.attributes) as UploadAttributes;
}

function checkPartNumber(n: number): void {
  if (!Number.isInteger(n) || n < 1 || n > MAX_PARTS) {
    throw invalidArgument('Part number must be an integer between 1 and 10000, inclusive', 'partNumber', String(n));
  }
}

function owner(bucket: BucketRow) {
  return { ID: canonicalUserId(bucket.account_id) };
}

function initiator(upload: UploadRow) {
  return { ID: upload.initiator_arn, DisplayName: upload.initiator_arn.slice(upload.initiator_arn.lastIndexOf('/') + 1) };
}

// ---------------------------------------------------------------------------------------

interface CreateInput extends WriteObjectInput {
  ContentType?: string;
  ContentEncoding?: string;
  ContentLanguage?: string;
  ContentDisposition?: string;
  CacheControl?: string;
  Expires?: string | Date;
  Metadata?: Record<string, string>;
  BucketKeyEnabled?: boolean;
  ChecksumAlgorithm?: string;
  ChecksumType?: 'COMPOSITE' | 'FULL_OBJECT';
}

export const CreateMultipartUpload = operation({
  writes: true,
  authorize: (ctx, input: CreateInput) => writeObjectEntries(ctx, input),
  run: (ctx, input: CreateInput) => {
    checkKey(input.Key);
    const bucket = requireBucket(ctx.store, input.Bucket);
    const extras = checkObjectWrite(bucket, input);
    const algorithm = input.ChecksumAlgorithm?.toUpperCase() as ChecksumAlgorithm | undefined;
    if (algorithm !== undefined && !CHECKSUM_ALGORITHMS.includes(algorithm)) {
      throw new AwsError('NotImplemented', `iamlocal does not compute ${algorithm} checksums yet.`, 501);
    }
    const sse = objectEncryption(bucket, input);
    const attributes: UploadAttributes = {
      content: {
        ContentType: input.ContentType ?? 'binary/octet-stream',
        ContentEncoding: input.ContentEncoding,
        ContentLanguage: input.ContentLanguage,
        ContentDisposition: input.ContentDisposition,
        CacheControl: input.CacheControl,
        Expires: input.Expires === undefined ? undefined : new Date(input.Expires).getTime(),
      },
      metadata: input.Metadata ?? {},
      storageClass: input.StorageClass ?? 'STANDARD',
      sse,
      tags: extras.tags,
      acl: extras.acl,
    };
    if (algorithm) {
      attributes.checksumAlgorithm = algorithm;
      attributes.checksumType = input.ChecksumType ?? (algorithm === 'CRC64NVME' ? 'FULL_OBJECT' : 'COMPOSITE');
    }
    const uploadId = randomBytes(48).toString('base64url');
    const p = ctx.principal;
    ctx.store
      .prepare(
        `INSERT INTO s3_multipart_uploads (upload_id, account_id, bucket, key, initiated_at, initiator_arn, initiator_id, attributes)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(uploadId, bucket.account_id, bucket.name, input.Key, ctx.now, p.arn, p.userId, JSON.stringify(attributes));
    return {
      Bucket: bucket.name,
      Key: input.Key,
      UploadId: uploadId,
      ServerSideEncryption: sse.ServerSideEncryption,
      SSEKMSKeyId: sse.SSEKMSKeyId,
      BucketKeyEnabled: sse.BucketKeyEnabled,
      ChecksumAlgorithm: attributes.checksumAlgorithm,
      ChecksumType: attributes.checksumType,
    };
  },
});

// ---------------------------------------------------------------------------------------

/** Writes a part's row, replacing (and later unlinking) one uploaded before under the same number. */
function putPart(ctx: RequestContext, upload: UploadRow, part: Omit<PartRow, 'upload_id'>): void {
  const old = ctx.store.prepare<PartRow>('SELECT * FROM s3_multipart_parts WHERE upload_id = ? AND part_number = ?').get(upload.upload_id, part.part_number);
  if (old) {
    ctx.store.prepare('DELETE FROM s3_multipart_parts WHERE upload_id = ? AND part_number = ?').run(upload.upload_id, part.part_number);
    forgetBlob(ctx, old.blob);
  }
  ctx.store
    .prepare(
      `INSERT INTO s3_multipart_parts (upload_id, account_id, part_number, size, etag, blob, checksums, uploaded_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(upload.upload_id, upload.account_id, part.part_number, part.size, part.etag, part.blob, part.checksums, part.uploaded_at);
}

type ChecksumHeaders = Partial<Record<`Checksum${ChecksumAlgorithm}`, string>>;

interface UploadPartInput extends ChecksumHeaders {
  Bucket: string;
  Key: string;
  PartNumber: number;
  UploadId: string;
  ContentLength?: number;
  ContentMD5?: string;
  ChecksumAlgorithm?: string;
}

/** UploadPart: the part's body streams to a blob of its own (the streaming path), then its row is written. */
export const UploadPart = streamingOperation<UploadPartInput>({
  authorize: (ctx, input) => objectEntry(ctx, 's3:PutObject', input.Bucket, input.Key),
  stage: (ctx, input) => {
    checkPartNumber(input.PartNumber);
    const upload = requireUpload(ctx, input.Bucket, input.Key, input.UploadId);
    if (input.ContentLength === undefined) throw new AwsError('MissingContentLength', 'You must provide the Content-Length HTTP header.', 411);
    if (input.ContentLength > MAX_PART_BYTES) {
      throw new AwsError('EntityTooLarge', 'Your proposed upload exceeds the maximum allowed size', 400, {
        extra: { ProposedSize: String(input.ContentLength), MaxSizeAllowed: String(MAX_PART_BYTES) },
      });
    }
    const checksums: ChecksumAlgorithm[] = [];
    for (const algorithm of CHECKSUM_ALGORITHMS) {
      const value = input[`Checksum${algorithm}` as const];
      if (value === undefined) continue;
      if (!decodeChecksumValue(algorithm, value)) throw invalidRequest(`Value for x-amz-checksum-${algorithm.toLowerCase()} header is invalid.`);
      checksums.push(algorithm);
    }
    // The upload's algorithm is computed for every part, so Complete can combine them.
    const wanted = attributesOf(upload).checksumAlgorithm ?? (input.ChecksumAlgorithm?.toUpperCase() as ChecksumAlgorithm | undefined);
    if (wanted && CHECKSUM_ALGORITHMS.includes(wanted) && !checksums.includes(wanted)) checksums.push(wanted);
    return { checksums };
  },
  commit: (ctx, input, body) => {
    const upload = requireUpload(ctx, input.Bucket, input.Key, input.UploadId);
    if (input.ContentMD5 !== undefined && !Buffer.from(input.ContentMD5, 'base64').equals(body.md5)) {
      throw new AwsError('BadDigest', 'The Content-MD5 you specified did not match what we received.', 400, {
        extra: { ExpectedDigest: input.ContentMD5, CalculatedDigest: body.md5.toString('base64') },
      });
    }
    const checksums = checkedChecksums(input, body);
    delete checksums.ChecksumType;
    const etag = `"${body.md5.toString('hex')}"`;
    // An empty part has no blob: give it an empty one, so every part names its bytes.
    const blob = body.blob ?? ctx.store.blobs.emptySync();
    const write = () => putPart(ctx, upload, { part_number: input.PartNumber, size: body.size, etag, blob, checksums: JSON.stringify(checksums), uploaded_at: ctx.now });
    if (body.blob) write();
    else withNewBlob(ctx, blob, write);
    const sse = attributesOf(upload).sse;
    return { ETag: etag, ...checksums, ServerSideEncryption: sse.ServerSideEncryption, SSEKMSKeyId: sse.SSEKMSKeyId, BucketKeyEnabled: sse.BucketKeyEnabled };
  },
});

interface UploadPartCopyInput extends CopyConditions {
  Bucket: string;
  Key: string;
  PartNumber: number;
  UploadId: string;
  CopySource: string;
  CopySourceRange?: string;
}

/** x-amz-copy-source-range: "bytes=first-last", inside the source. */
function copyRange(header: string, size: number): { start: number; end: number } {
  const m = /^bytes=(\d+)-(\d+)$/.exec(header.trim());
  if (!m) throw invalidArgument('The x-amz-copy-source-range value must be of the form bytes=first-last where first and last are the zero-based offsets of the first and last bytes to copy', 'x-amz-copy-source-range', header);
  const start = Number(m[1]);
  const end = Number(m[2]);
  if (end < start || end >= size) {
    throw new AwsError('InvalidRange', 'The requested range is not satisfiable', 416, { extra: { RangeRequested: header, ActualObjectSize: String(size) } });
  }
  return { start, end };
}

/** The upload and the source range an UploadPartCopy names, checked. */
function partCopyPlan(ctx: RequestContext, input: UploadPartCopyInput) {
  checkPartNumber(input.PartNumber);
  const upload = requireUpload(ctx, input.Bucket, input.Key, input.UploadId);
  const source = parseCopySource(input.CopySource);
  const row = copySourceRow(ctx, source, input);
  const range = input.CopySourceRange !== undefined ? copyRange(input.CopySourceRange, row.size) : { start: 0, end: row.size - 1 };
  const size = range.end - range.start + 1;
  if (size > MAX_PART_BYTES) throw invalidRequest(`The specified copy source is larger than the maximum allowable size for a copy source: ${MAX_PART_BYTES}`);
  return { upload, source, row, range, size };
}

/**
 * UploadPartCopy: a part cut from an object (s3:GetObject on the source, s3:PutObject on
 * the upload's key). The range is copied to the part's blob with async I/O (stage), as
 * the source stood when the request was decided; the part's row is written after.
 */
export const UploadPartCopy = operation<UploadPartCopyInput, Record<string, unknown>, Staged & { sourceVersion: string }>({
  writes: true,
  authorize: (ctx, input) => {
    const source = parseCopySource(input.CopySource);
    return [copySourceEntry(ctx, source), objectEntry(ctx, 's3:PutObject', input.Bucket, input.Key, { 's3:x-amz-copy-source': input.CopySource })];
  },
  stage: (ctx, input) => {
    const { upload, row, range, size } = partCopyPlan(ctx, input);
    const algorithm = attributesOf(upload).checksumAlgorithm;
    const hashes: Record<string, Digest> = { md5: new ThreadedHash('md5') };
    if (algorithm) hashes[algorithm] = createChecksum(algorithm);
    const piece = row.data ? { bytes: row.data.subarray(range.start, range.end + 1) } : row.blob_id && size > 0 ? { id: row.blob_id, start: range.start, end: range.end } : undefined;
    return ctx.store.blobs.compose(piece ? [piece] : [], hashes).then((blob) => ({ blob, sourceVersion: row.version_id }));
  },
  run: (ctx, input, staged) => {
    checkPartNumber(input.PartNumber);
    const upload = requireUpload(ctx, input.Bucket, input.Key, input.UploadId);
    const written = staged!.blob;
    const attrs = attributesOf(upload);
    const etag = `"${written.digests.md5.toString('hex')}"`;
    const checksums: StoredChecksums = {};
    if (attrs.checksumAlgorithm) checksums[`Checksum${attrs.checksumAlgorithm}`] = written.digests[attrs.checksumAlgorithm].toString('base64');
    putPart(ctx, upload, { part_number: input.PartNumber, size: written.size, etag, blob: written.id, checksums: JSON.stringify(checksums), uploaded_at: ctx.now });
    const sourceBucket = requireBucket(ctx.store, parseCopySource(input.CopySource).bucket);
    return {
      CopySourceVersionId: sourceBucket.versioning ? staged!.sourceVersion : undefined,
      CopyPartResult: { ETag: etag, LastModified: new Date(ctx.now), ...checksums },
      ServerSideEncryption: attrs.sse.ServerSideEncryption,
      SSEKMSKeyId: attrs.sse.SSEKMSKeyId,
    };
  },
});

// ---------------------------------------------------------------------------------------

interface CompleteInput extends ChecksumHeaders {
  Bucket: string;
  Key: string;
  UploadId: string;
  MultipartUpload?: { Parts?: Array<{ PartNumber?: number; ETag?: string } & ChecksumHeaders> };
  IfMatch?: string;
  IfNoneMatch?: string;
  MpuObjectSize?: number;
}

function invalidPart(): AwsError {
  return new AwsError(
    'InvalidPart',
    "One or more of the specified parts could not be found.  The part may not have been uploaded, or the specified entity tag may not match the part's entity tag.",
    400,
  );
}

/** ETags compare without their quotes. */
function sameEtag(a: string, b: string): boolean {
  return a.replace(/^"|"$/g, '') === b.replace(/^"|"$/g, '');
}

/** What a CompleteMultipartUpload names, checked: the bucket, the upload, its parts in order, their total size. */
function completePlan(ctx: RequestContext, input: CompleteInput) {
  const bucket = requireBucket(ctx.store, input.Bucket);
  const upload = requireUpload(ctx, input.Bucket, input.Key, input.UploadId);
  const asked = input.MultipartUpload?.Parts ?? [];
  if (asked.length === 0) throw malformedXml();
  const stored = new Map(
    ctx.store.prepare<PartRow>('SELECT * FROM s3_multipart_parts WHERE upload_id = ?').all(upload.upload_id).map((p) => [p.part_number, p]),
  );
  const parts: PartRow[] = [];
  let previous = 0;
  for (const p of asked) {
    if (p.PartNumber === undefined || p.ETag === undefined) throw malformedXml();
    if (p.PartNumber <= previous) {
      throw new AwsError('InvalidPartOrder', 'The list of parts was not in ascending order. The parts list must be specified in order by part number.', 400);
    }
    previous = p.PartNumber;
    const part = stored.get(p.PartNumber);
    if (!part || !sameEtag(part.etag, p.ETag)) throw invalidPart();
    parts.push(part);
  }
  for (let i = 0; i < parts.length - 1; i++) {
    if (parts[i].size < MIN_PART_BYTES) {
      throw new AwsError('EntityTooSmall', 'Your proposed upload is smaller than the minimum allowed size', 400, {
        extra: { ProposedSize: String(parts[i].size), MinSizeAllowed: String(MIN_PART_BYTES), PartNumber: String(parts[i].part_number), ETag: parts[i].etag },
      });
    }
  }
  const total = parts.reduce((n, p) => n + p.size, 0);
  if (input.MpuObjectSize !== undefined && input.MpuObjectSize !== total) {
    throw invalidRequest(`The provided 'x-amz-mp-object-size' header value ${input.MpuObjectSize} does not match what was computed: ${total}`);
  }
  checkWriteConditions(ctx, input);
  return { bucket, upload, parts, total };
}

/**
 * CompleteMultipartUpload: the parts are put together into the object's blob with async
 * I/O (stage: a GiB takes seconds, and other requests are served meanwhile), then
 * everything is checked again and the object's row written in the commit group: an
 * upload aborted or a part replaced meanwhile fails the request, and nothing is kept.
 */
export const CompleteMultipartUpload = operation<CompleteInput, Record<string, unknown>>({
  writes: true,
  authorize: (ctx, input) => objectEntry(ctx, 's3:PutObject', input.Bucket, input.Key),
  stage: (ctx, input) => {
    const { upload, parts } = completePlan(ctx, input);
    const attrs = attributesOf(upload);
    const hashes: Record<string, Digest> = {};
    if (attrs.checksumAlgorithm && attrs.checksumType === 'FULL_OBJECT') hashes.whole = createChecksum(attrs.checksumAlgorithm);
    return ctx.store.blobs.compose(parts.map((p) => ({ id: p.blob })), hashes).then(
      (blob) => ({ blob }),
      (err: unknown) => {
        // A part gone meanwhile (the upload aborted, a part replaced): S3's error for what happened.
        ctx.store.read(() => completePlan(ctx, input));
        throw err;
      },
    );
  },
  run: (ctx, input, staged) => {
    const { bucket, upload, parts, total } = completePlan(ctx, input);
    const written = staged!.blob;
    if (written.size !== total) throw invalidPart();
    // "MD5 of the parts' MD5s, then -N": what S3 (and every client that checks it) expects.
    const md5s = Buffer.concat(parts.map((p) => Buffer.from(p.etag.replace(/"/g, ''), 'hex')));
    const etag = `"${createHash('md5').update(md5s).digest('hex')}-${parts.length}"`;
    const attrs = attributesOf(upload);
    const checksums = completeChecksums(attrs, parts, written.digests.whole);
    const versionId = putVersion(ctx, bucket, {
      key: input.Key,
      delete_marker: 0,
      blob_id: total > 0 ? written.id : null,
      data: null,
      size: total,
      etag,
      content: JSON.stringify(attrs.content),
      metadata: JSON.stringify(attrs.metadata),
      checksums: JSON.stringify(checksums),
      storage_class: attrs.storageClass,
      sse: JSON.stringify(attrs.sse),
      created_at: ctx.now,
    });
    setVersionExtras(ctx, bucket.name, input.Key, versionId, { tags: attrs.tags, acl: attrs.acl });
    dropUpload(ctx, upload);
    return {
      Location: `/${bucket.name}/${encodeURIComponent(input.Key).replace(/%2F/g, '/')}`,
      Bucket: bucket.name,
      Key: input.Key,
      ETag: etag,
      ...checksums,
      ServerSideEncryption: attrs.sse.ServerSideEncryption,
      SSEKMSKeyId: attrs.sse.SSEKMSKeyId,
      BucketKeyEnabled: attrs.sse.BucketKeyEnabled,
      VersionId: bucket.versioning ? versionId : undefined,
    };
  },
});

/**
 * The object's checksum from its parts': COMPOSITE is the checksum of the parts'
 * checksums and "-N"; FULL_OBJECT (CRC64NVME's only type) is `whole`, computed over the
 * bytes as they were put together.
 */
function completeChecksums(attrs: UploadAttributes, parts: PartRow[], whole: Buffer | undefined): StoredChecksums {
  const algorithm = attrs.checksumAlgorithm;
  if (!algorithm) return {};
  if (attrs.checksumType === 'FULL_OBJECT') return whole ? { [`Checksum${algorithm}`]: whole.toString('base64'), ChecksumType: 'FULL_OBJECT' } : {};
  const values = parts.map((p) => (p.checksums ? (JSON.parse(p.checksums) as StoredChecksums)[`Checksum${algorithm}`] : undefined));
  if (values.some((v) => v === undefined)) return {};
  const sum = createChecksum(algorithm);
  for (const v of values) sum.update(Buffer.from(v!, 'base64'));
  return { [`Checksum${algorithm}`]: `${sum.digest().toString('base64')}-${parts.length}`, ChecksumType: 'COMPOSITE' };
}

/** The upload's rows go; its parts' blobs once that commits. */
function dropUpload(ctx: RequestContext, upload: UploadRow): void {
  const blobs = ctx.store.prepare<{ blob: string }>('SELECT blob FROM s3_multipart_parts WHERE upload_id = ?').all(upload.upload_id);
  ctx.store.prepare('DELETE FROM s3_multipart_uploads WHERE upload_id = ?').run(upload.upload_id);
  for (const b of blobs) forgetBlob(ctx, b.blob);
}

export const AbortMultipartUpload = operation({
  writes: true,
  authorize: (ctx, input: { Bucket: string; Key: string; UploadId: string }) => objectEntry(ctx, 's3:AbortMultipartUpload', input.Bucket, input.Key),
  run: (ctx, input: { Bucket: string; Key: string; UploadId: string }) => {
    dropUpload(ctx, requireUpload(ctx, input.Bucket, input.Key, input.UploadId));
    return {};
  },
});

// ---------------------------------------------------------------------------------------

interface ListPartsInput {
  Bucket: string;
  Key: string;
  UploadId: string;
  MaxParts?: number;
  PartNumberMarker?: number;
}

export const ListParts = operation({
  writes: false,
  authorize: (ctx, input: ListPartsInput) => objectEntry(ctx, 's3:ListMultipartUploadParts', input.Bucket, input.Key),
  run: (ctx, input: ListPartsInput) => {
    const bucket = requireBucket(ctx.store, input.Bucket);
    const upload = requireUpload(ctx, input.Bucket, input.Key, input.UploadId);
    const max = Math.min(input.MaxParts ?? 1000, 1000);
    if (max < 0) throw invalidArgument('Argument max-parts must be an integer between 0 and 2147483647', 'max-parts', String(input.MaxParts));
    const marker = input.PartNumberMarker ?? 0;
    const rows = ctx.store
      .prepare<PartRow>('SELECT * FROM s3_multipart_parts WHERE upload_id = ? AND part_number > ? ORDER BY part_number LIMIT ?')
      .all(upload.upload_id, marker, max + 1);
    const page = rows.slice(0, max);
    const attrs = attributesOf(upload);
    const truncated = rows.length > max;
    return {
      Bucket: bucket.name,
      Key: upload.key,
      UploadId: upload.upload_id,
      PartNumberMarker: marker,
      NextPartNumberMarker: page.length ? page[page.length - 1].part_number : undefined,
      MaxParts: max,
      IsTruncated: truncated,
      Parts: page.map((p) => ({ PartNumber: p.part_number, LastModified: new Date(p.uploaded_at), ETag: p.etag, Size: p.size, ...(p.checksums ? JSON.parse(p.checksums) : {}) })),
      Initiator: initiator(upload),
      Owner: owner(bucket),
      StorageClass: attrs.storageClass,
      ChecksumAlgorithm: attrs.checksumAlgorithm,
      ChecksumType: attrs.checksumType,
    };
  },
});

interface ListUploadsInput {
  Bucket: string;
  Delimiter?: string;
  EncodingType?: string;
  KeyMarker?: string;
  MaxUploads?: number;
  Prefix?: string;
  UploadIdMarker?: string;
}

export const ListMultipartUploads = operation({
  writes: false,
  authorize: (ctx, input: ListUploadsInput) => {
    const context: Context = { 's3:prefix': input.Prefix ?? '' };
    if (input.Delimiter !== undefined) context['s3:delimiter'] = input.Delimiter;
    if (input.MaxUploads !== undefined) context['s3:max-uploads'] = String(input.MaxUploads);
    return bucketEntry(ctx, 's3:ListBucketMultipartUploads', input.Bucket, context);
  },
  run: (ctx, input: ListUploadsInput) => {
    const bucket = requireBucket(ctx.store, input.Bucket);
    if (input.EncodingType !== undefined && input.EncodingType !== 'url') throw invalidArgument('Invalid Encoding Method specified in Request', 'encoding-type', input.EncodingType);
    const enc = input.EncodingType === 'url' ? (t: string) => encodeURIComponent(t).replace(/%2F/g, '/') : (t: string) => t;
    const max = Math.min(input.MaxUploads ?? 1000, 1000);
    const prefix = input.Prefix ?? '';
    const all = ctx.store
      .prepare<UploadRow>('SELECT * FROM s3_multipart_uploads WHERE bucket = ? AND substr(key, 1, ?) = ? ORDER BY key, initiated_at, upload_id')
      .all(bucket.name, [...prefix].length, prefix)
      .sort((a, b) => compareKeys(a.key, b.key) || a.initiated_at - b.initiated_at);
    const uploads: UploadRow[] = [];
    const prefixes: string[] = [];
    let truncated = false;
    let last: { key: string; uploadId?: string } | undefined;
    let passedMarker = input.KeyMarker === undefined;
    for (const u of all) {
      if (!passedMarker) {
        const c = compareKeys(u.key, input.KeyMarker!);
        if (c < 0) continue;
        if (c === 0) {
          if (input.UploadIdMarker === undefined) continue;
          if (u.upload_id === input.UploadIdMarker) passedMarker = true;
          continue;
        }
        passedMarker = true;
      }
      const at = input.Delimiter ? u.key.indexOf(input.Delimiter, prefix.length) : -1;
      if (at >= 0) {
        const common = u.key.slice(0, at + input.Delimiter!.length);
        if (prefixes[prefixes.length - 1] === common) continue;
        if (uploads.length + prefixes.length === max) { truncated = true; break; }
        prefixes.push(common);
        last = { key: common };
        continue;
      }
      if (uploads.length + prefixes.length === max) { truncated = true; break; }
      uploads.push(u);
      last = { key: u.key, uploadId: u.upload_id };
    }
    return {
      Bucket: bucket.name,
      KeyMarker: enc(input.KeyMarker ?? ''),
      UploadIdMarker: input.UploadIdMarker ?? '',
      NextKeyMarker: truncated && last ? enc(last.key) : undefined,
      NextUploadIdMarker: truncated && last?.uploadId ? last.uploadId : undefined,
      Prefix: enc(prefix),
      Delimiter: input.Delimiter,
      MaxUploads: max,
      IsTruncated: truncated,
      Uploads: uploads.map((u) => {
        const attrs = attributesOf(u);
        return {
          UploadId: u.upload_id,
          Key: enc(u.key),
          Initiated: new Date(u.initiated_at),
          StorageClass: attrs.storageClass,
          Owner: owner(bucket),
          Initiator: initiator(u),
          ChecksumAlgorithm: attrs.checksumAlgorithm,
          ChecksumType: attrs.checksumType,
        };
      }),
      CommonPrefixes: prefixes.map((p) => ({ Prefix: enc(p) })),
      EncodingType: input.EncodingType,
    };
  },
});

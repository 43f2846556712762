import { AwsError } from '../../../protocol/errors.js';
import { checksumAlgorithmOf, decodeChecksumValue, type ChecksumAlgorithm, CHECKSUM_ALGORITHMS } from '../../../auth/sigv4/checksums.js';
import { streamingOperation, type StagedBody } from '../../operation.js';
import type { RequestContext } from '../../types.js';
import { bucketOf, checkKey, findLatest, INLINE_MAX_BYTES, noSuchKey, putVersion, type ContentHeaders, type StoredChecksums, type StoredEncryption } from './object-rows.js';
import { checkObjectWrite, setVersionExtras, writeObjectEntries } from '../authz/object-rules.js';
import { objectEncryption } from '../buckets/encryption.js';

/** S3's single-PUT limit: 5 GiB (larger objects go up in parts). */
export const MAX_PUT_BYTES = 5 * 1024 ** 3;

export interface PutObjectInput {
  Bucket: string;
  Key: string;
  ContentLength?: number;
  ContentMD5?: string;
  ContentType?: string;
  ContentEncoding?: string;
  ContentLanguage?: string;
  ContentDisposition?: string;
  CacheControl?: string;
  Expires?: Date;
  ChecksumAlgorithm?: string;
  ChecksumCRC32?: string;
  ChecksumCRC32C?: string;
  ChecksumCRC64NVME?: string;
  ChecksumSHA1?: string;
  ChecksumSHA256?: string;
  ChecksumSHA512?: string;
  ChecksumMD5?: string;
  ChecksumXXHASH64?: string;
  ChecksumXXHASH3?: string;
  ChecksumXXHASH128?: string;
  Metadata?: Record<string, string>;
  StorageClass?: string;
  ServerSideEncryption?: string;
  SSEKMSKeyId?: string;
  BucketKeyEnabled?: boolean;
  IfMatch?: string;
  IfNoneMatch?: string;
  ACL?: string;
  GrantFullControl?: string;
  GrantRead?: string;
  GrantReadACP?: string;
  GrantWriteACP?: string;
  Tagging?: string;
  ObjectLockMode?: string;
  ObjectLockRetainUntilDate?: Date;
  ObjectLockLegalHoldStatus?: string;
}

const UNSUPPORTED_CHECKSUMS = ['ChecksumSHA512', 'ChecksumMD5', 'ChecksumXXHASH64', 'ChecksumXXHASH3', 'ChecksumXXHASH128'] as const;
const STORAGE_CLASSES = new Set(['STANDARD', 'REDUCED_REDUNDANCY', 'STANDARD_IA', 'ONEZONE_IA', 'INTELLIGENT_TIERING', 'GLACIER', 'DEEP_ARCHIVE', 'GLACIER_IR', 'OUTPOSTS', 'SNOW', 'EXPRESS_ONEZONE']);

/**
 * PutObject: the body streams to a staged blob (never to memory), checked on the way
 * against its signature (chunk signatures, trailing checksum) and, once complete, against
 * Content-MD5 and any x-amz-checksum-* header; only then is the version's row written.
 *
 * Authorization: s3:PutObject with the request's encryption, ACL, tag and storage-class
 * keys, and the bucket policy (authz/object-rules.ts). ACLs on a bucket that disables
 * them and bad tag sets are refused before the body is read; the bucket's default
 * encryption applies when the request names none.
 */
export const PutObject = streamingOperation<PutObjectInput>({
  authorize: (ctx, input) => writeObjectEntries(ctx, input),

  stage: (ctx, input) => {
    checkKey(input.Key);
    checkObjectWrite(bucketOf(ctx.store, input.Bucket), input);
    if (input.ContentLength === undefined) throw new AwsError('MissingContentLength', 'You must provide the Content-Length HTTP header.', 411);
    if (input.ContentLength > MAX_PUT_BYTES) {
      throw new AwsError('EntityTooLarge', 'Your proposed upload exceeds the maximum allowed size', 400, {
        extra: { ProposedSize: String(input.ContentLength), MaxSizeAllowed: String(MAX_PUT_BYTES) },
      });
    }
    if (input.ContentMD5 !== undefined && Buffer.from(input.ContentMD5, 'base64').length !== 16) {
      throw new AwsError('InvalidDigest', 'The Content-MD5 you specified was invalid.', 400, { extra: { 'Content-MD5': input.ContentMD5 } });
    }
    for (const member of UNSUPPORTED_CHECKSUMS) {
      if (input[member] !== undefined) throw new AwsError('NotImplemented', `iamlocal does not compute ${member.slice(8)} checksums yet.`, 501);
    }
    if (input.StorageClass !== undefined && !STORAGE_CLASSES.has(input.StorageClass)) {
      throw new AwsError('InvalidStorageClass', 'The storage class you specified is not valid', 400, { extra: { StorageClassRequested: input.StorageClass } });
    }
    // Checksums sent as headers are computed as the body passes; a trailing one is checked by the payload decoder.
    const checksums: ChecksumAlgorithm[] = [];
    for (const algorithm of CHECKSUM_ALGORITHMS) {
      const value = input[`Checksum${algorithm}` as const];
      if (value === undefined) continue;
      if (!decodeChecksumValue(algorithm, value)) throw invalidChecksum(algorithm);
      checksums.push(algorithm);
    }
    if (checksums.length > 1) throw new AwsError('InvalidRequest', 'Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.', 400);
    // An algorithm named but with no value sent (neither header nor trailer): S3 computes it.
    const named = input.ChecksumAlgorithm?.toUpperCase() as ChecksumAlgorithm | undefined;
    if (named && CHECKSUM_ALGORITHMS.includes(named) && checksums.length === 0) checksums.push(named);
    return { checksums, inline: INLINE_MAX_BYTES };
  },

  commit: (ctx, input, body) => {
    // The bucket may have gone while the body was on its way.
    const bucket = bucketOf(ctx.store, input.Bucket);
    if (input.ContentMD5 !== undefined && !Buffer.from(input.ContentMD5, 'base64').equals(body.md5)) {
      throw new AwsError('BadDigest', 'The Content-MD5 you specified did not match what we received.', 400, {
        extra: { ExpectedDigest: input.ContentMD5, CalculatedDigest: body.md5.toString('base64') },
      });
    }
    const checksums = checkedChecksums(input, body);
    checkWriteConditions(ctx, input, true);
    const etag = `"${body.md5.toString('hex')}"`;
    const content: ContentHeaders = {
      ContentType: input.ContentType ?? 'binary/octet-stream',
      ContentEncoding: input.ContentEncoding,
      ContentLanguage: input.ContentLanguage,
      ContentDisposition: input.ContentDisposition,
      CacheControl: input.CacheControl,
      Expires: input.Expires?.getTime(),
    };
    // Since January 2023 every new object is encrypted: the request's choice, else the bucket's default (SSE-S3 unless set).
    const extras = checkObjectWrite(bucket, input);
    const sse: StoredEncryption = objectEncryption(bucket, input);
    const versionId = putVersion(ctx, bucket, {
      key: input.Key,
      delete_marker: 0,
      blob_id: body.blob ?? null,
      data: body.bytes && body.bytes.length > 0 ? body.bytes : null,
      size: body.size,
      etag,
      content: JSON.stringify(content),
      metadata: JSON.stringify(input.Metadata ?? {}),
      checksums: JSON.stringify(checksums),
      storage_class: input.StorageClass ?? 'STANDARD',
      sse: JSON.stringify(sse),
      created_at: ctx.now,
    });
    setVersionExtras(ctx, bucket.name, input.Key, versionId, extras);
    return {
      ETag: etag,
      ...checksums,
      ServerSideEncryption: sse.ServerSideEncryption,
      SSEKMSKeyId: sse.SSEKMSKeyId,
      BucketKeyEnabled: sse.BucketKeyEnabled,
      VersionId: bucket.versioning ? versionId : undefined,
    };
  },
});

/**
 * The checksums to store: each sent as a header must match what was computed; a trailing
 * one was checked by the payload decoder; one only named is the computed value.
 */
export function checkedChecksums(input: Partial<Record<`Checksum${ChecksumAlgorithm}`, string>>, body: StagedBody): StoredChecksums {
  const out: StoredChecksums = {};
  for (const [name, value] of Object.entries(body.trailers)) {
    const algorithm = checksumAlgorithmOf(name);
    if (algorithm) out[`Checksum${algorithm}`] = value;
  }
  for (const [algorithm, digest] of Object.entries(body.checksums) as Array<[ChecksumAlgorithm, Buffer]>) {
    const sent = input[`Checksum${algorithm}` as const];
    const computed = digest.toString('base64');
    if (sent !== undefined && sent !== computed) {
      throw new AwsError('BadDigest', `The ${algorithm} you specified did not match the calculated checksum.`, 400);
    }
    out[`Checksum${algorithm}`] = computed;
  }
  if (Object.keys(out).length > 0) out.ChecksumType = 'FULL_OBJECT';
  return out;
}

/** The conditional-write headers of PutObject, CopyObject and CompleteMultipartUpload. */
export interface WriteConditions {
  Bucket: string;
  Key: string;
  IfMatch?: string;
  IfNoneMatch?: string;
}

/**
 * Conditional writes: If-None-Match: * (create only) and If-Match: <etag> (replace only
 * that). starOnly: PutObject answers any other If-None-Match as not implemented.
 */
export function checkWriteConditions(ctx: RequestContext, input: WriteConditions, starOnly = false): void {
  if (input.IfNoneMatch === undefined && input.IfMatch === undefined) return;
  const current = findLatest(ctx.store, input.Bucket, input.Key);
  const live = current && !current.delete_marker ? current : undefined;
  if (input.IfNoneMatch !== undefined) {
    if (starOnly && input.IfNoneMatch.trim() !== '*') throw new AwsError('NotImplemented', 'A header you provided implies functionality that is not implemented', 501, { extra: { Header: 'If-None-Match' } });
    if (live) throw preconditionFailed('If-None-Match');
  }
  if (input.IfMatch !== undefined) {
    if (!live) throw noSuchKey(input.Key);
    if (!etagMatches(input.IfMatch, live.etag)) throw preconditionFailed('If-Match');
  }
}

/** An If-Match / If-None-Match list against an ETag (quotes optional, * matches any). */
export function etagMatches(header: string, etag: string): boolean {
  const bare = etag.replace(/^"|"$/g, '');
  return header.split(',').some((t) => {
    const tag = t.trim().replace(/^W\//, '').replace(/^"|"$/g, '');
    return tag === '*' || tag === bare;
  });
}

export function preconditionFailed(condition: string): AwsError {
  return new AwsError('PreconditionFailed', 'At least one of the pre-conditions you specified did not hold', 412, { extra: { Condition: condition } });
}

function invalidChecksum(algorithm: ChecksumAlgorithm): AwsError {
  return new AwsError('InvalidRequest', `Value for x-amz-checksum-${algorithm.toLowerCase()} header is invalid.`, 400);
}

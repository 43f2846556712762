import { createHash, type Hash } from 'node:crypto';
import { PassThrough, Transform, type TransformCallback } from 'node:stream';
import { AwsChunkedDecoder, decodeAwsChunked, type ChunkedSpec } from './chunked.js';
import { s3Errors } from './errors.js';
import { EMPTY_SHA256, sha256Hex } from './keys.js';
import { headerText, type RequestHead, type SignatureParts } from './parse.js';

/** What is left to check of an S3 body once its request's signature holds. */
export type PayloadSpec =
  /** UNSIGNED-PAYLOAD: nothing; the body is the payload. */
  | { kind: 'unsigned' }
  /** A hex SHA-256 in x-amz-content-sha256: the body must hash to it. */
  | { kind: 'sha256'; expected: string }
  /** STREAMING-…: an aws-chunked body, decoded and checked chunk by chunk. */
  | { kind: 'chunked'; chunked: ChunkedSpec };

/** The payload spec of an S3 request whose signature has just been verified. */
export function payloadSpec(req: RequestHead, parts: SignatureParts, payloadHash: string, key: Buffer, signature: string): PayloadSpec {
  if (payloadHash === 'UNSIGNED-PAYLOAD') return { kind: 'unsigned' };
  if (!payloadHash.startsWith('STREAMING-')) return { kind: 'sha256', expected: payloadHash.toLowerCase() };
  if (payloadHash.startsWith('STREAMING-AWS4-ECDSA-')) throw s3Errors.ecdsaPayload();
  const decoded = headerText(req.headers['x-amz-decoded-content-length']);
  if (!/^\d{1,15}$/.test(decoded)) throw s3Errors.missingDecodedLength();
  const declared = headerText(req.headers['x-amz-trailer']).trim().toLowerCase();
  const chunked: ChunkedSpec = {
    trailer: payloadHash.endsWith('-TRAILER'),
    decodedLength: Number(decoded),
    declaredTrailer: declared === '' ? undefined : declared,
  };
  if (payloadHash.startsWith('STREAMING-AWS4-HMAC-SHA256-')) {
    chunked.signing = { accessKeyId: parts.accessKeyId, key, timestamp: parts.timestamp, scope: parts.scope, seedSignature: signature };
  }
  return { kind: 'chunked', chunked };
}

/** Checks and decodes a whole body: the payload, and any verified trailing headers. */
export function decodePayload(body: Buffer, spec: PayloadSpec): { payload: Buffer; trailers?: Record<string, string> } {
  switch (spec.kind) {
    case 'unsigned':
      return { payload: body };
    case 'sha256': {
      const actual = body.length === 0 ? EMPTY_SHA256 : sha256Hex(body);
      if (actual !== spec.expected) throw s3Errors.contentSha256Mismatch(spec.expected, actual);
      return { payload: body };
    }
    case 'chunked':
      return decodeAwsChunked(body, spec.chunked);
  }
}

/**
 * The same checks on a streamed body: a Transform from the body to the payload that fails
 * with S3's AwsError. For aws-chunked bodies the verified trailers are on `.trailers` once
 * it has ended.
 */
export function payloadStream(spec: PayloadSpec): Transform & { trailers?: Record<string, string> } {
  switch (spec.kind) {
    case 'unsigned':
      return new PassThrough();
    case 'sha256':
      return new Sha256Check(spec.expected);
    case 'chunked':
      return new AwsChunkedDecoder(spec.chunked);
  }
}

/** Large uploads: room for several socket reads on each side, so the stages hand over big batches. */
const STREAM_BUFFERS = { readableHighWaterMark: 512 * 1024, writableHighWaterMark: 512 * 1024 };

class Sha256Check extends Transform {
  private readonly hash: Hash = createHash('sha256');

  constructor(private readonly expected: string) {
    super(STREAM_BUFFERS);
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.hash.update(chunk);
    callback(null, chunk);
  }

  override _flush(callback: TransformCallback): void {
    const actual = this.hash.digest('hex');
    callback(actual === this.expected ? null : s3Errors.contentSha256Mismatch(this.expected, actual));
  }
}

/**
 * The one error type every layer throws. The protocol codecs turn it into the wire
 * format of the service that was called (query XML, ec2 XML, rest-xml, json-1.0).
 */
export class AwsError extends Error {
  /** AWS error code, e.g. "NoSuchEntity", "ValidationError", "AccessDenied". */
  readonly code: string;
  /** HTTP status AWS uses for this error. */
  readonly status: number;
  /** "Sender" (client fault) or "Receiver" (server fault), used by query/ec2 error shapes. */
  readonly fault: 'Sender' | 'Receiver';
  /** Extra members some error shapes carry (S3's Resource/BucketName, etc.). */
  readonly extra: Record<string, string>;

  constructor(code: string, message: string, status = 400, opts: { fault?: 'Sender' | 'Receiver'; extra?: Record<string, string> } = {}) {
    super(message);
    this.name = 'AwsError';
    this.code = code;
    this.status = status;
    this.fault = opts.fault ?? (status >= 500 ? 'Receiver' : 'Sender');
    this.extra = opts.extra ?? {};
  }
}

/** A request as it came off the wire, before any service-specific decoding. */
export interface WireRequest {
  method: string;
  /** Raw path exactly as sent (not decoded, not normalized): SigV4 for S3 needs it. */
  path: string;
  /** Raw query string without the leading '?', exactly as sent. */
  rawQuery: string;
  /** Header names lower-cased; repeated headers joined with ','. */
  headers: Record<string, string>;
  body: Buffer;
}

/** What a codec hands back to the HTTP layer. */
export interface WireResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer | string;
  /** A streamed body (S3 GetObject from a file): when set, the HTTP layer pipes it instead of `body`. */
  stream?: NodeJS.ReadableStream;
}

import type { AwsError, WireRequest, WireResponse } from './errors.js';
import type { OperationModel, ServiceModel } from './service-model.js';

/** What decoding a request yields: the model operation and its typed, validated input. */
export interface DecodedRequest {
  operation: string;
  input: Record<string, unknown>;
}

export interface DecodeOptions {
  /**
   * rest-xml: leave a blob/streaming payload member (PutObject's Body) out of `input`, so the
   * server can supply the body itself (e.g. as a stream). Default: the payload is `req.body`.
   */
  skipPayload?: boolean;
}

/** One wire format, bound to one service model. */
export interface Codec {
  decode(req: WireRequest, opts?: DecodeOptions): DecodedRequest;
  /** rest-xml: the operation a request's method, path, query and headers select, its body unread. */
  operationOf?(req: WireRequest): string;
  encodeResponse(op: OperationModel, output: unknown, requestId: string): WireResponse;
  encodeError(err: AwsError, requestId: string): WireResponse;
}

export type CodecFactory = (model: ServiceModel) => Codec;

/** The form body of a query/ec2 request, if it has one (SDKs POST; presigned calls use GET). */
export function formBody(req: WireRequest): string {
  if (req.body.length === 0) return '';
  const type = req.headers['content-type'];
  if (type !== undefined && !type.toLowerCase().startsWith('application/x-www-form-urlencoded')) return '';
  return req.body.toString('utf8');
}

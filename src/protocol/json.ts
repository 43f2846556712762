import { crc32 } from './crc32.js';
import { AwsError, type WireRequest, type WireResponse } from './errors.js';
import type { Codec, DecodedRequest } from './codec.js';
import { blobToBase64, parseBase64Text, toDate, WireTypeError } from './scalars.js';
import type { OperationModel, ServiceModel } from './service-model.js';
import type { Shape } from './shapes.js';
import { validateInput, validationMessage } from './validate.js';

/** Errors the service framework itself raises; AWS names them in Coral's namespaces. */
const CORAL_ERRORS: Record<string, string> = {
  ValidationException: 'com.amazon.coral.validate',
  SerializationException: 'com.amazon.coral.service',
  UnknownOperationException: 'com.amazon.coral.service',
  AccessDeniedException: 'com.amazon.coral.service',
  UnrecognizedClientException: 'com.amazon.coral.service',
  InvalidSignatureException: 'com.amazon.coral.service',
  MissingAuthenticationTokenException: 'com.amazon.coral.service',
  IncompleteSignatureException: 'com.amazon.coral.service',
  ExpiredTokenException: 'com.amazon.coral.service',
  InternalFailure: 'com.amazon.coral.service',
  ThrottlingException: 'com.amazon.coral.availability',
};

function typeError(value: unknown, expected: WireTypeError['expected'], path: string): WireTypeError {
  const e = new WireTypeError(JSON.stringify(value) ?? String(value), expected);
  e.path = path;
  return e;
}

/** JSON value → typed input by shape (timestamps: epoch seconds; blobs: base64). */
function fromJson(shape: Shape, value: unknown, path: string): unknown {
  if (shape.document) return value;
  switch (shape.type) {
    case 'structure': {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) throw typeError(value, 'structure', path);
      const record = value as Record<string, unknown>;
      const out: Record<string, unknown> = {};
      for (const m of shape.members) {
        const v = record[m.name];
        if (v === undefined || v === null) continue;
        out[m.name] = fromJson(m.shape, v, path ? `${path}.${m.pathName}` : m.pathName);
      }
      return out;
    }
    case 'list': {
      if (!Array.isArray(value)) throw typeError(value, 'list', path);
      return value.map((v, i) => (v === null ? v : fromJson(shape.member!.shape, v, `${path}.${i + 1}.member`)));
    }
    case 'map': {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) throw typeError(value, 'map', path);
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) {
        if (v !== null && v !== undefined) out[k] = fromJson(shape.value!.shape, v, `${path}.${k}`);
      }
      return out;
    }
    case 'string':
      if (typeof value !== 'string') throw typeError(value, 'string', path);
      return value;
    case 'integer':
    case 'long':
      if (typeof value !== 'number' || !Number.isInteger(value)) throw typeError(value, 'integer', path);
      return value;
    case 'float':
    case 'double':
      if (typeof value !== 'number') throw typeError(value, 'number', path);
      return value;
    case 'boolean':
      if (typeof value !== 'boolean') throw typeError(value, 'boolean', path);
      return value;
    case 'timestamp': {
      const ms = typeof value === 'number' ? value * 1000 : typeof value === 'string' ? Date.parse(value) : NaN;
      if (!Number.isFinite(ms)) throw typeError(value, 'timestamp', path);
      return new Date(ms);
    }
    case 'blob':
      if (typeof value !== 'string') throw typeError(value, 'blob', path);
      try {
        return parseBase64Text(value);
      } catch {
        throw typeError(value, 'blob', path);
      }
  }
}

/** Handler output → JSON-ready value by shape; undefined members are left out. */
function toJson(shape: Shape, value: unknown): unknown {
  if (shape.document) return value;
  switch (shape.type) {
    case 'structure': {
      const record = value as Record<string, unknown>;
      const out: Record<string, unknown> = {};
      for (const m of shape.members) {
        const v = record[m.name];
        if (v !== undefined && v !== null) out[m.name] = toJson(m.shape, v);
      }
      return out;
    }
    case 'list':
      return (value as unknown[]).map((v) => toJson(shape.member!.shape, v));
    case 'map': {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
        if (v !== undefined && v !== null) out[k] = toJson(shape.value!.shape, v);
      }
      return out;
    }
    case 'timestamp':
      return toDate(value).getTime() / 1000;
    case 'blob':
      return blobToBase64(value);
    default:
      return value;
  }
}

function jsonResponse(status: number, body: unknown, requestId: string, contentType: string): WireResponse {
  const bytes = Buffer.from(JSON.stringify(body), 'utf8');
  return {
    status,
    headers: { 'content-type': contentType, 'x-amzn-RequestId': requestId, 'x-amz-crc32': String(crc32(bytes)) },
    body: bytes,
  };
}

/** The json protocol (DynamoDB): X-Amz-Target names the operation, JSON in and out. */
export function jsonCodec(model: ServiceModel): Codec {
  const prefix = `${model.metadata.targetPrefix}.`;
  // CloudTrail's prefix is namespaced (com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101); SDKs send its last part alone.
  const shortPrefix = `${model.metadata.targetPrefix?.slice(model.metadata.targetPrefix.lastIndexOf('.') + 1)}.`;
  const contentType = `application/x-amz-json-${model.metadata.jsonVersion ?? '1.0'}`;
  const serviceNamespace = `com.amazonaws.${model.metadata.endpointPrefix}.v${model.metadata.apiVersion.replace(/-/g, '')}`;

  function decode(req: WireRequest): DecodedRequest {
    const target = req.headers['x-amz-target'] ?? '';
    const op = target.startsWith(prefix) ? model.operations.get(target.slice(prefix.length))
      : target.startsWith(shortPrefix) ? model.operations.get(target.slice(shortPrefix.length)) : undefined;
    if (!op) throw new AwsError('UnknownOperationException', target ? `Unknown operation ${target}` : 'Missing X-Amz-Target header', 400);
    let body: unknown = {};
    if (req.body.length > 0) {
      try {
        body = JSON.parse(req.body.toString('utf8'));
      } catch {
        throw new AwsError('SerializationException', 'Start of structure or map found where not expected, or the body is not valid JSON', 400);
      }
    }
    if (!op.input) return { operation: op.name, input: {} };
    let input: Record<string, unknown>;
    try {
      input = fromJson(op.input, body, '') as Record<string, unknown>;
    } catch (e) {
      if (!(e instanceof WireTypeError)) throw e;
      const where = e.path ? ` at '${e.path}'` : '';
      throw new AwsError('SerializationException', `Unexpected value ${e.value}${where}: expected ${e.expected}`, 400);
    }
    const violations = validateInput(op.input, input);
    if (violations.length > 0) throw new AwsError('ValidationException', validationMessage(violations), 400);
    return { operation: op.name, input };
  }

  function encodeResponse(op: OperationModel, output: unknown, requestId: string): WireResponse {
    const body = op.output && output && typeof output === 'object' ? toJson(op.output, output) : {};
    return jsonResponse(200, body, requestId, contentType);
  }

  function encodeError(err: AwsError, requestId: string): WireResponse {
    const coral = CORAL_ERRORS[err.code];
    const body: Record<string, string> = { __type: `${coral ?? serviceNamespace}#${err.code}` };
    // Coral's own errors spell it "Message"; the service's modelled errors "message".
    if (err.message) body[coral && err.code !== 'ValidationException' ? 'Message' : 'message'] = err.message;
    for (const [k, v] of Object.entries(err.extra)) body[k] = v;
    return jsonResponse(err.status, body, requestId, contentType);
  }

  return { decode, encodeResponse, encodeError };
}

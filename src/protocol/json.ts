import { crc32Text } from './crc32.js';
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

/**
 * An error from inside a container, its path prefixed with where in the container: paths
 * are built only when a value is wrong, not for every member of every request.
 */
function within(err: unknown, segment: string): unknown {
  if (err instanceof WireTypeError) err.path = err.path ? `${segment}.${err.path}` : segment;
  return err;
}

/** JSON value → typed input by shape (timestamps: epoch seconds; blobs: base64). A WireTypeError's path is relative to value. */
function fromJson(shape: Shape, value: unknown, path = ''): unknown {
  if (shape.document) return value;
  switch (shape.type) {
    case 'structure': {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) throw typeError(value, 'structure', path);
      const record = value as Record<string, unknown>;
      const out: Record<string, unknown> = {};
      for (const m of shape.members) {
        const v = record[m.name];
        if (v === undefined || v === null) continue;
        try {
          out[m.name] = fromJson(m.shape, v);
        } catch (e) {
          throw within(e, m.pathName);
        }
      }
      return out;
    }
    case 'list': {
      if (!Array.isArray(value)) throw typeError(value, 'list', path);
      const item = shape.member!.shape;
      const out: unknown[] = new Array(value.length);
      for (let i = 0; i < value.length; i++) {
        const v: unknown = value[i];
        try {
          out[i] = v === null ? v : fromJson(item, v);
        } catch (e) {
          throw within(e, `${i + 1}.member`);
        }
      }
      return out;
    }
    case 'map': {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) throw typeError(value, 'map', path);
      const out: Record<string, unknown> = {};
      const item = shape.value!.shape;
      for (const k in value) {
        if (!Object.prototype.hasOwnProperty.call(value, k)) continue;
        const v = (value as Record<string, unknown>)[k];
        if (v === null || v === undefined) continue;
        try {
          out[k] = fromJson(item, v);
        } catch (e) {
          throw within(e, k);
        }
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

/**
 * A value already in its wire JSON form (a DynamoDB item as stored), written into the
 * response as it is: no parsing, walking or re-serializing it. Whoever makes one vouches
 * that the text is what the shape's serialization would give.
 */
export class RawJson {
  constructor(readonly text: string) {}
}

const textOf = (v: unknown) => (v instanceof RawJson ? v.text : JSON.stringify(v));

/** An object holding a RawJson: written out as text itself (so is every container above it). */
function rawObject(out: Record<string, unknown>): RawJson {
  let text = '{';
  for (const k in out) text += `${text.length > 1 ? ',' : ''}${JSON.stringify(k)}:${textOf(out[k])}`;
  return new RawJson(`${text}}`);
}

/** Handler output → JSON-ready value by shape; undefined members are left out. */
function toJson(shape: Shape, value: unknown): unknown {
  if (value instanceof RawJson) return value;
  if (shape.document) return value;
  switch (shape.type) {
    case 'structure': {
      const record = value as Record<string, unknown>;
      const out: Record<string, unknown> = {};
      let raw = false;
      for (const m of shape.members) {
        const v = record[m.name];
        if (v !== undefined && v !== null) raw = (out[m.name] = toJson(m.shape, v)) instanceof RawJson || raw;
      }
      return raw ? rawObject(out) : out;
    }
    case 'list': {
      const out = (value as unknown[]).map((v) => toJson(shape.member!.shape, v));
      return out.some((v) => v instanceof RawJson) ? new RawJson(`[${out.map(textOf).join(',')}]`) : out;
    }
    case 'map': {
      const out: Record<string, unknown> = {};
      let raw = false;
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
        if (v !== undefined && v !== null) raw = (out[k] = toJson(shape.value!.shape, v)) instanceof RawJson || raw;
      }
      return raw ? rawObject(out) : out;
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
  // The text itself is the body: the HTTP layer writes it with the head in one string,
  // encoded once (a Buffer here was one more allocation and copy per answer).
  const text = textOf(body);
  return {
    status,
    headers: { 'content-type': contentType, 'x-amzn-RequestId': requestId, 'x-amz-crc32': String(crc32Text(text)) },
    body: text,
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

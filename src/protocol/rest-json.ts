import { AwsError, type WireRequest, type WireResponse } from './errors.js';
import type { Codec, DecodedRequest } from './codec.js';
import { parseFormPairs } from './form.js';
import { RestRouter } from './rest-router.js';
import {
  blobToBase64, formatTimestamp, modelTimestampFormat, parseBase64Text, scalarFromText, toDate, WireTypeError, type TimestampFormat,
} from './scalars.js';
import type { OperationModel, ServiceModel } from './service-model.js';
import type { Member, Shape } from './shapes.js';
import { validateInput, validationMessage } from './validate.js';

/**
 * The rest-json protocol (Access Analyzer, and most newer services): method + URI template
 * select the operation; members are bound to the URI, query string and headers by their
 * `location`, the rest travel as a JSON body (or the `payload` member is the body).
 * Body timestamps are epoch seconds unless the model says otherwise; query-string ones ISO
 * 8601, header ones RFC 822, as botocore's serializers write them.
 */
export function restJsonCodec(model: ServiceModel): Codec {
  const router = new RestRouter(model);

  function route(req: WireRequest, query: Map<string, string[]>) {
    try {
      return router.match(req.method.toUpperCase(), req.path, query, req.headers);
    } catch (e) {
      if (!(e instanceof AwsError)) throw e;
      throw new AwsError('UnknownOperationException', `No operation matches ${req.method.toUpperCase()} ${req.path}`, 404);
    }
  }

  function operationOf(req: WireRequest): string {
    return route(req, queryMap(req.rawQuery)).op.name;
  }

  function decode(req: WireRequest): DecodedRequest {
    const query = queryMap(req.rawQuery);
    const { op, labels } = route(req, query);
    if (!op.input) return { operation: op.name, input: {} };
    let input: Record<string, unknown>;
    try {
      input = readLocated(op.input, labels, query, req.headers);
      const payload = op.input.payload;
      if (payload) {
        if (payload.shape.type === 'structure') {
          const body = parseBody(req.body);
          if (body !== undefined) input[payload.name] = fromJson(payload.shape, body, payload.pathName, payload.timestampFormat);
        } else if (req.body.length > 0) {
          input[payload.name] = payload.shape.type === 'string' ? req.body.toString('utf8') : req.body;
        }
      } else if (op.input.members.some((m) => !m.location)) {
        const body = parseBody(req.body);
        if (body !== undefined) Object.assign(input, bodyMembers(op.input, body));
      }
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
    const headers: Record<string, string> = { 'x-amzn-RequestId': requestId, 'content-type': 'application/json' };
    const response: WireResponse = { status: op.http.responseCode ?? 200, headers, body: '{}' };
    const shape = op.output;
    if (!shape || !output || typeof output !== 'object') return response;
    const record = output as Record<string, unknown>;
    const body: Record<string, unknown> = {};
    for (const m of shape.members) {
      const v = record[m.name];
      if (v === undefined || v === null) continue;
      const name = m.locationName ?? m.name;
      if (m.location === 'header') headers[name] = headerText(m, v);
      else if (m.location === 'headers') for (const [k, x] of Object.entries(v as Record<string, unknown>)) headers[`${name}${k}`] = String(x);
      else if (m.location === 'statusCode') response.status = Number(v);
      else if (!m.location && m !== shape.payload) body[name] = toJson(m.shape, v, m.timestampFormat);
    }
    const payload = shape.payload;
    if (payload) {
      const v = record[payload.name];
      if (v === undefined || v === null) return response;
      if (payload.shape.type === 'structure') response.body = JSON.stringify(toJson(payload.shape, v, payload.timestampFormat));
      else response.body = Buffer.isBuffer(v) || typeof v === 'string' ? v : Buffer.from(v as Uint8Array);
      return response;
    }
    response.body = JSON.stringify(body);
    return response;
  }

  function encodeError(err: AwsError, requestId: string): WireResponse {
    const body: Record<string, string> = { message: err.message };
    for (const [k, v] of Object.entries(err.extra)) body[k] = v;
    return {
      status: err.status,
      headers: { 'content-type': 'application/json', 'x-amzn-RequestId': requestId, 'x-amzn-ErrorType': err.code },
      body: JSON.stringify(body),
    };
  }

  return { decode, operationOf, encodeResponse, encodeError };
}

function queryMap(rawQuery: string): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const [k, v] of parseFormPairs(rawQuery)) {
    const list = map.get(k);
    if (list) list.push(v);
    else map.set(k, [v]);
  }
  return map;
}

function parseBody(body: Buffer): unknown {
  if (body.length === 0) return undefined;
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    throw new AwsError('SerializationException', 'The request body is not valid JSON', 400);
  }
}

function bodyMembers(shape: Shape, body: unknown): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw typeError(body, 'structure', '');
  const record = body as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const m of shape.members) {
    if (m.location) continue;
    const v = record[m.locationName ?? m.name];
    if (v !== undefined && v !== null) out[m.name] = fromJson(m.shape, v, m.pathName, m.timestampFormat);
  }
  return out;
}

/** A URI label, query parameter or header as text → its typed value. */
function fromText(m: Member | { shape: Shape; timestampFormat?: string }, text: string, where: 'uri' | 'querystring' | 'header'): unknown {
  const shape = m.shape;
  if (shape.type === 'timestamp') {
    const n = Number(text);
    const ms = /^-?\d+(\.\d+)?$/.test(text) ? n * 1000 : Date.parse(text);
    if (!Number.isFinite(ms)) throw typeError(text, 'timestamp', '');
    return new Date(ms);
  }
  if (where === 'header' && 'jsonvalue' in m && m.jsonvalue) {
    try {
      return JSON.parse(Buffer.from(text, 'base64').toString('utf8'));
    } catch {
      throw typeError(text, 'string', '');
    }
  }
  return scalarFromText(shape.type, text);
}

function readLocated(shape: Shape, labels: Record<string, string>, query: Map<string, string[]>, headers: Record<string, string>): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  const bound = new Set<string>();
  for (const m of shape.members) {
    const name = m.locationName ?? m.name;
    switch (m.location) {
      case 'uri':
        if (labels[name] !== undefined) input[m.name] = fromText(m, labels[name], 'uri');
        break;
      case 'querystring': {
        if (m.shape.type === 'map') break; // filled below from the parameters no other member binds
        bound.add(name);
        const values = query.get(name);
        if (values === undefined) break;
        input[m.name] = m.shape.type === 'list' ? values.map((v) => fromText(m.shape.member!, v, 'querystring')) : fromText(m, values[0], 'querystring');
        break;
      }
      case 'header': {
        const value = headers[name.toLowerCase()];
        if (value === undefined) break;
        input[m.name] = m.shape.type === 'list' ? value.split(',').map((v) => fromText(m.shape.member!, v.trim(), 'header')) : fromText(m, value, 'header');
        break;
      }
      case 'headers': {
        const prefix = name.toLowerCase();
        const map: Record<string, string> = {};
        for (const [h, v] of Object.entries(headers)) if (h.startsWith(prefix)) map[h.slice(prefix.length)] = v;
        if (Object.keys(map).length > 0) input[m.name] = map;
        break;
      }
    }
  }
  const free = shape.members.find((m) => m.location === 'querystring' && m.shape.type === 'map');
  if (free) {
    const map: Record<string, unknown> = {};
    for (const [k, values] of query) {
      if (bound.has(k)) continue;
      map[k] = free.shape.value!.shape.type === 'list' ? values : values[0];
    }
    if (Object.keys(map).length > 0) input[free.name] = map;
  }
  return input;
}

function typeError(value: unknown, expected: WireTypeError['expected'], path: string): WireTypeError {
  const e = new WireTypeError(JSON.stringify(value) ?? String(value), expected);
  e.path = path;
  return e;
}

/** JSON value → typed input by shape (timestamps: epoch seconds or ISO text; blobs: base64). */
function fromJson(shape: Shape, value: unknown, path: string, format?: string): unknown {
  switch (shape.type) {
    case 'structure': {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) throw typeError(value, 'structure', path);
      const record = value as Record<string, unknown>;
      const out: Record<string, unknown> = {};
      for (const m of shape.members) {
        const v = record[m.locationName ?? m.name];
        if (v === undefined || v === null) continue;
        out[m.name] = fromJson(m.shape, v, path ? `${path}.${m.pathName}` : m.pathName, m.timestampFormat);
      }
      return out;
    }
    case 'list':
      if (!Array.isArray(value)) throw typeError(value, 'list', path);
      return value.map((v, i) => (v === null ? v : fromJson(shape.member!.shape, v, `${path}.${i + 1}.member`, shape.member!.timestampFormat)));
    case 'map': {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) throw typeError(value, 'map', path);
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) if (v !== null && v !== undefined) out[k] = fromJson(shape.value!.shape, v, `${path}.${k}`);
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
      void format;
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
function toJson(shape: Shape, value: unknown, format?: string): unknown {
  switch (shape.type) {
    case 'structure': {
      const record = value as Record<string, unknown>;
      const out: Record<string, unknown> = {};
      for (const m of shape.members) {
        const v = record[m.name];
        if (v !== undefined && v !== null) out[m.locationName ?? m.name] = toJson(m.shape, v, m.timestampFormat);
      }
      return out;
    }
    case 'list':
      return (value as unknown[]).map((v) => toJson(shape.member!.shape, v, shape.member!.timestampFormat));
    case 'map': {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) if (v !== undefined && v !== null) out[k] = toJson(shape.value!.shape, v);
      return out;
    }
    case 'timestamp': {
      const f: TimestampFormat = modelTimestampFormat(format ?? shape.timestampFormat, 'unixTimestamp');
      return f === 'unixTimestamp' ? toDate(value).getTime() / 1000 : formatTimestamp(value, f);
    }
    case 'blob':
      return blobToBase64(value);
    default:
      return value;
  }
}

function headerText(m: Member, v: unknown): string {
  if (m.shape.type === 'timestamp') return formatTimestamp(v, modelTimestampFormat(m.timestampFormat ?? m.shape.timestampFormat, 'rfc822'));
  if (m.jsonvalue) return Buffer.from(JSON.stringify(v)).toString('base64');
  if (m.shape.type === 'list') return (v as unknown[]).map(String).join(',');
  return String(v);
}

import type { ShapeType } from './shapes.js';

/** Thrown by wire-value conversion; each codec turns it into its protocol's error. */
export class WireTypeError extends Error {
  /** Where the value was, once a decoder knows: validation path and wire name. */
  path?: string;
  wirePath?: string;

  constructor(
    readonly value: string,
    readonly expected: 'integer' | 'number' | 'boolean' | 'timestamp' | 'blob' | 'string' | 'list' | 'map' | 'structure',
  ) {
    super(`expected ${expected}`);
  }
}

const INTEGER = /^[+-]?\d+$/;
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** Integers must fit their Java type: int for integer; long as far as a double holds it exactly. */
export function parseIntegerText(text: string, type: 'integer' | 'long'): number {
  if (!INTEGER.test(text)) throw new WireTypeError(text, 'integer');
  const n = Number(text);
  const fits = type === 'integer' ? n <= 2147483647 && n >= -2147483648 : Number.isSafeInteger(n);
  if (!fits) throw new WireTypeError(text, 'integer');
  return n;
}

export function parseNumberText(text: string): number {
  if (text === 'NaN') return NaN;
  if (text === 'Infinity') return Infinity;
  if (text === '-Infinity') return -Infinity;
  if (!DECIMAL.test(text)) throw new WireTypeError(text, 'number');
  return Number(text);
}

export function parseBooleanText(text: string): boolean {
  if (text === 'true') return true;
  if (text === 'false') return false;
  throw new WireTypeError(text, 'boolean');
}

const EPOCH = /^-?\d+(\.\d+)?$/;

/** Accepts every format AWS clients send: ISO 8601, RFC 822 / HTTP-date, epoch seconds. */
export function parseTimestampText(text: string): Date {
  const ms = EPOCH.test(text) ? Number(text) * 1000 : Date.parse(text);
  if (!Number.isFinite(ms)) throw new WireTypeError(text, 'timestamp');
  return new Date(ms);
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

export function parseBase64Text(text: string): Buffer {
  const compact = text.replace(/\s+/g, '');
  if (!BASE64.test(compact) || compact.length % 4 === 1) throw new WireTypeError(text, 'blob');
  return Buffer.from(compact, 'base64');
}

/** Converts one text value (form field, header, query parameter, XML text) to the shape's type. */
export function scalarFromText(type: ShapeType, text: string, blobEncoding: 'base64' | 'utf8' = 'base64'): unknown {
  switch (type) {
    case 'string':
      return text;
    case 'integer':
    case 'long':
      return parseIntegerText(text.trim(), type);
    case 'float':
    case 'double':
      return parseNumberText(text.trim());
    case 'boolean':
      return parseBooleanText(text.trim());
    case 'timestamp':
      return parseTimestampText(text.trim());
    case 'blob':
      return blobEncoding === 'base64' ? parseBase64Text(text) : Buffer.from(text, 'utf8');
    default:
      throw new WireTypeError(text, type);
  }
}

const ISO_SECONDS = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/;

export type TimestampFormat = 'iso8601' | 'iso8601-ms' | 'rfc822' | 'unixTimestamp';

/** A handler's timestamp: a Date, epoch milliseconds, or any text Date.parse reads. */
export function toDate(value: unknown): Date {
  if (value instanceof Date) return value;
  if (typeof value === 'number') return new Date(value);
  if (typeof value === 'string') return new Date(Date.parse(value));
  throw new TypeError(`not a timestamp: ${String(value)}`);
}

export function formatTimestamp(value: unknown, format: TimestampFormat): string {
  // Stored timestamps are already ISO 8601 to the second: most responses need no Date at all.
  if (format === 'iso8601' && typeof value === 'string' && ISO_SECONDS.test(value)) return value;
  const date = toDate(value);
  switch (format) {
    case 'iso8601':
      return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
    case 'iso8601-ms':
      return date.toISOString();
    case 'rfc822':
      return date.toUTCString();
    case 'unixTimestamp':
      return String(date.getTime() / 1000);
  }
}

/** A model's timestampFormat trait, mapped onto our formats (AWS's iso8601 keeps the codec's precision). */
export function modelTimestampFormat(trait: string | undefined, fallback: TimestampFormat): TimestampFormat {
  if (trait === 'rfc822') return 'rfc822';
  if (trait === 'unixTimestamp') return 'unixTimestamp';
  if (trait === 'iso8601') return fallback === 'iso8601-ms' || fallback === 'iso8601' ? fallback : 'iso8601';
  return fallback;
}

/** Blob output: Buffers and byte arrays as base64, strings taken as already-text. */
export function blobToBase64(value: unknown): string {
  if (Buffer.isBuffer(value)) return value.toString('base64');
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  return Buffer.from(String(value), 'utf8').toString('base64');
}

/**
 * The canonical request of SigV4: method, URI, query string, headers, signed header list
 * and payload hash, each in the one spelling both sides agree on.
 */

/** RFC 3986 unreserved characters (A-Z a-z 0-9 - . _ ~): the only ones left unencoded. */
const UNRESERVED = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const ch = String.fromCharCode(c);
  if (/[A-Za-z0-9\-._~]/.test(ch)) UNRESERVED[c] = 1;
}
const HEX = '0123456789ABCDEF';

/**
 * The canonical URI. S3 signs the path as sent, only brought to one spelling of its
 * percent-encoding (no dot-segment or slash normalization: "a//b/../c" is a key). Every
 * other service signs the normalized path, URI-encoded once more on top of the encoding
 * it had on the wire.
 */
export function canonicalUri(rawPath: string, s3: boolean): string {
  if (rawPath === '' || rawPath === '/') return '/';
  if (s3) return isCanonical(rawPath, true) ? rawPath : rawPath.split('/').map((s) => reencode(s, false)).join('/');
  return encodeText(removeDotSegments(rawPath));
}

/** One query parameter as the client meant it: names and values percent-decoded. */
export interface QueryParam {
  name: string;
  value: string;
  /** The canonical (re-encoded) forms, as they enter the canonical query string. */
  canonicalName: string;
  canonicalValue: string;
}

/** Parses a raw query string ("a=1&b&c=%2F"); '+' stands for a space, as in forms. */
export function parseQuery(rawQuery: string): QueryParam[] {
  const params: QueryParam[] = [];
  if (rawQuery === '') return params;
  for (const piece of rawQuery.split('&')) {
    if (piece === '') continue;
    const eq = piece.indexOf('=');
    const rawName = eq < 0 ? piece : piece.slice(0, eq);
    const rawValue = eq < 0 ? '' : piece.slice(eq + 1);
    const canonicalName = reencode(rawName, true);
    const canonicalValue = reencode(rawValue, true);
    params.push({ name: decodeText(canonicalName), value: decodeText(canonicalValue), canonicalName, canonicalValue });
  }
  return params;
}

/** Sorted by name, then by value (byte order); the signature itself left out when asked. */
export function canonicalQuery(params: QueryParam[], without?: (p: QueryParam) => boolean): string {
  if (params.length === 0) return '';
  const kept = without ? params.filter((p) => !without(p)) : params.slice();
  kept.sort(compareParams);
  let out = '';
  for (let i = 0; i < kept.length; i++) {
    out += `${i === 0 ? '' : '&'}${kept[i].canonicalName}=${kept[i].canonicalValue}`;
  }
  return out;
}

function compareParams(a: QueryParam, b: QueryParam): number {
  if (a.canonicalName !== b.canonicalName) return a.canonicalName < b.canonicalName ? -1 : 1;
  if (a.canonicalValue === b.canonicalValue) return 0;
  return a.canonicalValue < b.canonicalValue ? -1 : 1;
}

/**
 * "name:value\n" for each signed header, in the order of the signed list. Values are
 * trimmed and runs of whitespace inside them become one space. A signed header the request
 * does not have contributes an empty value (and so, almost surely, a mismatch).
 */
export function canonicalHeaders(headers: Record<string, string | string[] | undefined>, names: string[]): string {
  let out = '';
  for (const name of names) {
    const raw = headers[name];
    const value = raw === undefined ? '' : Array.isArray(raw) ? raw.join(',') : raw;
    out += `${name}:${normalizeHeaderValue(value)}\n`;
  }
  return out;
}

export function normalizeHeaderValue(value: string): string {
  const trimmed = value.trim();
  return /\s\s|[\t\n\r\v\f]/.test(trimmed) ? trimmed.replace(/\s+/g, ' ') : trimmed;
}

export function canonicalRequest(method: string, uri: string, query: string, headerBlock: string, signedHeaders: string, payloadHash: string): string {
  return `${method}\n${uri}\n${query}\n${headerBlock}\n${signedHeaders}\n${payloadHash}`;
}

export function stringToSign(algorithm: string, timestamp: string, scope: string, hashHex: string): string {
  return `${algorithm}\n${timestamp}\n${scope}\n${hashHex}`;
}

/**
 * RFC 3986 dot-segment removal, with empty segments dropped too (AWS collapses "//").
 * A trailing slash survives when something is left before it.
 */
function removeDotSegments(path: string): string {
  const out: string[] = [];
  for (const segment of path.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') out.pop();
    else out.push(segment);
  }
  const lead = path.startsWith('/') ? '/' : '';
  const trail = out.length > 0 && path.endsWith('/') ? '/' : '';
  return lead + out.join('/') + trail;
}

/** Percent-encodes every character but the unreserved ones and '/', byte by UTF-8 byte. */
function encodeText(text: string): string {
  if (isPlain(text)) return text;
  return encodeBytes(Buffer.from(text, 'utf8'), true);
}

function isPlain(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 128 || (!UNRESERVED[c] && c !== 47)) return false;
  }
  return true;
}

/**
 * True when the text already is in canonical form: only unreserved characters, ('/' where
 * allowed) and upper-case %XX escapes of bytes that must stay escaped.
 */
function isCanonical(text: string, slashAllowed: boolean): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 128 && UNRESERVED[c]) continue;
    if (c === 47 && slashAllowed) continue;
    if (c !== 37 || i + 2 >= text.length) return false;
    const hi = upperHexValue(text.charCodeAt(i + 1));
    const lo = upperHexValue(text.charCodeAt(i + 2));
    if (hi < 0 || lo < 0) return false;
    const byte = hi * 16 + lo;
    if (byte < 128 && UNRESERVED[byte]) return false;
    i += 2;
  }
  return true;
}

/** Decodes the escapes of a raw URI component (a lone '%' is a literal) and encodes it again. */
function reencode(raw: string, plusIsSpace: boolean): string {
  if (isCanonical(raw, false) && (!plusIsSpace || !raw.includes('+'))) return raw;
  return encodeBytes(percentDecode(raw, plusIsSpace), false);
}

function percentDecode(raw: string, plusIsSpace: boolean): Buffer {
  const bytes: number[] = [];
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    if (c === 37 && i + 2 < raw.length) {
      const hi = hexValue(raw.charCodeAt(i + 1));
      const lo = hexValue(raw.charCodeAt(i + 2));
      if (hi >= 0 && lo >= 0) {
        bytes.push(hi * 16 + lo);
        i += 2;
        continue;
      }
    }
    if (c === 43 && plusIsSpace) bytes.push(32);
    else if (c < 128) bytes.push(c);
    else {
      // A character outside ASCII: its UTF-8 bytes (a surrogate pair taken whole).
      const end = c >= 0xd800 && c <= 0xdbff && i + 1 < raw.length ? i + 2 : i + 1;
      for (const b of Buffer.from(raw.slice(i, end), 'utf8')) bytes.push(b);
      i = end - 1;
    }
  }
  return Buffer.from(bytes);
}

function encodeBytes(bytes: Uint8Array, keepSlash: boolean): string {
  let out = '';
  for (const b of bytes) {
    if ((b < 128 && UNRESERVED[b]) || (keepSlash && b === 47)) out += String.fromCharCode(b);
    else out += `%${HEX[b >> 4]}${HEX[b & 15]}`;
  }
  return out;
}

/** The text a canonical component stands for (its bytes read as UTF-8). */
function decodeText(canonical: string): string {
  if (!canonical.includes('%')) return canonical;
  try {
    return decodeURIComponent(canonical);
  } catch {
    // Escapes of bytes that are not UTF-8: decode them byte by byte.
    return percentDecode(canonical, false).toString('utf8');
  }
}

function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 65 && c <= 70) return c - 55;
  if (c >= 97 && c <= 102) return c - 87;
  return -1;
}

function upperHexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

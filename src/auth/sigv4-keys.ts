import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** SHA-256 of the empty string: the payload hash of every bodiless request. */
export const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

/**
 * Derived signing keys, by secret and scope. A key is valid for a day, so a handful of
 * entries serve every request; the map is emptied when it grows past its bound rather than
 * tracked per entry (cheaper, and a refill costs four HMACs).
 */
const keys = new Map<string, Buffer>();
const MAX_KEYS = 4096;

/** kSigning = HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date), region), service), "aws4_request"). */
export function signingKey(secret: string, date: string, region: string, service: string): Buffer {
  const id = `${date}/${region}/${service}/${secret}`;
  const hit = keys.get(id);
  if (hit) return hit;
  const kDate = createHmac('sha256', `AWS4${secret}`).update(date).digest();
  const kRegion = createHmac('sha256', kDate).update(region).digest();
  const kService = createHmac('sha256', kRegion).update(service).digest();
  const key = createHmac('sha256', kService).update('aws4_request').digest();
  if (keys.size >= MAX_KEYS) keys.clear();
  keys.set(id, key);
  return key;
}

/** Lower-case hex HMAC-SHA256 of a string (signatures are made of ASCII texts). */
export function hmacHex(key: Buffer, text: string): string {
  return createHmac('sha256', key).update(text, textEncoding(text)).digest('hex');
}

/** Lower-case hex SHA-256 of a string or bytes. */
export function sha256Hex(data: string | Uint8Array): string {
  const hash = createHash('sha256');
  if (typeof data === 'string') hash.update(data, textEncoding(data));
  else hash.update(data);
  return hash.digest('hex');
}

/**
 * The bytes a text stands for. Node hands header values over as latin1 (one char per
 * byte), so hashing them as latin1 gives back the bytes the client signed; a text with
 * characters above U+00FF cannot have come off the wire that way and is UTF-8.
 */
export function textEncoding(text: string): 'latin1' | 'utf8' {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0xff) return 'utf8';
  return 'latin1';
}

/** Constant-time comparison of a computed lower-case hex signature with a provided one. */
export function sameSignature(computed: string, provided: string): boolean {
  if (provided.length !== computed.length) return false;
  // AWS accepts the hex digits of a signature in either case.
  const a = Buffer.from(computed, 'latin1');
  const b = Buffer.from(provided.toLowerCase(), 'latin1');
  return a.length === b.length && timingSafeEqual(a, b);
}

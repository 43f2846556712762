import * as crypto from 'node:crypto';
import { createHash, createHmac } from 'node:crypto';

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

/** crypto.hash (Node >= 20.12): a one-shot digest, about twice as fast as a Hash object. */
const oneShot = typeof crypto.hash === 'function' ? crypto.hash : undefined;

/**
 * Lower-case hex HMAC-SHA256 of a string (signatures are made of ASCII texts). With
 * one-shot digests, HMAC is built as RFC 2104 defines it, H(K^opad || H(K^ipad || m)),
 * from pads kept beside each cached signing key: 2.5 µs against 4 µs for createHmac,
 * on every request.
 */
export function hmacHex(key: Buffer, text: string): string {
  const encoding = textEncoding(text) === 'utf8' ? 'utf8' : 'latin1';
  if (!oneShot || key.length > 64) return createHmac('sha256', key).update(text, encoding).digest('hex');
  let p = pads.get(key);
  if (!p) {
    p = { inner: Buffer.alloc(64, 0x36), outer: Buffer.alloc(64, 0x5c) };
    for (let i = 0; i < key.length; i++) {
      p.inner[i] ^= key[i];
      p.outer[i] ^= key[i];
    }
    pads.set(key, p);
  }
  const inner = oneShot('sha256', Buffer.concat([p.inner, Buffer.from(text, encoding)]), 'buffer') as unknown as Buffer;
  return oneShot('sha256', Buffer.concat([p.outer, inner]), 'hex');
}
const pads = new WeakMap<Buffer, { inner: Buffer; outer: Buffer }>();

/** Lower-case hex SHA-256 of a string or bytes. */
export function sha256Hex(data: string | Uint8Array): string {
  if (typeof data === 'string') {
    const encoding = textEncoding(data);
    // An ASCII text is the same bytes in UTF-8, which is what the one-shot digest reads.
    if (oneShot && encoding === 'ascii') return oneShot('sha256', data, 'hex');
    return createHash('sha256').update(data, encoding === 'utf8' ? 'utf8' : 'latin1').digest('hex');
  }
  if (oneShot) return oneShot('sha256', data, 'hex');
  return createHash('sha256').update(data).digest('hex');
}

/**
 * The bytes a text stands for. Node hands header values over as latin1 (one char per
 * byte), so hashing them as latin1 gives back the bytes the client signed; a text with
 * characters above U+00FF cannot have come off the wire that way and is UTF-8.
 */
export function textEncoding(text: string): 'ascii' | 'latin1' | 'utf8' {
  if (!NON_ASCII.test(text)) return 'ascii';
  return ABOVE_LATIN1.test(text) ? 'utf8' : 'latin1';
}
const NON_ASCII = /[^\x00-\x7f]/;
const ABOVE_LATIN1 = /[^\x00-\xff]/;

/**
 * Constant-time comparison of a computed lower-case hex signature with a provided one
 * (AWS accepts the provided hex digits in either case). No allocation: it runs on every
 * request.
 */
export function sameSignature(computed: string, provided: string): boolean {
  if (provided.length !== computed.length) return false;
  let diff = 0;
  for (let i = 0; i < computed.length; i++) {
    let c = provided.charCodeAt(i);
    if (c >= 65 && c <= 70) c += 32; // A-F → a-f
    diff |= c ^ computed.charCodeAt(i);
  }
  return diff === 0;
}

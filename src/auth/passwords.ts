import { randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';

/**
 * Console passwords of IAM users (login profiles), stored only as scrypt hashes.
 *
 * Encoded form, self-describing so the cost can change without breaking old hashes:
 *   $scrypt$ln=<log2 N>,r=<r>,p=<p>$<salt, base64 no padding>$<hash, base64 no padding>
 * (the PHC string format's layout).
 */

export interface ScryptParams {
  /** log2 of the CPU/memory cost N. */
  ln: number;
  r: number;
  p: number;
}

/** ~16 MB and tens of milliseconds per hash: enough against offline guessing for a
 *  local emulator, cheap enough to check up to 24 previous passwords on ChangePassword. */
export const DEFAULT_SCRYPT_PARAMS: ScryptParams = { ln: 14, r: 8, p: 1 };

const SALT_BYTES = 16;
const HASH_BYTES = 32;
// Bounds on parameters read back from a stored string, so a corrupt record cannot make
// verification allocate gigabytes.
const MAX_LN = 20;
const MAX_R = 32;
const MAX_P = 16;

export function hashPassword(password: string, params: ScryptParams = DEFAULT_SCRYPT_PARAMS): string {
  const salt = randomBytes(SALT_BYTES);
  const hash = derive(password, salt, params, HASH_BYTES);
  return `$scrypt$ln=${params.ln},r=${params.r},p=${params.p}$${b64(salt)}$${b64(hash)}`;
}

/** Constant-time check of a password against an encoded hash. Malformed hashes never match. */
export function verifyPassword(password: string, encoded: string): boolean {
  const parsed = parseEncoded(encoded);
  if (!parsed) return false;
  const actual = derive(password, parsed.salt, parsed.params, parsed.hash.length);
  return timingSafeEqual(actual, parsed.hash);
}

/** True when a stored hash uses weaker (or other) parameters than the current default. */
export function needsRehash(encoded: string, params: ScryptParams = DEFAULT_SCRYPT_PARAMS): boolean {
  const parsed = parseEncoded(encoded);
  return !parsed || parsed.params.ln !== params.ln || parsed.params.r !== params.r || parsed.params.p !== params.p;
}

function derive(password: string, salt: Buffer, { ln, r, p }: ScryptParams, length: number): Buffer {
  const N = 2 ** ln;
  // Node refuses to allocate more than maxmem; give scrypt what these parameters need.
  return scryptSync(Buffer.from(password, 'utf8'), salt, length, { N, r, p, maxmem: 256 * N * r + 1024 * 1024 });
}

function parseEncoded(encoded: string): { params: ScryptParams; salt: Buffer; hash: Buffer } | null {
  if (typeof encoded !== 'string') return null;
  const m = /^\$scrypt\$ln=(\d{1,2}),r=(\d{1,2}),p=(\d{1,2})\$([A-Za-z0-9+/]+)\$([A-Za-z0-9+/]+)$/.exec(encoded);
  if (!m) return null;
  const params = { ln: Number(m[1]), r: Number(m[2]), p: Number(m[3]) };
  if (params.ln < 1 || params.ln > MAX_LN || params.r < 1 || params.r > MAX_R || params.p < 1 || params.p > MAX_P) return null;
  const salt = Buffer.from(m[4], 'base64');
  const hash = Buffer.from(m[5], 'base64');
  if (salt.length < 8 || hash.length < 16) return null;
  return { params, salt, hash };
}

function b64(bytes: Buffer): string {
  return bytes.toString('base64').replace(/=+$/, '');
}

import { randomBytes } from 'node:crypto';

/**
 * Identifiers in AWS's shapes. IAM unique ids and access key ids are a four-letter prefix
 * that says what they name, then base-32 characters (A–Z, 2–7):
 *   AIDA user · AGPA group · AROA role · ANPA policy · AIPA instance profile (21 chars)
 *   AKIA long-term access key · ASIA temporary access key (20 chars)
 */
const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** n random base-32 characters. */
export function base32(n: number): string {
  // 256 is a multiple of 32, so masking a random byte is unbiased.
  const bytes = randomBytes(n);
  let out = '';
  for (let i = 0; i < n; i++) out += BASE32[bytes[i] & 31];
  return out;
}

export type UniqueIdPrefix = 'AIDA' | 'AGPA' | 'AROA' | 'ANPA' | 'AIPA';

/** A new IAM unique id, e.g. AIDAJQABLZS4A3QDU576Q. */
export function newUniqueId(prefix: UniqueIdPrefix): string {
  return prefix + base32(17);
}

/** A new access key id: AKIA… for long-term keys, ASIA… for temporary credentials. */
export function newAccessKeyId(prefix: 'AKIA' | 'ASIA' = 'AKIA'): string {
  return prefix + base32(16);
}

/** A new 40-character secret access key over [A-Za-z0-9/+] (30 random bytes in base64). */
export function newSecretAccessKey(): string {
  return randomBytes(30).toString('base64');
}

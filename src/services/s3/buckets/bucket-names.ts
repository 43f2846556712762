import { invalidBucketName } from '../errors.js';

/**
 * S3's naming rules for general purpose buckets (S3 User Guide, "Bucket naming rules"):
 * 3 to 63 characters of lowercase letters, digits, dots and hyphens; a letter or digit at
 * each end; no two adjacent dots; not an IP address; none of the reserved prefixes and
 * suffixes. Anything else is InvalidBucketName.
 */
const RESERVED_PREFIXES = ['xn--', 'sthree-', 'amzn-s3-demo-'];
const RESERVED_SUFFIXES = ['-s3alias', '--ol-s3', '.mrap', '--x-s3', '--table-s3'];

export function isValidBucketName(name: string): boolean {
  if (name.length < 3 || name.length > 63) return false;
  if (!/^[a-z0-9][a-z0-9.-]*[a-z0-9]$/.test(name)) return false;
  if (name.includes('..')) return false;
  if (/^\d+\.\d+\.\d+\.\d+$/.test(name)) return false;
  if (RESERVED_PREFIXES.some((p) => name.startsWith(p))) return false;
  if (RESERVED_SUFFIXES.some((s) => name.endsWith(s))) return false;
  return true;
}

export function checkBucketName(name: string): void {
  if (!isValidBucketName(name)) throw invalidBucketName(name);
}

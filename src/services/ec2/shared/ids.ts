import { createHash, randomBytes } from 'node:crypto';

/**
 * EC2 resource IDs: a prefix that says what they name, then 17 lowercase hex digits
 * (i-0abcd…, sg-…, subnet-…, key-…, sgr-…, r-…, iip-assoc-…, vol-…, eni-…).
 */
export function newEc2Id(prefix: string): string {
  return `${prefix}-${randomBytes(9).toString('hex').slice(0, 17)}`;
}

/** The same ID every time for the same seed: the default VPC of an account's region, the AMI catalogue. */
export function derivedEc2Id(prefix: string, ...seed: string[]): string {
  return `${prefix}-${createHash('sha256').update(seed.join('\0')).digest('hex').slice(0, 17)}`;
}

/** Does id look like an ID of this prefix (EC2 accepts the old 8-digit form too)? */
export function isEc2Id(prefix: string, id: string): boolean {
  return new RegExp(`^${prefix}-(?:[0-9a-f]{8}|[0-9a-f]{17})$`).test(id);
}

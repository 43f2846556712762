import { createHash, type Hash } from 'node:crypto';
import { crc32 } from 'node:zlib';

/**
 * The flexible checksums of S3 (x-amz-checksum-*), computed incrementally so a streamed
 * body can be checked as it passes. Values travel base64-encoded, big-endian.
 */
export type ChecksumAlgorithm = 'CRC32' | 'CRC32C' | 'CRC64NVME' | 'SHA1' | 'SHA256';

export const CHECKSUM_ALGORITHMS: readonly ChecksumAlgorithm[] = ['CRC32', 'CRC32C', 'CRC64NVME', 'SHA1', 'SHA256'];

/** Length in bytes of each algorithm's digest. */
export const CHECKSUM_BYTES: Record<ChecksumAlgorithm, number> = { CRC32: 4, CRC32C: 4, CRC64NVME: 8, SHA1: 20, SHA256: 32 };

export interface Checksum {
  update(data: Uint8Array): void;
  digest(): Buffer;
}

export function createChecksum(algorithm: ChecksumAlgorithm): Checksum {
  switch (algorithm) {
    case 'CRC32':
      return crcChecksum((data, crc) => crc32(data, crc), 4);
    case 'CRC32C':
      return crcChecksum(crc32c, 4);
    case 'CRC64NVME':
      return new Crc64Nvme();
    case 'SHA1':
      return hashChecksum(createHash('sha1'));
    case 'SHA256':
      return hashChecksum(createHash('sha256'));
  }
}

export function checksumOf(algorithm: ChecksumAlgorithm, data: Uint8Array): Buffer {
  const sum = createChecksum(algorithm);
  sum.update(data);
  return sum.digest();
}

/** "x-amz-checksum-crc32" → "CRC32"; undefined for anything that is not a checksum header. */
export function checksumAlgorithmOf(headerName: string): ChecksumAlgorithm | undefined {
  if (!headerName.startsWith('x-amz-checksum-')) return undefined;
  const name = headerName.slice('x-amz-checksum-'.length).toUpperCase();
  return (CHECKSUM_ALGORITHMS as readonly string[]).includes(name) ? (name as ChecksumAlgorithm) : undefined;
}

/** Decodes a base64 checksum value; undefined unless it is canonical base64 of the right length. */
export function decodeChecksumValue(algorithm: ChecksumAlgorithm, value: string): Buffer | undefined {
  const bytes = Buffer.from(value, 'base64');
  if (bytes.length !== CHECKSUM_BYTES[algorithm] || bytes.toString('base64') !== value) return undefined;
  return bytes;
}

function hashChecksum(hash: Hash): Checksum {
  return { update: (data) => void hash.update(data), digest: () => hash.digest() };
}

function crcChecksum(step: (data: Uint8Array, crc: number) => number, bytes: number): Checksum {
  let crc = 0;
  return {
    update: (data) => void (crc = step(data, crc)),
    digest: () => {
      const out = Buffer.alloc(bytes);
      out.writeUInt32BE(crc >>> 0);
      return out;
    },
  };
}

/** CRC-32C (Castagnoli, reflected polynomial 0x82F63B78), slicing by 8 bytes at a time. */
const CRC32C_TABLES = (() => {
  const tables = Array.from({ length: 8 }, () => new Uint32Array(256));
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0x82f63b78 : c >>> 1;
    tables[0][n] = c >>> 0;
  }
  for (let n = 0; n < 256; n++) {
    for (let t = 1; t < 8; t++) tables[t][n] = (tables[t - 1][n] >>> 8) ^ tables[0][tables[t - 1][n] & 0xff];
  }
  return tables;
})();

function crc32c(data: Uint8Array, previous: number): number {
  const [t0, t1, t2, t3, t4, t5, t6, t7] = CRC32C_TABLES;
  let crc = ~previous >>> 0;
  let i = 0;
  const end8 = data.length - (data.length % 8);
  for (; i < end8; i += 8) {
    const a = (crc ^ (data[i] | (data[i + 1] << 8) | (data[i + 2] << 16) | (data[i + 3] << 24))) >>> 0;
    crc =
      t7[a & 0xff] ^ t6[(a >>> 8) & 0xff] ^ t5[(a >>> 16) & 0xff] ^ t4[a >>> 24] ^
      t3[data[i + 4]] ^ t2[data[i + 5]] ^ t1[data[i + 6]] ^ t0[data[i + 7]];
  }
  for (; i < data.length; i++) crc = t0[(crc ^ data[i]) & 0xff] ^ (crc >>> 8);
  return ~crc >>> 0;
}

/**
 * CRC-64/NVME (reflected polynomial 0x9A6C9329AC4BC9B5), kept as two 32-bit halves so
 * it runs on plain numbers instead of BigInt.
 */
const CRC64_HI = new Uint32Array(256);
const CRC64_LO = new Uint32Array(256);
(() => {
  const poly = 0x9a6c9329ac4bc9b5n;
  for (let n = 0; n < 256; n++) {
    let c = BigInt(n);
    for (let k = 0; k < 8; k++) c = c & 1n ? (c >> 1n) ^ poly : c >> 1n;
    CRC64_HI[n] = Number(c >> 32n);
    CRC64_LO[n] = Number(c & 0xffffffffn);
  }
})();

class Crc64Nvme implements Checksum {
  private hi = 0xffffffff;
  private lo = 0xffffffff;

  update(data: Uint8Array): void {
    let hi = this.hi;
    let lo = this.lo;
    for (let i = 0; i < data.length; i++) {
      const index = (lo ^ data[i]) & 0xff;
      lo = (((lo >>> 8) | (hi << 24)) ^ CRC64_LO[index]) >>> 0;
      hi = ((hi >>> 8) ^ CRC64_HI[index]) >>> 0;
    }
    this.hi = hi;
    this.lo = lo;
  }

  digest(): Buffer {
    const out = Buffer.alloc(8);
    out.writeUInt32BE(~this.hi >>> 0, 0);
    out.writeUInt32BE(~this.lo >>> 0, 4);
    return out;
  }
}

import * as zlib from 'node:zlib';

let table: Uint32Array | undefined;

function softwareCrc32(bytes: Uint8Array): number {
  if (!table) {
    table = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      table[n] = c >>> 0;
    }
  }
  let crc = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) crc = table[(crc ^ bytes[i]) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/** CRC-32 (IEEE), as DynamoDB's x-amz-crc32 header carries it; zlib's when this Node has it (20.15+). */
export const crc32: (bytes: Uint8Array) => number =
  typeof (zlib as { crc32?: unknown }).crc32 === 'function' ? (b) => (zlib as unknown as { crc32(b: Uint8Array): number }).crc32(b) : softwareCrc32;

/** CRC-32 of a text's UTF-8 bytes: zlib reads the string itself, so no Buffer is made for it. */
export const crc32Text: (text: string) => number =
  typeof (zlib as { crc32?: unknown }).crc32 === 'function'
    ? (t) => (zlib as unknown as { crc32(t: string): number }).crc32(t)
    : (t) => softwareCrc32(Buffer.from(t, 'utf8'));

export { softwareCrc32 };

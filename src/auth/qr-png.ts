import { deflateSync } from 'node:zlib';
import type QRCodeModule from 'qrcode';
import { lazyPackage } from '../lazy-package.js';

const qrcode = lazyPackage<typeof QRCodeModule>('qrcode');

/**
 * Renders text as a QR code PNG, synchronously. `qrcode` computes the symbol; its own
 * PNG output is callback/stream based, and CreateVirtualMFADevice runs inside a
 * synchronous store transaction, so the few lines of PNG encoding live here.
 */
export function qrCodePng(text: string, opts: { scale?: number; margin?: number } = {}): Buffer {
  const scale = opts.scale ?? 4;
  const margin = opts.margin ?? 4;
  const { modules } = qrcode().create(text, { errorCorrectionLevel: 'M' });
  const size = (modules.size + 2 * margin) * scale;

  // 8-bit grayscale rows, each prefixed with filter type 0 (none).
  const row = size + 1;
  const raw = Buffer.alloc(row * size, 0xff);
  for (let y = 0; y < size; y++) {
    raw[y * row] = 0;
    const my = Math.floor(y / scale) - margin;
    for (let x = 0; x < size; x++) {
      const mx = Math.floor(x / scale) - margin;
      const dark = mx >= 0 && my >= 0 && mx < modules.size && my < modules.size && modules.get(my, mx);
      if (dark) raw[y * row + 1 + x] = 0;
    }
  }

  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8; // bit depth
  header[9] = 0; // colour type: grayscale
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

function chunk(type: string, data: Buffer): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'ascii');
  data.copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

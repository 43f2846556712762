import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { inflateSync } from 'node:zlib';
import QRCode from 'qrcode';
import {
  checkTotp, isFreshStep, newVirtualMfaSeed, timeStepAt, totpCodeAt, totpCodeForStep, verifyTotp,
  verifyTwoConsecutive, virtualMfaQrPng, virtualMfaUri,
} from '../../src/auth/totp.js';

// RFC 6238 appendix B, SHA1 key "12345678901234567890", truncated to 6 digits.
const RFC_SEED = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
const RFC_VECTORS: Array<[number, string]> = [
  [59, '287082'],
  [1111111109, '081804'],
  [1111111111, '050471'],
  [1234567890, '005924'],
  [2000000000, '279037'],
  [20000000000, '353130'],
];

test('codes match the RFC 6238 SHA1 test vectors', () => {
  for (const [seconds, code] of RFC_VECTORS) assert.equal(totpCodeAt(RFC_SEED, seconds * 1000), code, `T=${seconds}`);
});

test('new seeds are 64 base32 characters (40 random bytes), as AWS returns', () => {
  const a = newVirtualMfaSeed();
  const b = newVirtualMfaSeed();
  assert.match(a, /^[A-Z2-7]{64}$/);
  assert.notEqual(a, b);
  // The seed is usable: an independent HMAC-SHA1 over the decoded bytes agrees.
  const t = 1_700_000_000_000;
  assert.equal(totpCodeAt(a, t), referenceCode(base32Decode(a), timeStepAt(t)));
});

test('provisioning URI names device and account and carries the seed and issuer', () => {
  const uri = virtualMfaUri('alice-mfa', '123456789012', RFC_SEED);
  assert.equal(uri, `otpauth://totp/alice-mfa@123456789012?secret=${RFC_SEED}&issuer=Amazon%20Web%20Services`);
  const parsed = new URL(uri);
  assert.equal(parsed.searchParams.get('secret'), RFC_SEED);
  assert.equal(parsed.searchParams.get('issuer'), 'Amazon Web Services');
  // Characters IAM allows in names stay unambiguous in the label.
  assert.equal(virtualMfaUri('a@b', 'my-alias', 'X').split('?')[0], 'otpauth://totp/a%40b@my-alias');
});

test('QR PNG is a valid PNG whose pixels are the QR symbol of the URI', () => {
  const png = virtualMfaQrPng('root-account-mfa-device', 'my-alias', RFC_SEED);
  assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const chunks = readChunks(png);
  assert.deepEqual(chunks.map((c) => c.type), ['IHDR', 'IDAT', 'IEND']);
  const width = chunks[0].data.readUInt32BE(0);
  assert.equal(chunks[0].data.readUInt32BE(4), width);
  const raw = inflateSync(chunks[1].data);
  assert.equal(raw.length, (width + 1) * width);

  const { modules } = QRCode.create(virtualMfaUri('root-account-mfa-device', 'my-alias', RFC_SEED), { errorCorrectionLevel: 'M' });
  const scale = width / (modules.size + 8);
  assert.ok(Number.isInteger(scale));
  for (let my = 0; my < modules.size; my++) {
    for (let mx = 0; mx < modules.size; mx++) {
      const px = raw[(my + 4) * scale * (width + 1) + 1 + (mx + 4) * scale];
      assert.equal(px === 0, modules.get(my, mx) === 1, `module ${mx},${my}`);
    }
  }
  // Quiet zone is white.
  assert.equal(raw[1], 0xff);
});

test('verifyTotp accepts ±1 step and returns the matched step', () => {
  const now = 1_700_000_015_000;
  const step = timeStepAt(now);
  assert.equal(verifyTotp(RFC_SEED, totpCodeForStep(RFC_SEED, step), now), step);
  assert.equal(verifyTotp(RFC_SEED, totpCodeForStep(RFC_SEED, step - 1), now), step - 1);
  assert.equal(verifyTotp(RFC_SEED, totpCodeForStep(RFC_SEED, step + 1), now), step + 1);
  assert.equal(verifyTotp(RFC_SEED, totpCodeForStep(RFC_SEED, step - 2), now), null);
  assert.equal(verifyTotp(RFC_SEED, totpCodeForStep(RFC_SEED, step - 2), now, 2), step - 2);
  assert.equal(verifyTotp(RFC_SEED, totpCodeForStep(RFC_SEED, step + 5), now, 1, 5), step + 5);
  assert.equal(verifyTotp(RFC_SEED, '12345', now), null);
  assert.equal(verifyTotp(RFC_SEED, 'abcdef', now), null);
  const windowCodes = new Set([step - 1, step, step + 1].map((s) => totpCodeForStep(RFC_SEED, s)));
  let wrong = '000000';
  for (let i = 1; windowCodes.has(wrong); i++) wrong = String(i).padStart(6, '0');
  assert.equal(verifyTotp(RFC_SEED, wrong, now), null);
});

test('replay guard refuses a code whose step is not newer than the last accepted', () => {
  const now = 1_700_000_100_000;
  const step = timeStepAt(now);
  const code = totpCodeForStep(RFC_SEED, step);
  const first = checkTotp(RFC_SEED, code, now, { lastAcceptedStep: step - 1 });
  assert.deepEqual(first, { ok: true, step });
  assert.deepEqual(checkTotp(RFC_SEED, code, now + 5_000, { lastAcceptedStep: step }), { ok: false, reason: 'replayed' });
  // The next step's code is fresh again.
  const next = totpCodeForStep(RFC_SEED, step + 1);
  assert.deepEqual(checkTotp(RFC_SEED, next, now + 30_000, { lastAcceptedStep: step }), { ok: true, step: step + 1 });
  assert.deepEqual(checkTotp(RFC_SEED, '000', now), { ok: false, reason: 'malformed' });
  assert.equal(isFreshStep(10, null), true);
  assert.equal(isFreshStep(10, undefined), true);
  assert.equal(isFreshStep(10, 9), true);
  assert.equal(isFreshStep(10, 10), false);
});

test('two consecutive codes: found near now, with drift, in order only', () => {
  const now = 1_700_000_200_000;
  const step = timeStepAt(now);
  const c = (s: number) => totpCodeForStep(RFC_SEED, s);

  assert.deepEqual(verifyTwoConsecutive(RFC_SEED, c(step - 1), c(step), now), { firstStep: step - 1, secondStep: step, driftSteps: 0 });
  // Typed slowly: the pair is three steps old.
  assert.deepEqual(verifyTwoConsecutive(RFC_SEED, c(step - 4), c(step - 3), now), { firstStep: step - 4, secondStep: step - 3, driftSteps: -3 });
  // A device running fast.
  assert.deepEqual(verifyTwoConsecutive(RFC_SEED, c(step + 6), c(step + 7), now), { firstStep: step + 6, secondStep: step + 7, driftSteps: 7 });
  // Swapped, non-consecutive, too far away, malformed.
  assert.equal(verifyTwoConsecutive(RFC_SEED, c(step), c(step - 1), now), null);
  assert.equal(verifyTwoConsecutive(RFC_SEED, c(step - 2), c(step), now), null);
  assert.equal(verifyTwoConsecutive(RFC_SEED, c(step - 30), c(step - 29), now), null);
  assert.deepEqual(verifyTwoConsecutive(RFC_SEED, c(step - 30), c(step - 29), now, 30)?.driftSteps, -29);
  assert.equal(verifyTwoConsecutive(RFC_SEED, '1234567', c(step), now), null);
});

// --- independent reference implementation for the tests ---

function referenceCode(key: Buffer, step: number): string {
  const msg = Buffer.alloc(8);
  msg.writeBigUInt64BE(BigInt(step));
  const h = createHmac('sha1', key).update(msg).digest();
  const o = h[h.length - 1] & 0xf;
  const n = ((h[o] & 0x7f) << 24) | (h[o + 1] << 16) | (h[o + 2] << 8) | h[o + 3];
  return String(n % 1_000_000).padStart(6, '0');
}

function base32Decode(s: string): Buffer {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0;
  let value = 0;
  const out: number[] = [];
  for (const ch of s) {
    value = (value << 5) | alphabet.indexOf(ch);
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

function readChunks(png: Buffer): Array<{ type: string; data: Buffer }> {
  const chunks: Array<{ type: string; data: Buffer }> = [];
  let at = 8;
  while (at < png.length) {
    const len = png.readUInt32BE(at);
    const type = png.toString('ascii', at + 4, at + 8);
    const data = png.subarray(at + 8, at + 8 + len);
    const crc = png.readUInt32BE(at + 8 + len);
    assert.equal(crc, crc32Reference(png.subarray(at + 4, at + 8 + len)), `${type} CRC`);
    chunks.push({ type, data });
    at += 12 + len;
  }
  return chunks;
}

function crc32Reference(bytes: Uint8Array): number {
  let crc = ~0;
  for (const b of bytes) {
    crc ^= b;
    for (let k = 0; k < 8; k++) crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1));
  }
  return ~crc >>> 0;
}

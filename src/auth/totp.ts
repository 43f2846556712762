import { randomBytes, timingSafeEqual } from 'node:crypto';
import type * as OtpAuth from 'otpauth';
import { lazyPackage } from '../lazy-package.js';
import { qrCodePng } from './qr-png.js';

const otpauth = lazyPackage<typeof OtpAuth>('otpauth');

/**
 * Virtual MFA devices: RFC 6238 TOTP with AWS's parameters (HMAC-SHA1, 6 digits, 30 s).
 *
 * Time is always passed in (epoch ms), never read here. A "step" is the TOTP counter,
 * floor(unix seconds / 30).
 *
 * Replay guard: a code is valid for a whole step (and the window around it), so the
 * caller stores, per device, the last step it accepted and passes it back as
 * `lastAcceptedStep`; a code whose step is not newer is refused. After EnableMFADevice
 * or ResyncMFADevice, store the second code's step; after each accepted sign-in code,
 * store that code's step.
 *
 * Drift: EnableMFADevice/ResyncMFADevice find the two consecutive codes within a wider
 * window and report how many steps the device is off (`driftSteps`); callers may store
 * it and pass it to later checks, as hardware tokens that run fast or slow need.
 */

export const VIRTUAL_MFA_ALGORITHM = 'SHA1';
export const VIRTUAL_MFA_DIGITS = 6;
export const VIRTUAL_MFA_PERIOD_SECONDS = 30;
const ISSUER = 'Amazon Web Services';

/** A new seed as AWS returns it in Base32StringSeed: 40 random bytes, 64 base32 characters. */
export function newVirtualMfaSeed(): string {
  return new (otpauth().Secret)({ buffer: new Uint8Array(randomBytes(40)).buffer }).base32;
}

/**
 * The provisioning URI AWS encodes in QRCodePNG:
 * otpauth://totp/<device name>@<account alias, else account id>?secret=<seed>&issuer=Amazon%20Web%20Services
 */
export function virtualMfaUri(deviceName: string, accountName: string, seed: string): string {
  return `otpauth://totp/${encodeURIComponent(deviceName)}@${encodeURIComponent(accountName)}` +
    `?secret=${seed}&issuer=${encodeURIComponent(ISSUER)}`;
}

/** QRCodePNG: the PNG bytes of a QR code holding virtualMfaUri(). */
export function virtualMfaQrPng(deviceName: string, accountName: string, seed: string): Buffer {
  return qrCodePng(virtualMfaUri(deviceName, accountName, seed));
}

/** The TOTP counter for a moment. */
export function timeStepAt(nowMs: number): number {
  return Math.floor(nowMs / 1000 / VIRTUAL_MFA_PERIOD_SECONDS);
}

/** The code a device shows during a given step. */
export function totpCodeForStep(seed: string, step: number): string {
  return otpauth().HOTP.generate({ secret: otpauth().Secret.fromBase32(seed), algorithm: VIRTUAL_MFA_ALGORITHM, digits: VIRTUAL_MFA_DIGITS, counter: step });
}

/** The code a device shows at a moment (what a test's "authenticator app" types). */
export function totpCodeAt(seed: string, nowMs: number): string {
  return totpCodeForStep(seed, timeStepAt(nowMs));
}

export type TotpCheck =
  | { ok: true; step: number }
  | { ok: false; reason: 'malformed' | 'mismatch' | 'replayed' };

export interface TotpCheckOptions {
  /** Steps accepted either side of the expected one (default 1: ±30 s). */
  window?: number;
  /** Known device drift in steps, from Enable/Resync (default 0). */
  driftSteps?: number;
  /** The last step accepted for this device; codes at or before it are replays. */
  lastAcceptedStep?: number | null;
}

/** Checks one code and says why it failed, for explainable denials. */
export function checkTotp(seed: string, code: string, nowMs: number, opts: TotpCheckOptions = {}): TotpCheck {
  if (!isWellFormedCode(code)) return { ok: false, reason: 'malformed' };
  const window = opts.window ?? 1;
  const center = timeStepAt(nowMs) + (opts.driftSteps ?? 0);
  const codes = codeSource(seed);
  // Newest first, so that with a replay guard the freshest matching step wins.
  let replayed = false;
  for (let step = center + window; step >= center - window; step--) {
    if (!codesEqual(codes(step), code)) continue;
    if (!isFreshStep(step, opts.lastAcceptedStep)) {
      replayed = true;
      continue;
    }
    return { ok: true, step };
  }
  return { ok: false, reason: replayed ? 'replayed' : 'mismatch' };
}

/** The step a code matches within ±window steps of now (+ drift), or null. No replay guard. */
export function verifyTotp(seed: string, code: string, nowMs: number, window = 1, driftSteps = 0): number | null {
  const result = checkTotp(seed, code, nowMs, { window, driftSteps });
  return result.ok ? result.step : null;
}

/** True when a matched step is newer than the last one accepted for the device. */
export function isFreshStep(step: number, lastAcceptedStep: number | null | undefined): boolean {
  return lastAcceptedStep === null || lastAcceptedStep === undefined || step > lastAcceptedStep;
}

export interface ConsecutiveMatch {
  firstStep: number;
  secondStep: number;
  /** secondStep minus the current step: how far the device's clock is off. */
  driftSteps: number;
}

/**
 * EnableMFADevice / ResyncMFADevice: code1 and code2 must be the codes of two consecutive
 * steps, the second within ±maxDriftSteps of now (default 10 steps, 5 minutes: codes
 * typed slowly, or a device whose clock has drifted). Two 6-digit codes matching by
 * chance across that window has odds of about 2e-11.
 */
export function verifyTwoConsecutive(seed: string, code1: string, code2: string, nowMs: number, maxDriftSteps = 10): ConsecutiveMatch | null {
  if (!isWellFormedCode(code1) || !isWellFormedCode(code2)) return null;
  const now = timeStepAt(nowMs);
  const codes = codeSource(seed);
  // Nearest to now first: the usual case is "code1 a step ago, code2 now".
  for (let d = 0; d <= maxDriftSteps; d++) {
    for (const second of d === 0 ? [now] : [now - d, now + d]) {
      if (codesEqual(codes(second), code2) && codesEqual(codes(second - 1), code1)) {
        return { firstStep: second - 1, secondStep: second, driftSteps: second - now };
      }
    }
  }
  return null;
}

function isWellFormedCode(code: string): boolean {
  return typeof code === 'string' && code.length === VIRTUAL_MFA_DIGITS && /^\d+$/.test(code);
}

/** Parses the seed once and memoizes codes per step for one verification. */
function codeSource(seed: string): (step: number) => string {
  const { HOTP, Secret } = otpauth();
  const secret = Secret.fromBase32(seed);
  const cache = new Map<number, string>();
  return (step) => {
    let code = cache.get(step);
    if (code === undefined) {
      code = HOTP.generate({ secret, algorithm: VIRTUAL_MFA_ALGORITHM, digits: VIRTUAL_MFA_DIGITS, counter: step });
      cache.set(step, code);
    }
    return code;
  };
}

function codesEqual(expected: string, given: string): boolean {
  return timingSafeEqual(Buffer.from(expected), Buffer.from(given));
}

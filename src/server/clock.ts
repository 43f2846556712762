import type { App } from './app.js';

/**
 * The server's clock: real time, plus an offset tests can move forward to see
 * temporary credentials expire without waiting (POST /_iamlocal/clock, only when the
 * server runs with IAMLOCAL_TEST_CLOCK=1). Everything time-based reads it: SigV4's
 * time checks, credential expiry, TOTP codes, condition keys, stored dates. Clients must
 * sign with the moved clock too (SDK v3: systemClockOffset; botocore: its clock).
 */
const offsets = new WeakMap<App, number>();

export function serverNow(app: App): number {
  return Date.now() + (offsets.get(app) ?? 0);
}

export function clockOffsetMs(app: App): number {
  return offsets.get(app) ?? 0;
}

/** Moves the clock forward (never back: issued credentials and MFA steps must stay ordered). */
export function advanceClock(app: App, ms: number): number {
  const next = clockOffsetMs(app) + Math.max(0, ms);
  offsets.set(app, next);
  return next;
}

export function testClockEnabled(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.IAMLOCAL_TEST_CLOCK === '1';
}

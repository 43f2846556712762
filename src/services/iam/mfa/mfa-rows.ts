import { checkTotp } from '../../../auth/totp.js';
import type { Store } from '../../../store/store.js';
import { noSuchEntity } from '../../../identity/errors.js';

/**
 * Virtual MFA devices as stored, and the one place a sign-in or STS code is checked
 * against a device (with the replay guard). A device belongs to the account; enabling it
 * assigns it to one IAM user (user_id) or to the root user (root_enabled).
 */
export interface MfaDeviceRow {
  account_id: string;
  serial_number: string;
  path: string;
  device_name: string;
  seed: string;
  created_at: number;
  user_id: string | null;
  root_enabled: number;
  enabled_at: number | null;
  last_step: number | null;
  drift_steps: number;
}

/** The tags table's resource_kind for MFA devices (keyed by serial number). */
export const MFA_KIND = 'mfa';

/** IAM's quota of MFA devices in use by one IAM user, and by the root user. */
export const MAX_MFA_DEVICES_IN_USE = 8;

/** A virtual device's serial number is its ARN: arn:aws:iam::ACCOUNT:mfa/PATH/NAME. */
export function mfaSerial(accountId: string, path: string, name: string): string {
  return `arn:aws:iam::${accountId}:mfa${path}${name}`;
}

export function findMfaDevice(store: Store, accountId: string, serial: string): MfaDeviceRow | undefined {
  return store.prepare<MfaDeviceRow>('SELECT * FROM mfa_devices WHERE account_id = ? AND serial_number = ?').get(accountId, serial);
}

export function requireMfaDevice(store: Store, accountId: string, serial: string): MfaDeviceRow {
  const row = findMfaDevice(store, accountId, serial);
  if (!row) throw noSuchMfaDevice(serial);
  return row;
}

export function noSuchMfaDevice(serial: string) {
  return noSuchEntity(`MFA Device with serial number ${serial} does not exist.`);
}

/** The devices enabled for an IAM user, in the order they were enabled. */
export function mfaDevicesOfUser(store: Store, accountId: string, userId: string): MfaDeviceRow[] {
  return store
    .prepare<MfaDeviceRow>('SELECT * FROM mfa_devices WHERE account_id = ? AND user_id = ? ORDER BY enabled_at, serial_number')
    .all(accountId, userId);
}

/** The devices enabled for the root user. */
export function mfaDevicesOfRoot(store: Store, accountId: string): MfaDeviceRow[] {
  return store
    .prepare<MfaDeviceRow>('SELECT * FROM mfa_devices WHERE account_id = ? AND root_enabled = 1 ORDER BY enabled_at, serial_number')
    .all(accountId);
}

export function isAssigned(row: MfaDeviceRow): boolean {
  return row.user_id !== null || row.root_enabled === 1;
}

/** Whose device: an IAM user (by unique id) or the root user of the account. */
export type MfaOwner = { accountId: string; userId: string } | { accountId: string; root: true };

function ownedBy(row: MfaDeviceRow, owner: MfaOwner): boolean {
  return 'root' in owner ? row.root_enabled === 1 : row.user_id === owner.userId;
}

export type MfaCodeCheck =
  | { ok: true; device: MfaDeviceRow; step: number }
  | { ok: false; reason: 'noDevice' | 'malformed' | 'mismatch' | 'replayed' };

/**
 * Checks a one-time code from the owner's enabled device `serial` at `now`, within one
 * step either side (plus the drift measured at enable/resync). Writes nothing: call
 * acceptMfaCode once the request succeeds, so a code is accepted once.
 */
export function checkMfaCode(store: Store, owner: MfaOwner, serial: string, code: string, now: number): MfaCodeCheck {
  const device = findMfaDevice(store, owner.accountId, serial);
  if (!device || !ownedBy(device, owner)) return { ok: false, reason: 'noDevice' };
  const check = checkTotp(device.seed, code, now, { window: 1, driftSteps: device.drift_steps, lastAcceptedStep: device.last_step });
  return check.ok ? { ok: true, device, step: check.step } : { ok: false, reason: check.reason };
}

/** Remembers the step of an accepted code: that code (and older ones) will not work again. */
export function acceptMfaCode(store: Store, device: MfaDeviceRow, step: number): void {
  store
    .prepare('UPDATE mfa_devices SET last_step = max(coalesce(last_step, ?), ?) WHERE account_id = ? AND serial_number = ?')
    .run(step, step, device.account_id, device.serial_number);
}

import { AwsError } from '../../../protocol/errors.js';
import { verifyTwoConsecutive } from '../../../auth/totp.js';
import type { Store } from '../../../store/store.js';
import { operation } from '../../operation.js';
import type { RequestContext } from '../../types.js';
import { targetOf, type Target } from '../users/caller.js';
import { userArnRule } from '../shared/user-arn-rule.js';
import { quotaExceeded } from '../../../identity/errors.js';
import {
  findMfaDevice,
  isAssigned,
  MAX_MFA_DEVICES_IN_USE,
  mfaDevicesOfRoot,
  mfaDevicesOfUser,
  noSuchMfaDevice,
  requireMfaDevice,
  type MfaDeviceRow,
} from './mfa-rows.js';
import { paginate, type PageRequest } from '../shared/paginate.js';
import { requireUser } from '../../../identity/users.js';

/**
 * MFA devices in use: enable a virtual device for a user with two consecutive codes,
 * resync, deactivate, list, get. These act on the user (the caller when UserName is
 * omitted). Codes are RFC 6238 TOTP with AWS's parameters (src/auth/totp.ts).
 */

function invalidAuthenticationCode(): AwsError {
  return new AwsError('InvalidAuthenticationCode', 'Authentication code for device is not valid.', 403);
}

/** The name IAM shows as a device's UserName: the user's, or the account id for the root user. */
function ownerName(target: Target): string {
  return target.kind === 'user' ? target.row.user_name : target.accountId;
}

interface CodesInput {
  UserName: string;
  SerialNumber: string;
  AuthenticationCode1: string;
  AuthenticationCode2: string;
}

/** Enables a device for an IAM user. Exported pieces let the root user (console) do the same. */
export const EnableMFADevice = operation({
  writes: true,
  authorize: userArnRule('iam:EnableMFADevice'),
  run: (ctx, input: CodesInput) => {
    const user = requireUser(ctx.store, ctx.accountId, input.UserName);
    const inUse = mfaDevicesOfUser(ctx.store, ctx.accountId, user.user_id);
    enableDevice(ctx.store, ctx.accountId, input, ctx.now, inUse.length, { userId: user.user_id });
    return {};
  },
});

/** EnableMFADevice for the root user: AWS allows it only from the console; iamlocal's console and tests use this. */
export function enableRootMfaDevice(store: Store, accountId: string, input: Omit<CodesInput, 'UserName'>, now: number): void {
  enableDevice(store, accountId, input, now, mfaDevicesOfRoot(store, accountId).length, { root: true });
}

function enableDevice(
  store: Store,
  accountId: string,
  input: Omit<CodesInput, 'UserName'>,
  now: number,
  inUse: number,
  owner: { userId: string } | { root: true },
): void {
  const device = requireMfaDevice(store, accountId, input.SerialNumber);
  if (isAssigned(device)) throw new AwsError('EntityAlreadyExists', 'MFA Device is already in use.', 409);
  if (inUse >= MAX_MFA_DEVICES_IN_USE) throw quotaExceeded('MFADevicesInUsePerUser', MAX_MFA_DEVICES_IN_USE);
  const match = verifyTwoConsecutive(device.seed, input.AuthenticationCode1, input.AuthenticationCode2, now);
  if (!match) throw invalidAuthenticationCode();
  store
    .prepare(
      `UPDATE mfa_devices SET user_id = ?, root_enabled = ?, enabled_at = ?, last_step = ?, drift_steps = ?
       WHERE account_id = ? AND serial_number = ?`,
    )
    .run('userId' in owner ? owner.userId : null, 'root' in owner ? 1 : 0, now, match.secondStep, match.driftSteps, accountId, device.serial_number);
}

/** The device `serial`, which must be enabled for `target`. */
function deviceOf(ctx: RequestContext, target: Target, serial: string): MfaDeviceRow {
  const device = findMfaDevice(ctx.store, ctx.accountId, serial);
  const mine = device && (target.kind === 'root' ? device.root_enabled === 1 : device.user_id === target.row.user_id);
  if (!device || !mine) throw noSuchMfaDevice(serial);
  return device;
}

export const ResyncMFADevice = operation({
  writes: true,
  authorize: userArnRule('iam:ResyncMFADevice'),
  run: (ctx, input: CodesInput) => {
    const target = targetOf(ctx, input.UserName);
    const device = deviceOf(ctx, target, input.SerialNumber);
    const match = verifyTwoConsecutive(device.seed, input.AuthenticationCode1, input.AuthenticationCode2, ctx.now);
    // Codes already accepted (sign-in, STS) cannot resync the device again.
    if (!match || (device.last_step !== null && match.firstStep <= device.last_step)) throw invalidAuthenticationCode();
    ctx.store
      .prepare('UPDATE mfa_devices SET last_step = ?, drift_steps = ? WHERE account_id = ? AND serial_number = ?')
      .run(match.secondStep, match.driftSteps, ctx.accountId, device.serial_number);
    return {};
  },
});

export const DeactivateMFADevice = operation({
  writes: true,
  authorize: userArnRule('iam:DeactivateMFADevice'),
  run: (ctx, input: { UserName?: string; SerialNumber: string }) => {
    const target = targetOf(ctx, input.UserName);
    const device = deviceOf(ctx, target, input.SerialNumber);
    ctx.store
      .prepare(
        `UPDATE mfa_devices SET user_id = NULL, root_enabled = 0, enabled_at = NULL, last_step = NULL, drift_steps = 0
         WHERE account_id = ? AND serial_number = ?`,
      )
      .run(ctx.accountId, device.serial_number);
    return {};
  },
});

export const ListMFADevices = operation({
  writes: false,
  authorize: userArnRule('iam:ListMFADevices'),
  run: (ctx, input: PageRequest & { UserName?: string }) => {
    const target = targetOf(ctx, input.UserName);
    const rows = target.kind === 'root' ? mfaDevicesOfRoot(ctx.store, ctx.accountId) : mfaDevicesOfUser(ctx.store, ctx.accountId, target.row.user_id);
    const { items, more } = paginate(rows, input);
    return {
      MFADevices: items.map((d) => ({ UserName: ownerName(target), SerialNumber: d.serial_number, EnableDate: new Date(d.enabled_at!) })),
      ...more,
    };
  },
});

export const GetMFADevice = operation({
  writes: false,
  authorize: userArnRule('iam:GetMFADevice'),
  run: (ctx, input: { SerialNumber: string; UserName?: string }) => {
    const target = targetOf(ctx, input.UserName);
    const device = deviceOf(ctx, target, input.SerialNumber);
    return { UserName: ownerName(target), SerialNumber: device.serial_number, EnableDate: new Date(device.enabled_at!) };
  },
});

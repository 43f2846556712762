import { AwsError } from '../../../protocol/errors.js';
import { newVirtualMfaSeed, verifyTwoConsecutive, virtualMfaQrPng } from '../../../auth/totp.js';
import { entityCount, type Store } from '../../../store/store.js';
import type { Handler, RequestContext } from '../../types.js';
import { findAccount, rootArn } from '../../../identity/accounts.js';
import { targetOf, type Target } from '../users/caller.js';
import { quotaExceeded } from '../../../identity/errors.js';
import {
  findMfaDevice,
  isAssigned,
  MAX_MFA_DEVICES_IN_USE,
  MFA_KIND,
  mfaDevicesOfRoot,
  mfaDevicesOfUser,
  mfaSerial,
  noSuchMfaDevice,
  requireMfaDevice,
  type MfaDeviceRow,
} from './mfa-rows.js';
import { paginate, type PageRequest } from '../shared/paginate.js';
import { checkNewTags, deleteAllTags, listTags, putTags, removeTags, type Tag } from '../../../identity/tags.js';
import { findUserById, requireUser, userShape } from '../../../identity/users.js';
import { quota } from '../../../identity/quotas.js';

/**
 * Virtual MFA devices: create (seed + QR code), enable for a user with two consecutive
 * codes, resync, deactivate, delete, list, and tags. Codes are RFC 6238 TOTP with AWS's
 * parameters (src/auth/totp.ts).
 */

function invalidAuthenticationCode(): AwsError {
  return new AwsError('InvalidAuthenticationCode', 'Authentication code for device is not valid.', 403);
}

/** The name IAM shows as a device's UserName: the user's, or the account id for the root user. */
function ownerName(target: Target): string {
  return target.kind === 'user' ? target.row.user_name : target.accountId;
}

const createVirtualMfaDevice: Handler = (ctx, input: { VirtualMFADeviceName: string; Path?: string; Tags?: Tag[] }) => {
  const { store, accountId } = ctx;
  const path = input.Path ?? '/';
  const serial = mfaSerial(accountId, path, input.VirtualMFADeviceName);
  if (findMfaDevice(store, accountId, serial)) {
    throw new AwsError('EntityAlreadyExists', 'MFADevice entity at the same path and name already exists.', 409);
  }
  if (input.Tags) checkNewTags(input.Tags);
  const count = entityCount(store, accountId, 'mfa_devices');
  if (count >= quota('UsersPerAccount')) throw quotaExceeded('VirtualMFADevicesPerAccount', quota('UsersPerAccount'));
  const seed = newVirtualMfaSeed();
  store
    .prepare('INSERT INTO mfa_devices (account_id, serial_number, path, device_name, seed, created_at) VALUES (?, ?, ?, ?, ?, ?)')
    .run(accountId, serial, path, input.VirtualMFADeviceName, seed, ctx.now);
  if (input.Tags?.length) putTags(store, accountId, MFA_KIND, serial, input.Tags);
  // The authenticator app labels the account with its alias; iamlocal has no aliases yet.
  const device: Record<string, unknown> = {
    SerialNumber: serial,
    Base32StringSeed: Buffer.from(seed, 'ascii'),
    QRCodePNG: virtualMfaQrPng(input.VirtualMFADeviceName, accountId, seed),
  };
  if (input.Tags?.length) device.Tags = listTags(store, accountId, MFA_KIND, serial);
  return { VirtualMFADevice: device };
};

interface CodesInput {
  UserName: string;
  SerialNumber: string;
  AuthenticationCode1: string;
  AuthenticationCode2: string;
}

/** Enables a device for an IAM user. Exported pieces let the root user (console) do the same. */
const enableMfaDevice: Handler = (ctx, input: CodesInput) => {
  const user = requireUser(ctx.store, ctx.accountId, input.UserName);
  const inUse = mfaDevicesOfUser(ctx.store, ctx.accountId, user.user_id);
  enableDevice(ctx.store, ctx.accountId, input, ctx.now, inUse.length, { userId: user.user_id });
  return {};
};

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

const resyncMfaDevice: Handler = (ctx, input: CodesInput) => {
  const target = targetOf(ctx, input.UserName);
  const device = deviceOf(ctx, target, input.SerialNumber);
  const match = verifyTwoConsecutive(device.seed, input.AuthenticationCode1, input.AuthenticationCode2, ctx.now);
  // Codes already accepted (sign-in, STS) cannot resync the device again.
  if (!match || (device.last_step !== null && match.firstStep <= device.last_step)) throw invalidAuthenticationCode();
  ctx.store
    .prepare('UPDATE mfa_devices SET last_step = ?, drift_steps = ? WHERE account_id = ? AND serial_number = ?')
    .run(match.secondStep, match.driftSteps, ctx.accountId, device.serial_number);
  return {};
};

const deactivateMfaDevice: Handler = (ctx, input: { UserName?: string; SerialNumber: string }) => {
  const target = targetOf(ctx, input.UserName);
  const device = deviceOf(ctx, target, input.SerialNumber);
  ctx.store
    .prepare(
      `UPDATE mfa_devices SET user_id = NULL, root_enabled = 0, enabled_at = NULL, last_step = NULL, drift_steps = 0
       WHERE account_id = ? AND serial_number = ?`,
    )
    .run(ctx.accountId, device.serial_number);
  return {};
};

const deleteVirtualMfaDevice: Handler = (ctx, input: { SerialNumber: string }) => {
  const device = requireMfaDevice(ctx.store, ctx.accountId, input.SerialNumber);
  if (isAssigned(device)) throw new AwsError('DeleteConflict', 'MFA VirtualDevice in use. Must deactivate first.', 409);
  deleteAllTags(ctx.store, ctx.accountId, MFA_KIND, device.serial_number);
  ctx.store.prepare('DELETE FROM mfa_devices WHERE account_id = ? AND serial_number = ?').run(ctx.accountId, device.serial_number);
  return {};
};

const listMfaDevices: Handler = (ctx, input: PageRequest & { UserName?: string }) => {
  const target = targetOf(ctx, input.UserName);
  const rows = target.kind === 'root' ? mfaDevicesOfRoot(ctx.store, ctx.accountId) : mfaDevicesOfUser(ctx.store, ctx.accountId, target.row.user_id);
  const { items, more } = paginate(rows, input);
  return {
    MFADevices: items.map((d) => ({ UserName: ownerName(target), SerialNumber: d.serial_number, EnableDate: new Date(d.enabled_at!) })),
    ...more,
  };
};

const ASSIGNMENT = { Assigned: (d: MfaDeviceRow) => isAssigned(d), Unassigned: (d: MfaDeviceRow) => !isAssigned(d), Any: () => true };

const listVirtualMfaDevices: Handler = (ctx, input: PageRequest & { AssignmentStatus?: keyof typeof ASSIGNMENT }) => {
  const keep = ASSIGNMENT[input.AssignmentStatus ?? 'Any'];
  const rows = ctx.store.prepare<MfaDeviceRow>('SELECT * FROM mfa_devices WHERE account_id = ?').all(ctx.accountId).filter(keep);
  const { items, more } = paginate(rows, input, (d) => d.serial_number.toLowerCase());
  return { VirtualMFADevices: items.map((d) => listedDevice(ctx, d)), ...more };
};

/** A device as ListVirtualMFADevices shows it: no seed, no tags; the user when assigned. */
function listedDevice(ctx: RequestContext, d: MfaDeviceRow): Record<string, unknown> {
  const out: Record<string, unknown> = { SerialNumber: d.serial_number };
  if (d.root_enabled === 1) {
    const created = findAccount(ctx.store, d.account_id)?.created_at ?? d.created_at;
    out.User = { Path: '/', UserName: d.account_id, UserId: d.account_id, Arn: rootArn(d.account_id), CreateDate: new Date(created) };
  } else if (d.user_id !== null) {
    const user = findUserById(ctx.store, d.account_id, d.user_id);
    if (user) out.User = userShape(ctx.store, user, { withTags: false });
  }
  if (d.enabled_at !== null) out.EnableDate = new Date(d.enabled_at);
  return out;
}

const getMfaDevice: Handler = (ctx, input: { SerialNumber: string; UserName?: string }) => {
  const target = targetOf(ctx, input.UserName);
  const device = deviceOf(ctx, target, input.SerialNumber);
  return { UserName: ownerName(target), SerialNumber: device.serial_number, EnableDate: new Date(device.enabled_at!) };
};

const tagMfaDevice: Handler = (ctx, input: { SerialNumber: string; Tags: Tag[] }) => {
  const device = requireMfaDevice(ctx.store, ctx.accountId, input.SerialNumber);
  putTags(ctx.store, ctx.accountId, MFA_KIND, device.serial_number, input.Tags);
  return {};
};

const untagMfaDevice: Handler = (ctx, input: { SerialNumber: string; TagKeys: string[] }) => {
  const device = requireMfaDevice(ctx.store, ctx.accountId, input.SerialNumber);
  removeTags(ctx.store, ctx.accountId, MFA_KIND, device.serial_number, input.TagKeys);
  return {};
};

const listMfaDeviceTags: Handler = (ctx, input: PageRequest & { SerialNumber: string }) => {
  const device = requireMfaDevice(ctx.store, ctx.accountId, input.SerialNumber);
  const { items, more } = paginate(listTags(ctx.store, ctx.accountId, MFA_KIND, device.serial_number), input);
  return { Tags: items, ...more };
};

export const mfaDeviceHandlers: Record<string, Handler> = {
  CreateVirtualMFADevice: createVirtualMfaDevice,
  EnableMFADevice: enableMfaDevice,
  ResyncMFADevice: resyncMfaDevice,
  DeactivateMFADevice: deactivateMfaDevice,
  DeleteVirtualMFADevice: deleteVirtualMfaDevice,
  ListMFADevices: listMfaDevices,
  ListVirtualMFADevices: listVirtualMfaDevices,
  GetMFADevice: getMfaDevice,
  TagMFADevice: tagMfaDevice,
  UntagMFADevice: untagMfaDevice,
  ListMFADeviceTags: listMfaDeviceTags,
};

import { AwsError } from '../../../protocol/errors.js';
import { newVirtualMfaSeed, virtualMfaQrPng } from '../../../auth/totp.js';
import { entityCount } from '../../../store/store.js';
import { operation } from '../../operation.js';
import type { RequestContext } from '../../types.js';
import { authzEntry } from '../shared/authz-entry.js';
import { findAccount, rootArn } from '../../../identity/accounts.js';
import { quotaExceeded } from '../../../identity/errors.js';
import { onMfaDevice } from './mfa-device-resource.js';
import { findMfaDevice, isAssigned, MFA_KIND, mfaSerial, requireMfaDevice, type MfaDeviceRow } from './mfa-rows.js';
import { paginate, type PageRequest } from '../shared/paginate.js';
import { checkNewTags, deleteAllTags, listTags, putTags, requestTagKeys, type Tag } from '../../../identity/tags.js';
import { findUserById, userShape } from '../../../identity/users.js';
import { quota } from '../../../identity/quotas.js';

/**
 * Virtual MFA devices of the account: create (seed + QR code), delete, list. Enabling one
 * for a user is in mfa-devices.ts. ListVirtualMFADevices acts on "*".
 */

interface CreateInput {
  VirtualMFADeviceName: string;
  Path?: string;
  Tags?: Tag[];
}

export const CreateVirtualMFADevice = operation({
  writes: true,
  authorize: (ctx, input: CreateInput) =>
    authzEntry('iam:CreateVirtualMFADevice', mfaSerial(ctx.accountId, input.Path ?? '/', input.VirtualMFADeviceName), requestTagKeys(input.Tags)),
  run: (ctx, input: CreateInput) => {
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
  },
});

export const DeleteVirtualMFADevice = operation({
  writes: true,
  authorize: (ctx, input: { SerialNumber: string }) => onMfaDevice(ctx, 'iam:DeleteVirtualMFADevice', input.SerialNumber),
  run: (ctx, input: { SerialNumber: string }) => {
    const device = requireMfaDevice(ctx.store, ctx.accountId, input.SerialNumber);
    if (isAssigned(device)) throw new AwsError('DeleteConflict', 'MFA VirtualDevice in use. Must deactivate first.', 409);
    deleteAllTags(ctx.store, ctx.accountId, MFA_KIND, device.serial_number);
    ctx.store.prepare('DELETE FROM mfa_devices WHERE account_id = ? AND serial_number = ?').run(ctx.accountId, device.serial_number);
    return {};
  },
});

const ASSIGNMENT = { Assigned: (d: MfaDeviceRow) => isAssigned(d), Unassigned: (d: MfaDeviceRow) => !isAssigned(d), Any: () => true };

export const ListVirtualMFADevices = operation({
  writes: false,
  authorize: () => ({ action: 'iam:ListVirtualMFADevices', resource: '*' }),
  run: (ctx, input: PageRequest & { AssignmentStatus?: keyof typeof ASSIGNMENT }) => {
    const keep = ASSIGNMENT[input.AssignmentStatus ?? 'Any'];
    const rows = ctx.store.prepare<MfaDeviceRow>('SELECT * FROM mfa_devices WHERE account_id = ?').all(ctx.accountId).filter(keep);
    const { items, more } = paginate(rows, input, (d) => d.serial_number.toLowerCase());
    return { VirtualMFADevices: items.map((d) => listedDevice(ctx, d)), ...more };
  },
});

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

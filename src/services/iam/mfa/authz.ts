import type { AuthzEntry, AuthzRule, RequestContext } from '../../types.js';
import { targetResource } from '../users/caller.js';
import { findMfaDevice, MFA_KIND, mfaSerial } from './mfa-rows.js';
import { requestTagKeys, resourceTagKeys, tagRecord, type Tag } from '../../../identity/tags.js';

/**
 * What the MFA operations ask the policy engine (Service Authorization Reference):
 * CreateVirtualMFADevice, DeleteVirtualMFADevice and the tag operations act on the
 * device (arn:aws:iam::A:mfa/PATH/NAME, its serial number); Enable/Resync/Deactivate,
 * ListMFADevices and GetMFADevice act on the user (the caller when UserName is omitted);
 * ListVirtualMFADevices on "*".
 */

const onUser =
  (action: string): AuthzRule =>
  (ctx, input: { UserName?: string }) => ({ action, resource: targetResource(ctx, input.UserName).arn });

/** An existing device's tags, as aws:ResourceTag/* and iam:ResourceTag/*. */
function onDevice(ctx: RequestContext, action: string, requested: string, extra: Record<string, string | string[]> = {}): AuthzEntry {
  const serial = findMfaDevice(ctx.store, ctx.accountId, requested)?.serial_number ?? requested;
  const context = { ...resourceTagKeys(tagRecord(ctx.store, ctx.accountId, MFA_KIND, serial)), ...extra };
  return Object.keys(context).length > 0 ? { action, resource: serial, context } : { action, resource: serial };
}

export const mfaAuthz: Record<string, AuthzRule> = {
  CreateVirtualMFADevice: (ctx, input: { VirtualMFADeviceName: string; Path?: string; Tags?: Tag[] }) => {
    const resource = mfaSerial(ctx.accountId, input.Path ?? '/', input.VirtualMFADeviceName);
    const context = requestTagKeys(input.Tags);
    return Object.keys(context).length > 0
      ? { action: 'iam:CreateVirtualMFADevice', resource, context }
      : { action: 'iam:CreateVirtualMFADevice', resource };
  },
  DeleteVirtualMFADevice: (ctx, input: { SerialNumber: string }) => onDevice(ctx, 'iam:DeleteVirtualMFADevice', input.SerialNumber),
  EnableMFADevice: onUser('iam:EnableMFADevice'),
  ResyncMFADevice: onUser('iam:ResyncMFADevice'),
  DeactivateMFADevice: onUser('iam:DeactivateMFADevice'),
  ListMFADevices: onUser('iam:ListMFADevices'),
  GetMFADevice: onUser('iam:GetMFADevice'),
  ListVirtualMFADevices: () => ({ action: 'iam:ListVirtualMFADevices', resource: '*' }),
  TagMFADevice: (ctx, input: { SerialNumber: string; Tags: Tag[] }) => onDevice(ctx, 'iam:TagMFADevice', input.SerialNumber, requestTagKeys(input.Tags)),
  UntagMFADevice: (ctx, input: { SerialNumber: string; TagKeys: string[] }) =>
    onDevice(ctx, 'iam:UntagMFADevice', input.SerialNumber, { 'aws:TagKeys': input.TagKeys }),
  ListMFADeviceTags: (ctx, input: { SerialNumber: string }) => onDevice(ctx, 'iam:ListMFADeviceTags', input.SerialNumber),
};

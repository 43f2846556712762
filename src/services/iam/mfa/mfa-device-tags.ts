import { operation } from '../../operation.js';
import { onMfaDevice } from './mfa-device-resource.js';
import { MFA_KIND, requireMfaDevice } from './mfa-rows.js';
import { paginate, type PageRequest } from '../shared/paginate.js';
import { listTags, putTags, removeTags, requestTagKeys, type Tag } from '../../../identity/tags.js';

export const TagMFADevice = operation({
  writes: true,
  authorize: (ctx, input: { SerialNumber: string; Tags: Tag[] }) => onMfaDevice(ctx, 'iam:TagMFADevice', input.SerialNumber, requestTagKeys(input.Tags)),
  run: (ctx, input: { SerialNumber: string; Tags: Tag[] }) => {
    const device = requireMfaDevice(ctx.store, ctx.accountId, input.SerialNumber);
    putTags(ctx.store, ctx.accountId, MFA_KIND, device.serial_number, input.Tags);
    return {};
  },
});

export const UntagMFADevice = operation({
  writes: true,
  authorize: (ctx, input: { SerialNumber: string; TagKeys: string[] }) => onMfaDevice(ctx, 'iam:UntagMFADevice', input.SerialNumber, { 'aws:TagKeys': input.TagKeys }),
  run: (ctx, input: { SerialNumber: string; TagKeys: string[] }) => {
    const device = requireMfaDevice(ctx.store, ctx.accountId, input.SerialNumber);
    removeTags(ctx.store, ctx.accountId, MFA_KIND, device.serial_number, input.TagKeys);
    return {};
  },
});

export const ListMFADeviceTags = operation({
  writes: false,
  authorize: (ctx, input: { SerialNumber: string }) => onMfaDevice(ctx, 'iam:ListMFADeviceTags', input.SerialNumber),
  run: (ctx, input: PageRequest & { SerialNumber: string }) => {
    const device = requireMfaDevice(ctx.store, ctx.accountId, input.SerialNumber);
    const { items, more } = paginate(listTags(ctx.store, ctx.accountId, MFA_KIND, device.serial_number), input);
    return { Tags: items, ...more };
  },
});

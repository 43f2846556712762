import { tagOperations } from '../shared/tag-operations.js';
import { onMfaDevice } from './mfa-device-resource.js';
import { MFA_KIND, requireMfaDevice } from './mfa-rows.js';

export const { TagMFADevice, UntagMFADevice, ListMFADeviceTags } = tagOperations({
  noun: 'MFADevice',
  nameMember: 'SerialNumber',
  kind: MFA_KIND,
  tagId: (ctx, serial) => requireMfaDevice(ctx.store, ctx.accountId, serial).serial_number,
  authorize: onMfaDevice,
});

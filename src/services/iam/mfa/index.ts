import * as mfaDevices from './mfa-devices.js';
import * as mfaDeviceTags from './mfa-device-tags.js';
import * as virtualMfaDevices from './virtual-mfa-devices.js';

/** The operations on MFA devices: virtual devices of the account, devices in use by a user, their tags. */
export const mfaModules = [virtualMfaDevices, mfaDevices, mfaDeviceTags];

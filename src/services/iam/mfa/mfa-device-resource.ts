import type { AuthzEntry, RequestContext } from '../../types.js';
import { authzEntry, type ConditionKeys } from '../shared/authz-entry.js';
import { findMfaDevice, MFA_KIND } from './mfa-rows.js';
import { resourceTagKeys, tagRecord } from '../../../identity/tags.js';

/**
 * What an operation on a virtual MFA device asks the policy engine (Service Authorization
 * Reference): the device, arn:aws:iam::A:mfa/PATH/NAME (its serial number), with an
 * existing device's tags as aws:ResourceTag/* and iam:ResourceTag/*.
 */
export function onMfaDevice(ctx: RequestContext, action: string, requested: string, extra: ConditionKeys = {}): AuthzEntry {
  const serial = findMfaDevice(ctx.store, ctx.accountId, requested)?.serial_number ?? requested;
  return authzEntry(action, serial, { ...resourceTagKeys(tagRecord(ctx.store, ctx.accountId, MFA_KIND, serial)), ...extra });
}

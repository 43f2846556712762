import type { AuthzRule } from '../../types.js';
import { targetResource } from '../users/caller.js';

/**
 * The rule of an operation on the user its UserName names (the caller when it names
 * none), checked against the user's ARN alone, without condition keys: login profiles
 * and MFA devices.
 */
export const userArnRule =
  (action: string): AuthzRule =>
  (ctx, input: { UserName?: string }) => ({ action, resource: targetResource(ctx, input.UserName).arn });

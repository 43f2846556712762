import type { AuthzRule } from '../../types.js';
import { onUser } from '../users/user-resource.js';

/**
 * What the user-credential operations ask the policy engine (Service Authorization
 * Reference): access keys, SSH keys, signing certificates and service-specific
 * credentials act on their owner, the user (the caller when UserName is omitted), with
 * its tags as aws:/iam:ResourceTag.
 */
export const credentialOwnerRule =
  (action: string): AuthzRule =>
  (ctx, input: { UserName?: string }) =>
    onUser(ctx, action, input.UserName);

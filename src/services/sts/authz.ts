import type { AuthzRule } from '../types.js';
import { assumeRoleAuthz } from './assume-role.js';
import { getFederationTokenAuthz } from './federation-token.js';

/** What each STS operation asks the policy engine. */
export const stsAuthz: Record<string, AuthzRule> = {
  // AWS answers GetCallerIdentity even when every action is denied.
  GetCallerIdentity: () => null,
  AssumeRole: assumeRoleAuthz,
  // "You cannot use policies to control authentication operations": GetSessionToken needs no permission.
  GetSessionToken: () => null,
  GetFederationToken: getFederationTokenAuthz,
  GetAccessKeyInfo: () => ({ action: 'sts:GetAccessKeyInfo', resource: '*' }),
  DecodeAuthorizationMessage: () => ({ action: 'sts:DecodeAuthorizationMessage', resource: '*' }),
};

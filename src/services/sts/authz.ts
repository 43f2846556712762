import type { AuthzRule } from '../types.js';

/** What each STS operation asks the policy engine. */
export const stsAuthz: Record<string, AuthzRule> = {
  // AWS answers GetCallerIdentity even when every action is denied.
  GetCallerIdentity: () => null,
};

import type { ServiceDefinition } from '../types.js';
import { accessKeyHandlers } from './access-keys.js';
import { iamAuthz } from './authz.js';
import { userPolicyHandlers } from './user-policies.js';
import { userTagHandlers } from './user-tags.js';
import { userHandlers } from './users.js';

/** IAM: handlers grouped by the entity they act on; authz.ts says what each one touches. */
export const iamService: ServiceDefinition = {
  name: 'iam',
  handlers: {
    ...userHandlers,
    ...userTagHandlers,
    ...accessKeyHandlers,
    ...userPolicyHandlers,
  },
  authz: iamAuthz,
};

export { ensureAccount, resetAccount, rootPrincipal } from './accounts.js';
export { resolveCredential, recordAccessKeyUse, type ResolvedCredential } from './credentials.js';
export { identityPoliciesFor, type IdentityPolicies } from './effective-policies.js';

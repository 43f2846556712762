import { defineService } from '../operation.js';
import { accessAdvisorModules } from './access-advisor/index.js';
import { accountModules } from './account/index.js';
import { credentialModules } from './credentials/index.js';
import { groupModules } from './groups/index.js';
import { loginModules } from './login/index.js';
import { mfaModules } from './mfa/index.js';
import { policyModules } from './policies/index.js';
import { providerModules } from './providers/index.js';
import { roleModules } from './roles/index.js';
import { simulateModules } from './simulate/index.js';
import { userModules } from './users/index.js';

/**
 * IAM, one folder per entity; each folder's index.ts lists its operation modules, and
 * every `export const X = operation({...})` in them is the IAM operation X.
 *
 * Adding an entity:
 *   - a migration appended in src/store/migrations.ts (account_id first in every key, the
 *     AWS unique id as the entity key, names COLLATE NOCASE, times as epoch ms);
 *   - a folder with its operations (rule + handler + writes, side by side), a
 *     `<entity>-resource.ts` for the ARN and condition keys its rules share, and an
 *     index.ts listed below;
 *   - ids, errors, tags and policy texts from src/identity; lists through
 *     shared/paginate.ts; Tag/Untag/List…Tags from shared/tag-operations.ts;
 *   - if it blocks DeleteUser, a user_id column is enough: list it in users/user-dependents.ts;
 *   - if it grants permissions, add its source in src/identity/effective-policies.ts.
 */
export const iamService = defineService('iam', [
  ...userModules,
  ...credentialModules,
  ...loginModules,
  ...mfaModules,
  ...groupModules,
  ...roleModules,
  ...policyModules,
  ...accountModules,
  ...simulateModules,
  ...providerModules,
  ...accessAdvisorModules,
]);

export { ensureAccount, resetAccount, rootPrincipal } from '../../identity/accounts.js';
export { resolveCredential, recordAccessKeyUse, type ResolvedCredential } from '../../identity/credentials.js';
export { identityPoliciesFor, type IdentityPolicies } from '../../identity/effective-policies.js';
export { findRoleByArn, findRoleByName, recordRoleUse, type RoleRecord } from '../../identity/roles.js';

import { defineService } from '../operation.js';
import { legacyOperations } from '../legacy.js';
import { accessKeyHandlers } from './credentials/access-keys.js';
import { accountPasswordPolicyHandlers } from './login/account-password-policy.js';
import { iamAuthz } from './users/authz.js';
import { groupAuthz } from './groups/authz.js';
import { roleAuthz } from './roles/authz.js';
import { policyModules } from './policies/index.js';
import { accountModules } from './account/index.js';
import { simulateModules } from './simulate/index.js';
import { accessAdvisorModules } from './access-advisor/index.js';
import { groupMemberHandlers } from './groups/group-members.js';
import { groupPolicyHandlers } from './groups/group-policies.js';
import { groupHandlers } from './groups/groups.js';
import { instanceProfileHandlers } from './roles/instance-profiles.js';
import { rolePolicyHandlers } from './roles/role-policies.js';
import * as roleTags from './roles/role-tags.js';
import * as instanceProfileTags from './roles/instance-profile-tags.js';
import { roleHandlers } from './roles/roles.js';
import { serviceLinkedRoleHandlers } from './roles/service-linked-roles.js';
import { loginAuthz } from './login/authz.js';
import { mfaAuthz } from './mfa/authz.js';
import { loginProfileHandlers } from './login/login-profiles.js';
import { mfaDeviceHandlers } from './mfa/mfa-devices.js';
import { passwordHandlers } from './login/change-password.js';
import { userPolicyHandlers } from './users/user-policies.js';
import * as userTags from './users/user-tags.js';
import { userHandlers } from './users/users.js';
import { credentialAuthz } from './credentials/authz.js';
import { serverCertificateHandlers } from './credentials/server-certificates.js';
import { serviceCredentialHandlers } from './credentials/service-credentials.js';
import { signingCertificateHandlers } from './credentials/signing-certificates.js';
import { sshPublicKeyHandlers } from './credentials/ssh-public-keys.js';
import { providerAuthz } from './providers/authz.js';
import { oidcProviderHandlers } from './providers/oidc-providers.js';
import { samlProviderHandlers } from './providers/saml-providers.js';
import { stsPreferenceHandlers } from './providers/sts-preferences.js';

/**
 * IAM: handlers grouped by the entity they act on; authz.ts says what each one touches.
 *
 * Adding an entity (groups, roles, managed policies, login profiles, MFA…):
 *   - append a migration in src/store/migrations.ts (account_id first in every key, the
 *     AWS unique id as the entity key, names COLLATE NOCASE, times as epoch ms);
 *   - one file of handlers (`<entity>.ts`) exporting a Record<operation, Handler>, spread
 *     in below, and its rules in authz.ts (resource ARN + condition keys);
 *   - ids from ids.ts, errors from errors.ts, tags through tags.ts (resource_kind = the
 *     entity), lists through paginate.ts, policy texts out through policy-documents.ts;
 *   - if it blocks DeleteUser, a user_id column is enough: list it in user-dependents.ts;
 *   - if it grants permissions, add its source in effective-policies.ts.
 */
export const iamService = defineService('iam', [
  userTags,
  roleTags,
  instanceProfileTags,
  ...policyModules,
  ...accountModules,
  ...simulateModules,
  ...accessAdvisorModules,
  legacyOperations(
  {
    ...userHandlers,
    ...accessKeyHandlers,
    ...userPolicyHandlers,
    ...mfaDeviceHandlers,
    ...loginProfileHandlers,
    ...passwordHandlers,
    ...accountPasswordPolicyHandlers,
    ...groupHandlers,
    ...groupMemberHandlers,
    ...groupPolicyHandlers,
    ...roleHandlers,
    ...rolePolicyHandlers,
    ...serviceLinkedRoleHandlers,
    ...instanceProfileHandlers,
    ...sshPublicKeyHandlers,
    ...signingCertificateHandlers,
    ...serviceCredentialHandlers,
    ...serverCertificateHandlers,
    ...oidcProviderHandlers,
    ...samlProviderHandlers,
    ...stsPreferenceHandlers,
  },
  { ...iamAuthz, ...mfaAuthz, ...loginAuthz, ...groupAuthz, ...roleAuthz, ...credentialAuthz, ...providerAuthz }),
]);

export { ensureAccount, resetAccount, rootPrincipal } from '../../identity/accounts.js';
export { resolveCredential, recordAccessKeyUse, type ResolvedCredential } from '../../identity/credentials.js';
export { identityPoliciesFor, type IdentityPolicies } from '../../identity/effective-policies.js';
export { findRoleByArn, findRoleByName, recordRoleUse, type RoleRecord } from '../../identity/roles.js';

import { defineService } from '../operation.js';
import { legacyOperations } from '../legacy.js';
import { accessKeyHandlers } from './credentials/access-keys.js';
import { accountPasswordPolicyHandlers } from './login/account-password-policy.js';
import { accountAliasHandlers } from './account/account-alias.js';
import { accountSummaryHandlers } from './account/account-summary.js';
import { authorizationDetailsHandlers } from './account/authorization-details.js';
import { accountAuthz } from './account/authz.js';
import { contextKeyHandlers } from './simulate/context-keys.js';
import { credentialReportHandlers } from './account/credential-report-ops.js';
import { simulationHandlers } from './simulate/simulate.js';
import { policyAuthz } from './policies/authz.js';
import { boundaryHandlers } from './policies/boundaries.js';
import { managedPolicyHandlers } from './policies/managed-policies.js';
import { policyAttachmentHandlers } from './policies/policy-attachments.js';
import { policyTagHandlers } from './policies/policy-tags.js';
import { policyVersionHandlers } from './policies/policy-versions.js';
import { loginAuthz } from './login/authz.js';
import { mfaAuthz } from './mfa/authz.js';
import { loginProfileHandlers } from './login/login-profiles.js';
import { mfaDeviceHandlers } from './mfa/mfa-devices.js';
import { passwordHandlers } from './login/change-password.js';
import { credentialAuthz } from './credentials/authz.js';
import { serverCertificateHandlers } from './credentials/server-certificates.js';
import { serviceCredentialHandlers } from './credentials/service-credentials.js';
import { signingCertificateHandlers } from './credentials/signing-certificates.js';
import { sshPublicKeyHandlers } from './credentials/ssh-public-keys.js';
import { providerAuthz } from './providers/authz.js';
import { oidcProviderHandlers } from './providers/oidc-providers.js';
import { samlProviderHandlers } from './providers/saml-providers.js';
import { stsPreferenceHandlers } from './providers/sts-preferences.js';
import { accessAdvisorAuthz } from './access-advisor/authz.js';
import { accessAdvisorHandlers } from './access-advisor/access-advisor.js';
import { accessKeyAuthz } from './credentials/access-key-rules.js';
import { groupModules } from './groups/index.js';
import { roleModules } from './roles/index.js';
import { userModules } from './users/index.js';

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
  ...userModules,
  ...groupModules,
  ...roleModules,
  legacyOperations(
  {
    ...accessKeyHandlers,
    ...mfaDeviceHandlers,
    ...loginProfileHandlers,
    ...passwordHandlers,
    ...accountPasswordPolicyHandlers,
    ...accountAliasHandlers,
    ...accountSummaryHandlers,
    ...authorizationDetailsHandlers,
    ...credentialReportHandlers,
    ...simulationHandlers,
    ...contextKeyHandlers,
    ...managedPolicyHandlers,
    ...policyVersionHandlers,
    ...policyTagHandlers,
    ...policyAttachmentHandlers,
    ...boundaryHandlers,
    ...sshPublicKeyHandlers,
    ...signingCertificateHandlers,
    ...serviceCredentialHandlers,
    ...serverCertificateHandlers,
    ...oidcProviderHandlers,
    ...samlProviderHandlers,
    ...stsPreferenceHandlers,
    ...accessAdvisorHandlers,
  },
  { ...accessKeyAuthz, ...mfaAuthz, ...loginAuthz, ...policyAuthz, ...accountAuthz, ...credentialAuthz, ...providerAuthz, ...accessAdvisorAuthz }),
]);

export { ensureAccount, resetAccount, rootPrincipal } from '../../identity/accounts.js';
export { resolveCredential, recordAccessKeyUse, type ResolvedCredential } from '../../identity/credentials.js';
export { identityPoliciesFor, type IdentityPolicies } from '../../identity/effective-policies.js';
export { findRoleByArn, findRoleByName, recordRoleUse, type RoleRecord } from '../../identity/roles.js';

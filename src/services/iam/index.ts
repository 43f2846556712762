import type { ServiceDefinition } from '../types.js';
import { accessKeyHandlers } from './access-keys.js';
import { accountPasswordPolicyHandlers } from './account-password-policy.js';
import { accountAliasHandlers } from './account-alias.js';
import { accountSummaryHandlers } from './account-summary.js';
import { authorizationDetailsHandlers } from './authorization-details.js';
import { accountAuthz } from './authz-account.js';
import { contextKeyHandlers } from './context-keys.js';
import { credentialReportHandlers } from './credential-report-ops.js';
import { simulationHandlers } from './simulate.js';
import { iamAuthz } from './authz.js';
import { groupAuthz } from './authz-groups.js';
import { roleAuthz } from './authz-roles.js';
import { policyAuthz } from './authz-policies.js';
import { boundaryHandlers } from './boundaries.js';
import { managedPolicyHandlers } from './managed-policies.js';
import { policyAttachmentHandlers } from './policy-attachments.js';
import { policyTagHandlers } from './policy-tags.js';
import { policyVersionHandlers } from './policy-versions.js';
import { groupMemberHandlers } from './group-members.js';
import { groupPolicyHandlers } from './group-policies.js';
import { groupHandlers } from './groups.js';
import { instanceProfileHandlers } from './instance-profiles.js';
import { rolePolicyHandlers } from './role-policies.js';
import { roleTagHandlers } from './role-tags.js';
import { roleHandlers } from './roles.js';
import { serviceLinkedRoleHandlers } from './service-linked-roles.js';
import { loginAuthz } from './authz-login.js';
import { mfaAuthz } from './authz-mfa.js';
import { loginProfileHandlers } from './login-profiles.js';
import { mfaDeviceHandlers } from './mfa-devices.js';
import { passwordHandlers } from './passwords-ops.js';
import { userPolicyHandlers } from './user-policies.js';
import { userTagHandlers } from './user-tags.js';
import { userHandlers } from './users.js';
import { credentialAuthz } from './authz-credentials.js';
import { serverCertificateHandlers } from './server-certificates.js';
import { serviceCredentialHandlers } from './service-credentials.js';
import { signingCertificateHandlers } from './signing-certificates.js';
import { sshPublicKeyHandlers } from './ssh-public-keys.js';
import { providerAuthz } from './authz-providers.js';
import { oidcProviderHandlers } from './oidc-providers.js';
import { samlProviderHandlers } from './saml-providers.js';
import { stsPreferenceHandlers } from './sts-preferences.js';
import { accessAdvisorAuthz } from './authz-access-advisor.js';
import { accessAdvisorHandlers } from './access-advisor.js';

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
export const iamService: ServiceDefinition = {
  name: 'iam',
  handlers: {
    ...userHandlers,
    ...userTagHandlers,
    ...accessKeyHandlers,
    ...userPolicyHandlers,
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
    ...groupHandlers,
    ...groupMemberHandlers,
    ...groupPolicyHandlers,
    ...roleHandlers,
    ...roleTagHandlers,
    ...rolePolicyHandlers,
    ...serviceLinkedRoleHandlers,
    ...instanceProfileHandlers,
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
  authz: { ...iamAuthz, ...mfaAuthz, ...loginAuthz, ...groupAuthz, ...roleAuthz, ...policyAuthz, ...accountAuthz, ...credentialAuthz, ...providerAuthz, ...accessAdvisorAuthz },
};

export { ensureAccount, resetAccount, rootPrincipal } from './accounts.js';
export { resolveCredential, recordAccessKeyUse, type ResolvedCredential } from './credentials.js';
export { identityPoliciesFor, type IdentityPolicies } from './effective-policies.js';
export { findRoleByArn, findRoleByName, recordRoleUse, type RoleRecord } from './role-rows.js';

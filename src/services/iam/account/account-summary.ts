import { POLICY_LIMITS } from '../../../policy/index.js';
import type { Store } from '../../../store/store.js';
import { operation } from '../../operation.js';
import { quota } from '../../../identity/quotas.js';
import { accountWide } from '../shared/account-wide.js';
import { globalEndpointTokenVersion } from '../providers/sts-preferences.js';

/**
 * GetAccountSummary: the account's entity counts and IAM's quotas, under the SummaryMap
 * keys AWS uses. Counts are read live; quotas are the ones this server enforces (so an
 * IAMLOCAL_QUOTAS override shows here too). Entities iamlocal does not have (server and
 * signing certificates) count zero, with AWS's quotas.
 */

/** Quotas AWS states that iamlocal has no entity for, or that are fixed. */
const FIXED_QUOTAS = {
  ServerCertificatesQuota: 20,
  SigningCertificatesPerUserQuota: 2,
  PolicyVersionsInUseQuota: 10000,
} as const;

function count(store: Store, sql: string, accountId: string): number {
  return store.prepare<{ n: number }>(sql).get(accountId)?.n ?? 0;
}

export function accountSummary(store: Store, accountId: string): Record<string, number> {
  const n = (sql: string) => count(store, sql, accountId);
  const flag = (sql: string) => (n(sql) > 0 ? 1 : 0);
  return {
    Users: n('SELECT count(*) AS n FROM users WHERE account_id = ?'),
    UsersQuota: quota('UsersPerAccount'),
    Groups: n('SELECT count(*) AS n FROM groups WHERE account_id = ?'),
    GroupsQuota: quota('GroupsPerAccount'),
    Roles: n('SELECT count(*) AS n FROM roles WHERE account_id = ?'),
    RolesQuota: quota('RolesPerAccount'),
    InstanceProfiles: n('SELECT count(*) AS n FROM instance_profiles WHERE account_id = ?'),
    InstanceProfilesQuota: quota('InstanceProfilesPerAccount'),
    Policies: n('SELECT count(*) AS n FROM managed_policies WHERE account_id = ?'),
    PoliciesQuota: quota('PoliciesPerAccount'),
    // Every attachment of a managed policy (AWS's or the account's) puts one version in use.
    PolicyVersionsInUse:
      n('SELECT count(*) AS n FROM user_policy_attachments WHERE account_id = ?') +
      n('SELECT count(*) AS n FROM group_policy_attachments WHERE account_id = ?') +
      n('SELECT count(*) AS n FROM role_policy_attachments WHERE account_id = ?'),
    PolicyVersionsInUseQuota: FIXED_QUOTAS.PolicyVersionsInUseQuota,
    VersionsPerPolicyQuota: quota('VersionsPerPolicy'),
    PolicySizeQuota: POLICY_LIMITS.managed.max,
    UserPolicySizeQuota: POLICY_LIMITS.userInline.max,
    GroupPolicySizeQuota: POLICY_LIMITS.groupInline.max,
    RolePolicySizeQuota: POLICY_LIMITS.roleInline.max,
    AssumeRolePolicySizeQuota: POLICY_LIMITS.trust.max,
    GroupsPerUserQuota: quota('GroupsPerUser'),
    AttachedPoliciesPerUserQuota: quota('AttachedPoliciesPerUser'),
    AttachedPoliciesPerGroupQuota: quota('AttachedPoliciesPerGroup'),
    AttachedPoliciesPerRoleQuota: quota('AttachedPoliciesPerRole'),
    AccessKeysPerUserQuota: quota('AccessKeysPerUser'),
    SigningCertificatesPerUserQuota: FIXED_QUOTAS.SigningCertificatesPerUserQuota,
    MFADevices: n('SELECT count(*) AS n FROM mfa_devices WHERE account_id = ?'),
    MFADevicesInUse: n('SELECT count(*) AS n FROM mfa_devices WHERE account_id = ? AND (user_id IS NOT NULL OR root_enabled = 1)'),
    AccountMFAEnabled: flag('SELECT count(*) AS n FROM mfa_devices WHERE account_id = ? AND root_enabled = 1'),
    AccountAccessKeysPresent: flag("SELECT count(*) AS n FROM access_keys WHERE account_id = ? AND owner_kind = 'root'"),
    // The root user of an iamlocal account signs with keys only: it has no console password.
    AccountPasswordPresent: 0,
    AccountSigningCertificatesPresent: flag('SELECT count(*) AS n FROM signing_certificates WHERE account_id = ? AND user_id IS NULL'),
    ServerCertificates: n('SELECT count(*) AS n FROM server_certificates WHERE account_id = ?'),
    ServerCertificatesQuota: FIXED_QUOTAS.ServerCertificatesQuota,
    Providers: n('SELECT count(*) AS n FROM oidc_providers WHERE account_id = ?') + n('SELECT count(*) AS n FROM saml_providers WHERE account_id = ?'),
    GlobalEndpointTokenVersion: globalEndpointTokenVersion(store, accountId) === 'v2Token' ? 2 : 1,
  };
}

export const GetAccountSummary = operation({
  writes: false,
  authorize: accountWide('iam:GetAccountSummary'),
  run: (ctx) => ({ SummaryMap: accountSummary(ctx.store, ctx.accountId) }),
});

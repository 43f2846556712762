import { quotaExceeded } from './errors.js';

/**
 * IAM's default quotas (reference_iam-quotas.md), by the names IAM uses in its
 * LimitExceeded messages. Like AWS's Service Quotas, the adjustable ones can be raised:
 * IAMLOCAL_QUOTAS="UsersPerAccount=20000,RolesPerAccount=5000" (read once at start).
 */
export const DEFAULT_QUOTAS = {
  UsersPerAccount: 5000,
  GroupsPerAccount: 300,
  RolesPerAccount: 1000,
  PoliciesPerAccount: 1500,
  InstanceProfilesPerAccount: 1000,
  GroupsPerUser: 10,
  AccessKeysPerUser: 2,
  AttachedPoliciesPerUser: 10,
  AttachedPoliciesPerGroup: 10,
  AttachedPoliciesPerRole: 10,
  VersionsPerPolicy: 5,
} as const;

export type QuotaName = keyof typeof DEFAULT_QUOTAS;

let effective: Record<QuotaName, number> | undefined;

/** The quota in force: the default, or its IAMLOCAL_QUOTAS override. */
export function quota(name: QuotaName): number {
  effective ??= withOverrides(process.env.IAMLOCAL_QUOTAS ?? '');
  return effective[name];
}

/** Throws IAM's LimitExceeded when `current` already uses the whole quota. */
export function checkQuota(name: QuotaName, current: number): void {
  const limit = quota(name);
  if (current >= limit) throw quotaExceeded(name, limit);
}

function withOverrides(spec: string): Record<QuotaName, number> {
  const out: Record<QuotaName, number> = { ...DEFAULT_QUOTAS };
  for (const item of spec.split(',').filter(Boolean)) {
    const [name, value] = item.split('=').map((s) => s.trim());
    if (!(name in DEFAULT_QUOTAS) || !/^\d+$/.test(value ?? '')) {
      throw new Error(`IAMLOCAL_QUOTAS: '${item}' is not NAME=NUMBER with NAME one of ${Object.keys(DEFAULT_QUOTAS).join(', ')}`);
    }
    out[name as QuotaName] = Number(value);
  }
  return out;
}

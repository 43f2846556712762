/**
 * IAM's size quotas for policy documents (reference_iam-quotas.md), white space not
 * counted (policySize). Inline limits are per entity: the sum of all its inline
 * policies, so the caller adds the sizes up before comparing.
 */
export type PolicyLimitTarget = 'managed' | 'userInline' | 'groupInline' | 'roleInline' | 'trust';

export const POLICY_LIMITS: Readonly<Record<PolicyLimitTarget, { max: number; message: (entity: string) => string }>> = {
  managed: { max: 6144, message: () => 'Cannot exceed quota for PolicySize: 6144' },
  userInline: { max: 2048, message: (name) => `Maximum policy size of 2048 bytes exceeded for user ${name}` },
  groupInline: { max: 5120, message: (name) => `Maximum policy size of 5120 bytes exceeded for group ${name}` },
  roleInline: { max: 10240, message: (name) => `Maximum policy size of 10240 bytes exceeded for role ${name}` },
  trust: { max: 2048, message: () => 'Cannot exceed quota for ACLSizePerRole: 2048' },
};

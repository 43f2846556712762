import type { Store } from '../store/store.js';
import { noSuchNamed } from './errors.js';
import { findGroup, groupArn } from './groups.js';
import type { QuotaName } from './quotas.js';
import { findRole, isAwsProtectedRole, protectedRole, roleArn } from './roles.js';
import { findUser, userArn } from './users.js';

/**
 * The identities managed policies attach to — users, groups, roles — looked up by name,
 * with the few facts attaching needs.
 */
export type IdentityKind = 'user' | 'group' | 'role';

export interface AttachmentTarget {
  kind: IdentityKind;
  accountId: string;
  /** The unique id: AIDA…, AGPA…, AROA… */
  id: string;
  name: string;
  path: string;
  arn: string;
  /** Users and roles: the permissions boundary's ARN, if set. */
  boundaryArn: string | null;
  /** Roles: set for a service-linked or Identity Center role (only its service may change it). */
  awsProtected: boolean;
}

/** Where each kind keeps its managed-policy attachments. */
export const ATTACHMENTS: Record<IdentityKind, { table: string; idColumn: string }> = {
  user: { table: 'user_policy_attachments', idColumn: 'user_id' },
  group: { table: 'group_policy_attachments', idColumn: 'group_id' },
  role: { table: 'role_policy_attachments', idColumn: 'role_id' },
};

/**
 * Managed policies per identity: the quota as configured (quotas.ts) and the name IAM
 * gives it in LimitExceeded ("Cannot exceed quota for PoliciesPerRole: 10").
 */
export const ATTACHMENT_QUOTA: Record<IdentityKind, { quota: QuotaName; message: string }> = {
  user: { quota: 'AttachedPoliciesPerUser', message: 'PoliciesPerUser' },
  group: { quota: 'AttachedPoliciesPerGroup', message: 'PoliciesPerGroup' },
  role: { quota: 'AttachedPoliciesPerRole', message: 'PoliciesPerRole' },
};

export function findTarget(store: Store, accountId: string, kind: IdentityKind, name: string): AttachmentTarget | undefined {
  const base = { kind, accountId };
  if (kind === 'user') {
    const u = findUser(store, accountId, name);
    return u && { ...base, id: u.user_id, name: u.user_name, path: u.path, arn: userArn(accountId, u.path, u.user_name), boundaryArn: u.permissions_boundary_arn, awsProtected: false };
  }
  if (kind === 'group') {
    const g = findGroup(store, accountId, name);
    return g && { ...base, id: g.group_id, name: g.group_name, path: g.path, arn: groupArn(accountId, g.path, g.group_name), boundaryArn: null, awsProtected: false };
  }
  const r = findRole(store, accountId, name);
  return r && { ...base, id: r.role_id, name: r.role_name, path: r.path, arn: roleArn(accountId, r.path, r.role_name), boundaryArn: r.permissions_boundary_arn, awsProtected: isAwsProtectedRole(store, r) };
}

/** The identity, or IAM's "The group with name X cannot be found." */
export function requireTarget(store: Store, accountId: string, kind: IdentityKind, name: string): AttachmentTarget {
  const t = findTarget(store, accountId, kind, name);
  if (!t) throw noSuchNamed(kind, name);
  return t;
}

/** Throws UnmodifiableEntity for a role only AWS changes. */
export function assertModifiable(t: AttachmentTarget): void {
  if (t.awsProtected) throw protectedRole(t.name);
}

// ---------------------------------------------------------------------------------------
// Attachments

/** ARNs of the managed policies attached to an identity, in the order they were attached. */
export function attachedArns(store: Store, t: AttachmentTarget): string[] {
  const { table, idColumn } = ATTACHMENTS[t.kind];
  return store
    .prepare<{ policy_arn: string }>(`SELECT policy_arn FROM ${table} WHERE account_id = ? AND ${idColumn} = ? ORDER BY attached_at, policy_arn`)
    .all(t.accountId, t.id)
    .map((r) => r.policy_arn);
}

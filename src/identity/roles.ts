import { AwsError } from '../protocol/errors.js';
import type { Store } from '../store/store.js';
import { dueForWrite } from '../store/throttle.js';
import { noSuchNamed } from './errors.js';
import { encodePolicyDocument } from './policy-documents.js';
import { listTags, tagRecord } from './tags.js';

/** One row of the roles table. */
export interface RoleRow {
  account_id: string;
  role_id: string;
  role_name: string;
  path: string;
  created_at: number;
  /** The trust policy, exactly as the caller sent it. */
  assume_role_policy_document: string;
  description: string | null;
  /** Seconds, 3600–43200. */
  max_session_duration: number;
  permissions_boundary_arn: string | null;
  /** The owning service (AWSServiceName) of a service-linked role; null for others. */
  service_name: string | null;
  last_used_at: number | null;
  last_used_region: string | null;
}

/** A role with what callers outside IAM (STS AssumeRole, the pipeline) need at hand. */
export interface RoleRecord extends RoleRow {
  arn: string;
  /** The role's tags as a map (aws:PrincipalTag/* of its sessions, aws:ResourceTag/*). */
  tags: Record<string, string>;
}

/** The tags table's resource_kind for roles. */
export const ROLE_KIND = 'role';

export const DEFAULT_MAX_SESSION_DURATION = 3600;

export function roleArn(accountId: string, path: string, roleName: string): string {
  return `arn:aws:iam::${accountId}:role${path}${roleName}`;
}

/** Looks a role up by name, case-insensitively as IAM does. */
/**
 * The role named roleName. Remembered within read snapshots until the next write; its
 * last-use columns (written outside transactions, once a minute) may then lag, as
 * RoleLastUsed does on AWS.
 */
export function findRole(store: Store, accountId: string, roleName: string): RoleRow | undefined {
  return store.remembered(`role:${accountId}:${roleName.toLowerCase()}`, () =>
    store.prepare<RoleRow>('SELECT * FROM roles WHERE account_id = ? AND role_name = ?').get(accountId, roleName),
  );
}

export function findRoleById(store: Store, accountId: string, roleId: string): RoleRow | undefined {
  return store.prepare<RoleRow>('SELECT * FROM roles WHERE account_id = ? AND role_id = ?').get(accountId, roleId);
}

/** The role, or IAM's NoSuchEntity naming it as the caller spelled it. */
export function requireRole(store: Store, accountId: string, roleName: string): RoleRow {
  const row = findRole(store, accountId, roleName);
  if (!row) throw noSuchNamed('role', roleName);
  return row;
}

function toRecord(store: Store, row: RoleRow): RoleRecord {
  return { ...row, arn: roleArn(row.account_id, row.path, row.role_name), tags: tagRecord(store, row.account_id, ROLE_KIND, row.role_id) };
}

/** A role of this account by name (any case), with its ARN and tags. */
export function findRoleByName(store: Store, accountId: string, roleName: string): RoleRecord | undefined {
  const row = findRole(store, accountId, roleName);
  return row && toRecord(store, row);
}

const ROLE_ARN = /^arn:aws:iam::(\d{12}):role(\/(?:[^/]+\/)*)([^/]+)$/;

/**
 * The role an ARN names, in whichever account holds it (cross-account AssumeRole).
 * The path must be the role's own; the name compares case-insensitively, as IAM's do.
 */
export function findRoleByArn(store: Store, arn: string): RoleRecord | undefined {
  const m = ROLE_ARN.exec(arn);
  if (!m) return undefined;
  const row = findRole(store, m[1], m[3]);
  if (!row || row.path !== m[2]) return undefined;
  return toRecord(store, row);
}

export function isServiceLinked(row: RoleRow): boolean {
  return row.service_name !== null;
}

/** IAM's refusal to let anyone but the owning service change a service-linked role. */
export function protectedRole(roleName: string): AwsError {
  return new AwsError('UnmodifiableEntity', `Cannot perform the operation on the protected role '${roleName}' - this role is only modifiable by AWS`, 400);
}

/**
 * A role IAM Identity Center provisioned for a permission set (AWSReservedSSO_…): like a
 * service-linked role, only its service changes it — ProvisionPermissionSet, or the last
 * assignment going. Known by Identity Center's own record, not by name or path alone.
 */
export function isIdentityCenterRole(store: Store, row: RoleRow): boolean {
  if (!row.path.startsWith('/aws-reserved/sso.amazonaws.com/')) return false;
  return store.prepare('SELECT 1 AS one FROM sso_provisioned WHERE target_account = ? AND role_name = ?').get(row.account_id, row.role_name) !== undefined;
}

/** Only AWS changes it: a service-linked role, or one Identity Center provisioned. */
export function isAwsProtectedRole(store: Store, row: RoleRow): boolean {
  return isServiceLinked(row) || isIdentityCenterRole(store, row);
}

/** Throws UnmodifiableEntity for a role only AWS changes (policies, trust, deletion). */
export function assertRoleModifiable(store: Store, row: RoleRow): void {
  if (isAwsProtectedRole(store, row)) throw protectedRole(row.role_name);
}

/**
 * Remembers that a role session made a request (GetRole's RoleLastUsed). Written outside
 * any transaction, like access-key last use: no cache depends on it.
 */
/** The key a role row is remembered under between a request's authz rule and handler. */

export function recordRoleUse(store: Store, accountId: string, roleId: string, at: number, region: string): void {
  if (!dueForWrite(store, `role:${roleId}`, at)) return;
  store.prepare('UPDATE roles SET last_used_at = ?, last_used_region = ? WHERE account_id = ? AND role_id = ?').run(at, region, accountId, roleId);
}

/**
 * The IAM Role shape, in the three forms IAM answers with:
 *   create — CreateRole, CreateServiceLinkedRole, UpdateRoleDescription: no MaxSessionDuration, no RoleLastUsed;
 *   list   — ListRoles: no tags, boundary or RoleLastUsed;
 *   get    — GetRole: everything, RoleLastUsed always present;
 *   embedded — the Roles of an instance profile (GetInstanceProfile, ListInstanceProfiles…,
 *            GetAccountAuthorizationDetails): as create, without tags or boundary.
 * (LS test_iam_roles / test_iam_instance_profiles / test_iam_account_authorization_details snapshots.)
 */
export function roleShape(store: Store, row: RoleRow, view: 'create' | 'list' | 'get' | 'embedded'): Record<string, unknown> {
  const role: Record<string, unknown> = {
    Path: row.path,
    RoleName: row.role_name,
    RoleId: row.role_id,
    Arn: roleArn(row.account_id, row.path, row.role_name),
    CreateDate: new Date(row.created_at),
    AssumeRolePolicyDocument: encodePolicyDocument(row.assume_role_policy_document),
  };
  if (row.description !== null) role.Description = row.description;
  if (view === 'list' || view === 'get') role.MaxSessionDuration = row.max_session_duration;
  const full = view === 'create' || view === 'get';
  if (full && row.permissions_boundary_arn !== null) {
    role.PermissionsBoundary = { PermissionsBoundaryType: 'PermissionsBoundaryPolicy', PermissionsBoundaryArn: row.permissions_boundary_arn };
  }
  if (full) {
    const tags = listTags(store, row.account_id, ROLE_KIND, row.role_id);
    if (tags.length > 0) role.Tags = tags;
  }
  if (view === 'get') {
    const lastUsed: Record<string, unknown> = {};
    if (row.last_used_at !== null) lastUsed.LastUsedDate = new Date(row.last_used_at);
    if (row.last_used_region !== null) lastUsed.Region = row.last_used_region;
    role.RoleLastUsed = lastUsed;
  }
  return role;
}

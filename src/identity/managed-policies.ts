import { AwsError } from '../protocol/errors.js';
import type { Store } from '../store/store.js';
import { invalidInput, noSuchEntity } from './errors.js';
import { awsManagedPolicy, type ManagedPolicyEntry } from './aws-managed-catalog.js';
import { listTags, type Tag } from './tags.js';

/**
 * Managed policies as one kind of thing, whoever manages them: customer managed policies
 * live in this account's managed_policies / managed_policy_versions rows; AWS managed
 * policies (arn:aws:iam::aws:policy/…) come from the bundled catalogue, present in every
 * account, with only their default version.
 */

/** The tags table's resource_kind for customer managed policies (resource_id: policy id). */
export const POLICY_KIND = 'policy';

export const AWS_POLICY_ARN_PREFIX = 'arn:aws:iam::aws:policy/';

/** IAM quotas on managed policies (reference_iam-quotas.md). */
export const MAX_CUSTOMER_POLICIES_PER_ACCOUNT = 1500;
export const MAX_POLICY_VERSIONS = 5;

/** One row of managed_policies. */
export interface ManagedPolicyRow {
  account_id: string;
  policy_id: string;
  policy_name: string;
  path: string;
  description: string | null;
  default_version_id: string;
  next_version: number;
  created_at: number;
  updated_at: number;
}

/** One row of managed_policy_versions. */
export interface PolicyVersionRow {
  account_id: string;
  policy_id: string;
  version_id: string;
  document: string;
  created_at: number;
}

/** A managed policy of either kind, with what IAM reports about it. */
export interface ManagedPolicy {
  arn: string;
  name: string;
  path: string;
  policyId: string;
  defaultVersionId: string;
  description?: string;
  createdAt: Date;
  updatedAt: Date;
  /** Set for customer managed policies. */
  row?: ManagedPolicyRow;
  /** Set for AWS managed policies. */
  entry?: ManagedPolicyEntry;
}

export function policyArn(accountId: string, path: string, name: string): string {
  return `arn:aws:iam::${accountId}:policy${path}${name}`;
}

export function isAwsManagedArn(arn: string): boolean {
  return arn.startsWith(AWS_POLICY_ARN_PREFIX);
}

/** arn:aws:iam::ACCOUNT:policy/PATH/NAME → its parts (ACCOUNT is 12 digits or "aws"). */
export function parsePolicyArn(arn: string): { account: string; path: string; name: string } | undefined {
  const m = /^arn:aws:iam::(\d{12}|aws):policy(\/(?:[^/]+\/)*)([^/]+)$/.exec(arn);
  return m ? { account: m[1], path: m[2], name: m[3] } : undefined;
}

/** IAM's answer to a policy ARN that is not one. */
export function invalidArn(arn: string): AwsError {
  return invalidInput(`ARN ${arn} is not valid.`);
}

/** The parts of a policy ARN, or InvalidInput. */
export function requireValidArn(arn: string): { account: string; path: string; name: string } {
  const parts = parsePolicyArn(arn);
  if (!parts) throw invalidArn(arn);
  return parts;
}

/** The customer managed policy row an ARN names in this account (names match in any case). */
export function findPolicyRow(store: Store, accountId: string, arn: string): ManagedPolicyRow | undefined {
  const parts = parsePolicyArn(arn);
  if (!parts || parts.account !== accountId) return undefined;
  const row = store.prepare<ManagedPolicyRow>('SELECT * FROM managed_policies WHERE account_id = ? AND policy_name = ?').get(accountId, parts.name);
  return row && row.path === parts.path ? row : undefined;
}

export function findPolicyRowByName(store: Store, accountId: string, name: string): ManagedPolicyRow | undefined {
  return store.prepare<ManagedPolicyRow>('SELECT * FROM managed_policies WHERE account_id = ? AND policy_name = ?').get(accountId, name);
}

export function fromRow(row: ManagedPolicyRow): ManagedPolicy {
  const p: ManagedPolicy = {
    arn: policyArn(row.account_id, row.path, row.policy_name),
    name: row.policy_name,
    path: row.path,
    policyId: row.policy_id,
    defaultVersionId: row.default_version_id,
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
    row,
  };
  if (row.description !== null) p.description = row.description;
  return p;
}

export function fromEntry(entry: ManagedPolicyEntry): ManagedPolicy {
  const p: ManagedPolicy = {
    arn: entry.arn,
    name: entry.name,
    path: entry.path,
    policyId: entry.policyId,
    defaultVersionId: entry.defaultVersionId,
    createdAt: new Date(entry.createDate),
    updatedAt: new Date(entry.updateDate),
    entry,
  };
  if (entry.description !== undefined) p.description = entry.description;
  return p;
}

/** The managed policy an ARN names, as seen from accountId: AWS managed or this account's own. */
export function findPolicy(store: Store, accountId: string, arn: string): ManagedPolicy | undefined {
  if (isAwsManagedArn(arn)) {
    const entry = awsManagedPolicy(arn);
    return entry && fromEntry(entry);
  }
  const row = findPolicyRow(store, accountId, arn);
  return row && fromRow(row);
}

/** "Policy arn:… was not found." — GetPolicy, DeletePolicy, Detach*, ListEntitiesForPolicy… */
export function policyNotFound(arn: string): AwsError {
  return noSuchEntity(`Policy ${arn} was not found.`);
}

/** "Policy arn:… does not exist or is not attachable." — Attach* */
export function policyNotAttachable(arn: string): AwsError {
  return noSuchEntity(`Policy ${arn} does not exist or is not attachable.`);
}

/** "Policy arn:… version v9 does not exist or is not attachable." */
export function versionNotFound(arn: string, versionId: string): AwsError {
  return noSuchEntity(`Policy ${arn} version ${versionId} does not exist or is not attachable.`);
}

/** The policy, or NoSuchEntity; an ARN that is not a policy ARN is InvalidInput. */
export function requirePolicy(store: Store, accountId: string, arn: string): ManagedPolicy {
  requireValidArn(arn);
  const p = findPolicy(store, accountId, arn);
  if (!p) throw policyNotFound(arn);
  return p;
}

/**
 * AWS managed policies belong to AWS: no account may change them. Authorization already
 * refuses (their account is "aws"); this keeps --auth off from changing them either.
 */
export function awsPolicyReadOnly(callerArn: string, action: string, arn: string): AwsError {
  return new AwsError(
    'AccessDenied',
    `User: ${callerArn} is not authorized to perform: ${action} on resource: policy ${arn} because no resource-based policy allows the ${action} action`,
    403,
  );
}

/** The customer managed policy an operation changes: NoSuchEntity if missing, AccessDenied if AWS's. */
export function requireOwnPolicy(store: Store, accountId: string, arn: string, callerArn: string, action: string): ManagedPolicyRow {
  const p = requirePolicy(store, accountId, arn);
  if (!p.row) throw awsPolicyReadOnly(callerArn, action, arn);
  return p.row;
}

export function versionsOf(store: Store, row: ManagedPolicyRow): PolicyVersionRow[] {
  return store
    .prepare<PolicyVersionRow>('SELECT * FROM managed_policy_versions WHERE account_id = ? AND policy_id = ?')
    .all(row.account_id, row.policy_id);
}

export function findVersion(store: Store, row: ManagedPolicyRow, versionId: string): PolicyVersionRow | undefined {
  return store
    .prepare<PolicyVersionRow>('SELECT * FROM managed_policy_versions WHERE account_id = ? AND policy_id = ? AND version_id = ?')
    .get(row.account_id, row.policy_id, versionId);
}

/** The text of a managed policy's default version. */
export function defaultDocument(store: Store, p: ManagedPolicy): string {
  if (p.entry) return p.entry.document;
  const v = findVersion(store, p.row!, p.defaultVersionId);
  if (!v) throw new AwsError('ServiceFailure', `policy ${p.arn} has lost its default version`, 500);
  return v.document;
}

/** Version ids sort by their number: v10 after v9. */
export function versionNumber(versionId: string): number {
  return Number(/^v(\d+)/.exec(versionId)?.[1] ?? 0);
}

/** How a policy is used in one account: as a permissions policy, and as a boundary. */
export interface PolicyUsage {
  attachments: number;
  boundaries: number;
}

/**
 * The IAM Policy shape, in the three forms IAM answers with (recorded from AWS):
 *   create — CreatePolicy: no Description; Tags only when the request had some;
 *   get    — GetPolicy: Description when there is one, Tags always ([] when none,
 *            AWS managed policies too);
 *   list   — ListPolicies: neither.
 */
export function policyShape(store: Store, p: ManagedPolicy, usage: PolicyUsage, view: 'create' | 'get' | 'list'): Record<string, unknown> {
  const out: Record<string, unknown> = {
    PolicyName: p.name,
    PolicyId: p.policyId,
    Arn: p.arn,
    Path: p.path,
    DefaultVersionId: p.defaultVersionId,
    AttachmentCount: usage.attachments,
    PermissionsBoundaryUsageCount: usage.boundaries,
    IsAttachable: true,
  };
  if (view === 'get' && p.description !== undefined) out.Description = p.description;
  out.CreateDate = p.createdAt;
  out.UpdateDate = p.updatedAt;
  if (view !== 'list') {
    const tags: Tag[] = p.row ? listTags(store, p.row.account_id, POLICY_KIND, p.row.policy_id) : [];
    if (view === 'get' || tags.length > 0) out.Tags = tags;
  }
  return out;
}

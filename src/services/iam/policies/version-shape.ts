import type { Store } from '../../../store/store.js';
import { encodePolicyDocument } from '../../../identity/policy-documents.js';
import { awsManagedPolicyVersions, type ManagedPolicyEntry } from '../../../identity/aws-managed-catalog.js';
import { findVersion, versionNumber, versionsOf, type ManagedPolicy, type PolicyVersionRow } from '../../../identity/managed-policies.js';

/**
 * A managed policy's versions as IAM shows them (GetPolicyVersion, ListPolicyVersions,
 * GetAccountAuthorizationDetails). AWS managed policies have their version history as the
 * bundled data has it: the default version from the catalogue, the others read from the
 * versions file only when asked for.
 */

export interface PolicyVersion {
  versionId: string;
  isDefault: boolean;
  createdAt: Date;
  document?: string;
}

/** The PolicyVersion shape; Document only where IAM returns it (GetPolicyVersion). */
export function versionShape(v: PolicyVersion): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (v.document !== undefined) out.Document = encodePolicyDocument(v.document);
  out.VersionId = v.versionId;
  out.IsDefaultVersion = v.isDefault;
  out.CreateDate = v.createdAt;
  return out;
}

function defaultOf(entry: ManagedPolicyEntry): PolicyVersion {
  return { versionId: entry.defaultVersionId, isDefault: true, createdAt: new Date(entry.versionCreateDate), document: entry.document };
}

function historyOf(entry: ManagedPolicyEntry): PolicyVersion[] {
  return awsManagedPolicyVersions(entry).map((v) => ({ versionId: v.versionId, isDefault: false, createdAt: new Date(v.createDate), document: v.document }));
}

function fromRow(p: ManagedPolicy, v: PolicyVersionRow): PolicyVersion {
  return { versionId: v.version_id, isDefault: v.version_id === p.defaultVersionId, createdAt: new Date(v.created_at), document: v.document };
}

/** Every version of a policy as {versionId, isDefault, createdAt, document}. */
export function policyVersions(store: Store, p: ManagedPolicy): PolicyVersion[] {
  if (p.entry) return [defaultOf(p.entry), ...historyOf(p.entry)];
  return versionsOf(store, p.row!).map((v) => fromRow(p, v));
}

/** One version of a policy; an AWS managed policy's default is answered without reading its history. */
export function policyVersion(store: Store, p: ManagedPolicy, versionId: string): PolicyVersion | undefined {
  if (p.entry) return versionId === p.entry.defaultVersionId ? defaultOf(p.entry) : historyOf(p.entry).find((v) => v.versionId === versionId);
  const row = findVersion(store, p.row!, versionId);
  return row && fromRow(p, row);
}

/** Newest first, as IAM lists them. */
export function newestFirst<V extends { versionId: string }>(versions: V[]): V[] {
  return versions.sort((a, b) => versionNumber(b.versionId) - versionNumber(a.versionId));
}

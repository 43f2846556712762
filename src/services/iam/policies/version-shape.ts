import type { Store } from '../../../store/store.js';
import { encodePolicyDocument } from '../../../identity/policy-documents.js';
import { versionNumber, versionsOf, type ManagedPolicy, type PolicyVersionRow } from '../../../identity/managed-policies.js';

/**
 * A managed policy's versions as IAM shows them (GetPolicyVersion, ListPolicyVersions,
 * GetAccountAuthorizationDetails). AWS managed policies show their default version only
 * (the catalogue keeps no other).
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

/** Every version of a policy as {versionId, isDefault, createdAt, document}. */
export function policyVersions(store: Store, p: ManagedPolicy): PolicyVersion[] {
  if (p.entry) {
    return [{ versionId: p.entry.defaultVersionId, isDefault: true, createdAt: new Date(p.entry.versionCreateDate), document: p.entry.document }];
  }
  return versionsOf(store, p.row!).map((v: PolicyVersionRow) => ({
    versionId: v.version_id,
    isDefault: v.version_id === p.defaultVersionId,
    createdAt: new Date(v.created_at),
    document: v.document,
  }));
}

/** Newest first, as IAM lists them. */
export function newestFirst<V extends { versionId: string }>(versions: V[]): V[] {
  return versions.sort((a, b) => versionNumber(b.versionId) - versionNumber(a.versionId));
}

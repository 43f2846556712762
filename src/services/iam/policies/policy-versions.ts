import { AwsError } from '../../../protocol/errors.js';
import type { Store } from '../../../store/store.js';
import { operation } from '../../operation.js';
import { limitExceeded } from '../../../identity/errors.js';
import { parseManagedDocument } from './managed-policies.js';
import { listPage, type PageRequest } from '../shared/paginate.js';
import { encodePolicyDocument } from '../../../identity/policy-documents.js';
import {
  findVersion, requireOwnPolicy, requirePolicy, versionNotFound, versionNumber, versionsOf, type ManagedPolicy, type ManagedPolicyRow,
  type PolicyVersionRow,
} from '../../../identity/managed-policies.js';
import { quota } from '../../../identity/quotas.js';
import { changesPolicy, readsPolicy } from './policy-resource.js';

/**
 * Versions of managed policies. A customer managed policy keeps up to five; exactly one
 * is the default, the one in force. Version ids count up and are never reused. AWS
 * managed policies show their default version only (the catalogue keeps no other).
 */

/** The PolicyVersion shape; Document only where IAM returns it (GetPolicyVersion). */
function versionShape(v: { versionId: string; isDefault: boolean; createdAt: Date; document?: string }): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (v.document !== undefined) out.Document = encodePolicyDocument(v.document);
  out.VersionId = v.versionId;
  out.IsDefaultVersion = v.isDefault;
  out.CreateDate = v.createdAt;
  return out;
}

/** Every version of a policy as {versionId, isDefault, createdAt, document}. */
function versionsOfPolicy(store: Store, p: ManagedPolicy) {
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

export const CreatePolicyVersion = operation({
  writes: true,
  authorize: changesPolicy('iam:CreatePolicyVersion'),
  run: (ctx, input: { PolicyArn: string; PolicyDocument: string; SetAsDefault?: boolean }) => {
    const { store, accountId } = ctx;
    const row = requireOwnPolicy(store, accountId, input.PolicyArn, ctx.principal.arn, 'iam:CreatePolicyVersion');
    parseManagedDocument(input.PolicyDocument, row.policy_name);
    const max = quota('VersionsPerPolicy');
    if (versionsOf(store, row).length >= max) {
      throw limitExceeded(`A managed policy can have up to ${max} versions. Before you create a new version, you must delete an existing version.`);
    }
    const versionId = `v${row.next_version}`;
    const isDefault = input.SetAsDefault === true;
    store
      .prepare('INSERT INTO managed_policy_versions (account_id, policy_id, version_id, document, created_at) VALUES (?, ?, ?, ?, ?)')
      .run(accountId, row.policy_id, versionId, input.PolicyDocument, ctx.now);
    store
      .prepare('UPDATE managed_policies SET next_version = next_version + 1, updated_at = ?, default_version_id = ? WHERE account_id = ? AND policy_id = ?')
      .run(ctx.now, isDefault ? versionId : row.default_version_id, accountId, row.policy_id);
    return { PolicyVersion: versionShape({ versionId, isDefault, createdAt: new Date(ctx.now) }) };
  },
});

export const GetPolicyVersion = operation({
  writes: false,
  authorize: readsPolicy('iam:GetPolicyVersion'),
  run: (ctx, input: { PolicyArn: string; VersionId: string }) => {
    const p = requirePolicy(ctx.store, ctx.accountId, input.PolicyArn);
    const v = versionsOfPolicy(ctx.store, p).find((x) => x.versionId === input.VersionId);
    if (!v) throw versionNotFound(input.PolicyArn, input.VersionId);
    return { PolicyVersion: versionShape(v) };
  },
});

/** Newest first, as IAM lists them. */
export const ListPolicyVersions = operation({
  writes: false,
  authorize: readsPolicy('iam:ListPolicyVersions'),
  run: (ctx, input: PageRequest & { PolicyArn: string }) => {
    const p = requirePolicy(ctx.store, ctx.accountId, input.PolicyArn);
    const versions = versionsOfPolicy(ctx.store, p).sort((a, b) => versionNumber(b.versionId) - versionNumber(a.versionId));
    return listPage('Versions', versions, input, { shape: ({ document: _omit, ...v }) => versionShape(v) });
  },
});

/** The version of a customer managed policy an operation names, or NoSuchEntity. */
function requireVersion(store: Store, row: ManagedPolicyRow, arn: string, versionId: string): PolicyVersionRow {
  const v = findVersion(store, row, versionId);
  if (!v) throw versionNotFound(arn, versionId);
  return v;
}

export const DeletePolicyVersion = operation({
  writes: true,
  authorize: changesPolicy('iam:DeletePolicyVersion'),
  run: (ctx, input: { PolicyArn: string; VersionId: string }) => {
    const { store, accountId } = ctx;
    const row = requireOwnPolicy(store, accountId, input.PolicyArn, ctx.principal.arn, 'iam:DeletePolicyVersion');
    const v = requireVersion(store, row, input.PolicyArn, input.VersionId);
    if (v.version_id === row.default_version_id) throw new AwsError('DeleteConflict', 'Cannot delete the default version of a policy.', 409);
    store.prepare('DELETE FROM managed_policy_versions WHERE account_id = ? AND policy_id = ? AND version_id = ?').run(accountId, row.policy_id, v.version_id);
    return {};
  },
});

export const SetDefaultPolicyVersion = operation({
  writes: true,
  authorize: changesPolicy('iam:SetDefaultPolicyVersion'),
  run: (ctx, input: { PolicyArn: string; VersionId: string }) => {
    const { store, accountId } = ctx;
    const row = requireOwnPolicy(store, accountId, input.PolicyArn, ctx.principal.arn, 'iam:SetDefaultPolicyVersion');
    const v = requireVersion(store, row, input.PolicyArn, input.VersionId);
    store.prepare('UPDATE managed_policies SET default_version_id = ? WHERE account_id = ? AND policy_id = ?').run(v.version_id, accountId, row.policy_id);
    return {};
  },
});

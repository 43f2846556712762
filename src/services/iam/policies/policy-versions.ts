import { AwsError } from '../../../protocol/errors.js';
import { operation } from '../../operation.js';
import type { RequestContext } from '../../types.js';
import { limitExceeded } from '../../../identity/errors.js';
import { parseManagedDocument } from './managed-policies.js';
import { listPage, type PageRequest } from '../shared/paginate.js';
import {
  awsPolicyReadOnly, findPolicy, findVersion, requireOwnPolicy, requirePolicy, requireValidArn, versionNotFound, versionsOf,
  type ManagedPolicy, type ManagedPolicyRow, type PolicyVersionRow,
} from '../../../identity/managed-policies.js';
import { quota } from '../../../identity/quotas.js';
import { changesPolicy, readsPolicy } from './policy-resource.js';
import { newestFirst, policyVersion, policyVersions, versionShape } from './version-shape.js';

/**
 * Versions of managed policies. A customer managed policy keeps up to five; exactly one
 * is the default, the one in force. Version ids count up and are never reused. AWS
 * managed policies show their version history as the bundled data has it.
 */

interface VersionInput {
  PolicyArn: string;
  VersionId: string;
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

/**
 * The policy a version operation names: a policy that does not exist is answered as its
 * version would be, "Policy ARN version V does not exist or is not attachable." (LS
 * test_iam_policies snapshot: GetPolicyVersion, SetDefaultPolicyVersion).
 */
function policyOfVersion(ctx: RequestContext, input: VersionInput): ManagedPolicy {
  requireValidArn(input.PolicyArn);
  const p = findPolicy(ctx.store, ctx.accountId, input.PolicyArn);
  if (!p) throw versionNotFound(input.PolicyArn, input.VersionId);
  return p;
}

export const GetPolicyVersion = operation({
  writes: false,
  authorize: readsPolicy('iam:GetPolicyVersion'),
  run: (ctx, input: VersionInput) => {
    const p = policyOfVersion(ctx, input);
    const v = policyVersion(ctx.store, p, input.VersionId);
    if (!v) throw versionNotFound(input.PolicyArn, input.VersionId);
    return { PolicyVersion: versionShape(v) };
  },
});

export const ListPolicyVersions = operation({
  writes: false,
  authorize: readsPolicy('iam:ListPolicyVersions'),
  run: (ctx, input: PageRequest & { PolicyArn: string }) => {
    const p = requirePolicy(ctx.store, ctx.accountId, input.PolicyArn);
    const versions = newestFirst(policyVersions(ctx.store, p));
    return listPage('Versions', versions, input, { shape: ({ document: _omit, ...v }) => versionShape(v) });
  },
});

/** The customer managed policy an operation changes and the version of it the request names, or NoSuchEntity. */
function changedVersion(ctx: RequestContext, input: VersionInput, action: string): { row: ManagedPolicyRow; v: PolicyVersionRow } {
  const row = policyOfVersion(ctx, input).row;
  if (!row) throw awsPolicyReadOnly(ctx.principal.arn, action, input.PolicyArn);
  const v = findVersion(ctx.store, row, input.VersionId);
  if (!v) throw versionNotFound(input.PolicyArn, input.VersionId);
  return { row, v };
}

export const DeletePolicyVersion = operation({
  writes: true,
  authorize: changesPolicy('iam:DeletePolicyVersion'),
  run: (ctx, input: VersionInput) => {
    const { row, v } = changedVersion(ctx, input, 'iam:DeletePolicyVersion');
    if (v.version_id === row.default_version_id) throw new AwsError('DeleteConflict', 'Cannot delete the default version of a policy.', 409);
    ctx.store.prepare('DELETE FROM managed_policy_versions WHERE account_id = ? AND policy_id = ? AND version_id = ?').run(ctx.accountId, row.policy_id, v.version_id);
    return {};
  },
});

export const SetDefaultPolicyVersion = operation({
  writes: true,
  authorize: changesPolicy('iam:SetDefaultPolicyVersion'),
  run: (ctx, input: VersionInput) => {
    const { row, v } = changedVersion(ctx, input, 'iam:SetDefaultPolicyVersion');
    ctx.store.prepare('UPDATE managed_policies SET default_version_id = ? WHERE account_id = ? AND policy_id = ?').run(v.version_id, ctx.accountId, row.policy_id);
    return {};
  },
});

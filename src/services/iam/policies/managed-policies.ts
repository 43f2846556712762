import { answeringPolicyErrors } from '../../../identity/policy-errors.js';
import { parsePolicy, POLICY_LIMITS } from '../../../policy/index.js';
import { operation } from '../../operation.js';
import type { RequestContext } from '../../types.js';
import { AwsError } from '../../../protocol/errors.js';
import { newUniqueId } from '../../../identity/ids.js';
import { listAwsManagedPolicies } from '../../../identity/aws-managed-catalog.js';
import { accountWide } from '../shared/account-wide.js';
import { listPage, type PageRequest } from '../shared/paginate.js';
import {
  findPolicyRowByName, fromEntry, fromRow, policyArn, policyShape, POLICY_KIND, requireOwnPolicy, requirePolicy, versionsOf,
  type ManagedPolicy, type ManagedPolicyRow,
} from '../../../identity/managed-policies.js';
import { allPolicyUsage, policyUsage, UNUSED } from './policy-usage.js';
import { checkQuota } from '../../../identity/quotas.js';
import { checkNewTags, deleteAllTags, putTags, requestTagKeys, type Tag } from '../../../identity/tags.js';
import { entityCount } from '../../../store/store.js';
import { changesPolicy, entry, readsPolicy } from './policy-resource.js';

/**
 * Customer managed policies (CreatePolicy, GetPolicy, ListPolicies, DeletePolicy), and
 * AWS managed policies as every account sees them (GetPolicy, ListPolicies).
 */

/** A managed policy document: identity grammar, Version 2012-10-17, 6,144 characters without white space. */
export function parseManagedDocument(text: string, name: string): void {
  answeringPolicyErrors(() => parsePolicy(text, { kind: 'identity', name, maxLength: POLICY_LIMITS.managed.max, tooLargeMessage: POLICY_LIMITS.managed.message(name), requireCurrentVersion: true }));
}

function alreadyExists(name: string): AwsError {
  return new AwsError('EntityAlreadyExists', `A policy called ${name} already exists. Duplicate names are not allowed.`, 409);
}

interface CreatePolicyInput {
  PolicyName: string;
  Path?: string;
  PolicyDocument: string;
  Description?: string;
  Tags?: Tag[];
}

export const CreatePolicy = operation({
  writes: true,
  authorize: (ctx, input: CreatePolicyInput) =>
    entry('iam:CreatePolicy', policyArn(ctx.accountId, input.Path ?? '/', input.PolicyName), requestTagKeys(input.Tags)),
  run: (ctx, input: CreatePolicyInput) => {
    const { store, accountId } = ctx;
    if (findPolicyRowByName(store, accountId, input.PolicyName)) throw alreadyExists(input.PolicyName);
    if (input.Tags) checkNewTags(input.Tags);
    parseManagedDocument(input.PolicyDocument, input.PolicyName);
    const count = entityCount(store, accountId, 'managed_policies');
    checkQuota('PoliciesPerAccount', count);

    const row: ManagedPolicyRow = {
      account_id: accountId,
      policy_id: newUniqueId('ANPA'),
      policy_name: input.PolicyName,
      path: input.Path ?? '/',
      description: input.Description ?? null,
      default_version_id: 'v1',
      next_version: 2,
      created_at: ctx.now,
      updated_at: ctx.now,
    };
    store
      .prepare(
        `INSERT INTO managed_policies (account_id, policy_id, policy_name, path, description, default_version_id, next_version, created_at, updated_at)
         VALUES (@account_id, @policy_id, @policy_name, @path, @description, @default_version_id, @next_version, @created_at, @updated_at)`,
      )
      .run(row);
    store
      .prepare('INSERT INTO managed_policy_versions (account_id, policy_id, version_id, document, created_at) VALUES (?, ?, ?, ?, ?)')
      .run(accountId, row.policy_id, 'v1', input.PolicyDocument, ctx.now);
    if (input.Tags?.length) putTags(store, accountId, POLICY_KIND, row.policy_id, input.Tags);
    return { Policy: policyShape(store, fromRow(row), UNUSED, 'create') };
  },
});

export const GetPolicy = operation({
  writes: false,
  authorize: readsPolicy('iam:GetPolicy'),
  run: (ctx, input: { PolicyArn: string }) => {
    const p = requirePolicy(ctx.store, ctx.accountId, input.PolicyArn);
    return { Policy: policyShape(ctx.store, p, policyUsage(ctx.store, ctx.accountId, p.arn), 'get') };
  },
});

type Scope = 'All' | 'AWS' | 'Local';
type UsageFilter = 'PermissionsPolicy' | 'PermissionsBoundary';

/** Every managed policy the account sees, in the scope asked for. */
function policiesInScope(ctx: RequestContext, scope: Scope): ManagedPolicy[] {
  const out: ManagedPolicy[] = [];
  if (scope !== 'Local') for (const entry of listAwsManagedPolicies()) out.push(fromEntry(entry));
  if (scope !== 'AWS') {
    for (const row of ctx.store.prepare<ManagedPolicyRow>('SELECT * FROM managed_policies WHERE account_id = ?').all(ctx.accountId)) out.push(fromRow(row));
  }
  return out;
}

/**
 * ListPolicies. OnlyAttached keeps policies attached to some user, group or role;
 * PolicyUsageFilter keeps those in use that way (PermissionsPolicy: attached;
 * PermissionsBoundary: bounding some user or role), as the console's "Used as" filter does.
 */
export const ListPolicies = operation({
  writes: false,
  // ListPolicies names no resource type: it is checked against "*".
  authorize: accountWide('iam:ListPolicies'),
  run: (ctx, input: PageRequest & { Scope?: Scope; OnlyAttached?: boolean; PathPrefix?: string; PolicyUsageFilter?: UsageFilter }) => {
    const usage = allPolicyUsage(ctx.store, ctx.accountId);
    const prefix = input.PathPrefix ?? '/';
    const kept = policiesInScope(ctx, input.Scope ?? 'All').filter((p) => {
      if (!p.path.startsWith(prefix)) return false;
      const u = usage.get(p.arn) ?? UNUSED;
      if (input.OnlyAttached === true && u.attachments === 0) return false;
      if (input.PolicyUsageFilter === 'PermissionsPolicy' && u.attachments === 0) return false;
      if (input.PolicyUsageFilter === 'PermissionsBoundary' && u.boundaries === 0) return false;
      return true;
    });
    return listPage('Policies', kept, input, {
      // By name; an account's policy may share its name with an AWS one, so the id breaks ties.
      sortKey: (p) => `${p.name.toLowerCase()}\u0000${p.policyId}`,
      shape: (p) => policyShape(ctx.store, p, usage.get(p.arn) ?? UNUSED, 'list'),
    });
  },
});

export const DeletePolicy = operation({
  writes: true,
  authorize: changesPolicy('iam:DeletePolicy'),
  run: (ctx, input: { PolicyArn: string }) => {
    const { store, accountId } = ctx;
    const row = requireOwnPolicy(store, accountId, input.PolicyArn, ctx.principal.arn, 'iam:DeletePolicy');
    const usage = policyUsage(store, accountId, policyArn(accountId, row.path, row.policy_name));
    if (usage.attachments > 0 || usage.boundaries > 0) throw new AwsError('DeleteConflict', 'Cannot delete a policy attached to entities.', 409);
    if (versionsOf(store, row).length > 1) {
      throw new AwsError(
        'DeleteConflict',
        "This policy has more than one version. Before you delete a policy, you must delete the policy's versions. The default version is deleted with the policy.",
        409,
      );
    }
    store.prepare('DELETE FROM managed_policy_versions WHERE account_id = ? AND policy_id = ?').run(accountId, row.policy_id);
    deleteAllTags(store, accountId, POLICY_KIND, row.policy_id);
    store.prepare('DELETE FROM managed_policies WHERE account_id = ? AND policy_id = ?').run(accountId, row.policy_id);
    return {};
  },
});

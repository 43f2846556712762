import { AwsError } from '../../../protocol/errors.js';
import { operation } from '../../operation.js';
import type { RequestContext } from '../../types.js';
import { ATTACHMENT_QUOTA, ATTACHMENTS, attachedArns, type AttachmentTarget, type IdentityKind } from '../../../identity/attachment-targets.js';
import { quotaExceeded } from '../../../identity/errors.js';
import { listPage, type PageRequest } from '../shared/paginate.js';
import { findPolicy, parsePolicyArn, policyNotAttachable, policyNotFound, requireValidArn } from '../../../identity/managed-policies.js';
import { quota } from '../../../identity/quotas.js';
import { changeableTarget, namedTarget, onIdentity } from './identity-resource.js';

/**
 * Attaching managed policies (the account's or AWS's) to users, groups and roles, and
 * listing them. Attaching twice is not an error, as in IAM; each identity takes at most
 * 10 managed policies.
 */

/** Policies under /aws-service-role/ belong to service-linked roles only. */
const SERVICE_ROLE_POLICY_PATH = '/aws-service-role/';
const NOT_FOR: Record<IdentityKind, string> = { user: 'a User', group: 'a Group', role: 'a Customer Role' };

/**
 * Attach/Detach*Policy: authorized on the identity, with iam:PolicyARN and the boundary
 * of a user or role; the identity must exist and may be changed, the ARN must be one.
 */
function attachmentOperation(kind: IdentityKind, action: string, change: (ctx: RequestContext, target: AttachmentTarget, policyArn: string) => void) {
  return operation({
    writes: true,
    authorize: (ctx, input: Record<string, string>) =>
      onIdentity(ctx, kind, action, input, { 'iam:PolicyARN': input.PolicyArn }, { boundary: kind !== 'group' }),
    run: (ctx, input: Record<string, string>) => {
      const target = changeableTarget(ctx, kind, input);
      requireValidArn(input.PolicyArn);
      change(ctx, target, input.PolicyArn);
      return {};
    },
  });
}

function attach(ctx: RequestContext, target: AttachmentTarget, policyArn: string): void {
  const { store, accountId } = ctx;
  const policy = findPolicy(store, accountId, policyArn);
  if (!policy) throw policyNotAttachable(policyArn);
  if (policy.path.startsWith(SERVICE_ROLE_POLICY_PATH)) {
    throw new AwsError('PolicyNotAttachable', `Cannot attach a Service Role Policy to ${NOT_FOR[target.kind]}.`, 400);
  }
  const attached = attachedArns(store, target);
  if (attached.includes(policy.arn)) return;
  const q = ATTACHMENT_QUOTA[target.kind];
  const limit = quota(q.quota);
  if (attached.length >= limit) throw quotaExceeded(q.message, limit);
  const { table, idColumn } = ATTACHMENTS[target.kind];
  store.prepare(`INSERT INTO ${table} (account_id, ${idColumn}, policy_arn, attached_at) VALUES (?, ?, ?, ?)`).run(accountId, target.id, policy.arn, ctx.now);
}

function detach(ctx: RequestContext, target: AttachmentTarget, policyArn: string): void {
  const { store, accountId } = ctx;
  // Attachments hold the policy's own spelling of its ARN; the caller's may differ in case.
  const arn = findPolicy(store, accountId, policyArn)?.arn ?? policyArn;
  const { table, idColumn } = ATTACHMENTS[target.kind];
  const { changes } = store.prepare(`DELETE FROM ${table} WHERE account_id = ? AND ${idColumn} = ? AND policy_arn = ?`).run(accountId, target.id, arn);
  if (changes === 0) throw policyNotFound(policyArn);
}

function listAttached(kind: IdentityKind, action: string) {
  return operation({
    writes: false,
    authorize: (ctx, input: PageRequest & Record<string, string>) => onIdentity(ctx, kind, action, input, {}),
    run: (ctx, input: PageRequest & Record<string, string>) => {
      const prefix = input.PathPrefix ?? '/';
      const policies = attachedArns(ctx.store, namedTarget(ctx, kind, input))
        .map((arn) => ({ arn, parts: parsePolicyArn(arn) }))
        .filter((p) => p.parts !== undefined && p.parts.path.startsWith(prefix))
        .map((p) => ({ PolicyName: p.parts!.name, PolicyArn: p.arn }));
      return listPage('AttachedPolicies', policies, input, { sortKey: (p) => `${p.PolicyName.toLowerCase()}\u0000${p.PolicyArn}` });
    },
  });
}

export const AttachUserPolicy = attachmentOperation('user', 'iam:AttachUserPolicy', attach);
export const DetachUserPolicy = attachmentOperation('user', 'iam:DetachUserPolicy', detach);
export const ListAttachedUserPolicies = listAttached('user', 'iam:ListAttachedUserPolicies');
export const AttachGroupPolicy = attachmentOperation('group', 'iam:AttachGroupPolicy', attach);
export const DetachGroupPolicy = attachmentOperation('group', 'iam:DetachGroupPolicy', detach);
export const ListAttachedGroupPolicies = listAttached('group', 'iam:ListAttachedGroupPolicies');
export const AttachRolePolicy = attachmentOperation('role', 'iam:AttachRolePolicy', attach);
export const DetachRolePolicy = attachmentOperation('role', 'iam:DetachRolePolicy', detach);
export const ListAttachedRolePolicies = listAttached('role', 'iam:ListAttachedRolePolicies');

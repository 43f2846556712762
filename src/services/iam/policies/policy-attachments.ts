import { AwsError } from '../../../protocol/errors.js';
import type { Store } from '../../../store/store.js';
import type { Handler } from '../../types.js';
import {
  assertModifiable, ATTACHMENT_QUOTA, ATTACHMENTS, attachedArns, requireTarget, type IdentityKind,
} from '../../../identity/attachment-targets.js';
import { quotaExceeded } from '../../../identity/errors.js';
import { paginate, type PageRequest } from '../shared/paginate.js';
import { findPolicy, parsePolicyArn, policyNotAttachable, policyNotFound, requirePolicy, requireValidArn } from '../../../identity/managed-policies.js';
import { quota } from '../../../identity/quotas.js';

/**
 * Attaching managed policies (the account's or AWS's) to users, groups and roles, listing
 * them, and ListEntitiesForPolicy. Attaching twice is not an error, as in IAM; each
 * identity takes at most 10 managed policies.
 */

const NAME_MEMBER: Record<IdentityKind, 'UserName' | 'GroupName' | 'RoleName'> = { user: 'UserName', group: 'GroupName', role: 'RoleName' };

/** Policies under /aws-service-role/ belong to service-linked roles only. */
const SERVICE_ROLE_POLICY_PATH = '/aws-service-role/';
const NOT_FOR: Record<IdentityKind, string> = { user: 'a User', group: 'a Group', role: 'a Customer Role' };

function attach(kind: IdentityKind): Handler {
  return (ctx, input: Record<string, string>) => {
    const { store, accountId } = ctx;
    const target = requireTarget(store, accountId, kind, input[NAME_MEMBER[kind]]);
    assertModifiable(target);
    requireValidArn(input.PolicyArn);
    const policy = findPolicy(store, accountId, input.PolicyArn);
    if (!policy) throw policyNotAttachable(input.PolicyArn);
    if (policy.path.startsWith(SERVICE_ROLE_POLICY_PATH)) {
      throw new AwsError('PolicyNotAttachable', `Cannot attach a Service Role Policy to ${NOT_FOR[kind]}.`, 400);
    }
    const attached = attachedArns(store, target);
    if (attached.includes(policy.arn)) return {};
    const q = ATTACHMENT_QUOTA[kind];
    const limit = quota(q.quota);
    if (attached.length >= limit) throw quotaExceeded(q.message, limit);
    const { table, idColumn } = ATTACHMENTS[kind];
    store.prepare(`INSERT INTO ${table} (account_id, ${idColumn}, policy_arn, attached_at) VALUES (?, ?, ?, ?)`).run(accountId, target.id, policy.arn, ctx.now);
    return {};
  };
}

function detach(kind: IdentityKind): Handler {
  return (ctx, input: Record<string, string>) => {
    const { store, accountId } = ctx;
    const target = requireTarget(store, accountId, kind, input[NAME_MEMBER[kind]]);
    assertModifiable(target);
    requireValidArn(input.PolicyArn);
    // Attachments hold the policy's own spelling of its ARN; the caller's may differ in case.
    const arn = findPolicy(store, accountId, input.PolicyArn)?.arn ?? input.PolicyArn;
    const { table, idColumn } = ATTACHMENTS[kind];
    const { changes } = store.prepare(`DELETE FROM ${table} WHERE account_id = ? AND ${idColumn} = ? AND policy_arn = ?`).run(accountId, target.id, arn);
    if (changes === 0) throw policyNotFound(input.PolicyArn);
    return {};
  };
}

function listAttached(kind: IdentityKind): Handler {
  return (ctx, input: PageRequest & Record<string, string>) => {
    const target = requireTarget(ctx.store, ctx.accountId, kind, input[NAME_MEMBER[kind]]);
    const prefix = input.PathPrefix ?? '/';
    const policies = attachedArns(ctx.store, target)
      .map((arn) => ({ arn, parts: parsePolicyArn(arn) }))
      .filter((p) => p.parts !== undefined && p.parts.path.startsWith(prefix))
      .map((p) => ({ PolicyName: p.parts!.name, PolicyArn: p.arn }));
    const { items, more } = paginate(policies, input, (p) => `${p.PolicyName.toLowerCase()}\u0000${p.PolicyArn}`);
    return { AttachedPolicies: items, ...more };
  };
}

// ---------------------------------------------------------------------------------------
// ListEntitiesForPolicy

interface EntityUse {
  kind: IdentityKind;
  id: string;
  name: string;
  path: string;
}

/** Identities the policy is attached to. */
function attachedEntities(store: Store, accountId: string, arn: string): EntityUse[] {
  return store
    .prepare<EntityUse>(
      `SELECT 'user' AS kind, u.user_id AS id, u.user_name AS name, u.path FROM user_policy_attachments a
         JOIN users u ON u.account_id = a.account_id AND u.user_id = a.user_id WHERE a.account_id = @account AND a.policy_arn = @arn
       UNION ALL
       SELECT 'group', g.group_id, g.group_name, g.path FROM group_policy_attachments a
         JOIN groups g ON g.account_id = a.account_id AND g.group_id = a.group_id WHERE a.account_id = @account AND a.policy_arn = @arn
       UNION ALL
       SELECT 'role', r.role_id, r.role_name, r.path FROM role_policy_attachments a
         JOIN roles r ON r.account_id = a.account_id AND r.role_id = a.role_id WHERE a.account_id = @account AND a.policy_arn = @arn`,
    )
    .all({ account: accountId, arn });
}

/** Users and roles the policy bounds. */
function boundedEntities(store: Store, accountId: string, arn: string): EntityUse[] {
  return store
    .prepare<EntityUse>(
      `SELECT 'user' AS kind, user_id AS id, user_name AS name, path FROM users WHERE account_id = @account AND permissions_boundary_arn = @arn
       UNION ALL
       SELECT 'role', role_id, role_name, path FROM roles WHERE account_id = @account AND permissions_boundary_arn = @arn`,
    )
    .all({ account: accountId, arn });
}

const ENTITY_FILTER: Record<string, IdentityKind | undefined> = { User: 'user', Group: 'group', Role: 'role' };
const KIND_ORDER: Record<IdentityKind, number> = { group: 0, user: 1, role: 2 };

const listEntitiesForPolicy: Handler = (
  ctx,
  input: PageRequest & { PolicyArn: string; EntityFilter?: string; PathPrefix?: string; PolicyUsageFilter?: 'PermissionsPolicy' | 'PermissionsBoundary' },
) => {
  const { store, accountId } = ctx;
  const policy = requirePolicy(store, accountId, input.PolicyArn);
  const found: EntityUse[] = [];
  if (input.PolicyUsageFilter !== 'PermissionsBoundary') found.push(...attachedEntities(store, accountId, policy.arn));
  if (input.PolicyUsageFilter !== 'PermissionsPolicy') found.push(...boundedEntities(store, accountId, policy.arn));
  // LocalManagedPolicy / AWSManagedPolicy name no identity: nothing matches them.
  const onlyKind = input.EntityFilter === undefined ? undefined : (ENTITY_FILTER[input.EntityFilter] ?? null);
  const prefix = input.PathPrefix ?? '/';
  const seen = new Set<string>();
  const kept = found.filter((e) => {
    if (onlyKind !== undefined && e.kind !== onlyKind) return false;
    if (!e.path.startsWith(prefix) || seen.has(e.id)) return false;
    seen.add(e.id);
    return true;
  });
  const { items, more } = paginate(kept, input, (e) => `${KIND_ORDER[e.kind]}${e.name.toLowerCase()}`);
  return {
    PolicyGroups: items.filter((e) => e.kind === 'group').map((e) => ({ GroupName: e.name, GroupId: e.id })),
    PolicyUsers: items.filter((e) => e.kind === 'user').map((e) => ({ UserName: e.name, UserId: e.id })),
    PolicyRoles: items.filter((e) => e.kind === 'role').map((e) => ({ RoleName: e.name, RoleId: e.id })),
    ...more,
  };
};

export const policyAttachmentHandlers: Record<string, Handler> = {
  AttachUserPolicy: attach('user'),
  DetachUserPolicy: detach('user'),
  ListAttachedUserPolicies: listAttached('user'),
  AttachGroupPolicy: attach('group'),
  DetachGroupPolicy: detach('group'),
  ListAttachedGroupPolicies: listAttached('group'),
  AttachRolePolicy: attach('role'),
  DetachRolePolicy: detach('role'),
  ListAttachedRolePolicies: listAttached('role'),
  ListEntitiesForPolicy: listEntitiesForPolicy,
};

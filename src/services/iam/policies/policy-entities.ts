import type { Store } from '../../../store/store.js';
import { operation } from '../../operation.js';
import type { IdentityKind } from '../../../identity/attachment-targets.js';
import { paginate, type PageRequest } from '../shared/paginate.js';
import { requirePolicy } from '../../../identity/managed-policies.js';
import { readsPolicy } from './policy-resource.js';

/** ListEntitiesForPolicy: the users, groups and roles a managed policy is attached to or bounds. */

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

interface ListEntitiesInput extends PageRequest {
  PolicyArn: string;
  EntityFilter?: string;
  PathPrefix?: string;
  PolicyUsageFilter?: 'PermissionsPolicy' | 'PermissionsBoundary';
}

export const ListEntitiesForPolicy = operation({
  writes: false,
  authorize: readsPolicy('iam:ListEntitiesForPolicy'),
  run: (ctx, input: ListEntitiesInput) => {
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
    // One page across the three lists: groups, then users, then roles, each by name.
    const { items, more } = paginate(kept, input, (e) => `${KIND_ORDER[e.kind]}${e.name.toLowerCase()}`);
    return {
      PolicyGroups: items.filter((e) => e.kind === 'group').map((e) => ({ GroupName: e.name, GroupId: e.id })),
      PolicyUsers: items.filter((e) => e.kind === 'user').map((e) => ({ UserName: e.name, UserId: e.id })),
      PolicyRoles: items.filter((e) => e.kind === 'role').map((e) => ({ RoleName: e.name, RoleId: e.id })),
      ...more,
    };
  },
});

import type { Principal } from './principal.js';
import type { Store } from '../store/store.js';
import { attachedPolicyTexts, managedPolicyText } from './attached-policies.js';
import { groupsOfUser } from './groups.js';
import { GROUP_INLINE, inlinePolicies, ROLE_INLINE } from './inline-policies.js';
import { findRoleById } from './roles.js';
import { findUserById } from './users.js';

/** A policy document that applies to a principal, named for explanations. */
export interface NamedPolicy {
  name: string;
  document: string;
}

export interface IdentityPolicies {
  identity: Array<NamedPolicy & { kind: 'identity' }>;
  /** The permissions boundary, when the principal has one. */
  boundary?: NamedPolicy;
}

/**
 * The identity-based policies and boundary that apply to a principal, as stored texts
 * (the policy engine compiles and caches them by text). Runs on every request, so the
 * answer is remembered per principal until the next write (src/store/remembered.ts).
 *
 * Sources by principal type:
 *   user:         inline user policies, the user's groups' inline policies, managed
 *                 policies attached to the user and its groups, boundary
 *   assumed-role: the role's inline and attached managed policies, boundary
 *   federated-user: the policies of the user who called GetFederationToken
 *   root:         none — root is not limited by identity policies
 */
export function identityPoliciesFor(store: Store, principal: Principal): IdentityPolicies {
  const remembered = store.memory.map<IdentityPolicies>('identity-policies');
  const key = `${principal.type}|${principal.accountId}|${principal.userId}|${principal.parentUserId ?? ''}`;
  let found = remembered.get(key);
  if (!found) {
    found = lookUp(store, principal);
    remembered.set(key, found);
  }
  return found;
}

function lookUp(store: Store, principal: Principal): IdentityPolicies {
  switch (principal.type) {
    case 'user':
      return forUser(store, principal.accountId, principal.userId);
    case 'assumed-role':
      return principal.roleId ? forRoleSession(store, principal.accountId, principal.roleId) : { identity: [] };
    case 'federated-user':
      return forFederatedUser(store, principal);
    default:
      return { identity: [] };
  }
}

/** Stands for the root user's unlimited permissions when the root user federates. */
const ROOT_EQUIVALENT = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}';

/** GetFederationToken sessions are bounded by the policies of whoever federated (session policies narrow them). */
function forFederatedUser(store: Store, principal: Principal): IdentityPolicies {
  const parent = principal.parentUserId;
  if (parent === undefined) return { identity: [] };
  if (parent === principal.accountId) return { identity: [{ kind: 'identity', name: 'the root user who federated', document: ROOT_EQUIVALENT }] };
  return forUser(store, principal.accountId, parent);
}

function forUser(store: Store, accountId: string, userId: string): IdentityPolicies {
  const user = findUserById(store, accountId, userId);
  if (!user) return { identity: [] };
  const inline = store
    .prepare<{ policy_name: string; document: string }>('SELECT policy_name, document FROM user_policies WHERE account_id = ? AND user_id = ? ORDER BY policy_name')
    .all(accountId, userId);
  const result: IdentityPolicies = {
    identity: inline.map((p) => ({ kind: 'identity' as const, name: `${p.policy_name} (inline, user ${user.user_name})`, document: p.document })),
  };
  result.identity.push(...groupInlinePolicies(store, accountId, userId));
  result.identity.push(...userManagedPolicies(store, accountId, userId, user.user_name));
  if (user.permissions_boundary_arn !== null) result.boundary = boundaryPolicy(store, accountId, user.permissions_boundary_arn);
  return result;
}

/** The inline policies of every group the user is in. */
function groupInlinePolicies(store: Store, accountId: string, userId: string): Array<NamedPolicy & { kind: 'identity' }> {
  const out: Array<NamedPolicy & { kind: 'identity' }> = [];
  for (const group of groupsOfUser(store, accountId, userId)) {
    for (const p of inlinePolicies(store, GROUP_INLINE, { accountId, id: group.group_id })) {
      out.push({ kind: 'identity', name: `${p.policy_name} (inline, group ${group.group_name})`, document: p.document });
    }
  }
  return out;
}

/** The managed policies attached to the user and to each of its groups. */
function userManagedPolicies(store: Store, accountId: string, userId: string, userName: string): Array<NamedPolicy & { kind: 'identity' }> {
  const owners: Array<{ kind: 'user' | 'group'; id: string; name: string }> = [{ kind: 'user', id: userId, name: userName }];
  for (const g of groupsOfUser(store, accountId, userId)) owners.push({ kind: 'group', id: g.group_id, name: g.group_name });
  return attachedPolicyTexts(store, accountId, owners);
}

/**
 * A role session: the role's inline policies and its boundary, read live, so a policy
 * changed or removed applies to sessions already issued. A deleted role grants nothing.
 */
function forRoleSession(store: Store, accountId: string, roleId: string): IdentityPolicies {
  const role = findRoleById(store, accountId, roleId);
  if (!role) return { identity: [] };
  const result: IdentityPolicies = {
    identity: inlinePolicies(store, ROLE_INLINE, { accountId, id: roleId }).map((p) => ({
      kind: 'identity' as const,
      name: `${p.policy_name} (inline, role ${role.role_name})`,
      document: p.document,
    })),
  };
  result.identity.push(...attachedPolicyTexts(store, accountId, [{ kind: 'role', id: roleId, name: role.role_name }]));
  if (role.permissions_boundary_arn !== null) result.boundary = boundaryPolicy(store, accountId, role.permissions_boundary_arn);
  return result;
}

/** A boundary whose policy cannot be found allows nothing: fail closed. */
const DENY_ALL = '{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"*","Resource":"*"}]}';

function boundaryPolicy(store: Store, accountId: string, arn: string): NamedPolicy {
  const policy = managedPolicyDocument(store, accountId, arn);
  return policy ?? { name: `missing permissions boundary ${arn}`, document: DENY_ALL };
}

/**
 * The default version of a managed policy (customer-managed in this account, or
 * AWS-managed from the bundled catalogue), or undefined when there is no such policy.
 */
export function managedPolicyDocument(store: Store, accountId: string, arn: string): NamedPolicy | undefined {
  return managedPolicyText(store, accountId, arn);
}

import type { Principal } from '../../auth/principal.js';
import type { Store } from '../../store/store.js';
import { awsManagedPolicy } from './managed-catalog.js';
import { findUserById } from './user-rows.js';

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
 * answer is cached per principal until the next write to the store.
 *
 * Sources by principal type — add yours here as the features land:
 *   user:         inline user policies (+ later: managed policies attached to the user,
 *                 the user's groups' inline and attached policies), boundary
 *   assumed-role: (later) the role's inline and attached policies, its boundary
 *   root:         none — root is not limited by identity policies
 */
export function identityPoliciesFor(store: Store, principal: Principal): IdentityPolicies {
  let cache = caches.get(store);
  if (!cache || cache.generation !== store.generation) {
    cache = { generation: store.generation, byPrincipal: new Map() };
    caches.set(store, cache);
  }
  const key = `${principal.type}|${principal.accountId}|${principal.userId}`;
  let found = cache.byPrincipal.get(key);
  if (!found) {
    found = lookUp(store, principal);
    cache.byPrincipal.set(key, found);
  }
  return found;
}

const caches = new WeakMap<Store, { generation: number; byPrincipal: Map<string, IdentityPolicies> }>();

function lookUp(store: Store, principal: Principal): IdentityPolicies {
  switch (principal.type) {
    case 'user':
      return forUser(store, principal.accountId, principal.userId);
    default:
      return { identity: [] };
  }
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
  if (user.permissions_boundary_arn !== null) result.boundary = boundaryPolicy(store, accountId, user.permissions_boundary_arn);
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
 * AWS-managed), or undefined when there is no such policy.
 *
 * AWS-managed policies come from the bundled catalogue. Customer-managed policies are
 * not built yet: the managed-policies engineer adds their lookup here.
 */
export function managedPolicyDocument(_store: Store, _accountId: string, arn: string): NamedPolicy | undefined {
  if (arn.startsWith('arn:aws:iam::aws:policy/')) {
    const entry = awsManagedPolicy(arn);
    return entry && { name: entry.name, document: entry.document };
  }
  return undefined;
}

import { compilePolicy, explain, denialReason, DecisionMemo, type CompiledPolicy, type Decision, type EvalRequest, type OrgPlace, type PolicySet } from '../policy/index.js';
import type { Principal } from '../identity/principal.js';
import type { AuthzEntry } from '../services/types.js';
import type { Store } from '../store/store.js';
import { identityPoliciesFor, type IdentityPolicies } from '../identity/effective-policies.js';
import { AwsError } from '../protocol/errors.js';
import { levelNote, orgPlace, withResourceControlPolicies, withServiceControlPolicies } from './organization-policies.js';

/** One authorization check: what was asked, what the engine decided and why. */
export interface Verdict {
  entry: AuthzEntry;
  decision: Decision;
  /** Human explanation, for the decision log. */
  readonly why: string;
}

/**
 * The policies that apply to a principal, compiled. identityPoliciesFor hands back the
 * same object until the next write, so the compiled set is kept beside it: a request
 * then costs no compile-cache lookups at all.
 */
export function policySetFor(store: Store, principal: Principal): PolicySet {
  // The SCPs of the principal's organization, when they bind it (organization-policies.ts).
  return withServiceControlPolicies(store, principal, identitySetFor(store, principal));
}

function identitySetFor(store: Store, principal: Principal): PolicySet {
  if (principal.type === 'anonymous') return ANONYMOUS_SET;
  const found = identityPoliciesFor(store, principal);
  const session = principal.sessionPolicies;
  if (session?.length) {
    // A session's policies never change, and its principal is one object until the next write.
    const hit = sessionSets.get(session);
    if (hit?.found === found) return hit.set;
    const set = compileSet(found, session);
    sessionSets.set(session, { found, set });
    return set;
  }
  let set = compiledSets.get(found);
  if (!set) {
    set = compileSet(found, []);
    compiledSets.set(found, set);
  }
  return set;
}

/** Anonymous callers have no identity policies: one set for all of them, so their decisions are remembered too. */
const ANONYMOUS_SET: PolicySet = Object.freeze({ identity: Object.freeze([]) as unknown as CompiledPolicy[] });
const compiledSets = new WeakMap<IdentityPolicies, PolicySet>();
const sessionSets = new WeakMap<readonly string[], { found: IdentityPolicies; set: PolicySet }>();
const decisions = new DecisionMemo();

/** The identity set with resource policies added: one object per pair, kept while both live. */
function withResource(set: PolicySet, resource: CompiledPolicy[], required: boolean): PolicySet {
  let byResource = resourceSets.get(set);
  if (!byResource) {
    byResource = new WeakMap();
    resourceSets.set(set, byResource);
  }
  let pair = byResource.get(resource);
  if (!pair) {
    pair = {};
    byResource.set(resource, pair);
  }
  const which = required ? 'required' : 'optional';
  return (pair[which] ??= { ...set, resource, resourcePolicyRequired: required || undefined });
}

const resourceSets = new WeakMap<PolicySet, WeakMap<CompiledPolicy[], { required?: PolicySet; optional?: PolicySet }>>();

function compileSet(found: IdentityPolicies, sessionPolicies: string[]): PolicySet {
  const set: PolicySet = {
    identity: found.identity.map((p) => compilePolicy(p.document, { kind: 'identity', name: p.name })),
  };
  if (found.boundary) set.boundary = compilePolicy(found.boundary.document, { kind: 'boundary', name: found.boundary.name });
  if (sessionPolicies.length) {
    set.session = sessionPolicies.map((doc, i) => compilePolicy(doc, { kind: 'session', name: `session policy ${i + 1}` }));
  }
  return set;
}

/** Evaluates each entry an operation needs; the caller decides what a denial does. */
export function authorize(
  principal: Principal,
  entries: AuthzEntry[],
  globalKeys: Readonly<Record<string, string | string[]>>,
  principalSet: PolicySet,
  store?: Store,
): Verdict[] {
  return entries.map((entry) => {
    let set = principalSet;
    let org: OrgPlace | undefined;
    let resourceOrg: OrgPlace | undefined;
    if (store) {
      // Organizations: the resource account's RCPs, and both sides' organizations (the org condition keys).
      const resourceAccount = entry.resourceAccount ?? principal.accountId;
      set = withResourceControlPolicies(store, principal, entry.action, resourceAccount, set);
      if (principal.type !== 'anonymous') org = orgPlace(store, principal.accountId);
      if (resourceAccount !== principal.accountId) resourceOrg = orgPlace(store, resourceAccount);
    }
    const request: EvalRequest = new EntryRequest(
      entry.action,
      entry.resource,
      { type: principal.type, arn: principal.arn, accountId: principal.accountId, roleArn: principal.roleArn, userArn: principal.parentArn, identityProvider: entry.identityProvider, org },
      entry.resourceAccount,
      resourceOrg,
      globalKeys,
      entry.context,
    );
    // The set is one object per principal until its policies change: decisions on it are
    // remembered. With a resource policy, the set is one object per (identity set, resource
    // policy list) pair, so a resource that keeps its compiled list (a bucket policy) is
    // remembered the same way.
    const decision = decisions.evaluate(request, entry.resourcePolicies ? withResource(set, entry.resourcePolicies, entry.resourcePolicyRequired === true) : set);
    // Explaining costs a little: only when someone reads it (a denial, or the decision log).
    let why: string | undefined;
    return {
      entry,
      decision,
      get why() {
        return (why ??= explain(decision, request) + levelNote(set, decision.failedToAllow as 'scp' | 'rcp' | undefined, decision.failedToAllowLevel));
      },
    };
  });
}

/**
 * An entry's request to the engine. Its context (the global keys with the entry's own) is
 * merged only when a condition reads it: a remembered decision that read no key (most of
 * them) never builds that 15-key object.
 */
class EntryRequest implements EvalRequest {
  private merged: EvalRequest['context'] | undefined;
  constructor(
    readonly action: string,
    readonly resource: string,
    readonly principal: EvalRequest['principal'],
    readonly resourceAccount: string | undefined,
    readonly resourceOrg: OrgPlace | undefined,
    private readonly globalKeys: Readonly<Record<string, string | string[]>>,
    private readonly extra: AuthzEntry['context'],
  ) {}

  get context(): EvalRequest['context'] {
    return (this.merged ??= this.extra ? { ...this.globalKeys, ...this.extra } : this.globalKeys);
  }
}

/** AWS's AccessDenied for a denied verdict, worded as IAM words it. */
export function accessDenied(principal: Principal, v: Verdict): AwsError {
  if (v.entry.denial !== undefined) return new AwsError('AccessDenied', v.entry.denial, 403);
  return new AwsError('AccessDenied', deniedMessage(principal, v), 403);
}

/**
 * The JSON-protocol services' denial (DynamoDB, Organizations, CloudTrail, sso-admin,
 * identitystore; Access Analyzer with the 403 its model gives): AccessDeniedException,
 * HTTP 400, in the same words, e.g. "User: arn:aws:iam::111122223333:user/ana is not authorized
 * to perform: dynamodb:GetItem on resource: arn:…:table/Music because no identity-based policy
 * allows the dynamodb:GetItem action".
 */
export function accessDeniedException(status: 400 | 403 = 400): (principal: Principal, v: Verdict) => AwsError {
  return (principal, v) => new AwsError('AccessDeniedException', deniedMessage(principal, v), status);
}

function deniedMessage(principal: Principal, v: Verdict): string {
  const who = principal.type === 'anonymous' ? 'anonymous' : principal.arn;
  return `User: ${who} is not authorized to perform: ${v.entry.action} on resource: ${v.entry.resource} ${denialReason(v.decision, v.entry.action)}`;
}

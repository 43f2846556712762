/**
 * What a decision says: the verdict, and the statements that decided it, each named by
 * its policy, the role the policy played, and its place in the text.
 */
import type { Effect, PolicyKind } from './ast.js';

export type PolicyType = 'identity' | 'resource' | 'boundary' | 'session' | 'scp' | 'rcp';

export interface MatchedStatement {
  policyName: string;
  policyKind: PolicyKind;
  /** Which role the policy played in this decision. */
  policyType: PolicyType;
  /** For SCP/RCP: the organization level (index into PolicySet.scps / rcps). */
  level?: number;
  sid?: string;
  /** 0-based position in the policy's Statement array. */
  statementIndex: number;
  effect: 'Allow' | 'Deny';
  line: number;
  column: number;
}

export interface Decision {
  decision: 'allowed' | 'explicitDeny' | 'implicitDeny';
  /** The statements that decided it: the denies, or the allows that granted (and the limits that let them through). */
  matched: MatchedStatement[];
  /** For implicit denies: the policy type that failed to allow. */
  failedToAllow?: PolicyType;
  /** For failedToAllow 'scp' / 'rcp': the organization level that had no Allow. */
  failedToAllowLevel?: number;
  /** Condition keys the policies asked for that the request lacked. */
  missingContextKeys: string[];
}

/** The role a policy of each kind plays unless the caller places it elsewhere. */
export const KIND_ROLE: Readonly<Record<PolicyKind, PolicyType>> = {
  identity: 'identity', boundary: 'boundary', session: 'session', resource: 'resource', trust: 'resource', scp: 'scp', rcp: 'rcp',
};

/** A statement as decisions report it, frozen so one object can be shared by every decision. */
export function matchedStatement(
  policyName: string, policyKind: PolicyKind,
  s: { index: number; sid?: string; effect: Effect; line: number; column: number },
  type: PolicyType, level: number,
): MatchedStatement {
  const m: MatchedStatement = { policyName, policyKind, policyType: type, statementIndex: s.index, effect: s.effect, line: s.line, column: s.column };
  if (s.sid !== undefined) m.sid = s.sid;
  if (type === 'scp' || type === 'rcp') m.level = level;
  return Object.freeze(m);
}

/**
 * Decisions in words: for people (explain) and in AWS's own AccessDenied phrasing
 * (denialReason / accessDeniedMessage, per troubleshoot_access-denied).
 */
import type { Decision, EvalRequest, MatchedStatement, PolicyType } from './evaluate.js';

/** AWS's names for the policy types in AccessDenied messages. */
const TYPE_NAMES: Record<PolicyType, string> = {
  identity: 'identity-based policy',
  resource: 'resource-based policy',
  boundary: 'permissions boundary',
  session: 'session policy',
  scp: 'service control policy',
  rcp: 'resource control policy',
};

function article(words: string): string {
  return /^[aeiou]/i.test(words) ? `an ${words}` : `a ${words}`;
}

/** 'statement "DenyCreateUser" (line 9) of policy "deny-iam-users"' */
export function describeStatement(m: MatchedStatement): string {
  const which = m.sid !== undefined ? `statement "${m.sid}"` : `statement #${m.statementIndex + 1}`;
  const level = m.level !== undefined ? `, organization level ${m.level}` : '';
  const of = m.policyType === 'identity' ? 'policy' : TYPE_NAMES[m.policyType];
  return `${which} (line ${m.line}) of ${of} "${m.policyName}"${level}`;
}

/**
 * The reason AWS appends to an AccessDenied message, with its connector:
 *   explicit: 'with an explicit deny in an identity-based policy'
 *   implicit: 'because no identity-based policy allows the iam:CreateUser action'
 * Empty for an allowed decision. (The server appends it after "on resource: ARN ".)
 */
export function denialReason(d: Decision, action: string): string {
  if (d.decision === 'explicitDeny') {
    const first = d.matched[0];
    return `with an explicit deny in ${article(TYPE_NAMES[first?.policyType ?? 'identity'])}`;
  }
  if (d.decision === 'implicitDeny') return `because no ${TYPE_NAMES[d.failedToAllow ?? 'identity']} allows the ${action} action`;
  return '';
}

/**
 * AWS's whole AccessDenied message:
 * 'User: arn:… is not authorized to perform: iam:CreateUser on resource: arn:… because no identity-based policy allows the iam:CreateUser action'
 */
export function accessDeniedMessage(d: Decision, req: { principalArn: string; action: string; resource: string }): string {
  const head = `User: ${req.principalArn} is not authorized to perform: ${req.action} on resource: ${req.resource}`;
  return d.decision === 'allowed' ? head : `${head} ${denialReason(d, req.action)}`;
}

/** One line for logs and the CLI. */
export function explain(d: Decision, req?: EvalRequest): string {
  const what = req ? `${req.action} on ${req.resource}` : '';
  let text: string;
  if (d.decision === 'explicitDeny') {
    const [first, ...rest] = d.matched;
    text = `explicitly denied by ${first ? describeStatement(first) : 'a Deny statement'}`;
    if (rest.length > 0) text += ` (and ${rest.length} more Deny statement${rest.length > 1 ? 's' : ''})`;
  } else if (d.decision === 'implicitDeny') {
    const type = d.failedToAllow ?? 'identity';
    const level = d.failedToAllowLevel !== undefined ? ` at organization level ${d.failedToAllowLevel}` : '';
    text = `implicitly denied: no ${TYPE_NAMES[type]}${level} allows the action`;
  } else {
    const granting = d.matched.filter((m) => m.policyType === 'identity' || m.policyType === 'resource');
    const [first, ...rest] = granting.length > 0 ? granting : d.matched;
    text = first ? `allowed by ${describeStatement(first)}` : req?.principal.type === 'root' ? 'allowed: the account root user has full access in its own account' : 'allowed';
    if (rest.length > 0) text += ` (and ${rest.length} more statement${rest.length > 1 ? 's' : ''})`;
  }
  if (what) text = `${what}: ${text}`;
  if (d.missingContextKeys.length > 0) text += `; the request lacked condition key${d.missingContextKeys.length > 1 ? 's' : ''} ${d.missingContextKeys.join(', ')}`;
  return text;
}

import { MalformedPolicyError, MALFORMED_POLICY_MESSAGES as MSG, parsePolicy, POLICY_LIMITS, type Policy, type PolicyValue } from '../../../policy/index.js';
import { answeringPolicyErrors } from '../../../identity/policy-errors.js';
import type { Store } from '../../../store/store.js';
import { findAccount } from '../../../identity/accounts.js';
import { findRole } from '../../../identity/roles.js';
import { findUser } from '../../../identity/users.js';

/**
 * A role's trust policy (CreateRole, UpdateAssumeRolePolicy): a resource policy on the
 * role that must name a Principal, within ACLSizePerRole. Like IAM, an AWS principal that
 * names a user or role must name one that exists — IAM resolves it to the entity's unique
 * id when it stores the policy. We can only know that for accounts this server holds;
 * principals in other accounts are taken on trust. IAM also refuses wildcards inside a
 * principal ARN ("*" alone is the only wildcard a Principal may use).
 */
export function checkTrustPolicy(store: Store, text: string): Policy {
  return answeringPolicyErrors(() => readTrustPolicy(store, text));
}

function readTrustPolicy(store: Store, text: string): Policy {
  const policy = parsePolicy(text, { kind: 'trust', maxLength: POLICY_LIMITS.trust.max, tooLargeMessage: POLICY_LIMITS.trust.message('') });
  for (const statement of policy.statements) {
    for (const block of [statement.principal, statement.notPrincipal]) {
      if (!block || block.wildcard) continue;
      for (const entry of block.entries) {
        if (entry.type !== 'AWS') continue;
        for (const value of entry.values) checkAwsPrincipal(store, value);
      }
    }
  }
  return policy;
}

const IAM_ENTITY_ARN = /^arn:aws:iam::(\d{12}):(user|role)(\/(?:[^/]+\/)*)([^/]+)$/;

function checkAwsPrincipal(store: Store, value: PolicyValue): void {
  const text = value.value;
  if (text === '*') return;
  if (/[*?]/.test(text)) throw invalid(value, 'a principal ARN cannot contain wildcards; use "*" with a condition instead');
  const m = IAM_ENTITY_ARN.exec(text);
  if (!m) return;
  const [, account, kind, path, name] = m;
  if (!findAccount(store, account)) return;
  const row = kind === 'user' ? findUser(store, account, name) : findRole(store, account, name);
  if (!row || row.path !== path) throw invalid(value, `no ${kind} ${path}${name} exists in account ${account}`);
}

function invalid(value: PolicyValue, detail: string): MalformedPolicyError {
  return new MalformedPolicyError(MSG.invalidPrincipal('AWS', value.value), {
    line: value.span.start.line,
    column: value.span.start.column,
    path: value.path,
    detail,
  });
}

import { deflateRawSync } from 'node:zlib';
import { parsePolicy } from '../../policy/index.js';
import { answeringPolicyErrors } from '../../identity/policy-errors.js';
import { AwsError } from '../../protocol/errors.js';
import type { Store } from '../../store/store.js';
import { managedPolicyDocument } from '../../identity/effective-policies.js';
import { memberTooLong, stsValidationError } from './errors.js';

/**
 * Session policies (Policy, PolicyArns) of AssumeRole and GetFederationToken: they can
 * only narrow the session. The inline policy is parsed as IAM parses any identity policy;
 * managed ones are read (in the account the session belongs to) when the session is made.
 *
 * STS packs session policies and session tags into the token, which has its own size
 * limit: PackedPolicySize is the percentage of it used. We pack by deflating the
 * minified policies, the ARNs and the tags; the budget is chosen so a small policy with
 * two tags reports single digits, as AWS's documented example does.
 */
export interface SessionPolicyInput {
  Policy?: string;
  PolicyArns?: Array<{ arn?: string }>;
}

export interface SessionPolicies {
  /** Policy texts the session is limited by (empty: no session policies). */
  texts: string[];
  arns: string[];
}

/** The plain-text limit of an inline session policy. */
export const MAX_SESSION_POLICY_CHARS = 2048;
export const MAX_SESSION_POLICY_ARNS = 10;
/** Bytes of packed policies and tags a session may hold. */
export const PACKED_BUDGET_BYTES = 1536;

/** A policy that allows nothing: stands in for a managed policy that does not exist. */
const ALLOWS_NOTHING = '{"Version":"2012-10-17","Statement":[{"Effect":"Deny","NotAction":"*","Resource":"*"}]}';

export function sessionPoliciesOf(store: Store, accountId: string, input: SessionPolicyInput): SessionPolicies {
  const texts: string[] = [];
  const arns: string[] = [];
  if (input.Policy !== undefined) {
    if (input.Policy.length > MAX_SESSION_POLICY_CHARS) throw memberTooLong('policy', MAX_SESSION_POLICY_CHARS);
    answeringPolicyErrors(() => parsePolicy(input.Policy!, { kind: 'session' }));
    texts.push(input.Policy);
  }
  const refs = input.PolicyArns ?? [];
  if (refs.length > MAX_SESSION_POLICY_ARNS) {
    throw stsValidationError(`1 validation error detected: Value at 'policyArns' failed to satisfy constraint: Member must have length less than or equal to ${MAX_SESSION_POLICY_ARNS}`);
  }
  for (const ref of refs) {
    if (!ref.arn) throw stsValidationError('PolicyArns must name a policy ARN.');
    arns.push(ref.arn);
    texts.push(managedPolicyDocument(store, accountId, ref.arn)?.document ?? ALLOWS_NOTHING);
  }
  return { texts, arns };
}

/**
 * PackedPolicySize: how much of the packed budget the inline policy, the policy ARNs and
 * the session tags use, in percent (rounded up). Over 100 is PackedPolicyTooLarge.
 */
export function packedPolicySize(policy: string | undefined, arns: string[], tags: Record<string, string>): number {
  if (policy === undefined && arns.length === 0 && Object.keys(tags).length === 0) return 0;
  const minified = policy === undefined ? '' : JSON.stringify(JSON.parse(policy));
  const packed = deflateRawSync(Buffer.from(JSON.stringify([minified, arns, tags]), 'utf8')).length;
  const percent = Math.ceil((packed * 100) / PACKED_BUDGET_BYTES);
  if (percent > 100) {
    throw new AwsError('PackedPolicyTooLarge', `Packed policy consumes ${percent}% of allotted space, please use smaller policy.`, 400);
  }
  return percent;
}

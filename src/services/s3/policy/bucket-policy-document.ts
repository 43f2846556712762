import {
  MalformedPolicyError, parsePolicy, PolicySizeError, type Policy, type PolicyValue, type Statement,
} from '../../../policy/index.js';
import { actionsMatching } from '../../../policy/index.js';
import { iamDataCatalog } from '../../../catalog/iam-data-catalog.js';
import { globRegExp } from '../../../policy/validate-match.js';
import type { Store } from '../../../store/store.js';
import { findAccount } from '../../../identity/accounts.js';
import { findRole } from '../../../identity/roles.js';
import { findUser } from '../../../identity/users.js';
import { malformedPolicy } from '../errors.js';

/**
 * A bucket policy as S3 checks it on PutBucketPolicy: the policy language via the
 * engine's parser (kind 'resource'), then S3's own rules, each refused with S3's
 * MalformedPolicy wording:
 *   - every statement names a Principal (or NotPrincipal);
 *   - every action is an S3 action AWS documents ("Policy has invalid action");
 *   - every resource is this bucket or objects in it ("Policy has invalid resource");
 *   - some action of the statement applies to some resource of it (bucket-level actions
 *     to the bucket ARN, object-level ones to object ARNs);
 *   - condition keys are documented ones ("Policy has an invalid condition key");
 *   - an AWS principal naming a user or role of an account this server holds names one
 *     that exists ("Invalid principal in policy").
 */

/** S3's limit on a bucket policy: 20 KB. */
export const BUCKET_POLICY_MAX_BYTES = 20 * 1024;

export function checkBucketPolicy(store: Store, bucket: string, text: string): Policy {
  if (Buffer.byteLength(text, 'utf8') > BUCKET_POLICY_MAX_BYTES) throw malformedPolicy('Policies must be less than 20 KB');
  let policy: Policy;
  try {
    if (!text.trimStart().startsWith('{')) throw malformedPolicy('Policies must be valid JSON and the first byte must be \'{\'');
    policy = parsePolicy(text, { kind: 'resource', name: `bucket policy of ${bucket}` });
  } catch (e) {
    if (e instanceof MalformedPolicyError) throw malformedPolicy(s3Wording(e));
    if (e instanceof PolicySizeError) throw malformedPolicy('Policies must be less than 20 KB');
    throw e;
  }
  for (const s of policy.statements) checkStatement(store, bucket, s);
  return policy;
}

/** The engine's IAM wording → S3's, for the refusals both make. */
function s3Wording(e: MalformedPolicyError): string {
  const m = e.message;
  if (m === 'Syntax errors in policy.') return e.detail.includes('JSON') || /column/.test(e.detail) ? 'This policy contains invalid Json' : 'Invalid policy syntax.';
  if (m.startsWith('Missing required field Principal')) return 'Missing required field Principal';
  if (m.startsWith('Invalid principal')) return 'Invalid principal in policy';
  if (m.startsWith('Policy statement must contain actions')) return 'Missing required field Action';
  if (m.startsWith('Policy statement must contain resources')) return 'Missing required field Resource';
  if (m.startsWith('Resource ') || m.startsWith('Partition') || m.startsWith('Resource vendor')) return 'Policy has invalid resource';
  if (m.startsWith('Actions/Condition') || m.startsWith('Vendor')) return 'Policy has invalid action';
  if (m.startsWith('Statement IDs')) return 'Statement IDs (SID) in a single policy must be unique.';
  if (m.startsWith('Has prohibited field')) return `Unknown field ${m.slice('Has prohibited field '.length).replace(/\.$/, '')}`;
  return 'Invalid policy syntax.';
}

type ResourceKind = 'bucket' | 'object';

function checkStatement(store: Store, bucket: string, s: Statement): void {
  if (!s.principal && !s.notPrincipal) throw malformedPolicy('Missing required field Principal');
  for (const block of [s.principal, s.notPrincipal]) {
    if (!block || block.wildcard) continue;
    for (const entry of block.entries) {
      if (entry.type !== 'AWS') continue;
      for (const v of entry.values) checkAwsPrincipal(store, v);
    }
  }
  // Which kinds of resource the statement's resources can be.
  const kinds = new Set<ResourceKind>();
  for (const list of [s.resource, s.notResource]) {
    if (!list) continue;
    for (const v of list.values) for (const k of resourceKinds(bucket, v.value, list === s.notResource)) kinds.add(k);
  }
  // Which kinds the statement's actions apply to.
  const applies = new Set<ResourceKind>();
  let anyAction = false;
  for (const v of s.action?.values ?? []) {
    const value = v.value;
    if (value === '*') {
      anyAction = true;
      continue;
    }
    if (!/^s3:/i.test(value)) throw malformedPolicy('Policy has invalid action');
    const matched = actionsMatching(iamDataCatalog, value);
    if (matched.length === 0) throw malformedPolicy('Policy has invalid action');
    for (const a of matched) for (const rt of a.resourceTypes) if (rt.name === 'bucket' || rt.name === 'object') applies.add(rt.name);
  }
  for (const v of s.notAction?.values ?? []) {
    if (v.value !== '*' && !/^s3:/i.test(v.value)) throw malformedPolicy('Policy has invalid action');
    anyAction = true;
  }
  if (!anyAction && ![...kinds].some((k) => applies.has(k))) throw malformedPolicy('Action does not apply to any resource(s) in statement');
  for (const c of s.condition?.clauses ?? []) {
    if (!iamDataCatalog.findConditionKey(c.key)) throw malformedPolicy('Policy has an invalid condition key');
  }
}

/**
 * The kinds of S3 resource a Resource value can name in this bucket's policy; a value
 * that cannot name this bucket or its objects is refused.
 */
function resourceKinds(bucket: string, value: string, negated: boolean): ResourceKind[] {
  if (value === '*') {
    // S3 refuses a bare "*" Resource; NotResource "*" names nothing and is harmless.
    if (negated) return [];
    throw malformedPolicy('Policy has invalid resource');
  }
  const m = /^arn:(aws|\*):s3:::(.+)$/.exec(value);
  if (!m) throw malformedPolicy('Policy has invalid resource');
  const rest = m[2].replace(/\$\{[^}]*\}/g, '*');
  const slash = rest.indexOf('/');
  const bucketPart = slash < 0 ? rest : rest.slice(0, slash);
  const kinds: ResourceKind[] = [];
  if (slash >= 0) {
    if (globRegExp(bucketPart, false).test(bucket)) kinds.push('object');
  } else {
    if (globRegExp(bucketPart, false).test(bucket)) kinds.push('bucket');
    // "arn:aws:s3:::bucket*" also matches "bucket/key".
    if (bucketPart.includes('*') && globRegExp(bucketPart, false).test(`${bucket}/x`)) kinds.push('object');
  }
  if (kinds.length === 0) throw malformedPolicy('Policy has invalid resource');
  return kinds;
}

const IAM_ENTITY_ARN = /^arn:aws:iam::(\d{12}):(user|role)(\/(?:[^/]+\/)*)([^/]+)$/;

/** The parser has checked the principal's form; S3 also wants named users and roles to exist. */
function checkAwsPrincipal(store: Store, v: PolicyValue): void {
  const m = IAM_ENTITY_ARN.exec(v.value);
  if (!m || /[*?]/.test(v.value)) return;
  const [, account, kind, path, name] = m;
  if (!findAccount(store, account)) return;
  const row = kind === 'user' ? findUser(store, account, name) : findRole(store, account, name);
  if (!row || row.path !== path) throw malformedPolicy('Invalid principal in policy');
}

// ---------------------------------------------------------------------------------------
// "Public", as S3 Block Public Access and GetBucketPolicyStatus mean it

/**
 * Condition keys whose fixed values make a statement non-public (S3 User Guide, "The
 * meaning of public"): the grant then reaches only known principals, networks or sources.
 */
const FIXING_KEYS = new Set([
  'aws:sourceip', 'aws:sourcearn', 'aws:sourcevpc', 'aws:sourcevpce', 'aws:sourceowner', 'aws:sourceaccount',
  'aws:principalorgid', 'aws:principalaccount', 'aws:principalarn', 'aws:userid', 'aws:principalorgpaths',
  's3:x-amz-server-side-encryption-aws-kms-key-id', 's3:dataaccesspointarn', 's3:dataaccesspointaccount',
]);

/** Operators that pin a key to the values listed (not negated, not wildcards). */
const FIXING_OPERATORS = /^(StringEquals|StringEqualsIgnoreCase|ArnEquals|ArnLike|StringLike|IpAddress)$/;

/**
 * True when some Allow statement grants to everyone: Principal "*" (or an AWS principal
 * with a wildcard, or NotPrincipal) without a condition that pins one of FIXING_KEYS to
 * fixed values.
 */
export function isPublicPolicy(policy: Policy): boolean {
  return policy.statements.some(isPublicStatement);
}

export function isPublicStatement(s: Statement): boolean {
  if (s.effect !== 'Allow') return false;
  const everyone =
    s.notPrincipal !== undefined ||
    (s.principal !== undefined &&
      (s.principal.wildcard || s.principal.entries.some((e) => (e.type === 'AWS' || e.type === 'CanonicalUser') && e.values.some((v) => v.value.includes('*')))));
  if (!everyone) return false;
  for (const c of s.condition?.clauses ?? []) {
    if (!FIXING_KEYS.has(c.key.toLowerCase())) continue;
    const op = c.operator.replace(/IfExists$/, '').replace(/^ForAnyValue:|^ForAllValues:/, '');
    if (!FIXING_OPERATORS.test(op)) continue;
    if (c.values.length === 0) continue;
    if (c.values.every((v) => isFixedValue(c.key.toLowerCase(), v.value))) return false;
  }
  return true;
}

function isFixedValue(key: string, value: string): boolean {
  if (value.includes('${')) return false;
  if (key === 'aws:sourceip') {
    // A CIDR broader than /8 (IPv4) or /32 (IPv6) is as good as everyone.
    const m = /\/(\d+)$/.exec(value);
    if (!m) return true;
    return value.includes(':') ? Number(m[1]) >= 32 : Number(m[1]) >= 8;
  }
  if (key === 'aws:userid') return !value.includes('*') || /^AROA[A-Z0-9]+:\*$/.test(value);
  return !value.includes('*') && !value.includes('?');
}

import { randomBytes } from 'node:crypto';
import { actionsMatching, MalformedPolicyError, parsePolicy, PolicySizeError, type Policy } from '../../../policy/index.js';
import { iamDataCatalog } from '../../../catalog/iam-data-catalog.js';
import type { Store } from '../../../store/store.js';
import type { RequestContext } from '../../types.js';
import { invalidParameter } from '../errors.js';

/** DynamoDB's limit on a resource policy: 20 KB. */
export const RESOURCE_POLICY_MAX_BYTES = 20 * 1024;

/**
 * A table's resource policy as DynamoDB checks it on PutResourcePolicy (and CreateTable's
 * ResourcePolicy): the policy language via the engine's parser (kind 'resource': every
 * statement names a Principal), then DynamoDB's own rules, refused with its wording
 * ("One or more parameter values were invalid: Invalid policy document: …"): actions are
 * DynamoDB actions AWS documents, resources are this table or what is under it.
 */
export function checkResourcePolicy(_store: Store, arn: string, text: string): string {
  if (Buffer.byteLength(text, 'utf8') > RESOURCE_POLICY_MAX_BYTES) throw invalid('Policy size exceeds the maximum allowed size of 20 KB.');
  let policy: Policy;
  try {
    policy = parsePolicy(text, { kind: 'resource', name: `resource policy of ${arn}` });
  } catch (e) {
    if (e instanceof MalformedPolicyError) throw invalid(e.detail ? `${e.message} ${e.detail}`.trim() : e.message);
    if (e instanceof PolicySizeError) throw invalid('Policy size exceeds the maximum allowed size of 20 KB.');
    throw e;
  }
  const badActions: string[] = [];
  for (const s of policy.statements) {
    if (!s.principal && !s.notPrincipal) throw invalid('Missing required field Principal');
    for (const v of [...(s.action?.values ?? []), ...(s.notAction?.values ?? [])]) {
      if (v.value === '*' ) continue;
      if (!/^dynamodb:/i.test(v.value) || actionsMatching(iamDataCatalog, v.value).length === 0) badActions.push(v.value);
    }
    for (const v of s.resource?.values ?? []) {
      if (v.value !== '*' && v.value !== arn && !v.value.startsWith(`${arn}/`) && !/[*?]/.test(v.value)) {
        throw invalid(`Policy document contains a resource that does not belong to the table: ${v.value}`);
      }
    }
  }
  if (badActions.length > 0) throw invalid(`The following action names are invalid: ${badActions.map((a) => `"${a}"`).join(', ')}`);
  return text;
}

function invalid(detail: string) {
  return invalidParameter(`Invalid policy document: ${detail}`);
}

/** A policy's RevisionId: a fresh one at every change. */
export function newRevision(ctx: RequestContext): string {
  return `${ctx.now}${randomBytes(4).readUInt32BE(0) % 1000}`.padEnd(16, '0');
}

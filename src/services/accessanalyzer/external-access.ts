import { createHash } from 'node:crypto';
import { parsePolicy, PolicyError, type Policy, type Statement } from '../../policy/index.js';
import type { Store } from '../../store/store.js';

/** A resource whose resource-based policy may share it outside the zone of trust. */
export interface SharedResource {
  arn: string;
  type: string;
  owner: string;
  policy: string;
  kind: 'trust' | 'resource';
}

/**
 * The resource types an external-access analyzer reads, each a query of its table. Add a
 * type (DynamoDB tables' resource policies, KMS keys…) by adding an entry here.
 */
export const RESOURCE_TYPES: Array<{ type: string; list: (store: Store, accountId: string) => SharedResource[] }> = [
  {
    type: 'AWS::IAM::Role',
    list: (store, accountId) => store
      .prepare<{ role_name: string; path: string; doc: string }>('SELECT role_name, path, assume_role_policy_document AS doc FROM roles WHERE account_id = ? AND service_name IS NULL')
      .all(accountId)
      .map((r) => ({ arn: `arn:aws:iam::${accountId}:role${r.path}${r.role_name}`, type: 'AWS::IAM::Role', owner: accountId, policy: r.doc, kind: 'trust' as const })),
  },
  {
    type: 'AWS::S3::Bucket',
    list: (store, accountId) => store
      .prepare<{ name: string; policy: string }>('SELECT name, policy FROM s3_buckets WHERE account_id = ? AND policy IS NOT NULL')
      .all(accountId)
      .map((b) => ({ arn: `arn:aws:s3:::${b.name}`, type: 'AWS::S3::Bucket', owner: accountId, policy: b.policy, kind: 'resource' as const })),
  },
];

export interface ExternalFinding {
  id: string;
  resource: string;
  resourceType: string;
  resourceOwnerAccount: string;
  principal: Record<string, string>;
  action: string[];
  condition: Record<string, string>;
  isPublic: boolean;
}

/**
 * What each resource shares outside the account: every Allow statement naming a principal
 * of another account, an identity provider, or everyone. Service principals are AWS's
 * own and not external. Finding ids are derived from what they say, so the same sharing
 * keeps its id between analyses.
 */
export function externalFindings(store: Store, accountId: string, analyzerName: string): ExternalFinding[] {
  const out: ExternalFinding[] = [];
  for (const t of RESOURCE_TYPES) {
    for (const r of t.list(store, accountId)) {
      let policy: Policy;
      try {
        policy = parsePolicy(r.policy, { kind: r.kind, name: r.arn });
      } catch (e) {
        if (e instanceof PolicyError) continue;
        throw e;
      }
      for (const s of policy.statements) {
        if (s.effect !== 'Allow') continue;
        for (const principal of outsiders(s, accountId)) {
          const action = (s.action?.values ?? []).map((v) => v.value).sort();
          const condition = conditionsOf(s);
          const isPublic = (principal.AWS === '*' || principal.Federated === '*') && Object.keys(condition).length === 0;
          const id = findingId(analyzerName, r.arn, principal, action, condition);
          out.push({ id, resource: r.arn, resourceType: r.type, resourceOwnerAccount: r.owner, principal, action, condition, isPublic });
        }
      }
    }
  }
  return out;
}

function outsiders(s: Statement, accountId: string): Array<Record<string, string>> {
  const out: Array<Record<string, string>> = [];
  if (s.principal?.wildcard) return [{ AWS: '*' }];
  for (const e of s.principal?.entries ?? []) {
    for (const v of e.values) {
      if (e.type === 'AWS') {
        const account = /^\d{12}$/.test(v.value) ? v.value : /^arn:aws[\w-]*:(?:iam|sts)::(\d{12}):/.exec(v.value)?.[1];
        if (v.value === '*' || (account !== undefined && account !== accountId)) out.push({ AWS: v.value });
      } else if (e.type === 'Federated') {
        const account = /^arn:aws[\w-]*:iam::(\d{12}):/.exec(v.value)?.[1];
        if (account !== accountId) out.push({ Federated: v.value });
      } else if (e.type === 'CanonicalUser') {
        out.push({ CanonicalUser: v.value });
      }
    }
  }
  return out;
}

function conditionsOf(s: Statement): Record<string, string> {
  const out: Record<string, string> = {};
  for (const clause of s.condition?.clauses ?? []) out[clause.key] = clause.values.map((v) => v.value).join(',');
  return out;
}

function findingId(...parts: unknown[]): string {
  const h = createHash('sha256').update(JSON.stringify(parts)).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

import { compilePolicy, type CompiledPolicy } from '../../../policy/index.js';
import type { Store } from '../../../store/store.js';
import { aclGrants, ALL_USERS, AUTHENTICATED_USERS, type Grant, type StoredAcl } from '../buckets/acls.js';
import { aclsDisabled, bucketArn, canonicalUserId, type BucketRow } from '../buckets/bucket-rows.js';

/**
 * ACLs, where a bucket's Object Ownership still enables them, take part in decisions as
 * S3 says they do: each grant is a grant of the resource, like a bucket policy statement
 * (S3 User Guide, "Access control list (ACL) overview", the permission-to-action table).
 * So a bucket or object ACL is written as the resource policy it amounts to and handed to
 * the engine beside the bucket policy. IgnorePublicAcls drops the grants to AllUsers and
 * AuthenticatedUsers.
 */

const BUCKET_ACTIONS: Record<string, string[]> = {
  READ: ['s3:ListBucket', 's3:ListBucketVersions', 's3:ListBucketMultipartUploads'],
  WRITE: ['s3:PutObject', 's3:DeleteObject', 's3:DeleteObjectVersion'],
  READ_ACP: ['s3:GetBucketAcl'],
  WRITE_ACP: ['s3:PutBucketAcl'],
};
const OBJECT_ACTIONS: Record<string, string[]> = {
  READ: ['s3:GetObject', 's3:GetObjectVersion', 's3:GetObjectTorrent'],
  READ_ACP: ['s3:GetObjectAcl', 's3:GetObjectVersionAcl'],
  WRITE_ACP: ['s3:PutObjectAcl', 's3:PutObjectVersionAcl'],
};

function actionsOf(table: Record<string, string[]>, permission: string): string[] {
  if (permission === 'FULL_CONTROL') return [...new Set(Object.values(table).flat())];
  return table[permission] ?? [];
}

/** The accounts this server holds, by canonical user ID (ACL grantees name accounts that way). */
function accountsByCanonicalId(store: Store): Map<string, string> {
  const ids = store.prepare<{ account_id: string }>('SELECT account_id FROM accounts').all();
  return new Map(ids.map((r) => [canonicalUserId(r.account_id), r.account_id]));
}

function statementFor(store: Store, grant: Grant, actions: string[], resource: string | string[], ignorePublic: boolean): Record<string, unknown> | undefined {
  const g = grant.Grantee;
  if (!g || actions.length === 0) return undefined;
  const base = { Effect: 'Allow', Action: actions, Resource: resource };
  if (g.Type === 'Group' && g.URI === ALL_USERS) return ignorePublic ? undefined : { ...base, Principal: '*' };
  if (g.Type === 'Group' && g.URI === AUTHENTICATED_USERS) {
    return ignorePublic ? undefined : { ...base, Principal: '*', Condition: { StringNotEquals: { 'aws:PrincipalType': 'Anonymous' } } };
  }
  if (g.Type === 'CanonicalUser' && g.ID) {
    const account = accountsByCanonicalId(store).get(g.ID);
    return account ? { ...base, Principal: { AWS: `arn:aws:iam::${account}:root` } } : undefined;
  }
  return undefined;
}

/** The resource policy an ACL amounts to, or undefined when it grants nothing beyond the owner's control. */
export function aclPolicy(store: Store, bucket: BucketRow, objectKey: string | undefined, acl: string | null, ignorePublic: boolean): CompiledPolicy | undefined {
  if (acl === null || aclsDisabled(bucket)) return undefined;
  const grants = aclGrants(bucket.account_id, JSON.parse(acl) as StoredAcl).slice(1);
  const resource = objectKey === undefined ? bucketArn(bucket.name) : `${bucketArn(bucket.name)}/${objectKey}`;
  const table = objectKey === undefined ? BUCKET_ACTIONS : OBJECT_ACTIONS;
  const statements = grants
    .map((g) => statementFor(store, g, actionsOf(table, g.Permission ?? ''), objectKey === undefined && (g.Permission === 'WRITE' || g.Permission === 'FULL_CONTROL') ? [resource, `${resource}/*`] : resource, ignorePublic))
    .filter((s): s is Record<string, unknown> => s !== undefined);
  if (statements.length === 0) return undefined;
  const text = JSON.stringify({ Version: '2012-10-17', Statement: statements });
  // Compiled policies are kept by text: the same ACL is the same object, so decisions on it are remembered.
  return compilePolicy(text, { kind: 'resource', name: objectKey === undefined ? `bucket ACL of ${bucket.name}` : `object ACL of ${resource}` });
}

import { AwsError } from '../../../protocol/errors.js';
import { operation } from '../../operation.js';
import type { RequestContext } from '../../types.js';
import { aclKeys, objectEntry, versionKeys } from '../authz/rules.js';
import { effectivePublicAccessBlock } from '../authz/bucket-policies.js';
import { s3DenialMessage } from '../authz/denied.js';
import { aclGrants, grantsFromHeaders, isPublicAcl, type Grant, type StoredAcl } from '../buckets/acls.js';
import { aclsDisabled, canonicalUserId, requireBucket } from '../buckets/bucket-rows.js';
import { accessControlListNotSupported, noSuchKey } from '../errors.js';

/**
 * Object ACLs: GetObjectAcl / PutObjectAcl (…VersionAcl for a named version). With ACLs
 * disabled (bucket owner enforced) an object's ACL is the owner's full control and
 * setting another is AccessControlListNotSupported.
 */

interface AclInput {
  Bucket: string;
  Key: string;
  VersionId?: string;
}

interface VersionAcl {
  version_id: string;
  delete_marker: number;
  acl: string | null;
}

function version(ctx: RequestContext, input: AclInput): VersionAcl {
  const row = input.VersionId === undefined
    ? ctx.store.prepare<VersionAcl>('SELECT version_id, delete_marker, acl FROM s3_objects WHERE bucket = ? AND key = ? AND is_latest = 1').get(input.Bucket, input.Key)
    : ctx.store.prepare<VersionAcl>('SELECT version_id, delete_marker, acl FROM s3_objects WHERE bucket = ? AND key = ? AND version_id = ?').get(input.Bucket, input.Key, input.VersionId);
  if (!row || row.delete_marker) throw noSuchKey(input.Key);
  return row;
}

export const GetObjectAcl = operation({
  writes: false,
  authorize: (ctx, input: AclInput) =>
    objectEntry(ctx, input.VersionId === undefined ? 's3:GetObjectAcl' : 's3:GetObjectVersionAcl', input.Bucket, input.Key, versionKeys(input.VersionId)),
  run: (ctx, input: AclInput) => {
    const bucket = requireBucket(ctx.store, input.Bucket);
    const row = version(ctx, input);
    const stored = row.acl === null || aclsDisabled(bucket) ? undefined : (JSON.parse(row.acl) as StoredAcl);
    return { Owner: { ID: canonicalUserId(bucket.account_id) }, Grants: aclGrants(bucket.account_id, stored) };
  },
});

interface PutAclInput extends AclInput {
  ACL?: string;
  AccessControlPolicy?: { Grants?: Grant[] };
  GrantFullControl?: string;
  GrantRead?: string;
  GrantReadACP?: string;
  GrantWrite?: string;
  GrantWriteACP?: string;
}

export const PutObjectAcl = operation({
  writes: true,
  authorize: (ctx, input: PutAclInput) =>
    objectEntry(ctx, input.VersionId === undefined ? 's3:PutObjectAcl' : 's3:PutObjectVersionAcl', input.Bucket, input.Key, { ...versionKeys(input.VersionId), ...aclKeys(input) }),
  run: (ctx, input: PutAclInput) => {
    const bucket = requireBucket(ctx.store, input.Bucket);
    const row = version(ctx, input);
    const acl: StoredAcl = input.ACL !== undefined ? { Canned: input.ACL } : input.AccessControlPolicy?.Grants ? { Grants: input.AccessControlPolicy.Grants } : { Grants: grantsFromHeaders(input) };
    const ownerOnly = acl.Canned === 'bucket-owner-full-control' || acl.Canned === 'private';
    if (aclsDisabled(bucket)) {
      if (acl.Canned !== 'bucket-owner-full-control') throw accessControlListNotSupported();
      return {};
    }
    if (isPublicAcl(acl) && effectivePublicAccessBlock(ctx.store, bucket).BlockPublicAcls) {
      const arn = `arn:aws:s3:::${bucket.name}/${input.Key}`;
      throw new AwsError('AccessDenied', s3DenialMessage(ctx.principal, 's3:PutObjectAcl', arn, bucket.account_id, 'because public ACLs are blocked by the BlockPublicAcls block public access setting.'), 403);
    }
    ctx.store
      .prepare('UPDATE s3_objects SET acl = ? WHERE bucket = ? AND key = ? AND version_id = ?')
      .run(ownerOnly ? null : JSON.stringify(acl), bucket.name, input.Key, row.version_id);
    return {};
  },
});

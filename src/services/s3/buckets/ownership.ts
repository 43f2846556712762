import { AwsError } from '../../../protocol/errors.js';
import { operation } from '../../operation.js';
import { aclKeys, bucketEntry, onBucket } from '../authz/rules.js';
import { effectivePublicAccessBlock } from '../authz/bucket-policies.js';
import { accessControlListNotSupported, malformedXml, notConfigured } from '../errors.js';
import { aclsDisabled, canonicalUserId, requireBucket, setBucketColumn, type ObjectOwnership } from './bucket-rows.js';
import { aclGrants, grantsFromHeaders, isPublicAcl, type Grant, type StoredAcl } from './acls.js';
import { s3DenialMessage } from '../authz/denied.js';

const OWNERSHIPS = new Set<ObjectOwnership>(['BucketOwnerEnforced', 'BucketOwnerPreferred', 'ObjectWriter']);

/**
 * Object Ownership: BucketOwnerEnforced (S3's default since April 2023) disables ACLs,
 * so requests that set an ACL other than the owner's full control are refused with
 * AccessControlListNotSupported. Turning it on with ACLs in place is refused too
 * (InvalidBucketAclWithObjectOwnership), as S3 does.
 */
export const PutBucketOwnershipControls = operation({
  writes: true,
  authorize: onBucket('s3:PutBucketOwnershipControls'),
  run: (ctx, input: { Bucket: string; OwnershipControls: { Rules: Array<{ ObjectOwnership: ObjectOwnership }> } }) => {
    const row = requireBucket(ctx.store, input.Bucket);
    const rules = input.OwnershipControls.Rules;
    if (rules.length !== 1 || !OWNERSHIPS.has(rules[0].ObjectOwnership)) throw malformedXml();
    const ownership = rules[0].ObjectOwnership;
    if (ownership === 'BucketOwnerEnforced' && row.acl !== null) {
      throw new AwsError('InvalidBucketAclWithObjectOwnership', "Bucket cannot have ACLs set with ObjectOwnership's BucketOwnerEnforced setting", 400);
    }
    setBucketColumn(ctx.store, row.name, 'object_ownership', ownership);
    return {};
  },
});

export const GetBucketOwnershipControls = operation({
  writes: false,
  authorize: onBucket('s3:GetBucketOwnershipControls'),
  run: (ctx, input: { Bucket: string }) => {
    const row = requireBucket(ctx.store, input.Bucket);
    if (row.object_ownership === null) throw notConfigured('OwnershipControlsNotFoundError', 'The bucket ownership controls were not found', row.name);
    return { OwnershipControls: { Rules: [{ ObjectOwnership: row.object_ownership }] } };
  },
});

/** DeleteBucketOwnershipControls: s3:PutBucketOwnershipControls; the bucket then acts as ObjectWriter. */
export const DeleteBucketOwnershipControls = operation({
  writes: true,
  authorize: onBucket('s3:PutBucketOwnershipControls'),
  run: (ctx, input: { Bucket: string }) => {
    const row = requireBucket(ctx.store, input.Bucket);
    setBucketColumn(ctx.store, row.name, 'object_ownership', null);
    return {};
  },
});

/** GetBucketAcl: s3:GetBucketAcl; with ACLs disabled, the owner's full control. */
export const GetBucketAcl = operation({
  writes: false,
  authorize: onBucket('s3:GetBucketAcl'),
  run: (ctx, input: { Bucket: string }) => {
    const row = requireBucket(ctx.store, input.Bucket);
    const stored = row.acl === null ? undefined : (JSON.parse(row.acl) as StoredAcl);
    return { Owner: { ID: canonicalUserId(row.account_id) }, Grants: aclGrants(row.account_id, stored) };
  },
});

interface PutBucketAclInput {
  Bucket: string;
  ACL?: string;
  AccessControlPolicy?: { Grants?: Grant[]; Owner?: { ID?: string } };
  GrantFullControl?: string;
  GrantRead?: string;
  GrantReadACP?: string;
  GrantWrite?: string;
  GrantWriteACP?: string;
}

/**
 * PutBucketAcl: s3:PutBucketAcl with s3:x-amz-acl and the grant keys. Refused when ACLs
 * are disabled (unless it only restates the owner's full control), and a public ACL is
 * refused while BlockPublicAcls is on.
 */
export const PutBucketAcl = operation({
  writes: true,
  authorize: (ctx, input: PutBucketAclInput) => bucketEntry(ctx, 's3:PutBucketAcl', input.Bucket, aclKeys(input)),
  run: (ctx, input: PutBucketAclInput) => {
    const row = requireBucket(ctx.store, input.Bucket);
    let acl: StoredAcl;
    if (input.ACL !== undefined) acl = { Canned: input.ACL };
    else if (input.AccessControlPolicy?.Grants) acl = { Grants: input.AccessControlPolicy.Grants };
    else acl = { Grants: grantsFromHeaders(input) };
    const ownerOnly = isOwnerOnly(row.account_id, acl);
    if (aclsDisabled(row)) {
      if (!ownerOnly) throw accessControlListNotSupported();
      return {};
    }
    if (isPublicAcl(acl) && effectivePublicAccessBlock(ctx.store, row).BlockPublicAcls) {
      throw new AwsError('AccessDenied', s3DenialMessage(ctx.principal, 's3:PutBucketAcl', `arn:aws:s3:::${row.name}`, row.account_id, 'because public ACLs are blocked by the BlockPublicAcls block public access setting.'), 403);
    }
    setBucketColumn(ctx.store, row.name, 'acl', ownerOnly ? null : JSON.stringify(acl));
    return {};
  },
});

function isOwnerOnly(accountId: string, acl: StoredAcl): boolean {
  if (acl.Canned !== undefined) return acl.Canned === 'private' || acl.Canned === 'bucket-owner-full-control';
  const grants = acl.Grants ?? [];
  return grants.every((g) => g.Permission === 'FULL_CONTROL' && g.Grantee?.Type === 'CanonicalUser' && g.Grantee.ID === canonicalUserId(accountId));
}

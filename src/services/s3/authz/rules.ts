import type { CompiledPolicy } from '../../../policy/index.js';
import type { AuthzEntry, RequestContext } from '../../types.js';
import { aclsDisabled, bucketArn, findBucket, type BucketRow } from '../buckets/bucket-rows.js';
import { aclPolicy } from './acl-policies.js';
import { noSuchBucket } from '../errors.js';
import { AwsError } from '../../../protocol/errors.js';
import { bucketPolicyOf, effectivePublicAccessBlock } from './bucket-policies.js';

/**
 * How every S3 operation asks the policy engine (Service Authorization Reference, "Actions
 * defined by Amazon S3"): the action, the bucket or object ARN, the condition keys the
 * request brings, and the bucket policy as the resource policy with the bucket owner as
 * the resource account. The engine then does what AWS does: same-account requests are
 * allowed by the identity policies or the bucket policy; cross-account ones need both;
 * anonymous ones only the bucket policy; an explicit deny anywhere wins.
 *
 *   bucketEntry(ctx, 's3:ListBucket', bucket, { 's3:prefix': … })
 *   objectEntry(ctx, 's3:GetObject', bucket, key, existingObjectTagKeys(tags))
 *
 * A bucket that does not exist is S3's NoSuchBucket, whoever asks (as S3 answers).
 */

export type Context = Record<string, string | string[]>;

/** An entry for an action on a bucket (arn:aws:s3:::bucket). */
export function bucketEntry(ctx: RequestContext, action: string, bucket: string | BucketRow, context?: Context): AuthzEntry {
  const row = typeof bucket === 'string' ? existing(ctx, bucket) : bucket;
  return entryOn(ctx, action, bucketArn(row.name), row, context);
}

/**
 * An entry for an action on an object (arn:aws:s3:::bucket/key). `objectAcl`: the
 * version's stored ACL, for buckets whose ACLs are enabled (see acl-policies.ts).
 */
export function objectEntry(ctx: RequestContext, action: string, bucket: string | BucketRow, key: string, context?: Context, objectAcl?: string | null): AuthzEntry {
  const row = typeof bucket === 'string' ? existing(ctx, bucket) : bucket;
  return entryOn(ctx, action, `${bucketArn(row.name)}/${key}`, row, context, 'x-amz-expected-bucket-owner', objectAcl === undefined ? undefined : { key, acl: objectAcl });
}

/** An entry for an action on no particular resource ("*"): ListAllMyBuckets, account settings. */
export function accountEntry(ctx: RequestContext, action: string, context?: Context): AuthzEntry {
  return { action, resource: '*', context: { ...requestKeys(ctx), ...context } };
}

/**
 * An entry for creating a bucket that does not exist yet: no policy, and the caller's
 * account owns what it makes.
 */
export function newBucketEntry(ctx: RequestContext, action: string, bucket: string, context?: Context): AuthzEntry {
  return { action, resource: bucketArn(bucket), context: { ...requestKeys(ctx), ...context } };
}

function existing(ctx: RequestContext, name: string): BucketRow {
  const row = findBucket(ctx.store, name);
  if (!row) throw noSuchBucket(name);
  return row;
}

/**
 * Actions the bucket owner's root user may always take on its bucket policy, whatever
 * the policy says: S3's way out of a policy that denies everyone.
 */
const ROOT_POLICY_ACTIONS = new Set(['s3:GetBucketPolicy', 's3:PutBucketPolicy', 's3:DeleteBucketPolicy']);

/** The source object of a copy (CopyObject, UploadPartCopy): checked against x-amz-source-expected-bucket-owner. */
export function sourceObjectEntry(ctx: RequestContext, action: string, bucket: string, key: string, context?: Context): AuthzEntry {
  const row = existing(ctx, bucket);
  return entryOn(ctx, action, `${bucketArn(row.name)}/${key}`, row, context, 'x-amz-source-expected-bucket-owner');
}

function entryOn(
  ctx: RequestContext, action: string, resource: string, row: BucketRow, context?: Context, ownerHeader = 'x-amz-expected-bucket-owner',
  objectAcl?: { key: string; acl: string | null },
): AuthzEntry {
  // x-amz-expected-bucket-owner: a bucket of another account is refused, whatever the policies say.
  const expected = ctx.headers?.[ownerHeader];
  if (expected !== undefined && expected !== row.account_id) throw new AwsError('AccessDenied', 'Access Denied', 403);
  const keys: Context = { ...requestKeys(ctx), 's3:ResourceAccount': row.account_id };
  if (context) Object.assign(keys, context);
  const entry: AuthzEntry = { action, resource, context: keys, resourceAccount: row.account_id };
  const policies = withAcls(ctx, row, resourcePoliciesFor(ctx, row, action), objectAcl);
  if (policies) entry.resourcePolicies = policies as CompiledPolicy[];
  return entry;
}

/**
 * The bucket policy with the ACLs that apply (the bucket's, and the object's when the
 * request names one), as one list kept per combination so decisions on it are remembered.
 */
function withAcls(
  ctx: RequestContext, row: BucketRow, policies: readonly CompiledPolicy[] | undefined, objectAcl: { key: string; acl: string | null } | undefined,
): readonly CompiledPolicy[] | undefined {
  if (aclsDisabled(row) || (row.acl === null && !objectAcl?.acl)) return policies;
  const ignorePublic = effectivePublicAccessBlock(ctx.store, row).IgnorePublicAcls;
  const acls = [aclPolicy(ctx.store, row, undefined, row.acl, ignorePublic), objectAcl && aclPolicy(ctx.store, row, objectAcl.key, objectAcl.acl, ignorePublic)]
    .filter((p): p is CompiledPolicy => p !== undefined);
  if (acls.length === 0) return policies;
  const base = policies ?? NO_POLICIES;
  let byBase = combined.get(base);
  if (!byBase) combined.set(base, (byBase = new Map()));
  const key = acls.map((p) => p.name).join('\u0000') + '\u0000' + acls.length;
  const kept = byBase.get(key);
  if (kept && kept.length === base.length + acls.length && acls.every((p, i) => kept[base.length + i] === p)) return kept;
  const list = Object.freeze([...base, ...acls]);
  if (byBase.size > 1000) byBase.clear();
  byBase.set(key, list);
  return list;
}

const NO_POLICIES: readonly CompiledPolicy[] = Object.freeze([]);
const combined = new WeakMap<readonly CompiledPolicy[], Map<string, readonly CompiledPolicy[]>>();

/**
 * The bucket policy as it applies to this caller. RestrictPublicBuckets (bucket or
 * account level) on a bucket whose policy is public leaves principals outside the
 * owner's account, anonymous ones included, only its Deny statements.
 */
function resourcePoliciesFor(ctx: RequestContext, row: BucketRow, action: string): readonly CompiledPolicy[] | undefined {
  const state = bucketPolicyOf(row);
  if (!state) return undefined;
  const p = ctx.principal;
  if (p.type === 'root' && p.accountId === row.account_id && ROOT_POLICY_ACTIONS.has(action)) return undefined;
  if (state.isPublic && p.accountId !== row.account_id && effectivePublicAccessBlock(ctx.store, row).RestrictPublicBuckets) return state.denies;
  return state.all;
}

/**
 * Keys S3 sets on every request from how it was made (Service Authorization Reference,
 * "Condition keys for Amazon S3"; IAM User Guide for aws:Referer): the signature version,
 * header or query-string authentication, the signature's age in milliseconds, the
 * payload hash header and the Referer. Unsigned requests carry none of the signature keys.
 */
export function requestKeys(ctx: RequestContext): Context {
  const keys: Context = {};
  const sig = ctx.signature;
  if (sig) {
    keys['s3:signatureversion'] = 'AWS4-HMAC-SHA256';
    keys['s3:authType'] = sig.presigned ? 'REST-QUERY-STRING' : 'REST-HEADER';
    keys['s3:signatureAge'] = String(Math.max(0, ctx.now - sig.signedAt));
  }
  const h = ctx.headers;
  if (h) {
    const sha = h['x-amz-content-sha256'];
    if (sha !== undefined) keys['s3:x-amz-content-sha256'] = sha;
    const referer = h.referer;
    if (referer !== undefined) keys['aws:Referer'] = referer;
  }
  return keys;
}

// ---------------------------------------------------------------------------------------
// Keys from the request's own fields, for the operations that carry them

/** s3:ExistingObjectTag/<key> for each tag an existing object has. */
export function existingObjectTagKeys(tags: Record<string, string> | ReadonlyArray<{ Key: string; Value: string }> | undefined): Context {
  const out: Context = {};
  if (!tags) return out;
  const list = Array.isArray(tags) ? tags : Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
  for (const t of list as ReadonlyArray<{ Key: string; Value: string }>) out[`s3:ExistingObjectTag/${t.Key}`] = t.Value;
  return out;
}

/**
 * s3:RequestObjectTag/<key> and s3:RequestObjectTagKeys for tags a request sets: the
 * x-amz-tagging header of PutObject/CopyObject/CreateMultipartUpload (URL-encoded
 * query form) or PutObjectTagging's TagSet.
 */
export function requestObjectTagKeys(tags: string | ReadonlyArray<{ Key: string; Value: string }> | undefined): Context {
  const out: Context = {};
  if (tags === undefined) return out;
  const list = typeof tags === 'string' ? parseTaggingHeader(tags) : tags;
  for (const t of list) out[`s3:RequestObjectTag/${t.Key}`] = t.Value;
  out['s3:RequestObjectTagKeys'] = list.map((t) => t.Key);
  return out;
}

/** The x-amz-tagging header: "k1=v1&k2=v2", URL-encoded. */
export function parseTaggingHeader(header: string): Array<{ Key: string; Value: string }> {
  const out: Array<{ Key: string; Value: string }> = [];
  if (header === '') return out;
  for (const pair of header.split('&')) {
    const eq = pair.indexOf('=');
    const k = eq < 0 ? pair : pair.slice(0, eq);
    const v = eq < 0 ? '' : pair.slice(eq + 1);
    out.push({ Key: decodeForm(k), Value: decodeForm(v) });
  }
  return out;
}

function decodeForm(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}

/** The encryption keys of a write: s3:x-amz-server-side-encryption[-aws-kms-key-id]. */
export function encryptionKeys(input: { ServerSideEncryption?: string; SSEKMSKeyId?: string }): Context {
  const out: Context = {};
  if (input.ServerSideEncryption !== undefined) out['s3:x-amz-server-side-encryption'] = input.ServerSideEncryption;
  if (input.SSEKMSKeyId !== undefined) out['s3:x-amz-server-side-encryption-aws-kms-key-id'] = input.SSEKMSKeyId;
  return out;
}

/** The ACL keys of a write: s3:x-amz-acl and the s3:x-amz-grant-* headers. */
export function aclKeys(input: {
  ACL?: string; GrantFullControl?: string; GrantRead?: string; GrantReadACP?: string; GrantWrite?: string; GrantWriteACP?: string;
}): Context {
  const out: Context = {};
  if (input.ACL !== undefined) out['s3:x-amz-acl'] = input.ACL;
  if (input.GrantFullControl !== undefined) out['s3:x-amz-grant-full-control'] = input.GrantFullControl;
  if (input.GrantRead !== undefined) out['s3:x-amz-grant-read'] = input.GrantRead;
  if (input.GrantReadACP !== undefined) out['s3:x-amz-grant-read-acp'] = input.GrantReadACP;
  if (input.GrantWrite !== undefined) out['s3:x-amz-grant-write'] = input.GrantWrite;
  if (input.GrantWriteACP !== undefined) out['s3:x-amz-grant-write-acp'] = input.GrantWriteACP;
  return out;
}

/** The version keys: s3:VersionId when the request names a version. */
export function versionKeys(versionId: string | undefined): Context {
  return versionId === undefined ? {} : { 's3:VersionId': versionId };
}

/** The action for a request on an object, plain or on a named version: s3:GetObject / s3:GetObjectVersion. */
export function versioned(action: string, versionId: string | undefined): string {
  return versionId === undefined ? action : `${action}Version`;
}

/** The rule of an operation that needs one action on the bucket it names, and no keys of its own. */
export function onBucket(action: string): <I extends { Bucket: string }>(ctx: RequestContext, input: I) => AuthzEntry {
  return (ctx, input) => bucketEntry(ctx, action, input.Bucket);
}

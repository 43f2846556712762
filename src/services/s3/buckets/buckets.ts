import { AwsError } from '../../../protocol/errors.js';
import { operation } from '../../operation.js';
import type { RequestContext } from '../../types.js';
import { accountEntry, aclKeys, bucketEntry, newBucketEntry, onBucket, type Context } from '../authz/rules.js';
import { FULL_BLOCK } from '../authz/bucket-policies.js';
import {
  bucketAlreadyExists, bucketAlreadyOwnedByYou, bucketNotEmpty, invalidArgument,
} from '../errors.js';
import { checkBucketName } from './bucket-names.js';
import { bucketArn, canonicalUserId, findBucket, requireBucket, type BucketRow, type ObjectOwnership } from './bucket-rows.js';
import { bucketIsEmpty, dropBucketContents } from './bucket-contents.js';
import { checkTagSet, type Tag } from './tag-sets.js';

interface CreateBucketInput {
  Bucket: string;
  ACL?: string;
  CreateBucketConfiguration?: { LocationConstraint?: string; Tags?: Tag[]; Bucket?: { Type?: string } ; Location?: unknown };
  GrantFullControl?: string;
  GrantRead?: string;
  GrantReadACP?: string;
  GrantWrite?: string;
  GrantWriteACP?: string;
  ObjectLockEnabledForBucket?: boolean;
  ObjectOwnership?: ObjectOwnership;
}

/** The legacy name of eu-west-1 in LocationConstraint. */
const LOCATION_ALIASES: Record<string, string> = { EU: 'eu-west-1' };

function hasGrants(input: CreateBucketInput): boolean {
  return [input.GrantFullControl, input.GrantRead, input.GrantReadACP, input.GrantWrite, input.GrantWriteACP].some((g) => g !== undefined);
}

/**
 * CreateBucket: s3:CreateBucket on the new bucket's ARN, with s3:LocationConstraint,
 * s3:x-amz-acl / grants and s3:x-amz-object-ownership. Setting Object Ownership also
 * needs s3:PutBucketOwnershipControls, and tags s3:PutBucketTagging, as S3 documents.
 * A new bucket has what S3 gives one since April 2023: ACLs disabled (bucket owner
 * enforced), all four Block Public Access settings on, SSE-S3 default encryption.
 */
export const CreateBucket = operation({
  writes: true,
  authorize: (ctx, input: CreateBucketInput) => {
    checkBucketName(input.Bucket);
    const context: Context = aclKeys(input);
    const location = input.CreateBucketConfiguration?.LocationConstraint;
    if (location !== undefined) context['s3:LocationConstraint'] = location;
    if (input.ObjectOwnership !== undefined) context['s3:x-amz-object-ownership'] = input.ObjectOwnership;
    const entries = [newBucketEntry(ctx, 's3:CreateBucket', input.Bucket, context)];
    if (input.ObjectOwnership !== undefined) entries.push(newBucketEntry(ctx, 's3:PutBucketOwnershipControls', input.Bucket));
    if (input.CreateBucketConfiguration?.Tags?.length) entries.push(newBucketEntry(ctx, 's3:PutBucketTagging', input.Bucket));
    return entries;
  },
  run: (ctx, input: CreateBucketInput) => {
    if (ctx.principal.type === 'anonymous') throw new AwsError('AccessDenied', 'Access Denied', 403);
    const name = input.Bucket;
    const region = bucketRegion(ctx, input.CreateBucketConfiguration?.LocationConstraint);
    const existing = findBucket(ctx.store, name);
    if (existing) {
      if (existing.account_id !== ctx.accountId) throw bucketAlreadyExists(name);
      // S3's legacy answer in us-east-1: re-creating your own bucket there succeeds.
      if (region === 'us-east-1' && existing.region === 'us-east-1') return { Location: `/${name}`, BucketArn: bucketArn(name) };
      throw bucketAlreadyOwnedByYou(name);
    }
    const ownership = input.ObjectOwnership ?? 'BucketOwnerEnforced';
    if (ownership === 'BucketOwnerEnforced' && ((input.ACL !== undefined && input.ACL !== 'private') || hasGrants(input))) {
      throw new AwsError('InvalidBucketAclWithObjectOwnership', "Bucket cannot have ACLs set with ObjectOwnership's BucketOwnerEnforced setting", 400);
    }
    const tags = input.CreateBucketConfiguration?.Tags;
    if (tags?.length) checkTagSet(tags);
    const acl = ownership !== 'BucketOwnerEnforced' && input.ACL !== undefined && input.ACL !== 'private' ? JSON.stringify({ Canned: input.ACL }) : null;
    ctx.store
      .prepare(
        `INSERT INTO s3_buckets (name, account_id, region, created_at, versioning, mfa_delete, object_ownership, acl, policy,
           public_access_block, encryption, tags, cors, lifecycle, object_lock)
         VALUES (?, ?, ?, ?, NULL, NULL, ?, ?, NULL, ?, NULL, ?, NULL, NULL, ?)`,
      )
      .run(
        name, ctx.accountId, region, ctx.now, ownership, acl, JSON.stringify(FULL_BLOCK),
        tags?.length ? JSON.stringify(tags) : null,
        input.ObjectLockEnabledForBucket ? JSON.stringify({ ObjectLockEnabled: 'Enabled' }) : null,
      );
    // Object Lock needs versioning, which S3 turns on with it.
    if (input.ObjectLockEnabledForBucket) ctx.store.prepare("UPDATE s3_buckets SET versioning = 'Enabled' WHERE name = ?").run(name);
    return { Location: `/${name}`, BucketArn: bucketArn(name) };
  },
});

/**
 * The region a new bucket lives in. Without a LocationConstraint that is us-east-1, and
 * only a us-east-1 endpoint takes that; elsewhere the constraint must name the region
 * the request was signed for (S3's IllegalLocationConstraintException).
 */
function bucketRegion(ctx: RequestContext, constraint: string | undefined): string {
  if (constraint === undefined || constraint === '') {
    if (ctx.region !== 'us-east-1') {
      throw new AwsError('IllegalLocationConstraintException', 'The unspecified location constraint is incompatible for the region specific endpoint this request was sent to.', 400);
    }
    return 'us-east-1';
  }
  const region = LOCATION_ALIASES[constraint] ?? constraint;
  if (region !== ctx.region && ctx.region !== 'us-east-1') {
    throw new AwsError('IllegalLocationConstraintException', `The ${constraint} location constraint is incompatible for the region specific endpoint this request was sent to.`, 400);
  }
  return region;
}

/** HeadBucket: s3:ListBucket. Its answer names the bucket's region, which SDKs use to redirect. */
export const HeadBucket = operation({
  writes: false,
  authorize: onBucket('s3:ListBucket'),
  run: (ctx, input: { Bucket: string }) => {
    const row = requireBucket(ctx.store, input.Bucket);
    return { BucketRegion: row.region, AccessPointAlias: false };
  },
});

interface ListBucketsInput {
  MaxBuckets?: number;
  ContinuationToken?: string;
  Prefix?: string;
  BucketRegion?: string;
}

/**
 * ListBuckets: s3:ListAllMyBuckets on "*"; the caller's account's buckets by name, with
 * S3's paging (max-buckets 1…10000, an opaque continuation token) and prefix and region
 * filters.
 */
export const ListBuckets = operation({
  writes: false,
  authorize: (ctx) => accountEntry(ctx, 's3:ListAllMyBuckets'),
  run: (ctx, input: ListBucketsInput) => {
    if (ctx.principal.type === 'anonymous') throw new AwsError('AccessDenied', 'Access Denied', 403);
    const max = input.MaxBuckets ?? 10_000;
    if (!Number.isInteger(max) || max < 1 || max > 10_000) {
      throw invalidArgument('Argument max-buckets must be an integer between 1 and 10000.', 'max-buckets', String(input.MaxBuckets));
    }
    let after = '';
    if (input.ContinuationToken !== undefined) {
      after = Buffer.from(input.ContinuationToken, 'base64url').toString('utf8');
      if (!after || Buffer.from(after, 'utf8').toString('base64url') !== input.ContinuationToken) {
        throw invalidArgument('The continuation token provided is incorrect', 'continuation-token', input.ContinuationToken);
      }
    }
    const prefix = input.Prefix ?? '';
    const rows = ctx.store
      .prepare<BucketRow>(
        `SELECT * FROM s3_buckets WHERE account_id = ? AND name > ? AND substr(name, 1, ?) = ? AND (? IS NULL OR region = ?)
         ORDER BY name LIMIT ?`,
      )
      .all(ctx.accountId, after, prefix.length, prefix, input.BucketRegion ?? null, input.BucketRegion ?? null, max + 1);
    const page = rows.slice(0, max);
    const out: Record<string, unknown> = {
      Buckets: page.map((b) => ({ Name: b.name, CreationDate: new Date(b.created_at), BucketRegion: b.region, BucketArn: bucketArn(b.name) })),
      Owner: { ID: canonicalUserId(ctx.accountId) },
    };
    if (input.Prefix !== undefined) out.Prefix = input.Prefix;
    if (rows.length > max) out.ContinuationToken = Buffer.from(page[page.length - 1].name, 'utf8').toString('base64url');
    return out;
  },
});

/** DeleteBucket: s3:DeleteBucket; only an empty bucket (no objects, no versions, no delete markers). */
export const DeleteBucket = operation({
  writes: true,
  authorize: onBucket('s3:DeleteBucket'),
  run: (ctx, input: { Bucket: string }) => {
    const row = requireBucket(ctx.store, input.Bucket);
    if (!bucketIsEmpty(ctx.store, row.name)) throw bucketNotEmpty(row.name, row.versioning !== null);
    dropBucketContents(ctx.store, row.name);
    ctx.store.prepare('DELETE FROM s3_buckets WHERE name = ?').run(row.name);
    return {};
  },
});

/** GetBucketLocation: s3:GetBucketLocation; us-east-1 is the empty constraint, as S3 answers it. */
export const GetBucketLocation = operation({
  writes: false,
  authorize: onBucket('s3:GetBucketLocation'),
  run: (ctx, input: { Bucket: string }) => {
    const row = requireBucket(ctx.store, input.Bucket);
    return row.region === 'us-east-1' ? {} : { LocationConstraint: row.region };
  },
});

import { createHash } from 'node:crypto';
import type { Store } from '../../../store/store.js';
import { noSuchBucket } from '../errors.js';

/**
 * One bucket, as stored in `s3_buckets`. Bucket names are global across accounts (and
 * regions), as in S3, so the name alone finds a bucket; `account_id` is its owner.
 * Configuration columns hold the decoded model structures as JSON; NULL means "not
 * configured" (GetBucketCors then answers NoSuchCORSConfiguration, and so on).
 */
export interface BucketRow {
  name: string;
  account_id: string;
  region: string;
  created_at: number;
  /** NULL: versioning never enabled; otherwise 'Enabled' | 'Suspended'. */
  versioning: 'Enabled' | 'Suspended' | null;
  mfa_delete: 'Enabled' | 'Disabled' | null;
  /**
   * BucketOwnerEnforced (ACLs disabled, the default since 2023) | BucketOwnerPreferred |
   * ObjectWriter; null once DeleteBucketOwnershipControls removed them (then ObjectWriter).
   */
  object_ownership: ObjectOwnership | null;
  /** The bucket ACL when ACLs are enabled: JSON {"Grants":[…]}; NULL is the owner's FULL_CONTROL. */
  acl: string | null;
  /** The bucket policy exactly as it was put. */
  policy: string | null;
  /** JSON PublicAccessBlockConfiguration. */
  public_access_block: string | null;
  /** JSON ServerSideEncryptionConfiguration; NULL is S3's default, SSE-S3 (AES256). */
  encryption: string | null;
  /** JSON [{Key, Value}]. */
  tags: string | null;
  /** JSON [CORSRule]. */
  cors: string | null;
  /** JSON [LifecycleRule]. */
  lifecycle: string | null;
  object_lock: string | null;
}

export type ObjectOwnership = 'BucketOwnerEnforced' | 'BucketOwnerPreferred' | 'ObjectWriter';

/** The bucket named `name`, whoever owns it; remembered until the next write. */
export function findBucket(store: Store, name: string): BucketRow | undefined {
  return store.remembered(`s3:bucket:${name}`, () => store.prepare<BucketRow>('SELECT * FROM s3_buckets WHERE name = ?').get(name));
}

/** The bucket, or S3's NoSuchBucket. */
export function requireBucket(store: Store, name: string): BucketRow {
  const row = findBucket(store, name);
  if (!row) throw noSuchBucket(name);
  return row;
}

/** The bucket's ARN: S3 ARNs have neither region nor account. */
export function bucketArn(name: string): string {
  return `arn:aws:s3:::${name}`;
}

/** Sets one configuration column (the columns named in BucketRow). */
export function setBucketColumn(store: Store, name: string, column: BucketColumn, value: string | null): void {
  store.prepare(`UPDATE s3_buckets SET ${column} = ? WHERE name = ?`).run(value, name);
}

export type BucketColumn =
  | 'versioning' | 'mfa_delete' | 'object_ownership' | 'acl' | 'policy' | 'public_access_block'
  | 'encryption' | 'tags' | 'cors' | 'lifecycle' | 'object_lock';

/** A JSON column's value, parsed (undefined when NULL). */
export function jsonColumn<T>(text: string | null): T | undefined {
  return text === null ? undefined : (JSON.parse(text) as T);
}

/** Are ACLs disabled on the bucket (Object Ownership "bucket owner enforced")? */
export function aclsDisabled(row: BucketRow): boolean {
  return row.object_ownership === 'BucketOwnerEnforced';
}

/**
 * The canonical user ID S3 shows for an account (Owner.ID, Grantee.ID): 64 hex digits,
 * derived from the account ID so it is stable for the life of the account.
 */
export function canonicalUserId(accountId: string): string {
  let id = canonicalIds.get(accountId);
  if (id === undefined) {
    id = createHash('sha256').update(`iamlocal canonical user ${accountId}`).digest('hex');
    canonicalIds.set(accountId, id);
  }
  return id;
}

const canonicalIds = new Map<string, string>();

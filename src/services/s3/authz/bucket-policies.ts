import { compileParsed, parsePolicy, type CompiledPolicy, type Policy } from '../../../policy/index.js';
import type { Store } from '../../../store/store.js';
import type { BucketRow } from '../buckets/bucket-rows.js';
import { isPublicPolicy } from '../policy/bucket-policy-document.js';

/**
 * A bucket's policy, compiled once and kept while its text is unchanged: the same
 * CompiledPolicy[] object is handed to every request, so the server's decision memo
 * (src/server/authorize.ts) remembers decisions on it exactly as it does for identity
 * policies. A PutBucketPolicy changes the text, and the next request compiles anew.
 */
export interface BucketPolicyState {
  text: string;
  /** The whole policy, for the principals of the bucket owner's account (and everyone when nothing restricts it). */
  all: readonly CompiledPolicy[];
  /** Only its Deny statements: what still applies to outsiders once RestrictPublicBuckets cuts a public policy's grants. */
  denies: readonly CompiledPolicy[];
  /** Does some Allow statement grant to everyone (S3's "public")? */
  isPublic: boolean;
}

const MAX_KEPT = 10_000;
const states = new Map<string, BucketPolicyState>();

/** The bucket's compiled policy, or undefined when it has none. */
export function bucketPolicyOf(row: BucketRow): BucketPolicyState | undefined {
  const text = row.policy;
  if (text === null) return undefined;
  const kept = states.get(row.name);
  if (kept !== undefined && kept.text === text) {
    // The row is re-read after every write: keep its string, so the next compare is by reference.
    kept.text = text;
    return kept;
  }
  const state = compileState(row.name, text);
  if (states.size >= MAX_KEPT) states.clear();
  states.set(row.name, state);
  return state;
}

function compileState(bucket: string, text: string): BucketPolicyState {
  const name = `bucket policy of ${bucket}`;
  // Stored policies were checked when they were put; parse again only to compile.
  const policy = parsePolicy(text, { kind: 'resource', name });
  const all = Object.freeze([compileParsed(policy, name)]);
  const denyStatements = policy.statements.filter((s) => s.effect === 'Deny');
  const denies = denyStatements.length === 0 ? NONE : Object.freeze([compileParsed(onlyStatements(policy, denyStatements), name)]);
  return { text, all, denies, isPublic: isPublicPolicy(policy) };
}

const NONE: readonly CompiledPolicy[] = Object.freeze([]);

/** The policy with a subset of its statements (positions kept, so explanations still point at the text). */
function onlyStatements(policy: Policy, statements: Policy['statements']): Policy {
  return { ...policy, statements };
}

// ---------------------------------------------------------------------------------------
// Block Public Access

export interface PublicAccessBlock {
  BlockPublicAcls: boolean;
  IgnorePublicAcls: boolean;
  BlockPublicPolicy: boolean;
  RestrictPublicBuckets: boolean;
}

export const NO_BLOCK: PublicAccessBlock = Object.freeze({ BlockPublicAcls: false, IgnorePublicAcls: false, BlockPublicPolicy: false, RestrictPublicBuckets: false });
export const FULL_BLOCK: PublicAccessBlock = Object.freeze({ BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true });

/** A stored configuration, settings not given being false (as S3 reads them). */
export function readPublicAccessBlock(text: string | null | undefined): PublicAccessBlock {
  if (!text) return NO_BLOCK;
  const c = JSON.parse(text) as Partial<PublicAccessBlock>;
  return {
    BlockPublicAcls: c.BlockPublicAcls === true,
    IgnorePublicAcls: c.IgnorePublicAcls === true,
    BlockPublicPolicy: c.BlockPublicPolicy === true,
    RestrictPublicBuckets: c.RestrictPublicBuckets === true,
  };
}

/** The account-level configuration (s3control PutPublicAccessBlock), remembered until the next write. */
export function accountPublicAccessBlock(store: Store, accountId: string): PublicAccessBlock {
  return store.remembered(`s3:account-pab:${accountId}`, () =>
    readPublicAccessBlock(store.prepare<{ config: string }>('SELECT config FROM s3_account_public_access_block WHERE account_id = ?').get(accountId)?.config),
  );
}

/** What applies to a bucket: each setting is on when the bucket or its account turns it on. */
export function effectivePublicAccessBlock(store: Store, row: BucketRow): PublicAccessBlock {
  const bucket = readPublicAccessBlock(row.public_access_block);
  const account = accountPublicAccessBlock(store, row.account_id);
  return {
    BlockPublicAcls: bucket.BlockPublicAcls || account.BlockPublicAcls,
    IgnorePublicAcls: bucket.IgnorePublicAcls || account.IgnorePublicAcls,
    BlockPublicPolicy: bucket.BlockPublicPolicy || account.BlockPublicPolicy,
    RestrictPublicBuckets: bucket.RestrictPublicBuckets || account.RestrictPublicBuckets,
  };
}

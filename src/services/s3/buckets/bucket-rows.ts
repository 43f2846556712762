import type { Store } from '../../../store/store.js';

/**
 * STUB until the s3-api branch is merged (it owns buckets and writes the real file of this
 * name): the object path only needs to find a bucket by name.
 */
export interface BucketRow {
  name: string;
  account_id: string;
  region: string;
  created_at: number;
  /** null (never enabled), 'Enabled' or 'Suspended'. */
  versioning: string | null;
}

/** The bucket of that name, whoever owns it (bucket names are global). */
export function findBucket(store: Store, name: string): BucketRow | undefined {
  return store.remembered(`s3_bucket:${name}`, () =>
    store.prepare<BucketRow>('SELECT name, account_id, region, created_at, versioning FROM s3_buckets WHERE name = ?').get(name),
  );
}

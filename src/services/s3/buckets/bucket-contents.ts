import type { Store } from '../../../store/store.js';

/**
 * What a bucket holds besides its configuration: objects (with their versions and
 * delete markers) and multipart uploads in progress. DeleteBucket asks whether it is
 * empty, and drops what an empty bucket may still hold (uploads never completed).
 */
export function bucketIsEmpty(store: Store, bucket: string): boolean {
  if (!hasObjectsTable(store)) return true;
  return store.prepare<{ one: number }>('SELECT 1 AS one FROM s3_objects WHERE bucket = ? LIMIT 1').get(bucket) === undefined;
}

/** Removes the incomplete multipart uploads of a bucket being deleted (their parts cascade). */
export function dropBucketContents(store: Store, bucket: string): void {
  store.prepare('DELETE FROM s3_multipart_uploads WHERE bucket = ?').run(bucket);
}

/** Until the object store's migration lands, a bucket cannot hold objects. */
function hasObjectsTable(store: Store): boolean {
  return store.prepare<{ one: number }>("SELECT 1 AS one FROM sqlite_master WHERE type = 'table' AND name = 's3_objects'").get() !== undefined;
}

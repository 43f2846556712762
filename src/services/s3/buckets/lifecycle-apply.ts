import type { RequestContext } from '../../types.js';
import { deleteObject } from '../objects/delete-objects.js';
import { forgetBlob } from '../objects/object-blobs.js';
import type { BucketRow } from './bucket-rows.js';
import { lifecycleRules, type LifecycleRule } from './lifecycle.js';

/**
 * Lifecycle rules applied by the server clock (S3 User Guide, "Lifecycle configuration
 * elements"): expiration of current versions (deleted, or hidden behind a delete marker
 * in a versioned bucket), removal of expired delete markers, expiration of noncurrent
 * versions (keeping NewerNoncurrentVersions of them), and abort of incomplete multipart
 * uploads. As in S3, a rule's day count runs from the object's creation (or the moment
 * it became noncurrent, or the upload's initiation) and is rounded up to the next
 * midnight UTC. Transitions change nothing here: there are no other storage classes.
 */

const DAY = 86_400_000;

/** created + days, rounded up to the next midnight UTC. */
function dueAt(from: number, days: number): number {
  return Math.ceil((from + days * DAY) / DAY) * DAY;
}

interface VersionRow {
  key: string;
  version_id: string;
  is_latest: number;
  delete_marker: number;
  blob_id: string | null;
  size: number;
  tags: string | null;
  created_at: number;
  seq: number;
}

function tagsOf(row: VersionRow): Record<string, string> {
  const out: Record<string, string> = {};
  if (row.tags) for (const t of JSON.parse(row.tags) as Array<{ Key: string; Value: string }>) out[t.Key] = t.Value;
  return out;
}

/** Does the rule's filter take this version? (Prefix, tags, size bounds, or their And.) */
function matches(rule: LifecycleRule, row: VersionRow): boolean {
  const f = rule.Filter;
  const prefix = f?.And?.Prefix ?? f?.Prefix ?? rule.Prefix ?? '';
  if (!row.key.startsWith(prefix)) return false;
  const tags = [...(f?.And?.Tags ?? []), ...(f?.Tag ? [f.Tag] : [])];
  if (tags.length) {
    const have = tagsOf(row);
    if (!tags.every((t) => have[t.Key] === t.Value)) return false;
  }
  const greater = f?.And?.ObjectSizeGreaterThan ?? f?.ObjectSizeGreaterThan;
  const less = f?.And?.ObjectSizeLessThan ?? f?.ObjectSizeLessThan;
  if (greater !== undefined && !(row.size > greater)) return false;
  if (less !== undefined && !(row.size < less)) return false;
  return true;
}

/** Applies every bucket's enabled lifecycle rules as of ctx.now. Returns how many things it removed. */
export function applyLifecycle(ctx: RequestContext): number {
  const buckets = ctx.store.prepare<BucketRow>('SELECT * FROM s3_buckets WHERE lifecycle IS NOT NULL').all();
  let done = 0;
  for (const bucket of buckets) {
    const rules = (lifecycleRules(bucket.lifecycle) ?? []).filter((r) => r.Status === 'Enabled');
    if (rules.length === 0) continue;
    done += applyToBucket(ctx, bucket, rules);
  }
  return done;
}

function applyToBucket(ctx: RequestContext, bucket: BucketRow, rules: LifecycleRule[]): number {
  let done = 0;
  const now = ctx.now;
  // Incomplete multipart uploads.
  for (const rule of rules) {
    const days = rule.AbortIncompleteMultipartUpload?.DaysAfterInitiation;
    if (days === undefined) continue;
    const prefix = rule.Filter?.And?.Prefix ?? rule.Filter?.Prefix ?? rule.Prefix ?? '';
    const uploads = ctx.store
      .prepare<{ upload_id: string; key: string; initiated_at: number }>('SELECT upload_id, key, initiated_at FROM s3_multipart_uploads WHERE bucket = ?')
      .all(bucket.name);
    for (const u of uploads) {
      if (!u.key.startsWith(prefix) || now < dueAt(u.initiated_at, days)) continue;
      for (const p of ctx.store.prepare<{ blob: string }>('SELECT blob FROM s3_multipart_parts WHERE upload_id = ?').all(u.upload_id)) forgetBlob(ctx, p.blob);
      ctx.store.prepare('DELETE FROM s3_multipart_uploads WHERE upload_id = ?').run(u.upload_id);
      done++;
    }
  }
  // Versions, key by key, newest first.
  const rows = ctx.store
    .prepare<VersionRow>(
      `SELECT key, version_id, is_latest, delete_marker, blob_id, size, tags, created_at, rowid AS seq
       FROM s3_objects WHERE bucket = ? ORDER BY key, seq DESC`,
    )
    .all(bucket.name);
  let i = 0;
  while (i < rows.length) {
    let j = i;
    while (j < rows.length && rows[j].key === rows[i].key) j++;
    done += applyToKey(ctx, bucket, rules, rows.slice(i, j));
    i = j;
  }
  return done;
}

/** One key's versions, newest first. */
function applyToKey(ctx: RequestContext, bucket: BucketRow, rules: LifecycleRule[], versions: VersionRow[]): number {
  const now = ctx.now;
  let done = 0;
  const current = versions[0];
  // Noncurrent versions: each became noncurrent when the next newer one was written.
  for (const rule of rules) {
    const nve = rule.NoncurrentVersionExpiration;
    if (!nve?.NoncurrentDays) continue;
    let kept = 0;
    for (let v = 1; v < versions.length; v++) {
      const row = versions[v];
      if (row.delete_marker || !matches(rule, row)) continue;
      if (nve.NewerNoncurrentVersions !== undefined && kept < nve.NewerNoncurrentVersions) {
        kept++;
        continue;
      }
      if (now >= dueAt(versions[v - 1].created_at, nve.NoncurrentDays)) {
        deleteObject(ctx, bucket, row.key, row.version_id);
        row.version_id = '';
        done++;
      }
    }
  }
  // The current version.
  if (current && !current.delete_marker) {
    for (const rule of rules) {
      const e = rule.Expiration;
      if (!e || !matches(rule, current)) continue;
      const at = e.Days !== undefined ? dueAt(current.created_at, e.Days) : e.Date !== undefined ? new Date(e.Date).getTime() : undefined;
      if (at === undefined || now < at) continue;
      deleteObject(ctx, bucket, current.key, undefined);
      done++;
      break;
    }
  } else if (current?.delete_marker) {
    // An expired object delete marker: the only thing left of its key.
    const others = versions.slice(1).filter((v) => v.version_id !== '');
    const expire = rules.some((r) => r.Expiration?.ExpiredObjectDeleteMarker === true && current.key.startsWith(r.Filter?.And?.Prefix ?? r.Filter?.Prefix ?? r.Prefix ?? ''));
    if (expire && others.length === 0) {
      deleteObject(ctx, bucket, current.key, current.version_id);
      done++;
    }
  }
  return done;
}

import { createHash, randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import type { RequestContext } from '../types.js';
import { defaultObjectEncryption } from '../s3/buckets/encryption.js';
import { putVersion } from '../s3/objects/object-rows.js';
import { cloudTrailMayWrite, findBucket } from './bucket-access.js';
import { trailSelects } from './selectors.js';
import { trailArn, type TrailRow } from './trail-rows.js';
import { recordText } from './event-record.js';
import { countEvents, readEvents } from './event-history.js';

export interface DeliveryOptions {
  /** A trail with events waiting gets a file once its last one is this old… */
  everyMs: number;
  /** …or once this many events wait. */
  events: number;
}

/** The services AWS counts as global: their events go to trails that include global service events. */
const GLOBAL_SOURCES = new Set(['iam.amazonaws.com', 'sts.amazonaws.com', 'cloudfront.amazonaws.com']);

/** At most this many records in one log file. */
const MAX_RECORDS_PER_FILE = 1000;

/**
 * Delivers what every logging trail has waiting: gzipped `{"Records":[…]}` files under
 * AWS's key layout, written into the trail's bucket as the service principal
 * cloudtrail.amazonaws.com — only while the bucket policy lets it (checked as at
 * CreateTrail); otherwise the trail's status shows the delivery error and the events
 * wait. Runs in a write of its own (src/server/trail-delivery.ts, and housekeeping).
 */
export function deliverTrails(ctx: RequestContext, opts: DeliveryOptions): number {
  const trails = ctx.store.prepare<TrailRow>('SELECT * FROM cloudtrail_trails WHERE logging = 1').all();
  let files = 0;
  for (const trail of trails) files += deliverTrail(ctx, trail, opts);
  return files;
}

function deliverTrail(ctx: RequestContext, trail: TrailRow, opts: DeliveryOptions): number {
  const { store } = ctx;
  const waiting = countEvents(store, { accountId: trail.account_id, afterSeq: trail.delivered_seq });
  if (waiting.n === 0) return 0;
  const due = waiting.n >= opts.events || ctx.now - (trail.delivered_at ?? trail.started_at ?? 0) >= opts.everyMs;
  if (!due) return 0;
  const bucket = findBucket(store, trail.bucket);
  const fail = (error: string) => {
    store.prepare('UPDATE cloudtrail_trails SET delivered_at = ?, delivery_error = ? WHERE account_id = ? AND name = ?').run(ctx.now, error, trail.account_id, trail.name);
    return 0;
  };
  if (!bucket) return fail('NoSuchBucket');
  if (!cloudTrailMayWrite(store, bucket, trail.account_id, trailArn(trail), trail.key_prefix)) return fail('AccessDenied');
  const rows = readEvents(store, { accountId: trail.account_id, afterSeq: trail.delivered_seq, beforeSeq: waiting.last + 1 });
  const byRegion = new Map<string, string[]>();
  for (const row of rows) {
    const selected = trailSelects(trail, {
      management: row.management, readOnly: row.readOnly, eventSource: row.eventSource, eventName: row.eventName,
      resource: row.resource ?? undefined, region: row.region, global: GLOBAL_SOURCES.has(row.eventSource),
    });
    if (!selected) continue;
    const list = byRegion.get(row.region) ?? [];
    list.push(recordText(row));
    byRegion.set(row.region, list);
  }
  let files = 0;
  for (const [region, records] of byRegion) {
    for (let i = 0; i < records.length; i += MAX_RECORDS_PER_FILE) {
      writeLogFile(ctx, trail, bucket, region, records.slice(i, i + MAX_RECORDS_PER_FILE));
      files++;
    }
  }
  store.prepare('UPDATE cloudtrail_trails SET delivered_seq = ?, delivered_at = ?, delivery_error = NULL WHERE account_id = ? AND name = ?')
    .run(waiting.last, ctx.now, trail.account_id, trail.name);
  return files;
}

/** AWSLogs/ACCOUNT/CloudTrail/REGION/YYYY/MM/DD/ACCOUNT_CloudTrail_REGION_YYYYMMDDTHHmmZ_RANDOM.json.gz, under the trail's prefix. */
export function logFileKey(trail: Pick<TrailRow, 'account_id' | 'key_prefix'>, region: string, now: number): string {
  const iso = new Date(now).toISOString();
  const [y, m, d] = [iso.slice(0, 4), iso.slice(5, 7), iso.slice(8, 10)];
  const stamp = `${y}${m}${d}T${iso.slice(11, 13)}${iso.slice(14, 16)}Z`;
  const random = randomBytes(12).toString('base64').replace(/[+/=]/g, '').slice(0, 16).padEnd(16, '0');
  const key = `AWSLogs/${trail.account_id}/CloudTrail/${region}/${y}/${m}/${d}/${trail.account_id}_CloudTrail_${region}_${stamp}_${random}.json.gz`;
  return trail.key_prefix ? `${trail.key_prefix}/${key}` : key;
}

function writeLogFile(ctx: RequestContext, trail: TrailRow, bucket: NonNullable<ReturnType<typeof findBucket>>, region: string, records: string[]): void {
  // The records are already JSON text: join them rather than parse and print them again.
  const body = gzipSync(Buffer.from(`{"Records":[${records.join(',')}]}`, 'utf8'));
  const md5 = createHash('md5').update(body).digest('hex');
  putVersion(ctx, bucket, {
    key: logFileKey(trail, region, ctx.now),
    delete_marker: 0,
    blob_id: null,
    data: body,
    size: body.length,
    etag: `"${md5}"`,
    content: JSON.stringify({ ContentType: 'application/json', ContentEncoding: 'gzip' }),
    metadata: '{}',
    checksums: '{}',
    storage_class: 'STANDARD',
    sse: JSON.stringify(defaultObjectEncryption(bucket)),
    created_at: ctx.now,
  });
}

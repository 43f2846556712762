import { AwsError } from '../../protocol/errors.js';
import type { Store } from '../../store/store.js';

/** One trail, as stored in cloudtrail_trails. */
export interface TrailRow {
  account_id: string;
  name: string;
  home_region: string;
  bucket: string;
  key_prefix: string | null;
  include_global: number;
  multi_region: number;
  log_file_validation: number;
  logging: number;
  selectors: string | null;
  advanced_selectors: string | null;
  delivered_seq: number;
  created_at: number;
  started_at: number | null;
  stopped_at: number | null;
  delivered_at: number | null;
  delivery_error: string | null;
  tags: string | null;
}

export function trailArn(row: Pick<TrailRow, 'account_id' | 'home_region' | 'name'>): string {
  return `arn:aws:cloudtrail:${row.home_region}:${row.account_id}:trail/${row.name}`;
}

/** A trail's name from what a request gives: its name or its ARN. */
export function trailName(nameOrArn: string): string {
  const m = /^arn:aws[\w-]*:cloudtrail:[\w-]+:\d{12}:trail\/(.+)$/.exec(nameOrArn);
  return m ? m[1] : nameOrArn;
}

export function findTrail(store: Store, accountId: string, nameOrArn: string): TrailRow | undefined {
  return store.prepare<TrailRow>('SELECT * FROM cloudtrail_trails WHERE account_id = ? AND name = ?').get(accountId, trailName(nameOrArn));
}

export function requireTrail(store: Store, accountId: string, region: string, nameOrArn: string): TrailRow {
  const row = findTrail(store, accountId, nameOrArn);
  if (!row) {
    const arn = nameOrArn.startsWith('arn:') ? nameOrArn : trailArn({ account_id: accountId, home_region: region, name: nameOrArn });
    throw new AwsError('TrailNotFoundException', `Unknown trail: ${arn} for the user: ${accountId}`, 400);
  }
  return row;
}

/** The account's trails that are logging now (remembered until the next write: the recorder asks per data event). */
export function loggingTrails(store: Store, accountId: string): readonly TrailRow[] {
  // Kept in the store's memory (emptied by any write that changes a row, a trail's included):
  // a query per DynamoDB item call cost more than the rest of its recording.
  const memo = store.memory.map<readonly TrailRow[]>('cloudtrail.loggingTrails');
  let trails = memo.get(accountId);
  if (!trails) {
    trails = Object.freeze(store.prepare<TrailRow>('SELECT * FROM cloudtrail_trails WHERE account_id = ? AND logging = 1').all(accountId));
    memo.set(accountId, trails);
  }
  return trails;
}

/** Trail names: 3–128 letters, digits, periods, underscores and dashes, starting and ending with a letter or digit. */
export function checkTrailName(name: string): void {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{1,126}[A-Za-z0-9]$/.test(name) || /[._-]{2}/.test(name)) {
    throw new AwsError('InvalidTrailNameException', `Trail name ${name} is invalid. Trail names must start and end with a letter or number, may contain only letters, numbers, periods (.), underscores (_) and dashes (-), must not have adjacent periods, underscores or dashes, and must be 3 to 128 characters long.`, 400);
  }
}

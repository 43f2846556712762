import type Database from 'better-sqlite3';
import { BLOCK_EVENTS, encodeBlock } from './event-block.js';
import { EventBatch } from './event-batch.js';
import type { EventData, OpColumns } from './event-record.js';

/**
 * cloudtrail.db as iamlocal wrote it before blocks: one row per event (cloudtrail_events, a
 * JSON array of its fields) and each caller's userIdentity once (cloudtrail_identities).
 * Moved into blocks as the log is opened, seqs and event ids kept (trails' delivery
 * cursors and earlier LookupEvents answers stay true); then the old tables go.
 */
export function migrateEventRows(db: Database.Database): void {
  if (!db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'cloudtrail_events'").get()) return;
  const select = db.prepare<[number], OldRow>(`SELECT e.seq, e.account_id, e.event_time, e.data, i.json AS identity_json
    FROM cloudtrail_events e JOIN cloudtrail_identities i ON i.id = e.identity WHERE e.seq > ? ORDER BY e.seq LIMIT ${BLOCK_EVENTS}`);
  const insert = db.prepare('INSERT INTO cloudtrail_blocks (first_seq, count, min_time, max_time, columns, data) VALUES (?, ?, ?, ?, ?, ?)');
  let block: { first: number; batch: EventBatch } | undefined;
  const flush = () => {
    if (!block) return;
    const { batch } = block;
    batch.seal();
    const b = encodeBlock(batch, Buffer.from(batch.bytes.buffer, batch.bytes.byteOffset, batch.used));
    insert.run(block.first, b.count, b.minTime, b.maxTime, b.columns, b.data);
    block = undefined;
  };
  let last = 0;
  for (let rows = select.all(0); rows.length > 0; rows = select.all(last)) {
    for (const row of rows) {
      // A block holds consecutive seqs only: a gap (an account's reset) starts a new one.
      if (block && (row.seq !== last + 1 || block.batch.length === BLOCK_EVENTS)) flush();
      block ??= { first: row.seq, batch: new EventBatch() };
      const d = JSON.parse(row.data) as OldData;
      const q = JSON.stringify;
      const op: OpColumns = [d[1], d[2], d[6], d[7]];
      const data: EventData = [d[10], d[8], d[9], d[11], d[12], d[13], d[14], d[0]];
      const caller = `[${row.identity_json},${q(d[3])},${q(d[4])},${q(d[5])},${q(d[15])},${q(d[16])},${q(d[17])}]`;
      block.batch.add(row.account_id, row.event_time, caller, q(op), data);
      last = row.seq;
    }
  }
  flush();
  db.prepare('UPDATE cloudtrail_log SET next_seq = max(next_seq, ?)').run(last + 1);
  db.exec('DROP TABLE cloudtrail_events; DROP TABLE cloudtrail_identities;');
}

interface OldRow {
  seq: number;
  account_id: string;
  event_time: number;
  data: string;
  identity_json: string;
}

/** The old row's data: eventId, eventName, eventSource, region, sourceIp, userAgent, readOnly, management, resource, authz, requestId, errorCode, errorMessage, requestParameters, responseElements, accessKeyId, username, principalArn. */
type OldData = [
  string, string, string, string, string, string | null, 0 | 1, 0 | 1, string | null, Array<[string, string]> | null, string,
  string | null, string | null, Record<string, unknown> | null, Record<string, unknown> | null, string | null, string | null, string | null,
];

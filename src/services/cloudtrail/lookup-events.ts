import { AwsError } from '../../protocol/errors.js';
import { operation } from '../operation.js';

/** LookupAttributeKey → the column it filters on. */
const COLUMNS: Record<string, string> = {
  EventId: 'event_id', EventName: 'event_name', ReadOnly: 'read_only', Username: 'username', ResourceType: 'resource_type',
  ResourceName: 'resource_name', EventSource: 'event_source', AccessKeyId: 'access_key_id',
};

interface EventRow {
  seq: number;
  event_id: string;
  event_time: number;
  event_name: string;
  event_source: string;
  username: string | null;
  access_key_id: string | null;
  read_only: number;
  resource_type: string | null;
  resource_name: string | null;
  record: string;
}

const HISTORY_DAYS = 90;

/**
 * The event history: management events of the caller's account, newest first, one lookup
 * attribute at most, 50 a page (CloudTrail's limits), within the retention iamlocal keeps.
 */
export const LookupEvents = operation({
  writes: false,
  authorize: () => ({ action: 'cloudtrail:LookupEvents', resource: '*' }),
  run: (ctx, input) => {
    const attributes = (input.LookupAttributes ?? []) as Array<{ AttributeKey: string; AttributeValue: string }>;
    if (attributes.length > 1) throw new AwsError('InvalidLookupAttributesException', 'You cannot specify more than one lookup attribute.', 400);
    if (input.EventCategory !== undefined && input.EventCategory !== 'insight') {
      throw new AwsError('InvalidEventCategoryException', 'Event category is invalid.', 400);
    }
    const max = input.MaxResults ?? 50;
    if (max < 1 || max > 50) throw new AwsError('InvalidMaxResultsException', 'MaxResults must be between 1 and 50.', 400);
    const end: number = input.EndTime ? (input.EndTime as Date).getTime() : ctx.now;
    const start: number = input.StartTime ? (input.StartTime as Date).getTime() : ctx.now - HISTORY_DAYS * 86_400_000;
    if (start > end) throw new AwsError('InvalidTimeRangeException', 'Start time must be less than or equal to end time.', 400);
    if (input.EventCategory === 'insight') return { Events: [] };
    let before = Number.MAX_SAFE_INTEGER;
    if (input.NextToken !== undefined) {
      const m = /^ct1:(\d+)$/.exec(Buffer.from(input.NextToken, 'base64url').toString('utf8'));
      if (!m) throw new AwsError('InvalidNextTokenException', 'Invalid NextToken.', 400);
      before = Number(m[1]);
    }
    let sql = 'SELECT * FROM cloudtrail_events WHERE account_id = ? AND management = 1 AND event_time >= ? AND event_time <= ? AND seq < ?';
    const params: unknown[] = [ctx.accountId, start, end, before];
    const attr = attributes[0];
    if (attr) {
      sql += ` AND ${COLUMNS[attr.AttributeKey]} = ?`;
      params.push(attr.AttributeKey === 'ReadOnly' ? (attr.AttributeValue === 'true' ? 1 : attr.AttributeValue === 'false' ? 0 : -1) : attr.AttributeValue);
    }
    sql += ' ORDER BY seq DESC LIMIT ?';
    params.push(max + 1);
    const rows = ctx.store.prepare<EventRow>(sql).all(...params);
    const page = rows.slice(0, max);
    return {
      Events: page.map((r) => ({
        EventId: r.event_id,
        EventName: r.event_name,
        ReadOnly: r.read_only ? 'true' : 'false',
        AccessKeyId: r.access_key_id ?? undefined,
        EventTime: new Date(r.event_time),
        EventSource: r.event_source,
        Username: r.username ?? undefined,
        Resources: r.resource_type ? [{ ResourceType: r.resource_type, ResourceName: r.resource_name ?? undefined }] : [],
        CloudTrailEvent: r.record,
      })),
      NextToken: rows.length > max ? Buffer.from(`ct1:${page[page.length - 1].seq}`).toString('base64url') : undefined,
    };
  },
});

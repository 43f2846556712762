import { AwsError } from '../../protocol/errors.js';
import { operation } from '../operation.js';
import { recordText, type EventHead, type StoredEvent } from './event-record.js';
import { readEvents } from './event-history.js';
import { resourceOf } from './recorder.js';

/** LookupAttributeKey → the value of an event it compares with: those known from an event's head are compared before its data is read. */
const HEAD_ATTRIBUTES: Record<string, (e: EventHead) => string | null> = {
  EventName: (e) => e.eventName,
  ReadOnly: (e) => String(e.readOnly),
  Username: (e) => e.username,
  EventSource: (e) => e.eventSource,
  AccessKeyId: (e) => e.accessKeyId,
};
const DATA_ATTRIBUTES: Record<string, (e: StoredEvent) => string | null> = {
  EventId: (e) => e.eventId,
  ResourceType: (e) => resourceOf(e.resource ?? undefined)[0],
  ResourceName: (e) => resourceOf(e.resource ?? undefined)[1],
};

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
    const attr = attributes[0];
    const inHead = attr ? HEAD_ATTRIBUTES[attr.AttributeKey] : undefined;
    const inData = attr ? DATA_ATTRIBUTES[attr.AttributeKey] : undefined;
    const page: StoredEvent[] = [];
    let more = false;
    // Newest first, until the page is full; the event history holds management events only.
    const where = (e: EventHead) => e.management && (!inHead || inHead(e) === attr!.AttributeValue);
    for (const e of readEvents(ctx.store, { accountId: ctx.accountId, beforeSeq: before, fromTime: start, toTime: end, newestFirst: true, where })) {
      if (inData && inData(e) !== attr!.AttributeValue) continue;
      if (page.length === max) {
        more = true;
        break;
      }
      page.push(e);
    }
    return {
      Events: page.map((e) => {
        const [type, name] = resourceOf(e.resource ?? undefined);
        return {
          EventId: e.eventId,
          EventName: e.eventName,
          ReadOnly: String(e.readOnly),
          AccessKeyId: e.accessKeyId ?? undefined,
          EventTime: new Date(e.time),
          EventSource: e.eventSource,
          Username: e.username ?? undefined,
          Resources: type ? [{ ResourceType: type, ResourceName: name ?? undefined }] : [],
          CloudTrailEvent: recordText(e),
        };
      }),
      NextToken: more ? Buffer.from(`ct1:${page[page.length - 1].seq}`).toString('base64url') : undefined,
    };
  },
});

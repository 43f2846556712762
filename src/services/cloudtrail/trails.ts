import { AwsError } from '../../protocol/errors.js';
import { operation } from '../operation.js';
import type { RequestContext } from '../types.js';
import { cloudTrailMayWrite, findBucket } from './bucket-access.js';
import { lastEventSeq } from './event-history.js';
import { checkTrailName, findTrail, requireTrail, trailArn, trailName, type TrailRow } from './trail-rows.js';

/** AWS's quota: five trails per region per account. */
const MAX_TRAILS = 5;

function entry(ctx: RequestContext, action: string, nameOrArn: string) {
  const name = trailName(nameOrArn);
  const row = findTrail(ctx.store, ctx.accountId, name);
  return { action, resource: trailArn({ account_id: ctx.accountId, home_region: row?.home_region ?? ctx.region, name }) };
}

/** The trail as DescribeTrails and GetTrail show it. */
function trailShape(row: TrailRow) {
  return {
    Name: row.name,
    S3BucketName: row.bucket,
    S3KeyPrefix: row.key_prefix ?? undefined,
    IncludeGlobalServiceEvents: row.include_global === 1,
    IsMultiRegionTrail: row.multi_region === 1,
    HomeRegion: row.home_region,
    TrailARN: trailArn(row),
    LogFileValidationEnabled: row.log_file_validation === 1,
    HasCustomEventSelectors: row.selectors !== null || row.advanced_selectors !== null,
    HasInsightSelectors: false,
    IsOrganizationTrail: false,
  };
}

function checkDestination(ctx: RequestContext, name: string, bucketName: string, prefix: string | undefined): void {
  if (prefix !== undefined && (prefix.startsWith('/') || prefix.endsWith('/') || prefix.length > 200)) {
    throw new AwsError('InvalidS3PrefixException', `Invalid S3 prefix: ${prefix}`, 400);
  }
  const bucket = findBucket(ctx.store, bucketName);
  if (!bucket) throw new AwsError('S3BucketDoesNotExistException', `S3 bucket ${bucketName} does not exist.`, 400);
  const arn = trailArn({ account_id: ctx.accountId, home_region: ctx.region, name });
  if (!cloudTrailMayWrite(ctx.store, bucket, ctx.accountId, arn, prefix ?? null)) {
    throw new AwsError('InsufficientS3BucketPolicyException', `Incorrect S3 bucket policy is detected for bucket: ${bucketName}`, 400);
  }
}

function checkUnsupported(input: { SnsTopicName?: string; CloudWatchLogsLogGroupArn?: string; IsOrganizationTrail?: boolean }): void {
  if (input.IsOrganizationTrail) throw new AwsError('NotOrganizationMasterAccountException', 'The account is not the management account of an organization.', 400);
}

export const CreateTrail = operation({
  writes: true,
  authorize: (ctx, input) => entry(ctx, 'cloudtrail:CreateTrail', input.Name),
  run: (ctx, input) => {
    checkTrailName(input.Name);
    checkUnsupported(input);
    if (findTrail(ctx.store, ctx.accountId, input.Name)) {
      throw new AwsError('TrailAlreadyExistsException', `Trail ${input.Name} already exists for customer: ${ctx.accountId}`, 400);
    }
    const count = ctx.store.prepare<{ n: number }>('SELECT count(*) AS n FROM cloudtrail_trails WHERE account_id = ? AND home_region = ?').get(ctx.accountId, ctx.region)!.n;
    if (count >= MAX_TRAILS) throw new AwsError('MaximumNumberOfTrailsExceededException', `User: ${ctx.accountId} already has ${MAX_TRAILS} trails in ${ctx.region}.`, 400);
    checkDestination(ctx, input.Name, input.S3BucketName, input.S3KeyPrefix);
    // Logging starts with StartLogging; what happened before the trail existed is not delivered.
    const seq = lastEventSeq(ctx.store);
    ctx.store.prepare(`INSERT INTO cloudtrail_trails (account_id, name, home_region, bucket, key_prefix, include_global, multi_region, log_file_validation,
      logging, delivered_seq, created_at, tags) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?)`).run(
      ctx.accountId, input.Name, ctx.region, input.S3BucketName, input.S3KeyPrefix ?? null, input.IncludeGlobalServiceEvents === false ? 0 : 1,
      input.IsMultiRegionTrail ? 1 : 0, input.EnableLogFileValidation ? 1 : 0, seq, ctx.now, input.TagsList ? JSON.stringify(input.TagsList) : null,
    );
    const row = findTrail(ctx.store, ctx.accountId, input.Name)!;
    const { HomeRegion: _home, HasCustomEventSelectors: _c, HasInsightSelectors: _i, ...out } = trailShape(row);
    return out;
  },
});

export const UpdateTrail = operation({
  writes: true,
  authorize: (ctx, input) => entry(ctx, 'cloudtrail:UpdateTrail', input.Name),
  run: (ctx, input) => {
    checkUnsupported(input);
    const row = requireTrail(ctx.store, ctx.accountId, ctx.region, input.Name);
    const bucket = input.S3BucketName ?? row.bucket;
    const prefix = input.S3KeyPrefix !== undefined ? input.S3KeyPrefix || undefined : row.key_prefix ?? undefined;
    if (input.S3BucketName !== undefined || input.S3KeyPrefix !== undefined) checkDestination(ctx, row.name, bucket, prefix);
    ctx.store.prepare(`UPDATE cloudtrail_trails SET bucket = ?, key_prefix = ?, include_global = ?, multi_region = ?, log_file_validation = ?
      WHERE account_id = ? AND name = ?`).run(
      bucket, prefix ?? null, input.IncludeGlobalServiceEvents === undefined ? row.include_global : Number(input.IncludeGlobalServiceEvents),
      input.IsMultiRegionTrail === undefined ? row.multi_region : Number(input.IsMultiRegionTrail),
      input.EnableLogFileValidation === undefined ? row.log_file_validation : Number(input.EnableLogFileValidation), ctx.accountId, row.name,
    );
    const { HomeRegion: _home, HasCustomEventSelectors: _c, HasInsightSelectors: _i, ...out } = trailShape(findTrail(ctx.store, ctx.accountId, row.name)!);
    return out;
  },
});

export const DeleteTrail = operation({
  writes: true,
  authorize: (ctx, input) => entry(ctx, 'cloudtrail:DeleteTrail', input.Name),
  run: (ctx, input) => {
    const row = requireTrail(ctx.store, ctx.accountId, ctx.region, input.Name);
    ctx.store.prepare('DELETE FROM cloudtrail_trails WHERE account_id = ? AND name = ?').run(ctx.accountId, row.name);
    return {};
  },
});

export const GetTrail = operation({
  writes: false,
  authorize: (ctx, input) => entry(ctx, 'cloudtrail:GetTrail', input.Name),
  run: (ctx, input) => ({ Trail: trailShape(requireTrail(ctx.store, ctx.accountId, ctx.region, input.Name)) }),
});

export const DescribeTrails = operation({
  writes: false,
  authorize: (ctx) => ({ action: 'cloudtrail:DescribeTrails', resource: '*' }),
  run: (ctx, input) => {
    const rows = ctx.store.prepare<TrailRow>('SELECT * FROM cloudtrail_trails WHERE account_id = ? ORDER BY name').all(ctx.accountId);
    const wanted: string[] | undefined = input.trailNameList?.map(trailName);
    const shadows = input.includeShadowTrails !== false;
    return {
      trailList: rows
        .filter((r) => !wanted || wanted.length === 0 || wanted.includes(r.name))
        .filter((r) => r.home_region === ctx.region || (shadows && r.multi_region === 1))
        .map(trailShape),
    };
  },
});

export const ListTrails = operation({
  writes: false,
  authorize: () => ({ action: 'cloudtrail:ListTrails', resource: '*' }),
  run: (ctx) => ({
    Trails: ctx.store.prepare<TrailRow>('SELECT * FROM cloudtrail_trails WHERE account_id = ? ORDER BY name').all(ctx.accountId)
      .map((r) => ({ TrailARN: trailArn(r), Name: r.name, HomeRegion: r.home_region })),
  }),
});

export const StartLogging = operation({
  writes: true,
  authorize: (ctx, input) => entry(ctx, 'cloudtrail:StartLogging', input.Name),
  run: (ctx, input) => {
    const row = requireTrail(ctx.store, ctx.accountId, ctx.region, input.Name);
    if (row.logging === 1) return {};
    // Delivery picks up from here: events of the time the trail was stopped are not logged.
    const seq = lastEventSeq(ctx.store);
    ctx.store.prepare('UPDATE cloudtrail_trails SET logging = 1, started_at = ?, delivered_seq = max(delivered_seq, ?) WHERE account_id = ? AND name = ?')
      .run(ctx.now, seq, ctx.accountId, row.name);
    return {};
  },
});

export const StopLogging = operation({
  writes: true,
  authorize: (ctx, input) => entry(ctx, 'cloudtrail:StopLogging', input.Name),
  run: (ctx, input) => {
    const row = requireTrail(ctx.store, ctx.accountId, ctx.region, input.Name);
    if (row.logging === 1) ctx.store.prepare('UPDATE cloudtrail_trails SET logging = 0, stopped_at = ? WHERE account_id = ? AND name = ?').run(ctx.now, ctx.accountId, row.name);
    return {};
  },
});

export const GetTrailStatus = operation({
  writes: false,
  authorize: (ctx, input) => entry(ctx, 'cloudtrail:GetTrailStatus', input.Name),
  run: (ctx, input) => {
    const row = requireTrail(ctx.store, ctx.accountId, ctx.region, input.Name);
    const at = (ms: number | null) => (ms === null ? undefined : new Date(ms));
    return {
      IsLogging: row.logging === 1,
      LatestDeliveryError: row.delivery_error ?? undefined,
      LatestDeliveryTime: at(row.delivery_error ? null : row.delivered_at),
      StartLoggingTime: at(row.started_at),
      StopLoggingTime: at(row.stopped_at),
      LatestDeliveryAttemptTime: row.delivered_at ? new Date(row.delivered_at).toISOString() : '',
      LatestDeliveryAttemptSucceeded: row.delivered_at ? new Date(row.delivered_at).toISOString() : '',
      LatestNotificationAttemptTime: '',
      LatestNotificationAttemptSucceeded: '',
      TimeLoggingStarted: row.started_at ? new Date(row.started_at).toISOString() : '',
      TimeLoggingStopped: row.stopped_at ? new Date(row.stopped_at).toISOString() : '',
    };
  },
});

export const PutEventSelectors = operation({
  writes: true,
  authorize: (ctx, input) => entry(ctx, 'cloudtrail:PutEventSelectors', input.TrailName),
  run: (ctx, input) => {
    const row = requireTrail(ctx.store, ctx.accountId, ctx.region, input.TrailName);
    const basic = input.EventSelectors as unknown[] | undefined;
    const advanced = input.AdvancedEventSelectors as Array<{ FieldSelectors: Array<{ Field: string }> }> | undefined;
    if ((basic === undefined) === (advanced === undefined)) {
      throw new AwsError('InvalidEventSelectorsException', 'Specify either EventSelectors or AdvancedEventSelectors, but not both.', 400);
    }
    if (basic && basic.length > 5) throw new AwsError('InvalidEventSelectorsException', 'A trail can have at most 5 event selectors.', 400);
    for (const s of advanced ?? []) {
      for (const f of s.FieldSelectors) {
        if (!['eventCategory', 'readOnly', 'eventSource', 'eventName', 'resources.type', 'resources.ARN'].includes(f.Field)) {
          throw new AwsError('InvalidEventSelectorsException', `Invalid field name: ${f.Field}`, 400);
        }
      }
    }
    ctx.store.prepare('UPDATE cloudtrail_trails SET selectors = ?, advanced_selectors = ? WHERE account_id = ? AND name = ?')
      .run(basic ? JSON.stringify(basic) : null, advanced ? JSON.stringify(advanced) : null, ctx.accountId, row.name);
    return { TrailARN: trailArn(row), EventSelectors: basic, AdvancedEventSelectors: advanced };
  },
});

export const GetEventSelectors = operation({
  writes: false,
  authorize: (ctx, input) => entry(ctx, 'cloudtrail:GetEventSelectors', input.TrailName),
  run: (ctx, input) => {
    const row = requireTrail(ctx.store, ctx.accountId, ctx.region, input.TrailName);
    if (row.advanced_selectors) return { TrailARN: trailArn(row), AdvancedEventSelectors: JSON.parse(row.advanced_selectors) };
    return {
      TrailARN: trailArn(row),
      EventSelectors: row.selectors ? JSON.parse(row.selectors) : [{ ReadWriteType: 'All', IncludeManagementEvents: true, DataResources: [], ExcludeManagementEventSources: [] }],
    };
  },
});

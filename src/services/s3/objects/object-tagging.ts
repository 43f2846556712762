import { AwsError } from '../../../protocol/errors.js';
import { operation } from '../../operation.js';
import type { RequestContext } from '../../types.js';
import { objectTags } from '../authz/object-rules.js';
import { existingObjectTagKeys, objectEntry, requestObjectTagKeys, versionKeys, type Context } from '../authz/rules.js';
import { requireBucket } from '../buckets/bucket-rows.js';
import { checkTagSet, type Tag } from '../buckets/tag-sets.js';
import { noSuchKey } from '../errors.js';

/**
 * Object tags: at most 10 per version, kept with the version (s3_objects.tags). The
 * actions are s3:{Get,Put,Delete}ObjectTagging, or the …ObjectVersionTagging ones for a
 * named version, with s3:ExistingObjectTag/* (and, for Put, s3:RequestObjectTag/* and
 * s3:RequestObjectTagKeys).
 */

interface TaggingInput {
  Bucket: string;
  Key: string;
  VersionId?: string;
}

interface VersionRef {
  version_id: string;
  delete_marker: number;
  tags: string | null;
}

function action(verb: 'Get' | 'Put' | 'Delete', versionId: string | undefined): string {
  return versionId === undefined ? `s3:${verb}ObjectTagging` : `s3:${verb}ObjectVersionTagging`;
}

function entry(ctx: RequestContext, verb: 'Get' | 'Put' | 'Delete', input: TaggingInput, extra: Context = {}) {
  const context = { ...versionKeys(input.VersionId), ...existingObjectTagKeys(objectTags(ctx, input.Bucket, input.Key, input.VersionId)), ...extra };
  return objectEntry(ctx, action(verb, input.VersionId), input.Bucket, input.Key, context);
}

/** The version a tagging request acts on; a delete marker has no tags to act on. */
function versionOf(ctx: RequestContext, input: TaggingInput): VersionRef {
  const bucket = requireBucket(ctx.store, input.Bucket);
  const row = input.VersionId === undefined
    ? ctx.store.prepare<VersionRef>('SELECT version_id, delete_marker, tags FROM s3_objects WHERE bucket = ? AND key = ? AND is_latest = 1').get(bucket.name, input.Key)
    : ctx.store.prepare<VersionRef>('SELECT version_id, delete_marker, tags FROM s3_objects WHERE bucket = ? AND key = ? AND version_id = ?').get(bucket.name, input.Key, input.VersionId);
  if (!row) {
    if (input.VersionId !== undefined && input.VersionId !== 'null') {
      throw new AwsError('NoSuchVersion', 'The specified version does not exist.', 404, { extra: { Key: input.Key, VersionId: input.VersionId } });
    }
    throw noSuchKey(input.Key);
  }
  if (row.delete_marker) {
    if (input.VersionId === undefined) throw noSuchKey(input.Key);
    throw new AwsError('MethodNotAllowed', 'The specified method is not allowed against this resource.', 405, { extra: { Method: 'GET', ResourceType: 'DeleteMarker' } });
  }
  return row;
}

function setTags(ctx: RequestContext, bucket: string, key: string, versionId: string, tags: Tag[] | null): void {
  ctx.store.prepare('UPDATE s3_objects SET tags = ? WHERE bucket = ? AND key = ? AND version_id = ?').run(tags && tags.length ? JSON.stringify(tags) : null, bucket, key, versionId);
}

export const GetObjectTagging = operation({
  writes: false,
  authorize: (ctx, input: TaggingInput) => entry(ctx, 'Get', input),
  run: (ctx, input: TaggingInput) => {
    const row = versionOf(ctx, input);
    return { TagSet: row.tags ? (JSON.parse(row.tags) as Tag[]) : [], VersionId: row.version_id };
  },
});

export const PutObjectTagging = operation({
  writes: true,
  authorize: (ctx, input: TaggingInput & { Tagging: { TagSet: Tag[] } }) => entry(ctx, 'Put', input, requestObjectTagKeys(input.Tagging.TagSet)),
  run: (ctx, input: TaggingInput & { Tagging: { TagSet: Tag[] } }) => {
    const row = versionOf(ctx, input);
    const tags = input.Tagging.TagSet.map((t) => ({ Key: t.Key, Value: t.Value ?? '' }));
    checkTagSet(tags, 10);
    setTags(ctx, input.Bucket, input.Key, row.version_id, tags);
    return { VersionId: row.version_id };
  },
});

export const DeleteObjectTagging = operation({
  writes: true,
  authorize: (ctx, input: TaggingInput) => entry(ctx, 'Delete', input),
  run: (ctx, input: TaggingInput) => {
    const row = versionOf(ctx, input);
    setTags(ctx, input.Bucket, input.Key, row.version_id, null);
    return { VersionId: row.version_id };
  },
});

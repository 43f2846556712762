import { AwsError } from '../../../protocol/errors.js';
import { operation } from '../../operation.js';
import type { RequestContext } from '../../types.js';
import { validation, resourceNotFound } from '../errors.js';
import { tableEntry } from '../authz/rules.js';
import { findTable, setTableColumn, type Table } from '../tables/table-rows.js';
import { checkTags, MAX_TAGS, readTags, tagConditionKeys, type Tag } from './tag-lists.js';

/**
 * Tags of a table (ResourceArn: the table's ARN). aws:RequestTag/aws:TagKeys on
 * TagResource and UntagResource, as IAM documents for DynamoDB.
 */
const ARN = /^arn:aws[a-z-]*:dynamodb:([a-z0-9-]+):(\d{12}):table\/([^/]+)$/;

function tableOf(ctx: RequestContext, arn: string): Table {
  const m = ARN.exec(arn);
  if (!m) throw validation(`Invalid TableArn: Invalid ResourceArn provided as input ${arn}`);
  const table = findTable(ctx.store, { region: m[1], accountId: m[2], name: m[3] });
  if (!table || m[1] !== ctx.region) throw resourceNotFound(`Requested resource not found: ResourceArn: ${arn} not found`);
  return table;
}

function entry(ctx: RequestContext, arn: string, action: string) {
  const m = ARN.exec(arn);
  if (!m) throw validation(`Invalid TableArn: Invalid ResourceArn provided as input ${arn}`);
  return tableEntry(ctx, arn, action);
}

export const TagResource = operation({
  writes: true,
  authorize: (ctx, input: { ResourceArn: string; Tags: Tag[] }) => ({ ...entry(ctx, input.ResourceArn, 'dynamodb:TagResource'), context: tagConditionKeys(input.Tags) }),
  run: (ctx, input: { ResourceArn: string; Tags: Tag[] }) => {
    const table = tableOf(ctx, input.ResourceArn);
    checkTags(input.Tags);
    const tags = readTags(table.row.tags).filter((t) => !input.Tags.some((n) => n.Key === t.Key));
    tags.push(...input.Tags);
    if (tags.length > MAX_TAGS) throw new AwsError('LimitExceededException', `The number of tags for the resource ${input.ResourceArn} exceeds the limit of ${MAX_TAGS}.`, 400);
    setTableColumn(ctx.store, table, 'tags', JSON.stringify(tags));
    return {};
  },
});

export const UntagResource = operation({
  writes: true,
  authorize: (ctx, input: { ResourceArn: string; TagKeys: string[] }) => ({ ...entry(ctx, input.ResourceArn, 'dynamodb:UntagResource'), context: { 'aws:TagKeys': input.TagKeys } }),
  run: (ctx, input: { ResourceArn: string; TagKeys: string[] }) => {
    const table = tableOf(ctx, input.ResourceArn);
    const tags = readTags(table.row.tags).filter((t) => !input.TagKeys.includes(t.Key));
    setTableColumn(ctx.store, table, 'tags', tags.length ? JSON.stringify(tags) : null);
    return {};
  },
});

export const ListTagsOfResource = operation({
  writes: false,
  authorize: (ctx, input: { ResourceArn: string }) => entry(ctx, input.ResourceArn, 'dynamodb:ListTagsOfResource'),
  run: (ctx, input: { ResourceArn: string; NextToken?: string }) => {
    const table = tableOf(ctx, input.ResourceArn);
    const tags = readTags(table.row.tags);
    const from = input.NextToken ? Number(input.NextToken) : 0;
    if (!Number.isInteger(from) || from < 0) throw validation('Invalid NextToken');
    const page = tags.slice(from, from + 10);
    return { Tags: page, ...(from + 10 < tags.length ? { NextToken: String(from + 10) } : {}) };
  },
});

import { AwsError } from '../../../protocol/errors.js';
import { operation } from '../../operation.js';
import type { RequestContext } from '../../types.js';
import { resourceNotFound, validation } from '../errors.js';
import { tableEntry } from '../authz/rules.js';
import { findTable, setTableColumn, type Table } from '../tables/table-rows.js';
import { checkResourcePolicy, newRevision } from './policy-document.js';

/**
 * A table's resource-based policy (the table ARN; a stream's is not served). It is the
 * resource policy of every request on the table and its indexes (authz/rules.ts), joined
 * with the caller's identity policies as IAM joins a bucket policy: either allows within
 * the owner's account, both must across accounts, and a Deny in either wins.
 */
const ARN = /^arn:aws[a-z-]*:dynamodb:([a-z0-9-]+):(\d{12}):table\/([^/]+)$/;

function tableOf(ctx: RequestContext, arn: string): Table {
  const m = ARN.exec(arn);
  if (!m) throw validation(`Invalid ResourceArn provided as input ${arn}`);
  const table = findTable(ctx.store, { region: m[1], accountId: m[2], name: m[3] });
  if (!table || m[1] !== ctx.region) throw resourceNotFound(`Requested resource not found: Table: ${m[3]} not found`);
  return table;
}

function policyNotFound(arn: string): AwsError {
  return new AwsError('PolicyNotFoundException', `Resource-based policy not found for the provided ResourceArn: ${arn}`, 400);
}

function checkRevision(table: Table, expected: string | undefined): void {
  if (expected === undefined) return;
  if (table.row.policy_revision === null) {
    throw policyNotFound(table.arn);
  }
  if (expected !== table.row.policy_revision) {
    throw new AwsError('PolicyNotFoundException', `A policy with revision id ${expected} was not found for the provided ResourceArn: ${table.arn}`, 400);
  }
}

export const PutResourcePolicy = operation({
  writes: true,
  authorize: (ctx, input: { ResourceArn: string; Policy: string; ExpectedRevisionId?: string }) => tableEntry(ctx, input.ResourceArn, 'dynamodb:PutResourcePolicy'),
  run: (ctx, input: { ResourceArn: string; Policy: string; ExpectedRevisionId?: string }) => {
    const table = tableOf(ctx, input.ResourceArn);
    checkRevision(table, input.ExpectedRevisionId);
    checkResourcePolicy(ctx.store, table.arn, input.Policy);
    const revision = newRevision(ctx);
    setTableColumn(ctx.store, table, 'policy', input.Policy);
    setTableColumn(ctx.store, table, 'policy_revision', revision);
    return { RevisionId: revision };
  },
});

export const GetResourcePolicy = operation({
  writes: false,
  authorize: (ctx, input: { ResourceArn: string }) => tableEntry(ctx, input.ResourceArn, 'dynamodb:GetResourcePolicy'),
  run: (ctx, input: { ResourceArn: string }) => {
    const table = tableOf(ctx, input.ResourceArn);
    if (table.row.policy === null) throw policyNotFound(input.ResourceArn);
    return { Policy: table.row.policy, RevisionId: table.row.policy_revision };
  },
});

export const DeleteResourcePolicy = operation({
  writes: true,
  authorize: (ctx, input: { ResourceArn: string; ExpectedRevisionId?: string }) => tableEntry(ctx, input.ResourceArn, 'dynamodb:DeleteResourcePolicy'),
  run: (ctx, input: { ResourceArn: string; ExpectedRevisionId?: string }) => {
    const table = tableOf(ctx, input.ResourceArn);
    if (table.row.policy === null) throw policyNotFound(input.ResourceArn);
    checkRevision(table, input.ExpectedRevisionId);
    setTableColumn(ctx.store, table, 'policy', null);
    setTableColumn(ctx.store, table, 'policy_revision', null);
    return { RevisionId: newRevision(ctx) };
  },
});

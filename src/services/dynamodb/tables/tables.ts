import { randomUUID } from 'node:crypto';
import { AwsError } from '../../../protocol/errors.js';
import { operation } from '../../operation.js';
import type { AuthzEntry, RequestContext } from '../../types.js';
import { resourceInUse, validation } from '../errors.js';
import { tableEntry } from '../authz/rules.js';
import { checkResourcePolicy, newRevision } from '../resource-policies/policy-document.js';
import { checkTags, tagConditionKeys, type Tag } from '../tags/tag-lists.js';
import { describeTable } from './table-description.js';
import { findTable, requireNamedTable, tableArn, tableRef, type IndexSpec, type TableSpec } from './table-rows.js';
import { checkBilling, checkDefinitions, checkIndexes, checkKeySchema, keyAttributeNames } from './table-spec-checks.js';
import type { AttributeDefinition, KeySchemaElement } from '../keys/key-schema.js';

/** AWS's default quota of tables per account and region. */
export const MAX_TABLES = 2500;

interface CreateTableInput {
  TableName: string;
  AttributeDefinitions: AttributeDefinition[];
  KeySchema: KeySchemaElement[];
  LocalSecondaryIndexes?: IndexSpec[];
  GlobalSecondaryIndexes?: IndexSpec[];
  BillingMode?: TableSpec['BillingMode'];
  ProvisionedThroughput?: TableSpec['ProvisionedThroughput'];
  StreamSpecification?: TableSpec['StreamSpecification'];
  SSESpecification?: TableSpec['SSESpecification'];
  Tags?: Tag[];
  TableClass?: string;
  DeletionProtectionEnabled?: boolean;
  ResourcePolicy?: string;
  OnDemandThroughput?: TableSpec['OnDemandThroughput'];
}

/**
 * CreateTable: dynamodb:CreateTable (and dynamodb:TagResource with Tags,
 * dynamodb:PutResourcePolicy with a ResourcePolicy, as AWS asks).
 */
export const CreateTable = operation({
  writes: true,
  authorize: (ctx, input: CreateTableInput) => {
    const entries: AuthzEntry[] = [tableEntry(ctx, input.TableName, 'dynamodb:CreateTable', {})];
    if (input.Tags?.length) {
      entries[0].context = { ...entries[0].context, ...tagConditionKeys(input.Tags) };
      entries.push({ ...tableEntry(ctx, input.TableName, 'dynamodb:TagResource'), context: tagConditionKeys(input.Tags) });
    }
    if (input.ResourcePolicy !== undefined) entries.push(tableEntry(ctx, input.TableName, 'dynamodb:PutResourcePolicy'));
    return entries;
  },
  run: (ctx, input: CreateTableInput) => {
    const ref = tableRef(ctx, input.TableName);
    if (ref.accountId !== ctx.accountId) throw validation('CreateTable cannot create a table in another account');
    const gsis = input.GlobalSecondaryIndexes ?? [];
    const lsis = input.LocalSecondaryIndexes ?? [];
    checkKeySchema(input.KeySchema);
    checkDefinitions(input.AttributeDefinitions, keyAttributeNames(input.KeySchema, [...gsis, ...lsis]));
    checkIndexes(input.KeySchema, gsis, lsis);
    const mode = input.BillingMode ?? 'PROVISIONED';
    if (mode === 'PROVISIONED' && !input.ProvisionedThroughput && input.BillingMode === undefined) {
      throw validation('No provisioned throughput specified for the table');
    }
    checkBilling(mode, input.ProvisionedThroughput, gsis);
    if (input.StreamSpecification?.StreamEnabled && !input.StreamSpecification.StreamViewType) {
      throw validation('One or more parameter values were invalid: StreamViewType is required when StreamEnabled is true');
    }
    if (input.Tags) checkTags(input.Tags);
    if (findTable(ctx.store, ref)) throw resourceInUse(`Table already exists: ${ref.name}`);
    const count = ctx.store.prepare<{ n: number }>('SELECT count(*) AS n FROM ddb_tables WHERE account_id = ? AND region = ?').get(ref.accountId, ref.region)!.n;
    if (count >= MAX_TABLES) {
      throw new AwsError('LimitExceededException', `Subscriber limit exceeded: Only ${MAX_TABLES} tables can be created in each region per account`, 400);
    }
    const policy = input.ResourcePolicy !== undefined ? checkResourcePolicy(ctx.store, tableArn(ref), input.ResourcePolicy) : null;
    const spec: TableSpec = {
      AttributeDefinitions: input.AttributeDefinitions,
      KeySchema: input.KeySchema,
      BillingMode: mode,
      ...(mode === 'PROVISIONED' ? { ProvisionedThroughput: input.ProvisionedThroughput } : { payPerRequestSince: ctx.now }),
      ...(gsis.length ? { GlobalSecondaryIndexes: gsis.map((g) => ({ ...g, ...(mode === 'PAY_PER_REQUEST' ? { ProvisionedThroughput: undefined } : {}) })) } : {}),
      ...(lsis.length ? { LocalSecondaryIndexes: lsis.map(({ ProvisionedThroughput: _, ...l }) => l) } : {}),
      ...(input.StreamSpecification?.StreamEnabled ? { StreamSpecification: input.StreamSpecification, streamSince: ctx.now } : {}),
      ...(input.SSESpecification ? { SSESpecification: input.SSESpecification } : {}),
      ...(input.TableClass ? { TableClass: input.TableClass } : {}),
      DeletionProtectionEnabled: input.DeletionProtectionEnabled ?? false,
      ...(input.OnDemandThroughput ? { OnDemandThroughput: input.OnDemandThroughput } : {}),
    };
    ctx.store
      .prepare('INSERT INTO ddb_tables (account_id, region, name, table_id, created_at, description, tags, policy, policy_revision) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)')
      .run(ref.accountId, ref.region, ref.name, randomUUID(), ctx.now, JSON.stringify(spec), input.Tags?.length ? JSON.stringify(input.Tags) : null, policy, policy === null ? null : newRevision(ctx));
    const table = findTable(ctx.store, ref)!;
    const creating = Object.fromEntries(gsis.map((g) => [g.IndexName, 'CREATING']));
    return { TableDescription: describeTable(ctx.store, table, 'CREATING', creating) };
  },
});

export const DescribeTable = operation({
  writes: false,
  authorize: (ctx, input: { TableName: string }) => tableEntry(ctx, input.TableName, 'dynamodb:DescribeTable'),
  run: (ctx, input: { TableName: string }) => {
    const table = requireNamedTable(ctx.store, tableRef(ctx, input.TableName));
    return { Table: describeTable(ctx.store, table) };
  },
});

/** ListTables: dynamodb:ListTables on "*"; names in order, pages of Limit (at most 100). */
export const ListTables = operation({
  writes: false,
  authorize: () => ({ action: 'dynamodb:ListTables', resource: '*' }),
  run: (ctx: RequestContext, input: { ExclusiveStartTableName?: string; Limit?: number }) => {
    const limit = input.Limit ?? 100;
    const names = ctx.store
      .prepare<{ name: string }>('SELECT name FROM ddb_tables WHERE account_id = ? AND region = ? AND name > ? ORDER BY name LIMIT ?')
      .all(ctx.accountId, ctx.region, input.ExclusiveStartTableName ?? '', limit + 1)
      .map((r) => r.name);
    const more = names.length > limit;
    const page = names.slice(0, limit);
    return { TableNames: page, ...(more ? { LastEvaluatedTableName: page[page.length - 1] } : {}) };
  },
});

/** DeleteTable: the table, its items and index entries go at once; the answer says DELETING. */
export const DeleteTable = operation({
  writes: true,
  authorize: (ctx, input: { TableName: string }) => tableEntry(ctx, input.TableName, 'dynamodb:DeleteTable'),
  run: (ctx, input: { TableName: string }) => {
    const table = requireNamedTable(ctx.store, tableRef(ctx, input.TableName));
    if (table.spec.DeletionProtectionEnabled) {
      throw validation('Resource cannot be deleted as it is currently protected against deletion. Disable deletion protection first.');
    }
    const description = describeTable(ctx.store, table, 'DELETING');
    const { account_id, region, name } = table.row;
    ctx.store.prepare('DELETE FROM ddb_items WHERE account_id = ? AND region = ? AND table_name = ?').run(account_id, region, name);
    ctx.store.prepare('DELETE FROM ddb_tables WHERE account_id = ? AND region = ? AND name = ?').run(account_id, region, name);
    return { TableDescription: description };
  },
});

/** DescribeLimits: the account's provisioned-capacity quotas, AWS's defaults. */
export const DescribeLimits = operation({
  writes: false,
  authorize: () => ({ action: 'dynamodb:DescribeLimits', resource: '*' }),
  run: () => ({ AccountMaxReadCapacityUnits: 80000, AccountMaxWriteCapacityUnits: 80000, TableMaxReadCapacityUnits: 40000, TableMaxWriteCapacityUnits: 40000 }),
});

import type { Store } from '../../../store/store.js';
import { countItems } from '../items/item-rows.js';
import type { IndexSpec, Table, Throughput } from './table-rows.js';

export type TableStatus = 'CREATING' | 'ACTIVE' | 'UPDATING' | 'DELETING';

/**
 * DescribeTable's TableDescription. Tables become ACTIVE as soon as they are created (the
 * response to CreateTable itself says CREATING, as AWS's does, so waiters poll once).
 * ItemCount and TableSizeBytes are exact at every call (AWS refreshes them about every
 * six hours; being current is within what it promises).
 */
export function describeTable(store: Store, table: Table, status: TableStatus = 'ACTIVE', indexStatus: Record<string, string> = {}): Record<string, unknown> {
  const { spec, row } = table;
  const counts = countItems(store, table);
  const out: Record<string, unknown> = {
    AttributeDefinitions: spec.AttributeDefinitions,
    TableName: row.name,
    KeySchema: spec.KeySchema,
    TableStatus: status,
    CreationDateTime: new Date(row.created_at),
    ProvisionedThroughput: throughputDescription(spec.BillingMode === 'PROVISIONED' ? spec.ProvisionedThroughput : undefined),
    TableSizeBytes: counts.bytes,
    ItemCount: counts.count,
    TableArn: table.arn,
    TableId: row.table_id,
    DeletionProtectionEnabled: spec.DeletionProtectionEnabled ?? false,
  };
  if (spec.BillingMode === 'PAY_PER_REQUEST' || spec.payPerRequestSince !== undefined) {
    out.BillingModeSummary = { BillingMode: spec.BillingMode, LastUpdateToPayPerRequestDateTime: new Date(spec.payPerRequestSince ?? row.created_at) };
  }
  if (spec.BillingMode === 'PAY_PER_REQUEST') out.OnDemandThroughput = { MaxReadRequestUnits: -1, MaxWriteRequestUnits: -1, ...spec.OnDemandThroughput };
  const index = (ix: IndexSpec, kind: 'global' | 'local') => {
    const c = countItems(store, table, ix.IndexName);
    const d: Record<string, unknown> = {
      IndexName: ix.IndexName, KeySchema: ix.KeySchema, Projection: ix.Projection, IndexSizeBytes: c.bytes, ItemCount: c.count,
      IndexArn: table.indexes.get(ix.IndexName)!.arn,
    };
    if (kind === 'global') {
      d.IndexStatus = indexStatus[ix.IndexName] ?? 'ACTIVE';
      d.ProvisionedThroughput = throughputDescription(spec.BillingMode === 'PROVISIONED' ? ix.ProvisionedThroughput : undefined);
      if (spec.BillingMode === 'PAY_PER_REQUEST') d.OnDemandThroughput = { MaxReadRequestUnits: -1, MaxWriteRequestUnits: -1, ...ix.OnDemandThroughput };
    }
    return d;
  };
  if (spec.LocalSecondaryIndexes?.length) out.LocalSecondaryIndexes = spec.LocalSecondaryIndexes.map((ix) => index(ix, 'local'));
  if (spec.GlobalSecondaryIndexes?.length) out.GlobalSecondaryIndexes = spec.GlobalSecondaryIndexes.map((ix) => index(ix, 'global'));
  if (spec.StreamSpecification?.StreamEnabled) {
    const label = new Date(spec.streamSince ?? row.created_at).toISOString().replace(/Z$/, '');
    out.StreamSpecification = spec.StreamSpecification;
    out.LatestStreamLabel = label;
    out.LatestStreamArn = `${table.arn}/stream/${label}`;
  }
  if (spec.SSESpecification?.Enabled) {
    out.SSEDescription = {
      Status: 'ENABLED', SSEType: 'KMS',
      KMSMasterKeyArn: spec.SSESpecification.KMSMasterKeyId ?? `arn:aws:kms:${row.region}:${row.account_id}:alias/aws/dynamodb`,
    };
  }
  if (spec.TableClass) out.TableClassSummary = { TableClass: spec.TableClass };
  return out;
}

function throughputDescription(t: Throughput | undefined): Record<string, unknown> {
  return { NumberOfDecreasesToday: 0, ReadCapacityUnits: t?.ReadCapacityUnits ?? 0, WriteCapacityUnits: t?.WriteCapacityUnits ?? 0 };
}

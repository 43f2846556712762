import { operation } from '../../operation.js';
import type { RequestContext } from '../../types.js';
import { invalidParameter, resourceNotFound, validation } from '../errors.js';
import { tableEntry } from '../authz/rules.js';
import { backfillIndex, dropIndexEntries } from '../items/item-rows.js';
import type { AttributeDefinition } from '../keys/key-schema.js';
import { describeTable } from './table-description.js';
import { findTable, refOf, requireNamedTable, setSpec, tableRef, type IndexSpec, type TableSpec, type Throughput } from './table-rows.js';
import { checkBilling, checkIndexes, checkKeySchema, MAX_GSIS } from './table-spec-checks.js';

interface GsiUpdate {
  Create?: IndexSpec;
  Update?: { IndexName: string; ProvisionedThroughput?: Throughput; OnDemandThroughput?: IndexSpec['OnDemandThroughput'] };
  Delete?: { IndexName: string };
}

interface UpdateTableInput {
  TableName: string;
  AttributeDefinitions?: AttributeDefinition[];
  BillingMode?: TableSpec['BillingMode'];
  ProvisionedThroughput?: Throughput;
  GlobalSecondaryIndexUpdates?: GsiUpdate[];
  StreamSpecification?: TableSpec['StreamSpecification'];
  SSESpecification?: TableSpec['SSESpecification'];
  TableClass?: string;
  DeletionProtectionEnabled?: boolean;
  OnDemandThroughput?: TableSpec['OnDemandThroughput'];
}

/**
 * UpdateTable: billing mode and throughput, GSIs created (backfilled from the table's
 * items at once), updated or deleted, streams, table class, deletion protection. The
 * answer says UPDATING (a new index CREATING); DescribeTable says ACTIVE right after.
 */
export const UpdateTable = operation({
  writes: true,
  authorize: (ctx, input: UpdateTableInput) => tableEntry(ctx, input.TableName, 'dynamodb:UpdateTable'),
  run: (ctx: RequestContext, input: UpdateTableInput) => {
    const table = requireNamedTable(ctx.store, tableRef(ctx, input.TableName));
    const { AttributeDefinitions, BillingMode, ProvisionedThroughput, GlobalSecondaryIndexUpdates, StreamSpecification, SSESpecification, TableClass, DeletionProtectionEnabled, OnDemandThroughput } = input;
    if ([AttributeDefinitions, BillingMode, ProvisionedThroughput, GlobalSecondaryIndexUpdates, StreamSpecification, SSESpecification, TableClass, DeletionProtectionEnabled, OnDemandThroughput].every((v) => v === undefined)) {
      throw validation('At least one of ProvisionedThroughput, BillingMode, UpdateStreamEnabled, GlobalSecondaryIndexUpdates or SSESpecification or ReplicaUpdates is required');
    }
    const spec: TableSpec = structuredClone(table.spec);
    const statuses: Record<string, string> = {};
    if (BillingMode !== undefined && BillingMode !== spec.BillingMode) {
      spec.BillingMode = BillingMode;
      if (BillingMode === 'PAY_PER_REQUEST') {
        spec.payPerRequestSince = ctx.now;
        delete spec.ProvisionedThroughput;
        for (const g of spec.GlobalSecondaryIndexes ?? []) delete g.ProvisionedThroughput;
      }
    }
    if (ProvisionedThroughput) spec.ProvisionedThroughput = ProvisionedThroughput;
    if (spec.BillingMode === 'PROVISIONED' && !spec.ProvisionedThroughput) {
      throw invalidParameter('ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is PROVISIONED');
    }
    if (AttributeDefinitions) {
      for (const d of AttributeDefinitions) {
        const had = spec.AttributeDefinitions.find((a) => a.AttributeName === d.AttributeName);
        if (had && had.AttributeType !== d.AttributeType) throw invalidParameter(`Cannot change the type of attribute ${d.AttributeName}`);
        if (!had) spec.AttributeDefinitions.push(d);
      }
    }
    const created: string[] = [];
    const dropped: string[] = [];
    for (const u of GlobalSecondaryIndexUpdates ?? []) {
      const gsis = (spec.GlobalSecondaryIndexes ??= []);
      if ([u.Create, u.Update, u.Delete].filter((x) => x !== undefined).length !== 1) {
        throw invalidParameter('One of GlobalSecondaryIndexUpdate.Create, GlobalSecondaryIndexUpdate.Update or GlobalSecondaryIndexUpdate.Delete must be specified');
      }
      if (u.Create) {
        if (table.indexes.has(u.Create.IndexName) || gsis.some((g) => g.IndexName === u.Create!.IndexName)) {
          throw validation(`One or more parameter values were invalid: Attempting to create an index which already exists`);
        }
        checkKeySchema(u.Create.KeySchema);
        for (const k of u.Create.KeySchema) {
          if (!spec.AttributeDefinitions.some((a) => a.AttributeName === k.AttributeName)) {
            throw invalidParameter(`Global Secondary Index hash key not specified in Attribute Definitions.Type unknown.`);
          }
        }
        const ix = { ...u.Create };
        if (spec.BillingMode === 'PAY_PER_REQUEST') delete ix.ProvisionedThroughput;
        gsis.push(ix);
        if (gsis.length > MAX_GSIS) throw invalidParameter(`GlobalSecondaryIndex count exceeds the per-table limit of ${MAX_GSIS}`);
        created.push(ix.IndexName);
        statuses[ix.IndexName] = 'CREATING';
      } else if (u.Update) {
        const g = gsis.find((x) => x.IndexName === u.Update!.IndexName);
        if (!g) throw resourceNotFound(`Requested resource not found: Index: ${u.Update.IndexName} not found`);
        if (u.Update.ProvisionedThroughput) g.ProvisionedThroughput = u.Update.ProvisionedThroughput;
        if (u.Update.OnDemandThroughput) g.OnDemandThroughput = u.Update.OnDemandThroughput;
        statuses[g.IndexName] = 'UPDATING';
      } else if (u.Delete) {
        const at = gsis.findIndex((x) => x.IndexName === u.Delete!.IndexName);
        if (at < 0) throw resourceNotFound(`Requested resource not found: Index: ${u.Delete.IndexName} not found`);
        gsis.splice(at, 1);
        dropped.push(u.Delete.IndexName);
      }
    }
    if (spec.GlobalSecondaryIndexes?.length === 0) delete spec.GlobalSecondaryIndexes;
    checkIndexes(spec.KeySchema, spec.GlobalSecondaryIndexes ?? [], spec.LocalSecondaryIndexes ?? []);
    checkBilling(spec.BillingMode, spec.BillingMode === 'PROVISIONED' ? spec.ProvisionedThroughput : undefined, spec.GlobalSecondaryIndexes ?? []);
    if (StreamSpecification) {
      if (StreamSpecification.StreamEnabled && spec.StreamSpecification?.StreamEnabled) throw validation(`Table already has an enabled stream: ${table.arn}`);
      if (StreamSpecification.StreamEnabled) spec.streamSince = ctx.now;
      spec.StreamSpecification = StreamSpecification.StreamEnabled ? StreamSpecification : undefined;
    }
    if (SSESpecification) spec.SSESpecification = SSESpecification;
    if (TableClass) spec.TableClass = TableClass;
    if (DeletionProtectionEnabled !== undefined) spec.DeletionProtectionEnabled = DeletionProtectionEnabled;
    if (OnDemandThroughput) spec.OnDemandThroughput = OnDemandThroughput;
    setSpec(ctx.store, table, spec);
    const now = findTable(ctx.store, refOf(table))!;
    for (const name of dropped) dropIndexEntries(ctx.store, now, name);
    for (const name of created) backfillIndex(ctx.store, now, now.indexes.get(name)!);
    return { TableDescription: describeTable(ctx.store, now, 'UPDATING', statuses) };
  },
});

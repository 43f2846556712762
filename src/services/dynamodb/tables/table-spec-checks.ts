import { invalidParameter, validation } from '../errors.js';
import type { AttributeDefinition, KeySchemaElement } from '../keys/key-schema.js';
import type { IndexSpec, TableSpec, Throughput } from './table-rows.js';

/** AWS's default quotas on a table's indexes. */
export const MAX_GSIS = 20;
export const MAX_LSIS = 5;
/** Non-key attributes projected into all of a table's indexes together. */
export const MAX_PROJECTED_ATTRIBUTES = 100;

/** KeySchema: a HASH element, then at most one RANGE element, different attributes. */
export function checkKeySchema(schema: KeySchemaElement[], what = 'KeySchema'): void {
  if (schema[0]?.KeyType !== 'HASH') throw validation(`Invalid ${what}: The first KeySchemaElement is not a HASH key type`);
  if (schema.length > 1 && schema[1].KeyType !== 'RANGE') throw validation(`Invalid ${what}: The second KeySchemaElement is not a RANGE key type`);
  if (schema.length > 1 && schema[0].AttributeName === schema[1].AttributeName) {
    throw validation(`Both the Hash Key and the Range Key element in the ${what} have the same name`);
  }
}

function names(schema: KeySchemaElement[]): string[] {
  return schema.map((k) => k.AttributeName);
}

/** Every key attribute is defined; no definition is unused (CreateTable's rule). */
export function checkDefinitions(definitions: AttributeDefinition[], used: string[]): void {
  const defined = definitions.map((d) => d.AttributeName);
  if (new Set(defined).size !== defined.length) throw invalidParameter('Duplicate AttributeName in AttributeDefinitions');
  const missing = used.filter((n) => !defined.includes(n));
  if (missing.length > 0) {
    throw invalidParameter(`Some index key attributes are not defined in AttributeDefinitions. Keys: [${[...new Set(used)].join(', ')}], AttributeDefinitions: [${defined.join(', ')}]`);
  }
  if (defined.some((n) => !used.includes(n))) {
    throw invalidParameter('Number of attributes in KeySchema does not exactly match number of attributes defined in AttributeDefinitions');
  }
}

/** Billing mode and throughput together (CreateTable and UpdateTable). */
export function checkBilling(mode: TableSpec['BillingMode'], throughput: Throughput | undefined, gsis: IndexSpec[]): void {
  if (mode === 'PAY_PER_REQUEST') {
    if (throughput) throw invalidParameter('Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST');
    for (const g of gsis) {
      if (g.ProvisionedThroughput) throw invalidParameter(`ProvisionedThroughput should not be specified for index: ${g.IndexName} when BillingMode is PAY_PER_REQUEST`);
    }
  } else {
    if (!throughput) throw invalidParameter('ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is PROVISIONED');
    checkThroughput(throughput);
    for (const g of gsis) {
      if (!g.ProvisionedThroughput) throw invalidParameter(`ProvisionedThroughput must be specified for index: ${g.IndexName}`);
      checkThroughput(g.ProvisionedThroughput);
    }
  }
}

function checkThroughput(t: Throughput): void {
  if (t.ReadCapacityUnits < 1 || t.WriteCapacityUnits < 1) {
    throw validation(`1 validation error detected: Value '${Math.min(t.ReadCapacityUnits, t.WriteCapacityUnits)}' at 'provisionedThroughput.readCapacityUnits' failed to satisfy constraint: Member must have value greater than or equal to 1`);
  }
}

/** Secondary indexes: names unique, key schemas sound, LSIs sharing the table's hash key, projections sound. */
export function checkIndexes(table: KeySchemaElement[], gsis: IndexSpec[], lsis: IndexSpec[]): void {
  const all = [...gsis, ...lsis];
  const seen = new Set<string>();
  for (const ix of all) {
    if (seen.has(ix.IndexName)) throw invalidParameter(`Duplicate index name: ${ix.IndexName}`);
    seen.add(ix.IndexName);
    checkKeySchema(ix.KeySchema);
    checkProjection(ix);
  }
  if (gsis.length > MAX_GSIS) throw invalidParameter(`GlobalSecondaryIndex count exceeds the per-table limit of ${MAX_GSIS}`);
  if (lsis.length > MAX_LSIS) throw invalidParameter(`LocalSecondaryIndex count exceeds the per-table limit of ${MAX_LSIS}`);
  if (lsis.length > 0 && table.length < 2) {
    throw invalidParameter('Table KeySchema does not have a range key, which is required when specifying a LocalSecondaryIndex');
  }
  for (const l of lsis) {
    if (l.KeySchema.length < 2) throw invalidParameter(`Index KeySchema does not have a range key for index: ${l.IndexName}`);
    if (l.KeySchema[0].AttributeName !== table[0].AttributeName) {
      throw invalidParameter(`Index KeySchema does not have the same leading hash key as table KeySchema for index: ${l.IndexName}. index hash key: ${l.KeySchema[0].AttributeName}, table hash key: ${table[0].AttributeName}`);
    }
  }
  const projected = new Set<string>();
  for (const ix of all) for (const a of ix.Projection.NonKeyAttributes ?? []) projected.add(a);
  if (projected.size > MAX_PROJECTED_ATTRIBUTES) {
    throw invalidParameter(`The number of attributes in key schema plus the number of projected attributes exceeds the limit of ${MAX_PROJECTED_ATTRIBUTES}`);
  }
}

function checkProjection(ix: IndexSpec): void {
  const p = ix.Projection;
  if (!p.ProjectionType) throw invalidParameter('Unknown ProjectionType: null');
  if (p.ProjectionType === 'INCLUDE') {
    if (!p.NonKeyAttributes?.length) throw invalidParameter('ProjectionType is INCLUDE, but NonKeyAttributes is not specified');
  } else if (p.NonKeyAttributes) {
    throw invalidParameter(`ProjectionType is ${p.ProjectionType}, but NonKeyAttributes is specified`);
  }
}

export function keyAttributeNames(table: KeySchemaElement[], indexes: IndexSpec[]): string[] {
  return [...names(table), ...indexes.flatMap((ix) => names(ix.KeySchema))];
}

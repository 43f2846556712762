import type { AuthzEntry, RequestContext } from '../../types.js';
import type { AttributeValue, Item } from '../items/item-json.js';
import { indexArn, tableArn, tableOf, tableRef, type Table } from '../tables/table-rows.js';
import { tablePolicies } from './table-policies.js';

/**
 * What a DynamoDB request asks the policy engine: dynamodb:<Action> on the table's ARN
 * (…/index/NAME for a Query or Scan of an index), the table's owner as the resource
 * account, the table's resource policy, and the request's condition keys:
 *   dynamodb:LeadingKeys            the partition key values the request touches
 *   dynamodb:Attributes             the attribute names it reads or writes
 *   dynamodb:Select, dynamodb:ReturnValues, dynamodb:ReturnConsumedCapacity  as sent
 */
export interface TableKeys {
  leadingKeys?: string[];
  attributes?: string[];
  select?: string;
  returnValues?: string;
  returnConsumedCapacity?: string;
}

export function tableEntry(ctx: RequestContext, tableName: string, action: string, keys: TableKeys = {}, indexName?: string): AuthzEntry {
  const ref = tableRef(ctx, tableName);
  const table = tableOf(ctx, tableName);
  const entry: AuthzEntry = {
    action,
    // The table's own ARN strings when it exists (built once with it, not per request).
    resource: indexName === undefined ? table?.arn ?? tableArn(ref) : table?.indexes.get(indexName)?.arn ?? indexArn(ref, indexName),
    context: conditionKeys(keys),
  };
  if (ref.accountId !== ctx.accountId) entry.resourceAccount = ref.accountId;
  const policies = table && tablePolicies(table);
  if (policies) entry.resourcePolicies = policies;
  return entry;
}

function conditionKeys(k: TableKeys): Record<string, string | string[]> {
  const c: Record<string, string | string[]> = {};
  if (k.leadingKeys) c['dynamodb:LeadingKeys'] = k.leadingKeys;
  if (k.attributes) c['dynamodb:Attributes'] = k.attributes;
  if (k.select) c['dynamodb:Select'] = k.select;
  if (k.returnValues) c['dynamodb:ReturnValues'] = k.returnValues;
  if (k.returnConsumedCapacity) c['dynamodb:ReturnConsumedCapacity'] = k.returnConsumedCapacity;
  return c;
}

/** The table a request names, when it exists (authorize never fails on a missing table: the handler says so). */
export function tableFor(ctx: RequestContext, tableName: string): Table | undefined {
  try {
    return tableOf(ctx, tableName);
  } catch {
    return undefined;
  }
}

/** A key value as a condition key value: S and N as their text, B as base64. */
export function keyText(value: AttributeValue | undefined): string | undefined {
  if (!value) return undefined;
  const v = value as { S?: string; N?: string; B?: Buffer };
  if (v.S !== undefined) return v.S;
  if (v.N !== undefined) return v.N;
  if (v.B !== undefined) return Buffer.isBuffer(v.B) ? v.B.toString('base64') : String(v.B);
  return undefined;
}

/** dynamodb:LeadingKeys of items or keys of a table. */
export function leadingKeys(table: Table | undefined, items: Array<Item | undefined>): string[] | undefined {
  if (!table) return undefined;
  const out: string[] = [];
  for (const item of items) {
    const t = keyText(item?.[table.key.hash]);
    if (t !== undefined && !out.includes(t)) out.push(t);
  }
  return out;
}

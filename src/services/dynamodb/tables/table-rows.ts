import type { RequestContext } from '../../types.js';
import type { Store } from '../../../store/store.js';
import { keyShape, type AttributeDefinition, type KeySchemaElement, type KeyShape } from '../keys/key-schema.js';
import { resourceNotFound, tableNotFound, validation } from '../errors.js';

/** What CreateTable/UpdateTable said, as kept in ddb_tables.description. */
export interface TableSpec {
  AttributeDefinitions: AttributeDefinition[];
  KeySchema: KeySchemaElement[];
  BillingMode: 'PROVISIONED' | 'PAY_PER_REQUEST';
  ProvisionedThroughput?: Throughput;
  /** When the table last became PAY_PER_REQUEST (BillingModeSummary), epoch ms. */
  payPerRequestSince?: number;
  GlobalSecondaryIndexes?: IndexSpec[];
  LocalSecondaryIndexes?: IndexSpec[];
  StreamSpecification?: { StreamEnabled: boolean; StreamViewType?: string };
  /** When streams were last enabled (the stream label), epoch ms. */
  streamSince?: number;
  SSESpecification?: { Enabled?: boolean; SSEType?: string; KMSMasterKeyId?: string };
  TableClass?: string;
  DeletionProtectionEnabled?: boolean;
  OnDemandThroughput?: { MaxReadRequestUnits?: number; MaxWriteRequestUnits?: number };
}

export interface Throughput {
  ReadCapacityUnits: number;
  WriteCapacityUnits: number;
}

export interface IndexSpec {
  IndexName: string;
  KeySchema: KeySchemaElement[];
  Projection: { ProjectionType?: 'ALL' | 'KEYS_ONLY' | 'INCLUDE'; NonKeyAttributes?: string[] };
  ProvisionedThroughput?: Throughput;
  OnDemandThroughput?: { MaxReadRequestUnits?: number; MaxWriteRequestUnits?: number };
}

export interface TableRow {
  account_id: string;
  region: string;
  name: string;
  table_id: string;
  created_at: number;
  description: string;
  ttl: string | null;
  tags: string | null;
  policy: string | null;
  policy_revision: string | null;
}

/** A table as operations use it: its row, its spec parsed, its keys and its indexes' keys. */
export interface Table {
  row: TableRow;
  spec: TableSpec;
  arn: string;
  key: KeyShape;
  /** Every secondary index by name. */
  indexes: Map<string, Index>;
  /** The TTL attribute while TTL is enabled. */
  ttlAttribute?: string;
}

export interface Index {
  name: string;
  kind: 'global' | 'local';
  key: KeyShape;
  spec: IndexSpec;
  arn: string;
}

/** Where a table lives: its owner's account, its region, its name. */
export interface TableRef {
  accountId: string;
  region: string;
  name: string;
}

const TABLE_ARN = /^arn:aws[a-z-]*:dynamodb:([a-z0-9-]+):(\d{12}):table\/([^/]+)$/;
const TABLE_NAME = /^[a-zA-Z0-9_.-]{3,255}$/;

/**
 * TableName as the request gives it: a name (the caller's account and region), or the
 * table's ARN, which is how another account's table is named.
 */
export function tableRef(ctx: RequestContext, tableName: string): TableRef {
  const m = TABLE_ARN.exec(tableName);
  if (m) {
    if (m[1] !== ctx.region) throw validation(`The table ARN ${tableName} is not in the region ${ctx.region} of the request`);
    checkName(m[3]);
    return { accountId: m[2], region: m[1], name: m[3] };
  }
  if (tableName.startsWith('arn:')) throw validation(`Invalid TableArn: Invalid ResourceArn provided as input ${tableName}`);
  checkName(tableName);
  return { accountId: ctx.accountId, region: ctx.region, name: tableName };
}

function checkName(name: string): void {
  if (TABLE_NAME.test(name)) return;
  if (name.length < 3) throw validation(`1 validation error detected: Value '${name}' at 'tableName' failed to satisfy constraint: Member must have length greater than or equal to 3`);
  if (name.length > 255) throw validation(`1 validation error detected: Value '${name}' at 'tableName' failed to satisfy constraint: Member must have length less than or equal to 255`);
  throw validation(`1 validation error detected: Value '${name}' at 'tableName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+`);
}

export function tableArn(ref: TableRef): string {
  return `arn:aws:dynamodb:${ref.region}:${ref.accountId}:table/${ref.name}`;
}

export function indexArn(ref: TableRef, index: string): string {
  return `${tableArn(ref)}/index/${index}`;
}

/** Parsed tables, kept while their row is unchanged (a request then parses nothing). */
const parsed = new Map<string, Table>();
const MAX_KEPT = 10_000;

export function findTable(store: Store, ref: TableRef): Table | undefined {
  const id = `${ref.accountId}\0${ref.region}\0${ref.name}`;
  const row = store.remembered(`ddb:table:${id}`, () =>
    store.prepare<TableRow>('SELECT * FROM ddb_tables WHERE account_id = ? AND region = ? AND name = ?').get(ref.accountId, ref.region, ref.name),
    true,
  );
  if (!row) return undefined;
  const kept = parsed.get(id);
  if (kept && sameRow(kept.row, row)) return kept;
  const table = toTable(row);
  if (parsed.size >= MAX_KEPT) parsed.clear();
  parsed.set(id, table);
  return table;
}

function sameRow(a: TableRow, b: TableRow): boolean {
  return a.table_id === b.table_id && a.description === b.description && a.ttl === b.ttl && a.tags === b.tags && a.policy === b.policy && a.policy_revision === b.policy_revision;
}

/**
 * A table as one request sees it, looked up once however often its authorize and run ask
 * (between requests, findTable's row is remembered until a write changes a row).
 * Only for requests that do not change the table itself (item operations, and any
 * operation's authorize).
 */
export function tableOf(ctx: RequestContext, tableName: string): Table | undefined {
  const carrier = ctx as SeenCarrier;
  let seen = carrier[SEEN];
  // Not enumerable: a context spread into another ({ ...ctx, region }) must not share it.
  if (!seen) Object.defineProperty(carrier, SEEN, { value: (seen = new Map()) });
  if (seen.has(tableName)) return seen.get(tableName);
  const table = findTable(ctx.store, tableRef(ctx, tableName));
  seen.set(tableName, table);
  return table;
}

/**
 * Kept on the request's context under a symbol: a WeakMap keyed by every request's
 * context kept each one's entry alive through young-generation collections (an
 * ephemeron table is costly to the garbage collector), a megabyte promoted per second.
 */
const SEEN = Symbol('dynamodb.tablesSeen');
type SeenCarrier = RequestContext & { [SEEN]?: Map<string, Table | undefined> };

/** An item operation's table: a missing table is "Requested resource not found". */
export function itemTable(ctx: RequestContext, tableName: string): Table {
  const t = tableOf(ctx, tableName);
  if (!t) throw resourceNotFound();
  return t;
}

/** Item operations: a missing table is "Requested resource not found". */
export function requireTable(store: Store, ref: TableRef): Table {
  const t = findTable(store, ref);
  if (!t) throw resourceNotFound();
  return t;
}

/** Table operations: a missing table is named. */
export function requireNamedTable(store: Store, ref: TableRef): Table {
  const t = findTable(store, ref);
  if (!t) throw tableNotFound(ref.name);
  return t;
}

export function toTable(row: TableRow): Table {
  const spec = JSON.parse(row.description) as TableSpec;
  const ref = { accountId: row.account_id, region: row.region, name: row.name };
  const indexes = new Map<string, Index>();
  for (const [kind, list] of [['global', spec.GlobalSecondaryIndexes], ['local', spec.LocalSecondaryIndexes]] as const) {
    for (const ix of list ?? []) {
      indexes.set(ix.IndexName, { name: ix.IndexName, kind, key: keyShape(ix.KeySchema, spec.AttributeDefinitions), spec: ix, arn: indexArn(ref, ix.IndexName) });
    }
  }
  const ttl = row.ttl ? (JSON.parse(row.ttl) as { AttributeName: string; Enabled: boolean }) : undefined;
  return {
    row, spec, arn: tableArn(ref), key: keyShape(spec.KeySchema, spec.AttributeDefinitions), indexes,
    ttlAttribute: ttl?.Enabled ? ttl.AttributeName : undefined,
  };
}

export function refOf(table: Table): TableRef {
  return { accountId: table.row.account_id, region: table.row.region, name: table.row.name };
}

export function setSpec(store: Store, table: Table, spec: TableSpec): void {
  store.prepare('UPDATE ddb_tables SET description = ? WHERE account_id = ? AND region = ? AND name = ?')
    .run(JSON.stringify(spec), table.row.account_id, table.row.region, table.row.name);
}

export function setTableColumn(store: Store, table: Table, column: 'ttl' | 'tags' | 'policy' | 'policy_revision', value: string | null): void {
  store.prepare(`UPDATE ddb_tables SET ${column} = ? WHERE account_id = ? AND region = ? AND name = ?`).run(value, table.row.account_id, table.row.region, table.row.name);
}

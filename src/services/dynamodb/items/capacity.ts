import type { Table } from '../tables/table-rows.js';

/**
 * ConsumedCapacity, when a request asks (ReturnConsumedCapacity TOTAL or INDEXES), counted
 * as DynamoDB counts it: a read unit per 4 KB (half for an eventually consistent read), a
 * write unit per 1 KB, at least one; writes to an index cost their own units.
 */
export type CapacityMode = 'TOTAL' | 'INDEXES' | 'NONE' | undefined;

export function readUnits(bytes: number, consistent: boolean | undefined): number {
  const units = Math.max(1, Math.ceil(bytes / 4096));
  return consistent ? units : units / 2;
}

export function writeUnits(bytes: number): number {
  return Math.max(1, Math.ceil(bytes / 1024));
}

/** The ConsumedCapacity member for a table (and its indexes, for INDEXES), or undefined when not asked. */
export function consumed(
  table: Table | string, mode: CapacityMode, kind: 'read' | 'write', tableUnits: number, indexUnits: Record<string, number> = {},
): Record<string, unknown> | undefined {
  if (mode !== 'TOTAL' && mode !== 'INDEXES') return undefined;
  const name = typeof table === 'string' ? table : table.row.name;
  const total = tableUnits + Object.values(indexUnits).reduce((a, b) => a + b, 0);
  const field = kind === 'read' ? 'ReadCapacityUnits' : 'WriteCapacityUnits';
  const out: Record<string, unknown> = { TableName: name, CapacityUnits: total, [field]: total };
  if (mode === 'INDEXES') {
    out.Table = { CapacityUnits: tableUnits, [field]: tableUnits };
    if (typeof table !== 'string') {
      const gsi: Record<string, unknown> = {};
      const lsi: Record<string, unknown> = {};
      for (const [ix, units] of Object.entries(indexUnits)) {
        const target = table.indexes.get(ix)?.kind === 'local' ? lsi : gsi;
        target[ix] = { CapacityUnits: units, [field]: units };
      }
      if (Object.keys(gsi).length) out.GlobalSecondaryIndexes = gsi;
      if (Object.keys(lsi).length) out.LocalSecondaryIndexes = lsi;
    }
  }
  return out;
}

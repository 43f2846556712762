import { operation } from '../../operation.js';
import type { RequestContext } from '../../types.js';
import { crc32 } from '../../../protocol/crc32.js';
import { validation } from '../errors.js';
import { tableEntry } from '../authz/rules.js';
import { checkPlaceholders, projectedNames } from '../items/expression-use.js';
import { itemTable } from '../tables/table-rows.js';
import type { Row } from './page-reader.js';
import { indexOf, readPage, selectOf, startAfter, type PageInput } from './read-page.js';

interface ScanInput extends PageInput {
  Segment?: number;
  TotalSegments?: number;
}

/**
 * Scan: dynamodb:Scan on the table (or …/index/NAME) with Select and Attributes. Every
 * partition in the store's key order; a parallel scan's segment holds the partitions
 * whose key hashes to it, so segments are disjoint and together cover the table.
 */
export const Scan = operation({
  writes: false,
  authorize: (ctx, input: ScanInput) =>
    tableEntry(ctx, input.TableName, 'dynamodb:Scan', {
      attributes: projectedNames(input),
      select: input.Select,
      returnConsumedCapacity: input.ReturnConsumedCapacity,
    }, input.IndexName),
  run: (ctx: RequestContext, input: ScanInput) => {
    const segmented = input.Segment !== undefined || input.TotalSegments !== undefined;
    if (segmented) {
      if (input.TotalSegments === undefined) throw validation('The TotalSegments parameter is required but was not present in the request when Segment parameter is present');
      if (input.Segment === undefined) throw validation('The Segment parameter is required but was not present in the request when parameter TotalSegments is present');
      if (input.Segment >= input.TotalSegments) {
        throw validation(`The Segment parameter is zero-based and must be less than parameter TotalSegments: Segment: ${input.Segment} is not less than TotalSegments: ${input.TotalSegments}`);
      }
    }
    checkPlaceholders(input);
    const table = itemTable(ctx, input.TableName);
    const index = indexOf(table, input);
    const select = selectOf(input, index);
    const after = startAfter(table, index, input);
    const accept = segmented ? (row: Row) => segmentOf(row.hk!, input.TotalSegments!) === input.Segment : undefined;
    if (after && accept && segmentOf(after.hk, input.TotalSegments!) !== input.Segment) {
      throw validation('The provided Exclusive start key does not map to the provided Segment and TotalSegments values.');
    }
    return readPage(ctx, table, index, { idx: index?.name ?? '', backwards: false, after }, input, select, accept);
  },
});

function segmentOf(hk: Buffer, total: number): number {
  return crc32(hk) % total;
}

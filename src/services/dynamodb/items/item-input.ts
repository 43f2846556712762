import { normalizeItem } from '../values/attribute-values.js';
import { checkItemSize } from '../values/item-size.js';
import { conditionalCheckFailed } from '../errors.js';
import { checkItemKeys, checkKey } from '../keys/key-check.js';
import type { Table } from '../tables/table-rows.js';
import type { Item } from './item-json.js';
import { keyBytesOf, type KeyBytes, type StoredItem } from './item-rows.js';
import { conditionHolds, hasCondition, type ExpressionInput } from './expression-use.js';

/** A whole item from a request (PutItem, a batch or transaction Put): values valid, keys sound, size within 400 KB. */
export function itemFromRequest(table: Table, raw: Record<string, unknown>): Item {
  const item = normalizeItem(raw);
  checkItemKeys(table, item);
  checkItemSize(item);
  return item;
}

/** A Key parameter: exactly the table's key, valid; and its bytes. */
export function keyFromRequest(table: Table, raw: Record<string, unknown>): { key: Item; bytes: KeyBytes } {
  const key = checkKey(table, normalizeItem(raw));
  return { key, bytes: keyBytesOf(table.key, key) };
}

export interface ConditionInput extends ExpressionInput {
  ReturnValuesOnConditionCheckFailure?: 'ALL_OLD' | 'NONE';
}

/** Throws ConditionalCheckFailedException (with the item when asked) unless the condition holds. */
export function requireCondition(input: ConditionInput, old: StoredItem | undefined): void {
  // Without a condition the old item is not even parsed.
  if (!hasCondition(input) || conditionHolds(input, old?.item)) return;
  const show = input.ReturnValuesOnConditionCheckFailure === 'ALL_OLD' && old;
  throw conditionalCheckFailed(show ? (JSON.parse(old.text) as Record<string, unknown>) : undefined);
}

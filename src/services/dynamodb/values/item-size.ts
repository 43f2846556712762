/**
 * DynamoDB's item size, as the developer guide ("Item sizes and formats") counts it: every
 * attribute name's UTF-8 length plus its value's size. Used for the 400 KB limit and for
 * consumed capacity units.
 */
import Big from 'big.js';
import { AwsError } from '../../../protocol/errors.js';
import type { AttributeValue, Item } from './attribute-values.js';

/** 400 KB, names and values together. */
export const MAX_ITEM_SIZE = 400 * 1024;
export const ITEM_TOO_LARGE = 'Item size has exceeded the maximum allowed size';
export const UPDATED_ITEM_TOO_LARGE = 'Item size to update has exceeded the maximum allowed size';

/**
 * A number is stored as a byte of exponent and one byte per pair of decimal digits (pairs
 * aligned on the decimal point, as in a base-100 representation), plus one byte for negatives.
 */
export function numberSize(text: string): number {
  const n = new Big(text[0] === '+' ? text.slice(1) : text);
  const digits = n.c.length;
  if (digits === 1 && n.c[0] === 0) return 1;
  const first = n.e; // decimal position of the leading digit
  const last = n.e - digits + 1; // of the trailing one
  const pairs = Math.floor(first / 2) - Math.floor(last / 2) + 1;
  return 1 + pairs + (n.s < 0 ? 1 : 0);
}

/** The size of one value. */
export function attributeValueSize(value: AttributeValue): number {
  if ('S' in value) return Buffer.byteLength(value.S, 'utf8');
  if ('N' in value) return numberSize(value.N);
  if ('B' in value) return value.B.length;
  if ('BOOL' in value || 'NULL' in value) return 1;
  if ('SS' in value) return value.SS.reduce((sum, s) => sum + Buffer.byteLength(s, 'utf8'), 0);
  if ('NS' in value) return value.NS.reduce((sum, s) => sum + numberSize(s), 0);
  if ('BS' in value) return value.BS.reduce((sum, b) => sum + b.length, 0);
  // Documents: 3 bytes of overhead, 1 byte per element.
  if ('L' in value) return value.L.reduce((sum, v) => sum + 1 + attributeValueSize(v), 3);
  if ('M' in value) return Object.entries(value.M).reduce((sum, [k, v]) => sum + 1 + Buffer.byteLength(k, 'utf8') + attributeValueSize(v), 3);
  return 0;
}

/** The size of an item: names plus values. */
export function itemSize(item: Item): number {
  let size = 0;
  for (const name in item) size += Buffer.byteLength(name, 'utf8') + attributeValueSize(item[name]);
  return size;
}

/** Throws DynamoDB's ValidationException when the item is over 400 KB. */
export function checkItemSize(item: Item, message: string = ITEM_TOO_LARGE): void {
  if (itemSize(item) > MAX_ITEM_SIZE) throw new AwsError('ValidationException', message, 400);
}

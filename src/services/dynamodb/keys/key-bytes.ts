import { numberSortKey } from '../values/numbers.js';
import type { AttributeValue } from '../items/item-json.js';
import type { KeyType } from './key-schema.js';

/**
 * Key values as bytes whose memcmp order is DynamoDB's order for the type: S as UTF-8
 * (DynamoDB compares strings by their UTF-8 bytes), B as the bytes themselves, N by
 * numberSortKey. The store's primary key is made of these, so a Query's range condition
 * is a range of the index (src/store/schema/dynamodb.ts).
 */
export function keyBytes(type: KeyType, v: AttributeValue): Buffer {
  const x = v as { S?: string; N?: string; B?: Buffer };
  if (type === 'S') return Buffer.from(x.S!, 'utf8');
  if (type === 'N') return numberSortKey(x.N!);
  return x.B!;
}

/** The value back from its bytes (S and B only: numbers are read from the item). */
export function valueOfBytes(type: KeyType, bytes: Buffer): AttributeValue {
  return type === 'S' ? { S: bytes.toString('utf8') } : { B: bytes };
}

export const EMPTY = Buffer.alloc(0);

/** The smallest byte string greater than every string starting with prefix (undefined: none). */
export function prefixEnd(prefix: Buffer): Buffer | undefined {
  const end = Buffer.from(prefix);
  for (let i = end.length - 1; i >= 0; i--) {
    if (end[i] < 0xff) {
      end[i]++;
      return end.subarray(0, i + 1);
    }
  }
  return undefined;
}

import { canonicalNumber } from '../values/numbers.js';
import { invalidParameter, validation } from '../errors.js';
import type { AttributeValue, Item } from '../items/item-json.js';
import type { Table } from '../tables/table-rows.js';
import type { KeyShape } from './key-schema.js';

const MISMATCH = 'The provided key element does not match the schema';

/**
 * A Key parameter (GetItem, DeleteItem, UpdateItem, batch and transaction keys): exactly
 * the table's key attributes, of their types, not empty. Numbers come back canonical.
 */
export function checkKey(table: Table, key: Item): Item {
  return checkKeyOf(table.key, key);
}

export function checkKeyOf(shape: KeyShape, key: Item): Item {
  const names = Object.keys(key);
  if (names.length !== (shape.range === undefined ? 1 : 2)) throw validation(MISMATCH);
  const out: Item = {};
  out[shape.hash] = keyValue(key[shape.hash], shape.hashType, shape.hash);
  if (shape.range !== undefined) out[shape.range] = keyValue(key[shape.range], shape.rangeType!, shape.range);
  return out;
}

function keyValue(v: AttributeValue | undefined, type: string, name: string): AttributeValue {
  if (!v || !(type in v) || Object.keys(v).length !== 1) throw validation(MISMATCH);
  return checkedKeyValue(v, type, name);
}

function checkedKeyValue(v: AttributeValue, type: string, name: string, index?: string): AttributeValue {
  const x = v as { S?: string; N?: string; B?: Buffer };
  if (type === 'N') return { N: canonicalNumber(x.N!) };
  const empty = type === 'S' ? x.S === '' : x.B!.length === 0;
  if (empty) {
    const what = type === 'S' ? 'string' : 'binary';
    if (index) {
      throw validation(`One or more parameter values are not valid. A value specified for a secondary index key is not supported. The AttributeValue for a key attribute cannot contain an empty ${what} value. IndexName: ${index}, IndexKey: ${name}`);
    }
    throw validation(`One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty ${what} value. Key: ${name}`);
  }
  return v;
}

/**
 * A whole item (PutItem, an UpdateItem's result): the table's key attributes present and
 * of their types, and any index key attribute it has of the index's type.
 */
export function checkItemKeys(table: Table, item: Item): void {
  for (const [name, type] of keyAttributes(table.key)) {
    const v = item[name];
    if (v === undefined) throw invalidParameter(`Missing the key ${name} in the item`);
    if (!(type in v)) throw invalidParameter(`Type mismatch for key ${name} expected: ${type} actual: ${typeLetter(v)}`);
    item[name] = checkedKeyValue(v, type, name);
  }
  for (const index of table.indexes.values()) {
    for (const [name, type] of keyAttributes(index.key)) {
      const v = item[name];
      if (v === undefined || name === table.key.hash || name === table.key.range) continue;
      if (!(type in v)) throw invalidParameter(`Type mismatch for Index Key ${name} Expected: ${type} Actual: ${typeLetter(v)} IndexName: ${index.name}`);
      item[name] = checkedKeyValue(v, type, name, index.name);
    }
  }
}

function keyAttributes(shape: KeyShape): Array<[string, string]> {
  const out: Array<[string, string]> = [[shape.hash, shape.hashType]];
  if (shape.range !== undefined) out.push([shape.range, shape.rangeType!]);
  return out;
}

function typeLetter(v: AttributeValue): string {
  for (const k in v) return k;
  return '';
}

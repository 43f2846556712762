/**
 * AttributeValues as the json-1.0 codec decodes them (B and BS as Buffers), their
 * validation with DynamoDB's messages, equality, ordering and key bytes.
 */
import { AwsError } from '../../../protocol/errors.js';
import { canonicalNumber, compareNumbers, numberSortKey } from './numbers.js';

export type AttributeValue =
  | { S: string }
  | { N: string }
  | { B: Buffer }
  | { BOOL: boolean }
  | { NULL: true }
  | { M: Record<string, AttributeValue> }
  | { L: AttributeValue[] }
  | { SS: string[] }
  | { NS: string[] }
  | { BS: Buffer[] };

/** An item (or a key): attribute name → value. */
export type Item = Record<string, AttributeValue>;

export type AttributeType = 'S' | 'N' | 'B' | 'BOOL' | 'NULL' | 'M' | 'L' | 'SS' | 'NS' | 'BS';
export const ATTRIBUTE_TYPES: readonly AttributeType[] = ['S', 'N', 'B', 'BOOL', 'NULL', 'M', 'L', 'SS', 'NS', 'BS'];

/** The deepest level a value may sit at: a top-level attribute is level 1, so at most 31 nested M/L. */
export const MAX_NESTING_DEPTH = 32;

const INVALID = 'One or more parameter values were invalid: ';
const EMPTY = 'Supplied AttributeValue is empty, must contain exactly one of the supported datatypes';
export const NESTING_TOO_DEEP = 'Nesting Levels have exceeded supported limits: Attributes in the item have nested levels beyond supported limit';

function validation(message: string): AwsError {
  return new AwsError('ValidationException', message, 400);
}

/** The single type of a valid AttributeValue. */
export function typeOf(value: AttributeValue): AttributeType {
  for (const t in value) return t as AttributeType;
  throw new Error('empty AttributeValue');
}

/**
 * Validates a decoded AttributeValue as DynamoDB does and returns its stored form (numbers in
 * canonical text). Throws ValidationException with AWS's message.
 */
export function normalizeAttributeValue(value: unknown, depth = 1): AttributeValue {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw validation(EMPTY);
  }
  const record = value as Record<string, unknown>;
  const types = Object.keys(record).filter((k) => record[k] !== undefined && record[k] !== null);
  if (types.length === 0) throw validation(EMPTY);
  // DynamoDB checks each member's content before complaining about several members.
  const normalized = types.map((t) => normalizeMember(t, record[t], depth));
  if (types.length > 1) {
    throw validation('Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes');
  }
  return normalized[0];
}

function normalizeMember(type: string, v: unknown, depth: number): AttributeValue {
  switch (type) {
    case 'S':
      return { S: v as string };
    case 'N':
      return { N: canonicalNumber(v as string) };
    case 'B':
      return { B: v as Buffer };
    case 'BOOL':
      return { BOOL: v as boolean };
    case 'NULL':
      if (v !== true) throw validation(`${INVALID}Null attribute value types must have the value of true`);
      return { NULL: true };
    case 'SS': {
      const set = v as string[];
      if (set.length === 0) throw validation(`${INVALID}An string set  may not be empty`);
      if (set.some((x) => typeof x !== 'string')) throw validation(EMPTY);
      if (new Set(set).size !== set.length) throw validation(`${INVALID}Input collection [${set.join(', ')}] contains duplicates.`);
      return { SS: [...set] };
    }
    case 'NS': {
      const set = v as string[];
      if (set.length === 0) throw validation(`${INVALID}An number set  may not be empty`);
      const canon = set.map(canonicalNumber);
      if (new Set(canon).size !== canon.length) throw validation('Input collection contains duplicates');
      return { NS: canon };
    }
    case 'BS': {
      const set = v as Buffer[];
      if (set.length === 0) throw validation(`${INVALID}Binary sets should not be empty`);
      // The codec keeps a JSON null inside a list; a set element cannot be one.
      if (set.some((x) => !Buffer.isBuffer(x))) throw validation(EMPTY);
      const texts = set.map((b) => b.toString('base64'));
      if (new Set(texts).size !== texts.length) {
        throw validation(`${INVALID}Input collection [${texts.join(', ')}]of type BS contains duplicates.`);
      }
      return { BS: [...set] };
    }
    case 'M': {
      if (depth >= MAX_NESTING_DEPTH) throw validation(NESTING_TOO_DEEP);
      const out: Record<string, AttributeValue> = {};
      for (const [k, child] of Object.entries(v as Record<string, unknown>)) {
        if (child !== undefined && child !== null) out[k] = normalizeAttributeValue(child, depth + 1);
      }
      return { M: out };
    }
    case 'L': {
      if (depth >= MAX_NESTING_DEPTH) throw validation(NESTING_TOO_DEEP);
      return { L: (v as unknown[]).map((child) => normalizeAttributeValue(child, depth + 1)) };
    }
    default:
      throw validation(EMPTY);
  }
}

/** Validates every attribute of an item (PutItem's Item, a key, ...) and returns the stored form. */
export function normalizeItem(item: Record<string, unknown>): Item {
  const out: Item = {};
  for (const [name, value] of Object.entries(item)) out[name] = normalizeAttributeValue(value);
  return out;
}

/**
 * Checks one key attribute against the table's declared type, with DynamoDB's messages.
 * `type` is the AttributeDefinition's S, N or B.
 */
export function checkKeyValue(name: string, value: AttributeValue, type: 'S' | 'N' | 'B'): void {
  const actual = typeOf(value);
  if (actual !== type) throw validation(`${INVALID}Type mismatch for key ${name} expected: ${type} actual: ${actual}`);
  if (type === 'S' && (value as { S: string }).S === '') {
    throw validation(`One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: ${name}`);
  }
  if (type === 'B' && (value as { B: Buffer }).B.length === 0) {
    throw validation(`One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty binary value. Key: ${name}`);
  }
}

/** Deep equality as DynamoDB compares values (numbers numerically, sets ignoring order). */
export function attributeValuesEqual(a: AttributeValue, b: AttributeValue): boolean {
  const ta = typeOf(a);
  if (ta !== typeOf(b)) return false;
  const va = (a as Record<string, unknown>)[ta];
  const vb = (b as Record<string, unknown>)[ta];
  switch (ta) {
    case 'S':
    case 'BOOL':
    case 'NULL':
      return va === vb;
    case 'N':
      return compareNumbers(va as string, vb as string) === 0;
    case 'B':
      return (va as Buffer).equals(vb as Buffer);
    case 'SS': {
      const sa = va as string[];
      const sb = new Set(vb as string[]);
      return sa.length === sb.size && sa.every((x) => sb.has(x));
    }
    case 'NS': {
      const sa = va as string[];
      const sb = vb as string[];
      return sa.length === sb.length && sa.every((x) => sb.some((y) => compareNumbers(x, y) === 0));
    }
    case 'BS': {
      const sa = va as Buffer[];
      const sb = vb as Buffer[];
      return sa.length === sb.length && sa.every((x) => sb.some((y) => x.equals(y)));
    }
    case 'L': {
      const la = va as AttributeValue[];
      const lb = vb as AttributeValue[];
      return la.length === lb.length && la.every((x, i) => attributeValuesEqual(x, lb[i]));
    }
    case 'M': {
      const ma = va as Record<string, AttributeValue>;
      const mb = vb as Record<string, AttributeValue>;
      const ka = Object.keys(ma);
      return ka.length === Object.keys(mb).length && ka.every((k) => k in mb && attributeValuesEqual(ma[k], mb[k]));
    }
  }
}

/**
 * Orders two values of the same scalar type as DynamoDB does (S by UTF-8 bytes, N numerically,
 * B by unsigned bytes). Returns undefined when they are not comparable (different types or not
 * S/N/B), which makes < <= > >= BETWEEN false.
 */
export function compareAttributeValues(a: AttributeValue, b: AttributeValue): number | undefined {
  const ta = typeOf(a);
  if (ta !== typeOf(b)) return undefined;
  switch (ta) {
    case 'S':
      return Buffer.compare(Buffer.from((a as { S: string }).S, 'utf8'), Buffer.from((b as { S: string }).S, 'utf8'));
    case 'N':
      return compareNumbers((a as { N: string }).N, (b as { N: string }).N);
    case 'B':
      return Buffer.compare((a as { B: Buffer }).B, (b as { B: Buffer }).B);
    default:
      return undefined;
  }
}

/** Bytes whose memcmp order is DynamoDB's order of S, N or B key values (for SQLite BLOB keys). */
export function keySortBytes(value: AttributeValue): Buffer {
  if ('S' in value) return Buffer.from(value.S, 'utf8');
  if ('N' in value) return numberSortKey(value.N);
  if ('B' in value) return Buffer.from(value.B);
  throw new Error(`keySortBytes: not a key type: ${typeOf(value)}`);
}

/** A deep copy (Buffers copied too), so updates never alias stored values. */
export function cloneAttributeValue(value: AttributeValue): AttributeValue {
  if ('M' in value) {
    const out: Record<string, AttributeValue> = {};
    for (const [k, v] of Object.entries(value.M)) out[k] = cloneAttributeValue(v);
    return { M: out };
  }
  if ('L' in value) return { L: value.L.map(cloneAttributeValue) };
  if ('SS' in value) return { SS: [...value.SS] };
  if ('NS' in value) return { NS: [...value.NS] };
  if ('BS' in value) return { BS: value.BS.map((b) => Buffer.from(b)) };
  if ('B' in value) return { B: Buffer.from(value.B) };
  return { ...value } as AttributeValue;
}

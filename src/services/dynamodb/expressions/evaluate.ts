/**
 * Evaluates bound conditions (ConditionExpression, FilterExpression) against an item.
 * A missing attribute or a type mismatch makes a comparison false, never an error, as on
 * DynamoDB; `<>` is true when the attribute is missing.
 */
import {
  attributeValuesEqual,
  compareAttributeValues,
  typeOf,
  type AttributeValue,
  type Item,
} from '../values/attribute-values.js';
import { compareNumbers } from '../values/numbers.js';
import type { BoundCondition, BoundOperand } from './ast.js';
import { getPath } from './paths.js';

export function evaluateCondition(cond: BoundCondition, item: Item): boolean {
  switch (cond.kind) {
    case 'and':
      return evaluateCondition(cond.left, item) && evaluateCondition(cond.right, item);
    case 'or':
      return evaluateCondition(cond.left, item) || evaluateCondition(cond.right, item);
    case 'not':
      return !evaluateCondition(cond.operand, item);
    case 'compare': {
      const a = operandValue(cond.left, item);
      const b = operandValue(cond.right, item);
      if (cond.op === '<>') return a === undefined || b === undefined || !attributeValuesEqual(a, b);
      if (a === undefined || b === undefined) return false;
      if (cond.op === '=') return attributeValuesEqual(a, b);
      const c = compareAttributeValues(a, b);
      if (c === undefined) return false;
      switch (cond.op) {
        case '<':
          return c < 0;
        case '<=':
          return c <= 0;
        case '>':
          return c > 0;
        case '>=':
          return c >= 0;
      }
      return false;
    }
    case 'between': {
      const v = operandValue(cond.operand, item);
      const low = operandValue(cond.low, item);
      const high = operandValue(cond.high, item);
      if (v === undefined || low === undefined || high === undefined) return false;
      const c1 = compareAttributeValues(v, low);
      const c2 = compareAttributeValues(v, high);
      return c1 !== undefined && c2 !== undefined && c1 >= 0 && c2 <= 0;
    }
    case 'in': {
      const v = operandValue(cond.operand, item);
      if (v === undefined) return false;
      return cond.list.some((o) => {
        const candidate = operandValue(o, item);
        return candidate !== undefined && attributeValuesEqual(v, candidate);
      });
    }
    case 'attribute_exists':
      return getPath(item, cond.path) !== undefined;
    case 'attribute_not_exists':
      return getPath(item, cond.path) === undefined;
    case 'attribute_type': {
      const v = operandValue(cond.operand, item);
      return v !== undefined && typeOf(v) === cond.type;
    }
    case 'begins_with': {
      const a = operandValue(cond.left, item);
      const b = operandValue(cond.right, item);
      if (a === undefined || b === undefined) return false;
      if ('S' in a && 'S' in b) return a.S.startsWith(b.S);
      if ('B' in a && 'B' in b) return a.B.subarray(0, b.B.length).equals(b.B);
      return false;
    }
    case 'contains': {
      const a = operandValue(cond.left, item);
      const b = operandValue(cond.right, item);
      if (a === undefined || b === undefined) return false;
      if ('S' in a) return 'S' in b && a.S.includes(b.S);
      if ('SS' in a) return 'S' in b && a.SS.includes(b.S);
      if ('NS' in a) return 'N' in b && a.NS.some((n) => compareNumbers(n, b.N) === 0);
      if ('BS' in a) return 'B' in b && a.BS.some((x) => x.equals(b.B));
      if ('B' in a) return 'B' in b && a.B.includes(b.B);
      if ('L' in a) return a.L.some((x) => attributeValuesEqual(x, b));
      return false;
    }
  }
}

/** The value of an operand in conditions; undefined when missing or not computable. */
export function operandValue(op: BoundOperand, item: Item): AttributeValue | undefined {
  switch (op.kind) {
    case 'path':
      return getPath(item, op.path);
    case 'value':
      return op.value;
    case 'size': {
      const v = operandValue(op.arg, item);
      const n = v === undefined ? undefined : sizeOf(v);
      return n === undefined ? undefined : { N: String(n) };
    }
    default:
      // if_not_exists, list_append and arithmetic only occur in SET (update.ts).
      return undefined;
  }
}

/** size(): string length in UTF-8 bytes, binary length, element count of sets, lists and maps. */
export function sizeOf(v: AttributeValue): number | undefined {
  if ('S' in v) return Buffer.byteLength(v.S, 'utf8');
  if ('B' in v) return v.B.length;
  if ('SS' in v) return v.SS.length;
  if ('NS' in v) return v.NS.length;
  if ('BS' in v) return v.BS.length;
  if ('L' in v) return v.L.length;
  if ('M' in v) return Object.keys(v.M).length;
  return undefined;
}

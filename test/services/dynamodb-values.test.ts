import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { AwsError } from '../../src/protocol/errors.js';
import {
  addNumbers,
  canonicalNumber,
  compareNumbers,
  numberSortKey,
  subtractNumbers,
} from '../../src/services/dynamodb/values/numbers.js';
import {
  attributeValuesEqual,
  checkKeyValue,
  compareAttributeValues,
  keySortBytes,
  normalizeAttributeValue,
  normalizeItem,
  type AttributeValue,
} from '../../src/services/dynamodb/values/attribute-values.js';
import { checkItemSize, itemSize, numberSize, UPDATED_ITEM_TOO_LARGE } from '../../src/services/dynamodb/values/item-size.js';

/** Asserts fn throws AWS's ValidationException with exactly this message. */
function throwsValidation(fn: () => unknown, message: string): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof AwsError, `expected AwsError, got ${String(e)}`);
    assert.equal(e.code, 'ValidationException');
    assert.equal(e.status, 400);
    assert.equal(e.message, message);
    return true;
  });
}

describe('DynamoDB numbers', () => {
  test('canonical text as DynamoDB returns it', () => {
    const cases: [string, string][] = [
      ['1.50', '1.5'],
      ['0012', '12'],
      ['1e2', '100'],
      ['1E+2', '100'],
      ['+3', '3'],
      ['.123', '0.123'],
      ['0001.23', '1.23'],
      ['-17e5', '-1700000'],
      ['-0', '0'],
      ['0e1000', '0'],
      ['0.000', '0'],
      ['1.', '1'],
      ['-7.1234', '-7.1234'],
      ['1e-5', '0.00001'],
      ['3.1415926535897932384626433832795028841', '3.1415926535897932384626433832795028841'],
      ['31415926535897932384626433832795028841e30', '31415926535897932384626433832795028841' + '0'.repeat(30)],
      ['9.9999999999999999999999999999999999999E+125', '99999999999999999999999999999999999999' + '0'.repeat(88)],
      ['1e-130', '0.' + '0'.repeat(129) + '1'],
    ];
    for (const [input, want] of cases) assert.equal(canonicalNumber(input), want, input);
  });

  test('text DynamoDB cannot read as a number', () => {
    for (const s of ['NaN', 'Infinity', '-Infinity', '-NaN', 'dog', '-dog', ' 1', '1 ', '1e', 'e5', '.', '--1', '0x10', '1,5']) {
      throwsValidation(() => canonicalNumber(s), `The parameter cannot be converted to a numeric value: ${s}`);
    }
    throwsValidation(() => canonicalNumber(''), 'The parameter cannot be converted to a numeric value');
  });

  test('magnitude and precision limits with AWS\'s messages', () => {
    const overflow = 'Number overflow. Attempting to store a number with magnitude larger than supported range';
    const underflow = 'Number underflow. Attempting to store a number with magnitude smaller than supported range';
    const precision = 'Attempting to store more than 38 significant digits in a Number';
    for (const s of ['1e126', '11e125', '-1e126', '1e100000000']) throwsValidation(() => canonicalNumber(s), overflow);
    for (const s of ['1e-131', '0.9e-130', '-1e-131']) throwsValidation(() => canonicalNumber(s), underflow);
    for (const s of ['3.14159265358979323846264338327950288419', '314159265358979323846.264338327950288419', '314159265358979323846264338327950288419e30']) {
      throwsValidation(() => canonicalNumber(s), precision);
    }
    // Trailing zeros are not significant.
    assert.equal(canonicalNumber('1' + '0'.repeat(60)), '1' + '0'.repeat(60));
  });

  test('compare is numeric, not textual', () => {
    assert.ok(compareNumbers('10', '9') > 0);
    assert.ok(compareNumbers('-10', '-9') < 0);
    assert.equal(compareNumbers('1.0', '1'), 0);
    assert.ok(compareNumbers('1e-130', '0') > 0);
    assert.ok(compareNumbers('+3', '2.9999999999999999999999999999999999999') > 0);
  });

  test('add and subtract are exact and range-checked', () => {
    assert.equal(addNumbers('1', '10000000000000000000000'), '10000000000000000000001');
    assert.equal(subtractNumbers('10000000000000000000000', '1'), '9999999999999999999999');
    assert.equal(addNumbers('0.1', '0.2'), '0.3');
    assert.equal(subtractNumbers('5', '5'), '0');
    assert.equal(addNumbers('-1.5', '1.5'), '0');
    const overflow = 'Number overflow. Attempting to store a number with magnitude larger than supported range';
    throwsValidation(() => addNumbers('9e125', '9e125'), overflow);
    throwsValidation(() => subtractNumbers('9e125', '-9e125'), overflow);
    // 1e50 + 1 needs 51 digits: DynamoDB calls that an overflow too.
    throwsValidation(() => addNumbers('1e50', '1'), overflow);
    throwsValidation(() => subtractNumbers('1e50', '1'), overflow);
  });

  test('numberSortKey: byte order equals numeric order, equal numbers give equal keys', () => {
    const sorted = [
      '-9.9999999999999999999999999999999999999E+125', '-1e10', '-123.45', '-100', '-99', '-10', '-9.5', '-1.23', '-1.2', '-1',
      '-0.5', '-1e-130', '0', '1e-130', '0.001', '0.5', '1', '1.2', '1.23', '2', '9.99', '10', '11', '99', '100', '1e10',
      '9.9999999999999999999999999999999999999E+125',
    ];
    const keys = sorted.map(numberSortKey);
    for (let i = 1; i < keys.length; i++) {
      assert.ok(Buffer.compare(keys[i - 1], keys[i]) < 0, `${sorted[i - 1]} < ${sorted[i]}`);
    }
    const shuffled = [...sorted].reverse();
    shuffled.sort((a, b) => Buffer.compare(numberSortKey(a), numberSortKey(b)));
    assert.deepEqual(shuffled, sorted);
    assert.deepEqual(numberSortKey('1.0'), numberSortKey('1'));
    assert.deepEqual(numberSortKey('100'), numberSortKey('1e2'));
    assert.deepEqual(numberSortKey('-0'), numberSortKey('0'));
    // Random pairs agree with compareNumbers.
    let seed = 7;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    const randomNumber = () => `${rand() < 0.5 ? '-' : ''}${Math.floor(rand() * 1e6)}.${Math.floor(rand() * 1e4)}e${Math.floor(rand() * 40) - 20}`;
    for (let i = 0; i < 2000; i++) {
      const a = canonicalNumber(randomNumber());
      const b = canonicalNumber(randomNumber());
      assert.equal(Math.sign(Buffer.compare(numberSortKey(a), numberSortKey(b))), Math.sign(compareNumbers(a, b)), `${a} vs ${b}`);
    }
  });
});

describe('DynamoDB AttributeValues', () => {
  const invalid = 'One or more parameter values were invalid: ';
  test('refused values with AWS\'s messages', () => {
    const cases: [unknown, string][] = [
      [{}, 'Supplied AttributeValue is empty, must contain exactly one of the supported datatypes'],
      [{ S: 'a', N: '1' }, 'Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes'],
      [{ NULL: false }, `${invalid}Null attribute value types must have the value of true`],
      [{ SS: [] }, `${invalid}An string set  may not be empty`],
      [{ NS: [] }, `${invalid}An number set  may not be empty`],
      [{ BS: [] }, `${invalid}Binary sets should not be empty`],
      [{ SS: ['a', 'a'] }, `${invalid}Input collection [a, a] contains duplicates.`],
      [{ NS: ['1', '1.0'] }, 'Input collection contains duplicates'],
      [{ BS: [Buffer.from('b'), Buffer.from('b')] }, `${invalid}Input collection [Yg==, Yg==]of type BS contains duplicates.`],
      [{ N: 'x' }, 'The parameter cannot be converted to a numeric value: x'],
      [{ NS: ['1', '1e126'] }, 'Number overflow. Attempting to store a number with magnitude larger than supported range'],
      [{ M: { a: { L: [{}] } } }, 'Supplied AttributeValue is empty, must contain exactly one of the supported datatypes'],
      // JSON nulls the codec keeps inside lists.
      [{ L: [null] }, 'Supplied AttributeValue is empty, must contain exactly one of the supported datatypes'],
      [{ SS: ['a', null] }, 'Supplied AttributeValue is empty, must contain exactly one of the supported datatypes'],
      [{ BS: [null] }, 'Supplied AttributeValue is empty, must contain exactly one of the supported datatypes'],
      [{ NS: [null] }, 'The parameter cannot be converted to a numeric value'],
      // Content errors come before "more than one datatypes".
      [{ S: 'a', N: 'x' }, 'The parameter cannot be converted to a numeric value: x'],
    ];
    for (const [value, message] of cases) throwsValidation(() => normalizeAttributeValue(value), message);
  });

  test('stored form: numbers canonical, empty strings allowed outside keys', () => {
    assert.deepEqual(normalizeAttributeValue({ N: '1.50' }), { N: '1.5' });
    assert.deepEqual(normalizeAttributeValue({ NS: ['0012', '1e2'] }), { NS: ['12', '100'] });
    assert.deepEqual(normalizeAttributeValue({ M: { a: { L: [{ N: '+3' }, { S: '' }] } } }), { M: { a: { L: [{ N: '3' }, { S: '' }] } } });
    assert.deepEqual(normalizeItem({ a: { S: '' }, b: { BOOL: false }, c: { NULL: true } }), { a: { S: '' }, b: { BOOL: false }, c: { NULL: true } });
  });

  test('a value deeper than level 32 (31 nested documents) is refused', () => {
    const nest = (levels: number): unknown => {
      let v: unknown = { S: 'x' };
      for (let i = 0; i < levels; i++) v = i % 2 ? { L: [v] } : { M: { k: v } };
      return v;
    };
    assert.doesNotThrow(() => normalizeAttributeValue(nest(31)));
    throwsValidation(() => normalizeAttributeValue(nest(32)), 'Nesting Levels have exceeded supported limits: Attributes in the item have nested levels beyond supported limit');
  });

  test('key values: type and emptiness', () => {
    assert.doesNotThrow(() => checkKeyValue('pk', { S: 'a' }, 'S'));
    throwsValidation(() => checkKeyValue('pk', { N: '1' }, 'S'), `${invalid}Type mismatch for key pk expected: S actual: N`);
    throwsValidation(() => checkKeyValue('pk', { S: '' }, 'S'),
      'One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: pk');
    throwsValidation(() => checkKeyValue('sk', { B: Buffer.alloc(0) }, 'B'),
      'One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty binary value. Key: sk');
  });

  test('equality: numbers numerically, sets unordered, documents deeply', () => {
    const equal: [AttributeValue, AttributeValue][] = [
      [{ N: '1' }, { N: '1.0' }],
      [{ SS: ['a', 'b'] }, { SS: ['b', 'a'] }],
      [{ NS: ['1', '2'] }, { NS: ['2.0', '1'] }],
      [{ BS: [Buffer.from('x'), Buffer.from('y')] }, { BS: [Buffer.from('y'), Buffer.from('x')] }],
      [{ M: { a: { L: [{ S: 'x' }, { NULL: true }] } } }, { M: { a: { L: [{ S: 'x' }, { NULL: true }] } } }],
      [{ B: Buffer.from('ab') }, { B: Buffer.from('ab') }],
    ];
    for (const [a, b] of equal) assert.ok(attributeValuesEqual(a, b), JSON.stringify([a, b]));
    const different: [AttributeValue, AttributeValue][] = [
      [{ N: '1' }, { S: '1' }],
      [{ L: [{ S: 'a' }, { S: 'b' }] }, { L: [{ S: 'b' }, { S: 'a' }] }],
      [{ M: { a: { S: 'x' } } }, { M: { b: { S: 'x' } } }],
      [{ SS: ['a'] }, { SS: ['a', 'b'] }],
      [{ BOOL: true }, { BOOL: false }],
    ];
    for (const [a, b] of different) assert.ok(!attributeValuesEqual(a, b), JSON.stringify([a, b]));
  });

  test('ordering: S by UTF-8 bytes, N numerically, B unsigned; other types not comparable', () => {
    // U+FF5E sorts after U+10000 in UTF-16 code units but before it in UTF-8 bytes.
    assert.ok(compareAttributeValues({ S: '\uff5e' }, { S: '\u{10000}' })! < 0);
    assert.ok(compareAttributeValues({ S: 'B' }, { S: 'a' })! < 0);
    assert.ok(compareAttributeValues({ N: '10' }, { N: '9' })! > 0);
    assert.ok(compareAttributeValues({ B: Buffer.from([0x80]) }, { B: Buffer.from([0x7f]) })! > 0);
    assert.equal(compareAttributeValues({ N: '1' }, { S: '1' }), undefined);
    assert.equal(compareAttributeValues({ BOOL: true }, { BOOL: true }), undefined);
    const keys: AttributeValue[] = [{ S: 'a' }, { S: 'ab' }, { S: '\uff5e' }, { S: '\u{10000}' }];
    for (let i = 1; i < keys.length; i++) assert.ok(Buffer.compare(keySortBytes(keys[i - 1]), keySortBytes(keys[i])) < 0);
    assert.ok(Buffer.compare(keySortBytes({ N: '-5' }), keySortBytes({ N: '3' })) < 0);
    assert.deepEqual(keySortBytes({ B: Buffer.from([1, 2]) }), Buffer.from([1, 2]));
  });
});

describe('DynamoDB item size', () => {
  test('numbers: a byte of exponent, a byte per pair of digits, a byte for the sign', () => {
    const cases: [string, number][] = [
      ['0', 1], ['1', 2], ['12', 2], ['123', 3], ['1.2', 3], ['12.3', 3], ['-1', 3], ['100', 2], ['1234567', 5], ['0.01', 2],
      ['99999999999999999999999999999999999999', 20], ['-99999999999999999999999999999999999999', 21],
    ];
    for (const [n, size] of cases) assert.equal(numberSize(n), size, n);
  });

  test('items: names plus values; documents 3 bytes plus 1 per element', () => {
    assert.equal(itemSize({ id: { S: 'abc' } }), 5);
    assert.equal(itemSize({ 'é': { S: 'é' } }), 4);
    assert.equal(itemSize({ b: { B: Buffer.alloc(10) }, t: { BOOL: true }, n: { NULL: true } }), 1 + 10 + 1 + 1 + 1 + 1);
    assert.equal(itemSize({ s: { SS: ['ab', 'c'] }, ns: { NS: ['1', '123'] } }), 1 + 3 + 2 + 2 + 3);
    assert.equal(itemSize({ l: { L: [{ S: 'ab' }, { N: '1' }] } }), 1 + 3 + (1 + 2) + (1 + 2));
    assert.equal(itemSize({ m: { M: { k: { S: 'ab' } } } }), 1 + 3 + (1 + 1 + 2));
  });

  test('the 400 KB limit', () => {
    const fits = { pk: { S: 'x'.repeat(400 * 1024 - 2) } };
    assert.equal(itemSize(fits), 400 * 1024);
    assert.doesNotThrow(() => checkItemSize(fits));
    const over = { pk: { S: 'x'.repeat(400 * 1024 - 1) } };
    throwsValidation(() => checkItemSize(over), 'Item size has exceeded the maximum allowed size');
    throwsValidation(() => checkItemSize(over, UPDATED_ITEM_TOO_LARGE), 'Item size to update has exceeded the maximum allowed size');
  });
});

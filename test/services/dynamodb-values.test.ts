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

/** Asserts fn throws AWS's ValidationException with exactly this message. */
export function throwsValidation(fn: () => unknown, message: string): void {
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

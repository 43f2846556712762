/**
 * DynamoDB numbers: decimal, at most 38 significant digits, magnitude 1E-130 to
 * 9.9999999999999999999999999999999999999E+125 (and zero). Never a JavaScript float:
 * everything goes through big.js, which is exact for + and - and comparison.
 */
import Big from 'big.js';
import { AwsError } from '../../../protocol/errors.js';

export const NUMBER_OVERFLOW = 'Number overflow. Attempting to store a number with magnitude larger than supported range';
export const NUMBER_UNDERFLOW = 'Number underflow. Attempting to store a number with magnitude smaller than supported range';
export const NUMBER_PRECISION = 'Attempting to store more than 38 significant digits in a Number';

const MAX_DIGITS = 38;
const MAX_EXPONENT = 125;
const MIN_EXPONENT = -130;

/** Plain decimals without superfluous zeros: at most 38 characters of them are always storable as they are. */
const CANONICAL = /^-?(0|[1-9]\d*)(\.\d*[1-9])?$/;

/** What DynamoDB accepts: optional sign, digits with an optional point, optional exponent; no spaces, no NaN/Infinity. */
const NUMBER_TEXT = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

function invalid(message: string): AwsError {
  return new AwsError('ValidationException', message, 400);
}

/** Parses number text without range checks; throws DynamoDB's "cannot be converted" error. */
function parse(text: string): Big {
  if (typeof text !== 'string' || text === '') throw invalid('The parameter cannot be converted to a numeric value');
  if (!NUMBER_TEXT.test(text)) throw invalid(`The parameter cannot be converted to a numeric value: ${text}`);
  // big.js refuses a leading '+' and huge exponents are fine for it.
  return new Big(text[0] === '+' ? text.slice(1) : text);
}

/** The range/precision problem of a parsed number, or undefined when DynamoDB stores it. */
function rangeProblem(n: Big): string | undefined {
  if (isZero(n)) return undefined;
  if (n.e > MAX_EXPONENT) return NUMBER_OVERFLOW;
  if (n.e < MIN_EXPONENT) return NUMBER_UNDERFLOW;
  if (n.c.length > MAX_DIGITS) return NUMBER_PRECISION;
  return undefined;
}

function isZero(n: Big): boolean {
  return n.c.length === 1 && n.c[0] === 0;
}

/** Plain decimal text, no exponent, no trailing zeros, "0" for zero (never "-0"). */
function canonical(n: Big): string {
  if (isZero(n)) return '0';
  return n.toFixed();
}

/**
 * Validates number text as DynamoDB does (ValidationException with AWS's message) and returns
 * its canonical text: "1.50" → "1.5", "0012" → "12", "1e2" → "100", "-0" → "0".
 */
export function canonicalNumber(text: string): string {
  // Fast path: text already canonical and short enough to be in range ("42", "-7", "129.95").
  if (typeof text === 'string' && text.length <= 38 && CANONICAL.test(text) && text !== '-0') return text;
  const n = parse(text);
  const problem = rangeProblem(n);
  if (problem) throw invalid(problem);
  return canonical(n);
}

/** The error message for number text DynamoDB would refuse, or undefined if it is fine. */
export function numberProblem(text: string): string | undefined {
  try {
    canonicalNumber(text);
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}

/** Numeric comparison of two valid number texts: negative, zero or positive. */
export function compareNumbers(a: string, b: string): number {
  return new Big(strip(a)).cmp(new Big(strip(b)));
}

/** a + b, exact; a result DynamoDB cannot store is refused with its message. */
export function addNumbers(a: string, b: string): string {
  return arithmeticResult(new Big(strip(a)).plus(new Big(strip(b))));
}

/** a - b, exact; a result DynamoDB cannot store is refused with its message. */
export function subtractNumbers(a: string, b: string): string {
  return arithmeticResult(new Big(strip(a)).minus(new Big(strip(b))));
}

function arithmeticResult(n: Big): string {
  const problem = rangeProblem(n);
  // DynamoDB reports a sum that needs more than 38 digits (1e50 + 1) as an overflow.
  if (problem === NUMBER_PRECISION) throw invalid(NUMBER_OVERFLOW);
  if (problem) throw invalid(problem);
  return canonical(n);
}

function strip(text: string): string {
  return text[0] === '+' ? text.slice(1) : text;
}

/**
 * A byte string whose memcmp order is the numeric order of valid DynamoDB numbers, for
 * sort keys and index keys kept in SQLite BLOB columns. Equal numbers ("1.0", "1") give
 * equal bytes.
 *
 * Layout: a class byte (0x00 negative, 0x01 zero, 0x02 positive); then the decimal exponent
 * as two big-endian bytes (e + 32768, complemented for negatives); then one byte per
 * significant digit (complemented for negatives, which also end with 0xFF so that a shorter
 * negative mantissa sorts after a longer one with the same prefix: -1.2 > -1.23).
 */
export function numberSortKey(text: string): Buffer {
  const n = new Big(strip(text));
  if (isZero(n)) return Buffer.from([0x01]);
  const negative = n.s < 0;
  const digits = n.c;
  const out = Buffer.alloc(3 + digits.length + (negative ? 1 : 0));
  const exponent = n.e + 32768;
  out[0] = negative ? 0x00 : 0x02;
  const e = negative ? 0xffff - exponent : exponent;
  out.writeUInt16BE(e, 1);
  for (let i = 0; i < digits.length; i++) out[3 + i] = negative ? 9 - digits[i] : digits[i];
  if (negative) out[out.length - 1] = 0xff;
  return out;
}

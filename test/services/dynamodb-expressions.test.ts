import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { AwsError } from '../../src/protocol/errors.js';
import { checkParameterMix, compileExpressions, compileLegacy, parseCacheSize, type ExpressionInput } from '../../src/services/dynamodb/expressions/index.js';
import { RESERVED_WORDS } from '../../src/services/dynamodb/expressions/reserved-words.js';
import type { AttributeValue, Item } from '../../src/services/dynamodb/values/attribute-values.js';

/** The ValidationException message compileExpressions (or fn) throws. */
function errorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof AwsError, `expected AwsError, got ${String(e)}`);
    assert.equal(e.code, 'ValidationException');
    assert.equal(e.status, 400);
    return e.message;
  }
  assert.fail('expected a ValidationException');
}

const compileError = (input: ExpressionInput) => errorOf(() => compileExpressions(input));

/** Values written the way tests read best: strings → S, numbers → N (as text). */
function values(v: Record<string, AttributeValue | string | number>): Record<string, AttributeValue> {
  const out: Record<string, AttributeValue> = {};
  for (const [k, x] of Object.entries(v)) out[k] = typeof x === 'string' ? { S: x } : typeof x === 'number' ? { N: String(x) } : x;
  return out;
}

describe('DynamoDB expressions: syntax errors in DynamoDB\'s shape', () => {
  const cases: [ExpressionInput, string][] = [
    [{ ConditionExpression: 'a = ', ExpressionAttributeValues: values({ ':v': 'x' }) }, 'Invalid ConditionExpression: Syntax error; token: "<EOF>", near: "= "'],
    [{ UpdateExpression: 'SET x = numx / :v', ExpressionAttributeValues: values({ ':v': 1 }) }, 'Invalid UpdateExpression: Syntax error; token: "/", near: "numx / :v"'],
    [{ UpdateExpression: 'SET x = :v +', ExpressionAttributeValues: values({ ':v': 1 }) }, 'Invalid UpdateExpression: Syntax error; token: "<EOF>", near: "+"'],
    [{ UpdateExpression: 'SET' }, 'Invalid UpdateExpression: Syntax error; token: "<EOF>", near: "SET"'],
    [{ UpdateExpression: 'SET _123 = :v', ExpressionAttributeValues: values({ ':v': 1 }) }, 'Invalid UpdateExpression: Syntax error; token: "_", near: "SET _123"'],
    [{ UpdateExpression: 'HELLO b = :v', ExpressionAttributeValues: values({ ':v': 1 }) }, 'Invalid UpdateExpression: Syntax error; token: "HELLO", near: "HELLO b"'],
    [{ UpdateExpression: 'SET c = if_not_exists(c, :a+:b)', ExpressionAttributeValues: values({ ':a': 1, ':b': 2 }) }, 'Invalid UpdateExpression: Syntax error; token: "+", near: ":a+:b"'],
    [{ UpdateExpression: 'SET a[:i] = :v', ExpressionAttributeValues: values({ ':i': 1, ':v': 1 }) }, 'Invalid UpdateExpression: Syntax error; token: ":i", near: "[:i]"'],
    [{ ProjectionExpression: 'a b' }, 'Invalid ProjectionExpression: Syntax error; token: "b", near: "a b"'],
    [{ ProjectionExpression: 'a,' }, 'Invalid ProjectionExpression: Syntax error; token: "<EOF>", near: ","'],
    [{ ProjectionExpression: '!!' }, 'Invalid ProjectionExpression: Syntax error; token: "!", near: "!!"'],
    [{ KeyConditionExpression: 'pk = :p AND begins_with(sk, :type', ExpressionAttributeValues: values({ ':p': 'a', ':type': 'b' }) },
      'Invalid KeyConditionExpression: Syntax error; token: "<EOF>", near: ":type"'],
    [{ FilterExpression: 'a = :v AND', ExpressionAttributeValues: values({ ':v': 1 }) }, 'Invalid FilterExpression: Syntax error; token: "<EOF>", near: "AND"'],
    [{ ConditionExpression: 'a = AND', ExpressionAttributeValues: values({ ':v': 1 }) }, 'Invalid ConditionExpression: Syntax error; token: "AND", near: "= AND"'],
    [{ ConditionExpression: 'a' }, 'Invalid ConditionExpression: Syntax error; token: "<EOF>", near: "a"'],
    [{ ConditionExpression: '' }, 'Invalid ConditionExpression: The expression can not be empty;'],
    [{ ProjectionExpression: '#l[].#c', ExpressionAttributeNames: { '#l': 'l', '#c': 'c' } }, 'Invalid ProjectionExpression: Syntax error; token: "]", near: "[]."'],
    [{ FilterExpression: '#l[abc] = :v', ExpressionAttributeNames: { '#l': 'l' }, ExpressionAttributeValues: values({ ':v': 1 }) },
      'Invalid FilterExpression: Syntax error; token: "abc", near: "[abc]"'],
    [{ FilterExpression: '#l[-1] = :v', ExpressionAttributeNames: { '#l': 'l' }, ExpressionAttributeValues: values({ ':v': 1 }) },
      'Invalid FilterExpression: Syntax error; token: "-", near: "[-1"'],
    [{ ProjectionExpression: '   ' }, 'Invalid ProjectionExpression: The expression can not be empty;'],
  ];
  for (const [input, message] of cases) {
    test(JSON.stringify(Object.values(input)[0]), () => assert.equal(compileError(input), message));
  }
});

describe('DynamoDB expressions: names, values and reserved words', () => {
  test('the reserved word list is DynamoDB\'s', () => {
    assert.equal(RESERVED_WORDS.size, 573);
    for (const w of ['STATUS', 'NAME', 'DATA', 'SIZE', 'ABORT', 'ZONE']) assert.ok(RESERVED_WORDS.has(w), w);
  });

  const cases: [ExpressionInput, string][] = [
    [{ ProjectionExpression: 'id, status' }, 'Invalid ProjectionExpression: Attribute name is a reserved keyword; reserved keyword: status'],
    [{ UpdateExpression: 'SET Name = :v', ExpressionAttributeValues: values({ ':v': 1 }) }, 'Invalid UpdateExpression: Attribute name is a reserved keyword; reserved keyword: Name'],
    [{ ConditionExpression: 'a.data = :v', ExpressionAttributeValues: values({ ':v': 1 }) }, 'Invalid ConditionExpression: Attribute name is a reserved keyword; reserved keyword: data'],
    [{ ConditionExpression: 'a = :x', ExpressionAttributeValues: values({ ':v': 1 }) }, 'Invalid ConditionExpression: An expression attribute value used in expression is not defined; attribute value: :x'],
    [{ ConditionExpression: '#n = :v', ExpressionAttributeValues: values({ ':v': 1 }) }, 'Invalid ConditionExpression: An expression attribute name used in the document path is not defined; attribute name: #n'],
    [{ UpdateExpression: 'SET #name = :val1', ExpressionAttributeNames: { '#wrongname': 'hello' }, ExpressionAttributeValues: values({ ':val2': 4 }) },
      'Invalid UpdateExpression: An expression attribute name used in the document path is not defined; attribute name: #name'],
    [{ UpdateExpression: 'SET a = :val1', ExpressionAttributeValues: values({ ':val1': 3, ':val2': 4 }) }, 'Value provided in ExpressionAttributeValues unused in expressions: keys: {:val2}'],
    [{ UpdateExpression: 'SET #a = :v', ExpressionAttributeNames: { '#a': 'x', '#b': 'y', '#c': 'z' }, ExpressionAttributeValues: values({ ':v': 1 }) },
      'Value provided in ExpressionAttributeNames unused in expressions: keys: {#b, #c}'],
    [{ ProjectionExpression: 'a', ExpressionAttributeNames: {} }, 'ExpressionAttributeNames must not be empty'],
    [{ ConditionExpression: 'a = :v', ExpressionAttributeValues: {} }, 'ExpressionAttributeValues must not be empty'],
    [{ ProjectionExpression: '#a', ExpressionAttributeNames: { a: 'x' } }, 'ExpressionAttributeNames contains invalid key: Syntax error; key: "a"'],
    [{ ConditionExpression: 'a = :v', ExpressionAttributeValues: { v: { S: 'x' } } }, 'ExpressionAttributeValues contains invalid key: Syntax error; key: "v"'],
    [{ ConditionExpression: 'a = :v', ExpressionAttributeValues: { ':v': { SS: [] } } },
      'ExpressionAttributeValues contains invalid value: One or more parameter values were invalid: An string set  may not be empty for key :v'],
    [{ ConditionExpression: 'a = :v', ExpressionAttributeValues: { ':v': {} } },
      'ExpressionAttributeValues contains invalid value: Supplied AttributeValue is empty, must contain exactly one of the supported datatypes for key :v'],
    [{ ExpressionAttributeNames: { '#a': 'x' } }, 'ExpressionAttributeNames can only be specified when using expressions'],
    // Number problems are reported bare, as DynamoDB reads them before validating the request.
    [{ FilterExpression: 'n = :a', ExpressionAttributeValues: { ':a': { N: '1e126' } } }, 'Number overflow. Attempting to store a number with magnitude larger than supported range'],
    [{ ConditionExpression: 'n = :a', ExpressionAttributeValues: { ':a': { N: 'x1' } } }, 'The parameter cannot be converted to a numeric value: x1'],
    [{ ProjectionExpression: 'a'.repeat(4097) }, 'Invalid ProjectionExpression: Expression size has exceeded the maximum allowed size;'],
    [{ FilterExpression: `${'a'.repeat(4092)} = :v`, ExpressionAttributeValues: values({ ':v': 1 }) }, 'Invalid FilterExpression: Expression size has exceeded the maximum allowed size;'],
    [{ ProjectionExpression: 'a', ExpressionAttributeValues: values({ ':v': 1 }) }, 'ExpressionAttributeValues can only be specified when using expressions'],
    [{ ExpressionAttributeValues: values({ ':v': 1 }), valueExpressionParameters: ['UpdateExpression', 'ConditionExpression'] },
      'ExpressionAttributeValues can only be specified when using expressions: UpdateExpression and ConditionExpression are null'],
    [{ ProjectionExpression: 'a', ExpressionAttributeValues: values({ ':v': 1 }), valueExpressionParameters: ['FilterExpression'] },
      'ExpressionAttributeValues can only be specified when using expressions: FilterExpression is null'],
    // Reserved words come before undefined placeholders.
    [{ ConditionExpression: 'status = :nope' }, 'Invalid ConditionExpression: Attribute name is a reserved keyword; reserved keyword: status'],
  ];
  for (const [input, message] of cases) {
    test(message.slice(0, 90), () => assert.equal(compileError(input), message));
  }

  test('placeholders count as used across all the request\'s expressions', () => {
    const compiled = compileExpressions({
      UpdateExpression: 'SET #a = :one',
      ConditionExpression: 'attribute_exists(#b) AND #a < :max',
      ProjectionExpression: '#c',
      ExpressionAttributeNames: { '#a': 'count', '#b': 'pk', '#c': 'other' },
      ExpressionAttributeValues: values({ ':one': 1, ':max': 10 }),
    });
    assert.deepEqual(compiled.update!.attributes, ['count']);
    assert.deepEqual(compiled.condition!.attributes.sort(), ['count', 'pk']);
    assert.deepEqual(compiled.projection!.attributes, ['other']);
  });

  test('a name that maps to a reserved word or to any characters is fine', () => {
    const c = compileExpressions({
      ConditionExpression: '#s = :v AND #odd = :v',
      ExpressionAttributeNames: { '#s': 'status', '#odd': '3can include any character!.#=' },
      ExpressionAttributeValues: values({ ':v': 'x' }),
    });
    assert.ok(c.condition!.test({ status: { S: 'x' }, '3can include any character!.#=': { S: 'x' } }));
  });
});

describe('DynamoDB expressions: condition semantic errors', () => {
  const cases: [ExpressionInput, string][] = [
    [{ ConditionExpression: 'foo(a)' }, 'Invalid ConditionExpression: Invalid function name; function: foo'],
    [{ ConditionExpression: 'ATTRIBUTE_EXISTS(a)' }, 'Invalid ConditionExpression: Invalid function name; function: ATTRIBUTE_EXISTS'],
    [{ ConditionExpression: 'size(a)' }, 'Invalid ConditionExpression: The function is not allowed to be used this way in an expression; function: size'],
    [{ ConditionExpression: 'attribute_exists(a) = :v', ExpressionAttributeValues: values({ ':v': 1 }) },
      'Invalid ConditionExpression: The function is not allowed to be used this way in an expression; function: attribute_exists'],
    [{ ConditionExpression: '((a = :v))', ExpressionAttributeValues: values({ ':v': 1 }) }, 'Invalid ConditionExpression: The expression has redundant parentheses;'],
    [{ ConditionExpression: 'attribute_exists(a, b)' }, 'Invalid ConditionExpression: Incorrect number of operands for operator or function; operator or function: attribute_exists, number of operands: 2'],
    [{ ConditionExpression: 'attribute_exists(:v)', ExpressionAttributeValues: values({ ':v': 1 }) },
      'Invalid ConditionExpression: Operator or function requires a document path; operator or function: attribute_exists'],
    [{ ConditionExpression: 'a = a' }, 'Invalid ConditionExpression: The first operand must be distinct from the remaining operands for this operator or function; operator: =, first operand: [a]'],
    [{ ConditionExpression: 'a < :l', ExpressionAttributeValues: { ':l': { L: [{ N: '1' }] } } },
      'Invalid ConditionExpression: Incorrect operand type for operator or function; operator or function: <, operand type: LIST'],
    [{ ConditionExpression: 'a BETWEEN :l AND :m', ExpressionAttributeValues: { ':l': { BOOL: true }, ':m': { BOOL: true } } },
      'Invalid ConditionExpression: Incorrect operand type for operator or function; operator or function: BETWEEN, operand type: BOOLEAN'],
    [{ ConditionExpression: 'begins_with(a, :v)', ExpressionAttributeValues: values({ ':v': 1 }) },
      'Invalid ConditionExpression: Incorrect operand type for operator or function; operator or function: begins_with, operand type: N'],
    [{ ConditionExpression: 'attribute_type(a, :t)', ExpressionAttributeValues: values({ ':t': 'XX' }) },
      'Invalid ConditionExpression: Invalid attribute type name found; type: XX, valid types: {B,NULL,SS,BOOL,L,BS,N,NS,S,M}'],
    [{ ConditionExpression: 'attribute_type(a, :t)', ExpressionAttributeValues: values({ ':t': 1 }) },
      'Invalid ConditionExpression: Incorrect operand type for operator or function; operator or function: attribute_type, operand type: N'],
    [{ ConditionExpression: 'size(:v) > :w', ExpressionAttributeValues: values({ ':v': 1, ':w': 2 }) },
      'Invalid ConditionExpression: Incorrect operand type for operator or function; operator or function: size, operand type: N'],
    [{ ConditionExpression: 'a BETWEEN :hi AND :lo', ExpressionAttributeValues: values({ ':hi': 5, ':lo': 1 }) },
      'Invalid ConditionExpression: The BETWEEN operator requires upper bound to be greater than or equal to lower bound; lower bound operand: AttributeValue: {N:5}, upper bound operand: AttributeValue: {N:1}'],
    [{ ConditionExpression: 'a BETWEEN :lo AND :hi', ExpressionAttributeValues: values({ ':lo': 1, ':hi': 'x' }) },
      'Invalid ConditionExpression: The BETWEEN operator requires same data type for lower and upper bounds; lower bound operand: AttributeValue: {N:1}, upper bound operand: AttributeValue: {S:x}'],
    [{ ConditionExpression: 'a = :v', UpdateExpression: 'SET b = if_not_exists(c, :w)', ExpressionAttributeValues: values({ ':v': 1 }) },
      'Invalid UpdateExpression: An expression attribute value used in expression is not defined; attribute value: :w'],
  ];
  for (const [input, message] of cases) {
    test(message.slice(0, 100), () => assert.equal(compileError(input), message));
  }
});

describe('DynamoDB expressions: evaluating conditions', () => {
  const item: Item = {
    pk: { S: 'user#1' },
    n: { N: '10' },
    s: { S: 'hello world' },
    b: { B: Buffer.from([1, 2, 3]) },
    t: { BOOL: true },
    z: { NULL: true },
    ss: { SS: ['red', 'green'] },
    ns: { NS: ['1', '2.5'] },
    l: { L: [{ S: 'x' }, { N: '7' }, { M: { deep: { S: 'yes' } } }] },
    m: { M: { kid: { N: '3' }, 'dotted.name': { S: 'd' } } },
    u: { S: '\u00e9t\u00e9' },
  };
  const v = values({
    ':ten': 10, ':nine': 9, ':eleven': 11, ':ten0': { N: '10.0' }, ':hello': 'hello', ':world': 'world', ':red': 'red', ':blue': 'blue',
    ':seven': 7, ':x': 'x', ':yes': 'yes', ':S': 'S', ':N': 'N', ':BOOL': 'BOOL', ':NULL': 'NULL', ':SS': 'SS', ':L': 'L', ':M': 'M',
    ':two': 2, ':three': 3, ':five': 5, ':half': { N: '2.5' }, ':b12': { B: Buffer.from([1, 2]) }, ':b2': { B: Buffer.from([2]) },
    ':list': { L: [{ S: 'x' }, { N: '7' }, { M: { deep: { S: 'yes' } } }] }, ':sset': { SS: ['green', 'red'] }, ':user': 'user#',
    ':a': 'a', ':z': 'z', ':t': { BOOL: true }, ':eleven_bytes': 11, ':five_bytes': 5,
  });
  const cases: [string, boolean][] = [
    ['n = :ten', true],
    ['n = :ten0', true],
    ['n <> :ten', false],
    ['n <> :nine', true],
    ['absent <> :ten', true],
    ['absent = :ten', false],
    ['n < :eleven AND n > :nine', true],
    ['n <= :ten AND n >= :ten', true],
    ['n < :hello', false],
    ['n > :hello', false],
    ['s > :hello', true],
    ['s BETWEEN :a AND :z', true],
    ['n BETWEEN :nine AND :eleven', true],
    ['n BETWEEN :eleven AND :eleven', false],
    ['absent BETWEEN :nine AND :eleven', false],
    ['n IN (:nine, :ten)', true],
    ['n IN (:nine, :eleven)', false],
    ['absent IN (:nine, :eleven)', false],
    ['attribute_exists(n) AND attribute_not_exists(nope)', true],
    ['attribute_exists(m.kid) AND attribute_exists(l[2].deep)', true],
    ['attribute_exists(l[3])', false],
    ['attribute_exists(m.nope)', false],
    ['attribute_exists(n.kid)', false],
    ['attribute_type(n, :N) AND attribute_type(s, :S) AND attribute_type(t, :BOOL) AND attribute_type(z, :NULL)', true],
    ['attribute_type(ss, :SS) AND attribute_type(l, :L) AND attribute_type(m, :M)', true],
    ['attribute_type(n, :S)', false],
    ['begins_with(s, :hello)', true],
    ['begins_with(s, :world)', false],
    ['begins_with(pk, :user)', true],
    ['begins_with(b, :b12)', true],
    ['begins_with(b, :b2)', false],
    ['begins_with(n, :hello)', false],
    ['contains(s, :world)', true],
    ['contains(ss, :red) AND NOT contains(ss, :blue)', true],
    ['contains(ns, :half)', true],
    ['contains(ns, :three)', false],
    ['contains(l, :x) AND contains(l, :seven)', true],
    ['contains(b, :b2)', true],
    ['contains(n, :ten)', false],
    ['size(s) = :eleven_bytes', true],
    ['size(u) = :five_bytes', true],
    ['size(ss) = :two AND size(l) = :three AND size(m) = :two AND size(b) = :three', true],
    ['size(n) = :two', false],
    ['size(n) <> :two', true],
    ['size(absent) < :ten', false],
    ['l[2].deep = :yes', true],
    ['l = :list AND ss = :sset', true],
    ['t = :t', true],
    ['NOT n = :ten', false],
    ['NOT NOT n = :ten', true],
    // AND binds tighter than OR; NOT tighter than AND.
    ['n = :nine AND n = :nine OR n = :ten', true],
    ['n = :nine AND (n = :nine OR n = :ten)', false],
    ['n = :ten OR n = :nine AND n = :nine', true],
    ['(n = :ten OR n = :nine) AND n = :nine', false],
    ['NOT n = :nine AND n = :ten', true],
    ['NOT (n = :nine OR n = :ten)', false],
    ['not n = :nine and n = :ten or n = :nine', true],
  ];
  for (const [expression, want] of cases) {
    test(`${expression} → ${want}`, () => {
      const c = compileExpressions({ FilterExpression: expression, ExpressionAttributeValues: pick(v, expression) });
      assert.equal(c.filter!.test(item), want);
    });
  }

  test('a condition against a absent item sees no attributes', () => {
    const c = compileExpressions({ ConditionExpression: 'attribute_not_exists(pk)' });
    assert.equal(c.condition!.test(undefined), true);
    assert.equal(c.condition!.test(item), false);
  });

  test('a dotted name in ExpressionAttributeNames is one attribute, not a path', () => {
    const c = compileExpressions({ ConditionExpression: 'm.#d = :v', ExpressionAttributeNames: { '#d': 'dotted.name' }, ExpressionAttributeValues: values({ ':v': 'd' }) });
    assert.equal(c.condition!.test(item), true);
  });
});

/** Only the placeholders an expression uses (unused ones are an error). */
function pick(all: Record<string, AttributeValue>, expression: string): Record<string, AttributeValue> | undefined {
  const out: Record<string, AttributeValue> = {};
  for (const m of expression.matchAll(/:[A-Za-z0-9_]+/g)) out[m[0]] = all[m[0]];
  return Object.keys(out).length ? out : undefined;
}

describe('DynamoDB expressions: updates', () => {
  const base: Item = {
    pk: { S: 'p' },
    n: { N: '2' },
    s: { S: 'hello' },
    l: { L: [{ N: '2' }, { N: '3' }, { N: '4' }, { N: '5' }, { N: '6' }, { N: '7' }] },
    m: { M: { x: { N: '3' }, c: { M: { y: { N: '3' } } } } },
    ss: { SS: ['dog', 'cat', 'mouse'] },
    ns: { NS: ['1', '2'] },
  };
  const v = values({
    ':one': 1, ':v': 'new', ':seventeen': 17, ':big': { N: '10000000000000000000000' }, ':pig': { SS: ['pig', 'dog'] },
    ':catmouse': { SS: ['cat', 'mouse'] }, ':all': { SS: ['dog', 'cat', 'mouse'] }, ':nums': { NS: ['2', '3'] }, ':list': { L: [{ S: 'a' }] },
    ':empty': { L: [] }, ':a1': 'a1', ':a2': 'a2', ':a3': 'a3', ':a4': 'a4', ':dog': 'dog', ':ten': 10,
  });
  /** item null: no item yet. */
  const run = (expression: string, item: Item | null = base) =>
    compileExpressions({ UpdateExpression: expression, ExpressionAttributeValues: pick(v, expression) }).update!.apply(item ?? undefined);

  const cases: [string, Item][] = [
    ['SET a = :v', { a: { S: 'new' } }],
    ['set a=:v', { a: { S: 'new' } }],
    ['SET n = n + :one', { n: { N: '3' } }],
    ['SET n = :one - n', { n: { N: '-1' } }],
    ['SET n = n + :big', { n: { N: '10000000000000000000002' } }],
    ['SET c = s, s = :v', { c: { S: 'hello' }, s: { S: 'new' } }],
    ['SET x = if_not_exists(x, :ten), n = if_not_exists(n, :ten)', { x: { N: '10' }, n: { N: '2' } }],
    ['SET l2 = list_append(:list, :empty)', { l2: { L: [{ S: 'a' }] } }],
    ['SET l = list_append(l, :list)', { l: { L: [...(base.l as { L: AttributeValue[] }).L, { S: 'a' }] } }],
    // if_not_exists nests inside list_append (DynamoDB's idiom for appending to a list that may not exist yet).
    ['SET l = list_append(if_not_exists(l, :empty), :list)', { l: { L: [...(base.l as { L: AttributeValue[] }).L, { S: 'a' }] } }],
    ['SET l3 = list_append(if_not_exists(l3, :empty), :list)', { l3: { L: [{ S: 'a' }] } }],
    ['SET l3 = list_append(:list, if_not_exists(l, :empty))', { l3: { L: [{ S: 'a' }, ...(base.l as { L: AttributeValue[] }).L] } }],
    ['SET b = if_not_exists(b, :one) + :ten', { b: { N: '11' } }],
    ['SET m.c.d = :v, m.x = :one', { m: { M: { x: { N: '1' }, c: { M: { y: { N: '3' }, d: { S: 'new' } } } } } }],
    ['REMOVE s, m.x, nothing', { s: undefined as unknown as AttributeValue, m: { M: { c: { M: { y: { N: '3' } } } } } }],
    ['REMOVE l[1] SET l[3] = :seventeen', { l: { L: [{ N: '2' }, { N: '4' }, { N: '17' }, { N: '6' }, { N: '7' }] } }],
    ['SET l[3] = :seventeen REMOVE l[1]', { l: { L: [{ N: '2' }, { N: '4' }, { N: '17' }, { N: '6' }, { N: '7' }] } }],
    ['REMOVE l[0], l[2], l[17]', { l: { L: [{ N: '3' }, { N: '5' }, { N: '6' }, { N: '7' }] } }],
    ['SET l[84] = :a1, l[37] = :a2, l[17] = :a3, l[50] = :a4',
      { l: { L: [...(base.l as { L: AttributeValue[] }).L, { S: 'a3' }, { S: 'a2' }, { S: 'a4' }, { S: 'a1' }] } }],
    ['ADD n :ten, fresh :one', { n: { N: '12' }, fresh: { N: '1' } }],
    ['ADD ss :pig', { ss: { SS: ['dog', 'cat', 'mouse', 'pig'] } }],
    ['ADD ns :nums', { ns: { NS: ['1', '2', '3'] } }],
    ['DELETE ss :catmouse', { ss: { SS: ['dog'] } }],
    ['DELETE ss :all', { ss: undefined as unknown as AttributeValue }],
    ['DELETE nothing :all', {}],
  ];
  for (const [expression, changes] of cases) {
    test(expression, () => {
      const want: Item = { ...base };
      for (const [k, x] of Object.entries(changes)) {
        if (x === undefined) delete want[k];
        else want[k] = x;
      }
      const result = run(expression);
      assert.deepEqual(result.item, want);
    });
  }

  test('the input item is never modified', () => {
    const before = JSON.stringify(base);
    run('SET m.c.d = :v REMOVE l[0] ADD ss :pig');
    assert.equal(JSON.stringify(base), before);
  });

  test('paths and top-level attributes updated, for ReturnValues', () => {
    const r = run('SET m.x = :one, a = :v REMOVE l[0] ADD n :ten');
    assert.deepEqual(r.paths, [['m', 'x'], ['a'], ['l', 0], ['n']]);
    assert.deepEqual(r.attributes, ['m', 'a', 'l', 'n']);
  });

  test('a SET past the end of a list reports the index the value landed on', () => {
    const r = run('SET l[84] = :a1, l[37] = :a2');
    assert.deepEqual(r.paths, [['l', 7], ['l', 6]]);
  });

  test('a new item (undefined) starts empty; REMOVE of nested paths is then ignored', () => {
    assert.deepEqual(run('SET a = :v ADD c :one', null).item, { a: { S: 'new' }, c: { N: '1' } });
    assert.deepEqual(run('REMOVE x.y', null).item, {});
    assert.deepEqual(run('REMOVE x[0]', null).item, {});
    const c = compileExpressions({ UpdateExpression: 'SET a = :v REMOVE x.y', ExpressionAttributeValues: values({ ':v': 'new' }) }).update!;
    assert.deepEqual(c.apply(undefined, { pk: { S: 'k' } }).item, { pk: { S: 'k' }, a: { S: 'new' } });
  });

  const runtime: [string, string][] = [
    ['SET c = nothing', 'The provided expression refers to an attribute that does not exist in the item'],
    ['SET x = :v, y = x', 'The provided expression refers to an attribute that does not exist in the item'],
    ['SET c = nothing + :one', 'The provided expression refers to an attribute that does not exist in the item'],
    ['SET c = s + :one', 'An operand in the update expression has an incorrect data type'],
    ['SET c = list_append(s, :list)', 'An operand in the update expression has an incorrect data type'],
    ['SET s.c = :v', 'The document path provided in the update expression is invalid for update'],
    ['SET nothing.c = :v', 'The document path provided in the update expression is invalid for update'],
    ['SET s[0] = :v', 'The document path provided in the update expression is invalid for update'],
    ['REMOVE s.c', 'The document path provided in the update expression is invalid for update'],
    ['REMOVE nothing[0]', 'The document path provided in the update expression is invalid for update'],
    ['ADD s :one', 'An operand in the update expression has an incorrect data type'],
    ['ADD ns :pig', 'An operand in the update expression has an incorrect data type'],
    ['DELETE s :pig', 'An operand in the update expression has an incorrect data type'],
  ];
  for (const [expression, message] of runtime) {
    test(`${expression} → ${message}`, () => assert.equal(errorOf(() => run(expression)), message));
  }

  test('arithmetic beyond 38 digits is refused as DynamoDB does', () => {
    const c = compileExpressions({ UpdateExpression: 'SET b = :x + :y', ExpressionAttributeValues: { ':x': { N: '1e50' }, ':y': { N: '1' } } });
    assert.equal(errorOf(() => c.update!.apply(undefined)), 'Number overflow. Attempting to store a number with magnitude larger than supported range');
  });

  const invalid: [ExpressionInput, string][] = [
    [{ UpdateExpression: 'SET a = :v SET b = :v', ExpressionAttributeValues: values({ ':v': 1 }) }, 'Invalid UpdateExpression: The "SET" section can only be used once in an update expression;'],
    [{ UpdateExpression: 'SET a = :v REMOVE b SET c = :v', ExpressionAttributeValues: values({ ':v': 1 }) }, 'Invalid UpdateExpression: The "SET" section can only be used once in an update expression;'],
    [{ UpdateExpression: 'SET a = :v REMOVE a', ExpressionAttributeValues: values({ ':v': 1 }) },
      'Invalid UpdateExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a], path two: [a]'],
    [{ UpdateExpression: 'SET a = :v, a.b = :v', ExpressionAttributeValues: values({ ':v': 1 }) },
      'Invalid UpdateExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a], path two: [a, b]'],
    [{ UpdateExpression: 'SET a[1][1] = :v, a[1] = :v', ExpressionAttributeValues: values({ ':v': 1 }) },
      'Invalid UpdateExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a, [1], [1]], path two: [a, [1]]'],
    [{ UpdateExpression: 'SET #a1 = :v, #a2 = :v', ExpressionAttributeNames: { '#a1': 'a', '#a2': 'a' }, ExpressionAttributeValues: values({ ':v': 1 }) },
      'Invalid UpdateExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a], path two: [a]'],
    [{ UpdateExpression: 'SET a.b = :v, a[1] = :v', ExpressionAttributeValues: values({ ':v': 1 }) },
      'Invalid UpdateExpression: Two document paths conflict with each other; must remove or rewrite one of these paths; path one: [a, b], path two: [a, [1]]'],
    [{ UpdateExpression: 'SET a = f(b, c, d)' }, 'Invalid UpdateExpression: Invalid function name; function: f'],
    [{ UpdateExpression: 'SET a = size(b)' }, 'Invalid UpdateExpression: Invalid function name; function: size'],
    [{ UpdateExpression: 'SET b = if_not_exists(:x, :y)', ExpressionAttributeValues: values({ ':x': 1, ':y': 2 }) },
      'Invalid UpdateExpression: Operator or function requires a document path; operator or function: if_not_exists'],
    [{ UpdateExpression: 'SET b = if_not_exists(:x, :y)', ExpressionAttributeValues: values({ ':y': 2 }) },
      'Invalid UpdateExpression: An expression attribute value used in expression is not defined; attribute value: :x'],
    [{ UpdateExpression: 'SET a = list_append(b)' }, 'Invalid UpdateExpression: Incorrect number of operands for operator or function; operator or function: list_append, number of operands: 1'],
    [{ UpdateExpression: 'SET a = list_append(list_append(:x, :y), :z)', ExpressionAttributeValues: { ':x': { L: [] }, ':y': { L: [] }, ':z': { L: [] } } },
      'Invalid UpdateExpression: The function is not allowed to be used this way in an expression; function: list_append'],
    [{ UpdateExpression: 'SET a = if_not_exists(a, list_append(:x, :y))', ExpressionAttributeValues: { ':x': { L: [] }, ':y': { L: [] } } },
      'Invalid UpdateExpression: The function is not allowed to be used this way in an expression; function: list_append'],
    [{ UpdateExpression: 'SET b = if_not_exists(if_not_exists(a, :x), :y)', ExpressionAttributeValues: values({ ':x': 1, ':y': 2 }) },
      'Invalid UpdateExpression: Operator or function requires a document path; operator or function: if_not_exists'],
    [{ UpdateExpression: 'SET a = list_append(b, :s)', ExpressionAttributeValues: values({ ':s': 'x' }) },
      'Invalid UpdateExpression: Incorrect operand type for operator or function; operator or function: list_append, operand type: S'],
    [{ UpdateExpression: 'SET b = :a + :b', ExpressionAttributeValues: values({ ':a': 'dog', ':b': 3 }) },
      'Invalid UpdateExpression: Incorrect operand type for operator or function; operator or function: +, operand type: S'],
    [{ UpdateExpression: 'ADD a :v', ExpressionAttributeValues: values({ ':v': 'hello' }) },
      'Invalid UpdateExpression: Incorrect operand type for operator or function; operator: ADD, operand type: STRING, typeSet: ALLOWED_FOR_ADD_OPERAND'],
    [{ UpdateExpression: 'ADD a :v', ExpressionAttributeValues: { ':v': { L: [{ N: '3' }] } } },
      'Invalid UpdateExpression: Incorrect operand type for operator or function; operator: ADD, operand type: LIST, typeSet: ALLOWED_FOR_ADD_OPERAND'],
    [{ UpdateExpression: 'DELETE a :v', ExpressionAttributeValues: values({ ':v': 1 }) },
      'Invalid UpdateExpression: Incorrect operand type for operator or function; operator: DELETE, operand type: NUMBER, typeSet: ALLOWED_FOR_ADD_OPERAND'],
    [{ UpdateExpression: 'ADD numx 1' }, 'Invalid UpdateExpression: Syntax error; token: "1", near: "numx 1"'],
    [{ UpdateExpression: 'DELETE setx' }, 'Invalid UpdateExpression: Syntax error; token: "<EOF>", near: "setx"'],
    [{ UpdateExpression: 'SET #l[0.#c = :v', ExpressionAttributeNames: { '#l': 'l', '#c': 'c' }, ExpressionAttributeValues: values({ ':v': 1 }) },
      'Invalid UpdateExpression: Syntax error; token: ".", near: "0.#c"'],
    [{ UpdateExpression: 'SET :a = :b', ExpressionAttributeValues: values({ ':a': 1, ':b': 2 }) }, 'Invalid UpdateExpression: Syntax error; token: ":a", near: "SET :a ="'],
  ];
  for (const [input, message] of invalid) {
    test(message.slice(0, 110), () => assert.equal(compileError(input), message));
  }
});

describe('DynamoDB expressions: projections', () => {
  const item: Item = {
    a: { M: { b: { S: '1' }, x: { S: '2' } } },
    c: { L: [{ S: '0' }, { S: '1' }, { M: { d: { S: 'deep' }, e: { S: 'other' } } }] },
    top: { N: '5' },
  };
  const cases: [string, Item][] = [
    ['top', { top: { N: '5' } }],
    ['top, absent', { top: { N: '5' } }],
    ['a.b', { a: { M: { b: { S: '1' } } } }],
    ['c[2], c[0]', { c: { L: [{ S: '0' }, { M: { d: { S: 'deep' }, e: { S: 'other' } } }] } }],
    ['c[2].d, a.nope', { c: { L: [{ M: { d: { S: 'deep' } } }] } }],
    ['c[9], top.x', {}],
    // A map read as a list, a list read as a map, a scalar indexed: nothing.
    ['a[0]', {}],
    ['c.d', {}],
    ['c[0][0]', {}],
    ['c[2].d, c[0], a.x, top', { c: { L: [{ S: '0' }, { M: { d: { S: 'deep' } } }] }, a: { M: { x: { S: '2' } } }, top: { N: '5' } }],
  ];
  for (const [expression, want] of cases) {
    test(expression, () => assert.deepEqual(compileExpressions({ ProjectionExpression: expression }).projection!.project(item), want));
  }
  test('overlapping and conflicting paths are refused', () => {
    assert.equal(compileError({ ProjectionExpression: 'a, a.b' }),
      'Invalid ProjectionExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a], path two: [a, b]');
    assert.equal(compileError({ ProjectionExpression: 'a.b, a[0]' }),
      'Invalid ProjectionExpression: Two document paths conflict with each other; must remove or rewrite one of these paths; path one: [a, b], path two: [a, [0]]');
  });
});

describe('DynamoDB expressions: key conditions', () => {
  const schema = { hashKey: 'pk', rangeKey: 'sk', types: { pk: 'S', sk: 'N' } as Record<string, 'S' | 'N' | 'B'> };
  const v = values({ ':p': 'user', ':one': 1, ':two': 2, ':s': 'x' });
  const compile = (expression: string, names?: Record<string, string>) =>
    compileExpressions({ KeyConditionExpression: expression, ExpressionAttributeValues: pick(v, expression), ExpressionAttributeNames: names }).keyCondition!;

  test('hash only, hash and range, operators flipped when the value comes first', () => {
    assert.deepEqual(compile('pk = :p').resolve(schema), { hash: { name: 'pk', value: { S: 'user' } }, range: undefined });
    assert.deepEqual(compile('pk = :p AND sk BETWEEN :one AND :two').resolve(schema).range, { name: 'sk', op: 'BETWEEN', values: [{ N: '1' }, { N: '2' }] });
    assert.deepEqual(compile(':one < sk AND :p = pk').resolve(schema).range, { name: 'sk', op: 'GT', values: [{ N: '1' }] });
    assert.deepEqual(compile('#k = :p AND #r >= :one', { '#k': 'pk', '#r': 'sk' }).resolve(schema).range, { name: 'sk', op: 'GE', values: [{ N: '1' }] });
    assert.deepEqual(compile('(pk = :p) AND (sk <= :two)').resolve(schema).range, { name: 'sk', op: 'LE', values: [{ N: '2' }] });
    assert.deepEqual(compile('((sk <= :two) AND (pk = :p))').resolve(schema).range, { name: 'sk', op: 'LE', values: [{ N: '2' }] });
    assert.deepEqual(compile('pk=:p AnD sk BeTwEeN :one aNd :two').resolve(schema).range, { name: 'sk', op: 'BETWEEN', values: [{ N: '1' }, { N: '2' }] });
    assert.deepEqual(compile('pk = :p AND begins_with(sk, :s)').resolve({ hashKey: 'pk', rangeKey: 'sk' }).range, { name: 'sk', op: 'BEGINS_WITH', values: [{ S: 'x' }] });
  });

  const shapes: [string, string][] = [
    ['pk = :p OR sk = :one', 'Invalid KeyConditionExpression: Invalid operator used in KeyConditionExpression: OR'],
    ['NOT pk = :p', 'Invalid KeyConditionExpression: Invalid operator used in KeyConditionExpression: NOT'],
    ['pk IN (:p)', 'Invalid KeyConditionExpression: Invalid operator used in KeyConditionExpression: IN'],
    ['pk <> :p', 'Invalid KeyConditionExpression: Invalid operator used in KeyConditionExpression: <>'],
    ['pk = :p AND attribute_exists(sk)', 'Invalid KeyConditionExpression: Invalid operator used in KeyConditionExpression: attribute_exists'],
    ['pk = :p AND contains(sk, :s)', 'Invalid KeyConditionExpression: Invalid operator used in KeyConditionExpression: contains'],
    ['pk = sk', 'Invalid KeyConditionExpression: Invalid condition in KeyConditionExpression: Multiple attribute names used in one condition'],
    [':p = :s', 'Invalid KeyConditionExpression: Invalid condition in KeyConditionExpression: No key attribute specified'],
    ['pk.x = :p', 'Invalid KeyConditionExpression: KeyConditionExpressions cannot have conditions on nested attributes'],
    ['pk = :p AND pk = :s', 'Invalid KeyConditionExpression: KeyConditionExpressions must only contain one condition per key'],
    ['size(pk) = :one', 'Invalid KeyConditionExpression: KeyConditionExpressions cannot contain nested operations'],
    ['pk = :p AND sk < :one AND extra < :two', 'Conditions can be of length 1 or 2 only'],
    ['pk = :p AND dog(sk, :one)', 'Invalid KeyConditionExpression: Invalid function name; function: dog'],
    ['pk = :p AND BEGINS_WITH(sk, :s)', 'Invalid KeyConditionExpression: Invalid function name; function: BEGINS_WITH'],
    ['pk = :p AND begins_with(sk, :one)', 'Invalid KeyConditionExpression: Incorrect operand type for operator or function; operator or function: begins_with, operand type: N'],
    ['((sk = :one) AND ((pk = :p)))', 'Invalid KeyConditionExpression: The expression has redundant parentheses;'],
  ];
  for (const [expression, message] of shapes) {
    test(`${expression} → ${message.slice(32)}`, () =>
      assert.equal(compileError({ KeyConditionExpression: expression, ExpressionAttributeValues: pick(v, expression) }), message));
  }

  const schemaErrors: [string, string][] = [
    ['sk = :one', 'Query condition missed key schema element: pk'],
    ['pk = :p AND extra = :one', 'Query condition missed key schema element: sk'],
    ['pk < :p', 'Query key condition not supported'],
    ['pk = :one', 'One or more parameter values were invalid: Condition parameter type does not match schema type'],
    ['pk = :p AND sk = :s', 'One or more parameter values were invalid: Condition parameter type does not match schema type'],
  ];
  for (const [expression, message] of schemaErrors) {
    test(`${expression} → ${message}`, () => assert.equal(errorOf(() => compile(expression).resolve(schema)), message));
  }
  test('a hash-only schema refuses a second condition', () => {
    assert.equal(errorOf(() => compile('pk = :p AND sk = :one').resolve({ hashKey: 'pk' })), 'Query key condition not supported');
  });
});

describe('DynamoDB expressions: parse cache', () => {
  test('a repeated text is parsed once; bindings stay per request', () => {
    const text = 'attribute_not_exists(#k) OR #v < :limit_cache_test';
    compileExpressions({ ConditionExpression: text, ExpressionAttributeNames: { '#k': 'pk', '#v': 'version' }, ExpressionAttributeValues: values({ ':limit_cache_test': 5 }) });
    const size = parseCacheSize();
    const again = compileExpressions({ ConditionExpression: text, ExpressionAttributeNames: { '#k': 'id', '#v': 'n' }, ExpressionAttributeValues: values({ ':limit_cache_test': 1 }) });
    assert.equal(parseCacheSize(), size);
    assert.equal(again.condition!.test({ id: { S: 'x' }, n: { N: '0' } }), true);
    assert.equal(again.condition!.test({ id: { S: 'x' }, n: { N: '3' } }), false);
    // A cached syntax error is reported again, identically.
    const bad = { ConditionExpression: 'a = = :v', ExpressionAttributeValues: values({ ':v': 1 }) };
    assert.equal(compileError(bad), compileError(bad));
  });
});

describe('DynamoDB legacy parameters', () => {
  const item: Item = { a: { N: '5' }, s: { S: 'hello' }, ss: { SS: ['x', 'y'] }, l: { L: [{ S: 'p' }] } };
  const N = (n: number): AttributeValue => ({ N: String(n) });
  const S = (s: string): AttributeValue => ({ S: s });

  test('Expected: Value, Exists false, ComparisonOperator; ConditionalOperator', () => {
    const check = (input: Parameters<typeof compileLegacy>[0]) => compileLegacy(input).condition!.test(item);
    assert.equal(check({ Expected: { a: { Value: N(5) } } }), true);
    assert.equal(check({ Expected: { a: { Value: N(6), Exists: true } } }), false);
    assert.equal(check({ Expected: { nope: { Exists: false } } }), true);
    assert.equal(check({ Expected: { a: { Exists: false } } }), false);
    assert.equal(check({ Expected: { a: { ComparisonOperator: 'BETWEEN', AttributeValueList: [N(1), N(9)] }, s: { ComparisonOperator: 'BEGINS_WITH', Value: S('he') } } }), true);
    assert.equal(check({ Expected: { a: { ComparisonOperator: 'GT', Value: N(9) }, s: { ComparisonOperator: 'NOT_NULL' } }, ConditionalOperator: 'OR' }), true);
    assert.equal(check({ Expected: { a: { ComparisonOperator: 'GT', Value: N(9) }, s: { ComparisonOperator: 'NOT_NULL' } }, ConditionalOperator: 'AND' }), false);
    assert.equal(check({ Expected: { ss: { ComparisonOperator: 'NOT_CONTAINS', Value: S('z') } } }), true);
    assert.equal(check({ Expected: { nope: { ComparisonOperator: 'NOT_CONTAINS', Value: S('z') } } }), false);
    assert.equal(check({ Expected: { a: { ComparisonOperator: 'IN', AttributeValueList: [N(4), N(5)] } } }), true);
  });

  const invalid: [Parameters<typeof compileLegacy>[0], string][] = [
    [{ Expected: { a: { Value: N(1), AttributeValueList: [N(1)] } } }, 'One or more parameter values were invalid: Value and AttributeValueList cannot be used together for Attribute: a'],
    [{ Expected: { a: { Exists: true, ComparisonOperator: 'EQ', Value: N(1) } } }, 'One or more parameter values were invalid: Exists and ComparisonOperator cannot be used together for Attribute: a'],
    [{ Expected: { a: { ComparisonOperator: 'EQ' } } }, 'One or more parameter values were invalid: Value or AttributeValueList must be used with ComparisonOperator: EQ for Attribute: a'],
    [{ Expected: { a: { AttributeValueList: [N(1)] } } }, 'One or more parameter values were invalid: AttributeValueList can only be used with a ComparisonOperator for Attribute: a'],
    [{ Expected: { a: { Exists: true } } }, 'One or more parameter values were invalid: Value must be provided when Exists is true for Attribute: a'],
    [{ Expected: { a: {} } }, 'One or more parameter values were invalid: Value must be provided when Exists is null for Attribute: a'],
    [{ Expected: { a: { Exists: false, Value: N(1) } } }, 'One or more parameter values were invalid: Value cannot be used when Exists is false for Attribute: a'],
    [{ ScanFilter: { a: { ComparisonOperator: 'EQ', AttributeValueList: [N(1), N(2)] } } }, 'One or more parameter values were invalid: Invalid number of argument(s) for the EQ ComparisonOperator'],
    [{ ScanFilter: { a: { ComparisonOperator: 'IN', AttributeValueList: [N(1), S('x')] } } }, 'One or more parameter values were invalid: AttributeValues inside AttributeValueList must be of same type'],
    [{ QueryFilter: { a: { ComparisonOperator: 'LT', AttributeValueList: [{ BOOL: true }] } } }, 'One or more parameter values were invalid: ComparisonOperator LT is not valid for BOOL AttributeValue type'],
    [{ ScanFilter: { a: { ComparisonOperator: 'BETWEEN', AttributeValueList: [N(9), N(1)] } } }, 'The BETWEEN condition was provided a range where the lower bound is greater than the upper bound'],
    [{ KeyConditions: { a: { ComparisonOperator: 'NE', AttributeValueList: [N(1)] } } }, 'Attempted conditional constraint is not an indexable operation'],
    [{ KeyConditions: {} }, 'Conditions can be of length 1 or 2 only'],
    [{ AttributeUpdates: { a: { Action: 'PUT' } } }, 'One or more parameter values were invalid: Only DELETE action is allowed when no attribute value is specified'],
    [{ AttributeUpdates: { a: { Action: 'DELETE', Value: N(1) } } }, 'One or more parameter values were invalid: DELETE action with value is not supported for the type N'],
    [{ AttributeUpdates: { a: { Action: 'ADD', Value: S('x') } } }, 'One or more parameter values were invalid: ADD action is not supported for the type S'],
    [{ AttributesToGet: ['a', 'b', 'a'] }, 'One or more parameter values were invalid: Duplicate value in attribute name: a'],
  ];
  for (const [input, message] of invalid) {
    test(message.slice(0, 110), () => assert.equal(errorOf(() => compileLegacy(input)), message));
  }

  test('ScanFilter/QueryFilter evaluate like filters', () => {
    const f = compileLegacy({ ScanFilter: { a: { ComparisonOperator: 'GE', AttributeValueList: [N(5)] }, ss: { ComparisonOperator: 'CONTAINS', AttributeValueList: [S('x')] } } }).filter!;
    assert.equal(f.test(item), true);
    assert.equal(f.test({ a: N(4), ss: { SS: ['x'] } }), false);
    assert.deepEqual(f.attributes, ['a', 'ss']);
  });

  test('KeyConditions resolve like a KeyConditionExpression', () => {
    const k = compileLegacy({ KeyConditions: { pk: { ComparisonOperator: 'EQ', AttributeValueList: [S('u')] }, sk: { ComparisonOperator: 'BEGINS_WITH', AttributeValueList: [S('x')] } } }).keyCondition!;
    assert.deepEqual(k.resolve({ hashKey: 'pk', rangeKey: 'sk' }), { hash: { name: 'pk', value: S('u') }, range: { name: 'sk', op: 'BEGINS_WITH', values: [S('x')] } });
    assert.equal(errorOf(() => k.resolve({ hashKey: 'id' })), 'Query key condition not supported');
  });

  test('AttributeUpdates: PUT, DELETE (attribute or set elements), ADD (numbers, sets, lists)', () => {
    const u = compileLegacy({
      AttributeUpdates: {
        s: { Value: S('new') },
        gone: { Action: 'DELETE' },
        a: { Action: 'ADD', Value: N(2) },
        ss: { Action: 'DELETE', Value: { SS: ['x'] } },
        l: { Action: 'ADD', Value: { L: [{ S: 'q' }] } },
        fresh: { Action: 'ADD', Value: { NS: ['1'] } },
      },
    }).update!;
    assert.deepEqual(u.apply({ ...item, gone: N(1) }).item, { a: N(7), s: S('new'), ss: { SS: ['y'] }, l: { L: [{ S: 'p' }, { S: 'q' }] }, fresh: { NS: ['1'] } });
    const mismatch = compileLegacy({ AttributeUpdates: { s: { Action: 'ADD', Value: N(1) } } }).update!;
    assert.equal(errorOf(() => mismatch.apply(item)), 'Type mismatch for attribute to update');
  });

  test('AttributesToGet projects top-level attributes', () => {
    assert.deepEqual(compileLegacy({ AttributesToGet: ['a', 'nope'] }).projection!.project(item), { a: N(5) });
  });

  test('expression and legacy parameters cannot be mixed', () => {
    assert.equal(errorOf(() => checkParameterMix({ Expected: {}, ConditionExpression: 'a = :v' })),
      'Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {Expected} Expression parameters: {ConditionExpression}');
    assert.equal(errorOf(() => checkParameterMix({ AttributesToGet: ['a'], QueryFilter: {}, ProjectionExpression: 'a', KeyConditionExpression: 'k = :k' })),
      'Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {AttributesToGet, QueryFilter} Expression parameters: {ProjectionExpression, KeyConditionExpression}');
    assert.doesNotThrow(() => checkParameterMix({ KeyConditions: {}, FilterExpression: 'a = :v' }));
    assert.doesNotThrow(() => checkParameterMix({ Expected: {}, AttributeUpdates: {} }));
  });
});

describe('DynamoDB expressions: limits', () => {
  test('an expression of exactly 4 KB is accepted', () => {
    const name = 'a'.repeat(4096);
    assert.deepEqual(compileExpressions({ ProjectionExpression: name }).projection!.attributes, [name]);
  });

  test('IN compares with at most 100 values', () => {
    const placeholders = (n: number) => Array.from({ length: n }, (_, i) => `:v${i}`);
    const input = (n: number, kind: 'ConditionExpression' | 'FilterExpression') => ({
      [kind]: `a IN (${placeholders(n).join(', ')})`,
      ExpressionAttributeValues: Object.fromEntries(placeholders(n).map((p, i) => [p, { N: String(i) }])),
    });
    const hundred = compileExpressions(input(100, 'FilterExpression'));
    assert.equal(hundred.filter!.test({ a: { N: '99' } }), true);
    assert.equal(compileError(input(101, 'FilterExpression')), 'Invalid FilterExpression: The IN operator is provided with too many operands; number of operands: 101');
    assert.equal(compileError(input(150, 'ConditionExpression')), 'Invalid ConditionExpression: The IN operator is provided with too many operands; number of operands: 150');
  });
});

describe('DynamoDB expressions: robustness', () => {
  test('random texts of expression tokens never crash: each compiles or fails with a ValidationException', () => {
    const pieces = ['a', 'b.c', '#n', ':v', ':w', '(', ')', '[0]', '[', ']', ',', '.', '=', '<>', '<', '<=', '>', '>=', '+', '-', 'AND', 'OR', 'NOT',
      'BETWEEN', 'IN', 'SET', 'REMOVE', 'ADD', 'DELETE', 'size(', 'attribute_exists(', 'begins_with(', 'contains(', 'if_not_exists(', 'list_append(', '!', '_', '"', '0', ' '];
    let seed = 12345;
    const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2147483648) % n);
    const kinds = ['ConditionExpression', 'UpdateExpression', 'ProjectionExpression', 'KeyConditionExpression', 'FilterExpression'] as const;
    let compiled = 0;
    for (let i = 0; i < 3000; i++) {
      const text = Array.from({ length: 1 + rand(9) }, () => pieces[rand(pieces.length)]).join(rand(2) ? ' ' : '');
      const kind = kinds[rand(kinds.length)];
      const input: ExpressionInput = { [kind]: text };
      if (text.includes('#n')) input.ExpressionAttributeNames = { '#n': 'n' };
      if (text.includes(':v') || text.includes(':w')) input.ExpressionAttributeValues = { ':v': { N: '1' }, ':w': { SS: ['x'] } };
      try {
        const c = compileExpressions(input);
        compiled++;
        const item: Item = { a: { N: '1' }, b: { M: { c: { L: [{ S: 'x' }] } } }, n: { SS: ['x'] } };
        c.condition?.test(item);
        c.filter?.test(item);
        c.projection?.project(item);
        try {
          c.update?.apply(item);
        } catch (e) {
          assert.ok(e instanceof AwsError && e.code === 'ValidationException', `${kind} ${JSON.stringify(text)} apply: ${String(e)}`);
        }
      } catch (e) {
        assert.ok(e instanceof AwsError && e.code === 'ValidationException', `${kind} ${JSON.stringify(text)}: ${String(e)}`);
      }
    }
    assert.ok(compiled > 10, `only ${compiled} texts compiled`);
  });
});

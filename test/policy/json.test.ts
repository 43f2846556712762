import { test } from 'node:test';
import assert from 'node:assert/strict';
import { JsonSyntaxError, parseJson } from '../../src/policy/index.js';

function syntaxError(text: string): JsonSyntaxError {
  try {
    parseJson(text);
  } catch (e) {
    assert.ok(e instanceof JsonSyntaxError);
    return e;
  }
  assert.fail(`accepted: ${text}`);
}

test('reads every JSON value with its position and path', () => {
  const node = parseJson('{\n  "a": [1, -2.5e3, true, false, null, "x\\u0041\\n"],\n  "b": {}\n}');
  assert.equal(node.type, 'object');
  if (node.type !== 'object') return;
  const a = node.entries[0];
  assert.equal(a.key, 'a');
  assert.deepEqual(a.keySpan.start, { line: 2, column: 3, offset: 4 });
  assert.equal(a.value.type, 'array');
  if (a.value.type !== 'array') return;
  const items = a.value.items;
  assert.deepEqual(items.map((i) => i.type), ['number', 'number', 'boolean', 'boolean', 'null', 'string']);
  assert.equal(items[1].type === 'number' && items[1].raw, '-2.5e3');
  assert.equal(items[1].type === 'number' && items[1].value, -2500);
  assert.equal(items[5].type === 'string' && items[5].value, 'xA\n');
  assert.deepEqual(items[5].path, ['a', 5]);
  assert.deepEqual(items[0].span.start, { line: 2, column: 9, offset: 10 });
  assert.deepEqual(items[0].span.end, { line: 2, column: 10, offset: 11 });
});

test('refuses what RFC 8259 refuses, pointing at the line and column', () => {
  const cases: [string, string, number, number][] = [
    ['{"a": [1, 2,]}', "trailing comma before ']'", 1, 12],
    ['{"a": 1,\n}', "trailing comma before '}'", 1, 8],
    ['{"a": 1 "b": 2}', "unexpected '\"', expected ',' or '}'", 1, 9],
    ["{'a': 1}", 'strings must use double quotes', 1, 2],
    ['{"a": tru}', "unexpected 't', expected a value", 1, 7],
    ['{"a": 01}', 'invalid number', 1, 8],
    ['{"a": "x\ny"}', 'unterminated string (line break inside a string)', 1, 9],
    ['{"a": "\\q"}', 'invalid escape \\q', 1, 8],
    ['{"a": 1} x', "unexpected 'x' after the end of the document", 1, 10],
    ['', 'empty document', 1, 1],
    ['{"a": 1, "a": 2}', 'duplicate key "a"', 1, 10],
    ['{"a": [1, 2}', "unexpected '}', expected ',' or ']'", 1, 12],
  ];
  for (const [text, reason, line, column] of cases) {
    const e = syntaxError(text);
    assert.equal(e.reason, reason, text);
    assert.equal(e.line, line, `${text}: line`);
    assert.equal(e.column, column, `${text}: column`);
  }
});

test('duplicate keys can be allowed by the caller', () => {
  assert.doesNotThrow(() => parseJson('{"a": 1, "a": 2}', { rejectDuplicateKeys: false }));
});

test('a leading byte order mark is skipped', () => {
  assert.equal(parseJson('\ufeff{}').type, 'object');
});

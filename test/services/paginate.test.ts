import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { paginate } from '../../src/services/iam/shared/paginate.js';
import { AwsError } from '../../src/protocol/errors.js';

const walk = <T>(all: T[], max: number, key?: (t: T) => string) => {
  const pages: T[][] = [];
  let marker: string | undefined;
  do {
    const { items, more } = paginate(all, { MaxItems: max, Marker: marker }, key);
    pages.push(items);
    assert.equal(more.IsTruncated, more.Marker !== undefined);
    marker = more.Marker;
  } while (marker);
  return pages;
};

describe('paginate', () => {
  test('by key: sorted, every item once, markers only while truncated', () => {
    const names = ['d', 'b', 'e', 'a', 'c'];
    assert.deepEqual(walk(names, 2, (n) => n), [['a', 'b'], ['c', 'd'], ['e']]);
    assert.deepEqual(walk(names, 5, (n) => n), [['a', 'b', 'c', 'd', 'e']]);
    assert.deepEqual(walk([] as string[], 3, (n) => n), [[]]);
  });

  test('by position: the items\' own order', () => {
    assert.deepEqual(walk([3, 1, 2], 2), [[3, 1], [2]]);
  });

  test('a key marker resumes after its key even if that item is gone', () => {
    const first = paginate(['a', 'b', 'c', 'd'], { MaxItems: 2 }, (n) => n);
    assert.deepEqual(first.items, ['a', 'b']);
    const rest = paginate(['a', 'c', 'd'], { MaxItems: 2, Marker: first.more.Marker }, (n) => n);
    assert.deepEqual(rest.items, ['c', 'd']);
  });

  test('defaults to 100 items', () => {
    const all = Array.from({ length: 250 }, (_, i) => i);
    const { items, more } = paginate(all, {});
    assert.equal(items.length, 100);
    assert.equal(more.IsTruncated, true);
  });

  test('markers fit the model\'s 320-character bound even for long keys', () => {
    const long = Array.from({ length: 3 }, (_, i) => `${i}${'é'.repeat(200)}`);
    const { more } = paginate(long, { MaxItems: 1 }, (s) => s);
    assert.ok(more.Marker && more.Marker.length <= 320);
    assert.deepEqual(paginate(long, { MaxItems: 5, Marker: more.Marker }, (s) => s).items, long.slice(1));
  });

  test('a marker we did not make is a ValidationError', () => {
    assert.throws(() => paginate(['a'], { Marker: 'garbage!' }, (s) => s), (e: unknown) => e instanceof AwsError && e.code === 'ValidationError');
    assert.throws(() => paginate([1], { Marker: Buffer.from('kfoo').toString('base64url') }), (e: unknown) => e instanceof AwsError && e.status === 400);
  });
});

/**
 * DynamoDB expressions benchmark: what compiling and running a request's expressions costs,
 * next to a baseline measured in the same run (JSON.parse + JSON.stringify of the same
 * request body, which every request already pays).
 *   - compile, cached: the texts repeat (the usual case: SDK code sends the same expressions)
 *   - compile, uncached: every text is new (worst case: texts built with literals inside)
 *   - condition test, update apply, projection on a 10-attribute item
 * Run: node dist/bench/dynamodb-expressions.js
 */
import { compileExpressions, type ExpressionInput } from '../src/services/dynamodb/expressions/index.js';
import type { Item } from '../src/services/dynamodb/values/attribute-values.js';

function rate(label: string, iterations: number, fn: (i: number) => unknown): number {
  for (let i = 0; i < Math.min(iterations / 10, 5000); i++) fn(i); // warm up
  const start = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) fn(i);
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const perSecond = iterations / seconds;
  console.log(`${label.padEnd(48)} ${Math.round(perSecond).toLocaleString('en-US').padStart(12)} /s  ${((seconds / iterations) * 1e6).toFixed(2).padStart(8)} µs`);
  return perSecond;
}

const request: ExpressionInput = {
  UpdateExpression: 'SET #n = if_not_exists(#n, :zero) + :one, updatedAt = :now, tags = list_append(tags, :tag) REMOVE draft ADD seen :who',
  ConditionExpression: 'attribute_exists(pk) AND (#s = :active OR begins_with(sk, :prefix)) AND size(tags) < :max',
  ExpressionAttributeNames: { '#n': 'count', '#s': 'status' },
  ExpressionAttributeValues: {
    ':zero': { N: '0' }, ':one': { N: '1' }, ':now': { S: '2026-12-02T19:00:00Z' }, ':tag': { L: [{ S: 't' }] },
    ':who': { SS: ['u1'] }, ':active': { S: 'active' }, ':prefix': { S: 'order#' }, ':max': { N: '100' },
  },
};
const body = JSON.stringify({ TableName: 'orders', Key: { pk: { S: 'customer#1' }, sk: { S: 'order#1' } }, ...request });

const item: Item = {
  pk: { S: 'customer#1' }, sk: { S: 'order#1' }, count: { N: '41' }, status: { S: 'active' }, updatedAt: { S: '2026-12-01T00:00:00Z' },
  tags: { L: [{ S: 'a' }, { S: 'b' }] }, draft: { BOOL: true }, seen: { SS: ['u0'] }, total: { N: '129.95' }, address: { M: { city: { S: 'Paris' } } },
};

const N = 200_000;
console.log(`DynamoDB expressions (${N.toLocaleString('en-US')} iterations each)`);
const baseline = rate('baseline: JSON.parse + stringify of the body', N, () => JSON.stringify(JSON.parse(body)));
const simple: ExpressionInput = { ConditionExpression: 'attribute_not_exists(pk)' };
rate('compileExpressions, PutItem-style condition', N * 5, () => compileExpressions(simple));
const cached = rate('compileExpressions, cached texts (2 expr, 8 values)', N, () => compileExpressions(request));
const uncached = rate('compileExpressions, every text new', N / 4, (i) =>
  compileExpressions({ ...request, ConditionExpression: `${request.ConditionExpression} AND v${i} <> :one` }),
);
const compiled = compileExpressions(request);
const { condition, update } = compiled;
rate('condition.test(item)', N * 5, () => condition!.test(item));
rate('update.apply(item)', N, () => update!.apply(item));
const projection = compileExpressions({ ProjectionExpression: 'pk, address.city, tags[1], sk' }).projection!;
rate('projection.project(item), nested paths', N * 5, () => projection.project(item));
console.log(`compile cached = ${(cached / baseline).toFixed(2)}× the baseline's rate; uncached = ${(uncached / baseline).toFixed(2)}×`);

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DecisionRing, RING_SIZE } from '../../src/console/decisions.js';

test('the decision ring keeps exactly the last RING_SIZE events, in order, and hands each one on', () => {
  const ring = new DecisionRing();
  let handedOn = 0;
  const sink = ring.tee(() => handedOn++);
  const total = RING_SIZE * 3 + 123;
  for (let i = 0; i < total; i++) {
    sink({ time: i, requestId: `r${i}`, principal: `arn:aws:iam::${i % 2 ? '111111111111' : '222222222222'}:user/u`, service: 'iam', operation: 'GetUser', decision: 'allowed', status: 200 });
  }
  assert.equal(handedOn, total);
  const one = ring.after(0, '111111111111');
  const two = ring.after(0, '222222222222');
  assert.equal(one.length + two.length, RING_SIZE);
  const seqs = [...one, ...two].map((e) => e.seq).sort((a, b) => a - b);
  assert.equal(seqs[0], total - RING_SIZE + 1);
  assert.equal(seqs[seqs.length - 1], total);
  assert.deepEqual(ring.after(total - 3, '111111111111').map((e) => e.seq), [total - 1]); // seq i + 1: odd i is account 1111…
});

test('the ring keeps an event\'s decision fields, not what the pipeline hangs on it (a request\'s input and output stay collectable)', () => {
  const ring = new DecisionRing();
  const extra = Symbol('extra');
  const event = { time: 1, requestId: 'r1', principal: 'arn:aws:iam::111111111111:user/u', service: 'dynamodb', operation: 'GetItem', decision: 'allowed' as const, status: 200, action: 'dynamodb:GetItem', resource: 'arn:aws:dynamodb:us-east-1:111111111111:table/t', [extra]: { input: 'large' } };
  ring.tee(() => {})(event);
  const [kept] = ring.after(0, '111111111111');
  assert.equal(Object.getOwnPropertySymbols(kept).length, 0);
  assert.deepEqual(JSON.parse(JSON.stringify(kept)), {
    time: 1, requestId: 'r1', principal: 'arn:aws:iam::111111111111:user/u', service: 'dynamodb', operation: 'GetItem', decision: 'allowed', status: 200,
    action: 'dynamodb:GetItem', resource: 'arn:aws:dynamodb:us-east-1:111111111111:table/t', seq: 1,
  });
});

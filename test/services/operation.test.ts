import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defineService, operation } from '../../src/services/operation.js';
import { SERVICES } from '../../src/services/index.js';
import { operationNames } from '../../src/protocol/index.js';
import { openTestStore } from './context.js';

const noop = operation({ writes: false, authorize: () => null, run: () => ({}) });

test('a service collects the operations its modules export, under their export names', () => {
  const def = defineService('iam', [{ GetUser: noop, helper: () => 1, SOME_CONSTANT: 3 }, { ListUsers: noop }]);
  assert.deepEqual(Object.keys(def.operations).sort(), ['GetUser', 'ListUsers']);
});

test('an operation defined twice stops the service at start-up instead of silently shadowing', () => {
  assert.throws(() => defineService('iam', [{ GetUser: noop }, { GetUser: noop }]), /GetUser is defined twice/);
});

test('an operation the model does not have is refused when the operations are first looked at', () => {
  const def = defineService('iam', [{ GetUsr: noop }]);
  assert.throws(() => def.operations, /GetUsr is not an operation of the iam model/);
  assert.throws(() => def.operations, /GetUsr is not an operation of the iam model/);
});

test('every operation of every served service is in its model', () => {
  for (const def of Object.values(SERVICES)) {
    const known = new Set(operationNames(def!.name));
    for (const name of Object.keys(def!.operations)) assert.ok(known.has(name), `${def!.name}:${name}`);
  }
});

test('a write statement inside a read-declared operation throws, and writes nothing', () => {
  const t = openTestStore();
  try {
    const before = t.store.prepare<{ n: number }>('SELECT count(*) AS n FROM users').get()!.n;
    assert.throws(
      () => t.store.read(() => t.store.prepare("INSERT INTO users (account_id, user_id, user_name, path, created_at) VALUES ('123456789012', 'AIDAX', 'x', '/', 0)").run()),
      /write statement ran inside a read-only operation/,
    );
    assert.equal(t.store.prepare<{ n: number }>('SELECT count(*) AS n FROM users').get()!.n, before);
    // The same statement is fine in a write.
    t.store.tx(() => t.store.prepare("INSERT INTO users (account_id, user_id, user_name, path, created_at) VALUES ('123456789012', 'AIDAX', 'x', '/', 0)").run());
  } finally {
    t.dispose();
  }
});

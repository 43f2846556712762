import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DeleteItemCommand, GetItemCommand, PutItemCommand, UpdateItemCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { rejects } from '../helpers/aws.js';
import { createTable, ddb } from './dynamodb-support.js';

/** Put/Get/Update/DeleteItem: every type, conditions, ReturnValues, keys and limits as DynamoDB checks them. */
let server: TestServer;
const T = 'Items';

before(async () => {
  server = await startTestServer();
  await createTable(ddb(server), T, ['pk', 'S'], ['sk', 'N']);
  await createTable(ddb(server), 'Binary', ['id', 'B']);
});
after(async () => {
  await server.stop();
});

const key = (pk: string, sk: string) => ({ pk: { S: pk }, sk: { N: sk } });

describe('DynamoDB items', () => {
  test('every type round-trips; numbers keep 38 digits and come back canonical', async () => {
    const c = ddb(server);
    const item: Record<string, AttributeValue> = {
      ...key('types', '1'),
      s: { S: 'héllo ✓' },
      big: { N: '12345678901234567890123456789012345678' },
      tiny: { N: '-0.000000000000000000000000000000000000001' },
      padded: { N: '001.50' },
      b: { B: new Uint8Array([0, 1, 254, 255]) },
      t: { BOOL: true },
      nul: { NULL: true },
      m: { M: { inner: { L: [{ S: 'x' }, { N: '2' }, { M: {} }, { M: { deep: { B: new Uint8Array([7, 8]) } } }] } } },
      ss: { SS: ['a', 'b'] },
      ns: { NS: ['1', '2.5'] },
      bs: { BS: [new Uint8Array([1]), new Uint8Array([2])] },
    };
    await c.send(new PutItemCommand({ TableName: T, Item: item }));
    const { Item } = await c.send(new GetItemCommand({ TableName: T, Key: key('types', '1.0'), ConsistentRead: true }));
    assert.equal(Item?.s.S, 'héllo ✓');
    assert.equal(Item?.big.N, '12345678901234567890123456789012345678');
    assert.equal(Item?.tiny.N, '-0.000000000000000000000000000000000000001');
    assert.equal(Item?.padded.N, '1.5');
    assert.deepEqual([...Item!.b.B!], [0, 1, 254, 255]);
    assert.equal(Item?.t.BOOL, true);
    assert.equal(Item?.nul.NULL, true);
    assert.equal(Item?.m.M?.inner.L?.[1].N, '2');
    assert.deepEqual([...Item!.m.M!.inner.L![3].M!.deep.B!], [7, 8]);
    assert.deepEqual(Item?.ss.SS?.sort(), ['a', 'b']);
    assert.deepEqual(Item?.bs.BS?.map((b) => b[0]).sort(), [1, 2]);
    await rejects(c.send(new PutItemCommand({ TableName: T, Item: { ...key('types', '2'), n: { N: '1234567890123456789012345678901234567890' } } })),
      'ValidationException', 'Attempting to store more than 38 significant digits in a Number');
  });

  test('binary keys', async () => {
    const c = ddb(server);
    await c.send(new PutItemCommand({ TableName: 'Binary', Item: { id: { B: new Uint8Array([9, 9]) }, v: { S: 'bin' } } }));
    const { Item } = await c.send(new GetItemCommand({ TableName: 'Binary', Key: { id: { B: new Uint8Array([9, 9]) } } }));
    assert.equal(Item?.v.S, 'bin');
  });

  test('keys are checked against the schema, with DynamoDB’s messages', async () => {
    const c = ddb(server);
    const mismatch = 'The provided key element does not match the schema';
    await rejects(c.send(new GetItemCommand({ TableName: T, Key: { pk: { S: 'x' } } })), 'ValidationException', mismatch);
    await rejects(c.send(new GetItemCommand({ TableName: T, Key: { pk: { S: 'x' }, sk: { S: '1' } } })), 'ValidationException', mismatch);
    await rejects(c.send(new GetItemCommand({ TableName: T, Key: { ...key('x', '1'), extra: { S: 'y' } } })), 'ValidationException', mismatch);
    await rejects(c.send(new PutItemCommand({ TableName: T, Item: { pk: { S: 'x' } } })), 'ValidationException', 'One or more parameter values were invalid: Missing the key sk in the item');
    await rejects(c.send(new PutItemCommand({ TableName: T, Item: { pk: { N: '1' }, sk: { N: '1' } } })), 'ValidationException',
      'One or more parameter values were invalid: Type mismatch for key pk expected: S actual: N');
    await rejects(c.send(new PutItemCommand({ TableName: T, Item: { pk: { S: '' }, sk: { N: '1' } } })), 'ValidationException',
      'One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: pk');
    await rejects(c.send(new GetItemCommand({ TableName: 'Nope', Key: key('x', '1') })), 'ResourceNotFoundException', 'Requested resource not found', 400);
    await rejects(c.send(new PutItemCommand({ TableName: T, Item: { ...key('x', '1'), e: { S: 'a', N: '1' } as unknown as AttributeValue } })), 'ValidationException',
      'Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes');
  });

  test('the 400 KB item limit', async () => {
    const c = ddb(server);
    await c.send(new PutItemCommand({ TableName: T, Item: { ...key('size', '1'), blob: { S: 'x'.repeat(400 * 1024 - 100) } } }));
    await rejects(c.send(new PutItemCommand({ TableName: T, Item: { ...key('size', '2'), blob: { S: 'x'.repeat(400 * 1024) } } })),
      'ValidationException', 'Item size has exceeded the maximum allowed size');
    await rejects(c.send(new UpdateItemCommand({
      TableName: T, Key: key('size', '1'), UpdateExpression: 'SET more = :m', ExpressionAttributeValues: { ':m': { S: 'y'.repeat(1000) } },
    })), 'ValidationException', 'Item size to update has exceeded the maximum allowed size');
  });

  test('PutItem and DeleteItem: ConditionExpression, ReturnValues, ConditionalCheckFailedException with the item', async () => {
    const c = ddb(server);
    const put = (v: string, extra = {}) => c.send(new PutItemCommand({ TableName: T, Item: { ...key('cond', '1'), v: { S: v } }, ...extra }));
    await put('one', { ConditionExpression: 'attribute_not_exists(pk)' });
    await rejects(put('two', { ConditionExpression: 'attribute_not_exists(pk)' }), 'ConditionalCheckFailedException', 'The conditional request failed', 400);
    await assert.rejects(put('two', { ConditionExpression: 'attribute_not_exists(pk)', ReturnValuesOnConditionCheckFailure: 'ALL_OLD' }), (e: any) => {
      assert.equal(e.name, 'ConditionalCheckFailedException');
      assert.equal(e.Item?.v?.S, 'one');
      return true;
    });
    const replaced = await put('two', { ConditionExpression: 'v = :v', ExpressionAttributeValues: { ':v': { S: 'one' } }, ReturnValues: 'ALL_OLD' });
    assert.equal(replaced.Attributes?.v.S, 'one');
    await rejects(put('x', { ReturnValues: 'ALL_NEW' }), 'ValidationException', 'ReturnValues can only be ALL_OLD or NONE');
    await rejects(put('x', { ConditionExpression: 'v = :v', ExpressionAttributeValues: { ':v': { S: 'a' }, ':unused': { S: 'b' } } }),
      'ValidationException', 'Value provided in ExpressionAttributeValues unused in expressions: keys: {:unused}');
    await rejects(c.send(new DeleteItemCommand({ TableName: T, Key: key('cond', '1'), ConditionExpression: 'v = :v', ExpressionAttributeValues: { ':v': { S: 'one' } } })),
      'ConditionalCheckFailedException');
    const gone = await c.send(new DeleteItemCommand({ TableName: T, Key: key('cond', '1'), ReturnValues: 'ALL_OLD' }));
    assert.equal(gone.Attributes?.v.S, 'two');
    assert.equal((await c.send(new GetItemCommand({ TableName: T, Key: key('cond', '1') }))).Item, undefined);
    const none = await c.send(new DeleteItemCommand({ TableName: T, Key: key('cond', '1'), ReturnValues: 'ALL_OLD' }));
    assert.equal(none.Attributes, undefined, 'deleting nothing succeeds');
  });

  test('UpdateItem: SET/REMOVE/ADD/DELETE, if_not_exists, list_append, ReturnValues', async () => {
    const c = ddb(server);
    const k = key('upd', '1');
    const created = await c.send(new UpdateItemCommand({
      TableName: T, Key: k, UpdateExpression: 'SET #n = :n, visits = if_not_exists(visits, :one), tags = :t ADD colours :c',
      ExpressionAttributeNames: { '#n': 'name' },
      ExpressionAttributeValues: { ':n': { S: 'ana' }, ':one': { N: '1' }, ':t': { L: [{ S: 'a' }] }, ':c': { SS: ['red', 'blue'] } },
      ReturnValues: 'ALL_NEW',
    }));
    assert.equal(created.Attributes?.name.S, 'ana');
    assert.equal(created.Attributes?.visits.N, '1');
    assert.deepEqual(created.Attributes?.tags.L, [{ S: 'a' }]);
    const again = await c.send(new UpdateItemCommand({
      TableName: T, Key: k, UpdateExpression: 'SET visits = visits + :one, tags = list_append(tags, :more) REMOVE #n DELETE colours :red',
      ExpressionAttributeNames: { '#n': 'name' }, ExpressionAttributeValues: { ':one': { N: '1' }, ':red': { SS: ['red'] }, ':more': { L: [{ S: 'b' }] } }, ReturnValues: 'UPDATED_OLD',
    }));
    assert.deepEqual(Object.keys(again.Attributes!).sort(), ['colours', 'name', 'tags', 'visits']);
    assert.equal(again.Attributes?.visits.N, '1');
    const { Item } = await c.send(new GetItemCommand({ TableName: T, Key: k, ProjectionExpression: 'visits, colours, tags[1]' }));
    assert.deepEqual(Item, { visits: { N: '2' }, colours: { SS: ['blue'] }, tags: { L: [{ S: 'b' }] } });
    const updatedNew = await c.send(new UpdateItemCommand({ TableName: T, Key: k, UpdateExpression: 'ADD visits :ten', ExpressionAttributeValues: { ':ten': { N: '10' } }, ReturnValues: 'UPDATED_NEW' }));
    assert.deepEqual(updatedNew.Attributes, { visits: { N: '12' } });
    await rejects(c.send(new UpdateItemCommand({ TableName: T, Key: k, UpdateExpression: 'SET pk = :x', ExpressionAttributeValues: { ':x': { S: 'y' } } })),
      'ValidationException', /Cannot update attribute pk. This attribute is part of the key/);
    await rejects(c.send(new UpdateItemCommand({ TableName: T, Key: k, UpdateExpression: 'SET a = :x', ConditionExpression: 'visits > :big', ExpressionAttributeValues: { ':x': { S: 'y' }, ':big': { N: '100' } } })),
      'ConditionalCheckFailedException');
    await rejects(c.send(new UpdateItemCommand({ TableName: T, Key: k, UpdateExpression: 'SET size = :x', ExpressionAttributeValues: { ':x': { S: 'y' } } })),
      'ValidationException', /reserved keyword/);
  });

  test('UpdateItem on a missing item creates it with its key (SET, ADD; ReturnValues ALL_NEW, UPDATED_NEW, ALL_OLD), unless the update only removes', async () => {
    const c = ddb(server);
    const set = await c.send(new UpdateItemCommand({
      TableName: T, Key: key('new', '1'), UpdateExpression: 'SET a = :a, b = if_not_exists(b, :a)', ExpressionAttributeValues: { ':a': { S: 'x' } }, ReturnValues: 'ALL_NEW',
    }));
    assert.deepEqual(set.Attributes, { pk: { S: 'new' }, sk: { N: '1' }, a: { S: 'x' }, b: { S: 'x' } });
    const add = await c.send(new UpdateItemCommand({
      TableName: T, Key: key('new', '2'), UpdateExpression: 'ADD n :five, s :tags', ExpressionAttributeValues: { ':five': { N: '5' }, ':tags': { SS: ['t'] } }, ReturnValues: 'UPDATED_NEW',
    }));
    // UPDATED_NEW: only what the update wrote, not the key it was created with.
    assert.deepEqual(add.Attributes, { n: { N: '5' }, s: { SS: ['t'] } });
    assert.deepEqual((await c.send(new GetItemCommand({ TableName: T, Key: key('new', '2'), ConsistentRead: true }))).Item, { pk: { S: 'new' }, sk: { N: '2' }, n: { N: '5' }, s: { SS: ['t'] } });
    // Nothing was there before: ALL_OLD and UPDATED_OLD return no Attributes.
    const old = await c.send(new UpdateItemCommand({ TableName: T, Key: key('new', '3'), UpdateExpression: 'SET a = :a', ExpressionAttributeValues: { ':a': { N: '1' } }, ReturnValues: 'ALL_OLD' }));
    assert.equal(old.Attributes, undefined);
    const updatedOld = await c.send(new UpdateItemCommand({ TableName: T, Key: key('new', '4'), UpdateExpression: 'ADD n :a', ExpressionAttributeValues: { ':a': { N: '1' } }, ReturnValues: 'UPDATED_OLD' }));
    assert.equal(updatedOld.Attributes, undefined);
    // An update that only removes creates nothing; one that does nothing creates the key alone.
    const removed = await c.send(new UpdateItemCommand({ TableName: T, Key: key('new', '5'), UpdateExpression: 'REMOVE gone DELETE s :tags', ExpressionAttributeValues: { ':tags': { SS: ['t'] } }, ReturnValues: 'ALL_NEW' }));
    assert.equal(removed.Attributes, undefined);
    assert.equal((await c.send(new GetItemCommand({ TableName: T, Key: key('new', '5'), ConsistentRead: true }))).Item, undefined);
    await c.send(new UpdateItemCommand({ TableName: T, Key: key('new', '6'), AttributeUpdates: { gone: { Action: 'DELETE' } } }));
    assert.equal((await c.send(new GetItemCommand({ TableName: T, Key: key('new', '6'), ConsistentRead: true }))).Item, undefined);
    await c.send(new UpdateItemCommand({ TableName: T, Key: key('new', '7'), AttributeUpdates: {} }));
    assert.deepEqual((await c.send(new GetItemCommand({ TableName: T, Key: key('new', '7'), ConsistentRead: true }))).Item, key('new', '7'));
  });

  test('UpdateItem: list_append(if_not_exists(#l, :empty), :new) creates the list, then appends; a nested list_append is refused', async () => {
    const c = ddb(server);
    const k = key('append', '1');
    const append = (value: string) => c.send(new UpdateItemCommand({
      TableName: T, Key: k, UpdateExpression: 'SET #l = list_append(if_not_exists(#l, :empty), :new)',
      ExpressionAttributeNames: { '#l': 'log' }, ExpressionAttributeValues: { ':empty': { L: [] }, ':new': { L: [{ S: value }] } }, ReturnValues: 'UPDATED_NEW',
    }));
    assert.deepEqual((await append('first')).Attributes, { log: { L: [{ S: 'first' }] } });
    assert.deepEqual((await append('second')).Attributes, { log: { L: [{ S: 'first' }, { S: 'second' }] } });
    await rejects(c.send(new UpdateItemCommand({
      TableName: T, Key: k, UpdateExpression: 'SET #l = list_append(list_append(#l, :new), :new)',
      ExpressionAttributeNames: { '#l': 'log' }, ExpressionAttributeValues: { ':new': { L: [{ S: 'x' }] } },
    })), 'ValidationException', 'Invalid UpdateExpression: The function is not allowed to be used this way in an expression; function: list_append');
    assert.equal((await c.send(new GetItemCommand({ TableName: T, Key: k, ConsistentRead: true }))).Item?.log.L?.length, 2);
  });

  test('a condition with IN over more than 100 values is refused with DynamoDB’s message', async () => {
    const c = ddb(server);
    const values = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`:v${i}`, { N: String(i) }]));
    const condition = (n: number) => `attribute_not_exists(pk) OR n IN (${Object.keys(values(n)).join(',')})`;
    await c.send(new PutItemCommand({ TableName: T, Item: { ...key('in', '1'), n: { N: '99' } }, ConditionExpression: condition(100), ExpressionAttributeValues: values(100) }));
    await rejects(c.send(new PutItemCommand({ TableName: T, Item: { ...key('in', '1'), n: { N: '1' } }, ConditionExpression: condition(101), ExpressionAttributeValues: values(101) })),
      'ValidationException', 'Invalid ConditionExpression: The IN operator is provided with too many operands; number of operands: 101');
    assert.equal((await c.send(new GetItemCommand({ TableName: T, Key: key('in', '1'), ConsistentRead: true }))).Item?.n.N, '99');
  });

  test('the legacy parameters: Expected, AttributeUpdates, AttributesToGet', async () => {
    const c = ddb(server);
    const k = key('legacy', '1');
    await c.send(new PutItemCommand({ TableName: T, Item: { ...k, v: { N: '1' }, w: { S: 'x' } }, Expected: { pk: { Exists: false } } }));
    await rejects(c.send(new PutItemCommand({ TableName: T, Item: k, Expected: { pk: { Exists: false } } })), 'ConditionalCheckFailedException');
    await c.send(new UpdateItemCommand({ TableName: T, Key: k, AttributeUpdates: { v: { Action: 'ADD', Value: { N: '2' } }, w: { Action: 'DELETE' } } }));
    const { Item } = await c.send(new GetItemCommand({ TableName: T, Key: k, AttributesToGet: ['v', 'w'] }));
    assert.deepEqual(Item, { v: { N: '3' } });
    await rejects(c.send(new GetItemCommand({ TableName: T, Key: k, AttributesToGet: ['v'], ProjectionExpression: 'v' })), 'ValidationException',
      /Can not use both expression and non-expression parameters in the same request/);
  });

  test('responses carry X-Amz-Crc32 over the body, and ConsumedCapacity when asked', async () => {
    const c = ddb(server);
    await c.send(new PutItemCommand({ TableName: T, Item: { ...key('cap', '1'), v: { S: 'x'.repeat(5000) } } }));
    const got = await c.send(new GetItemCommand({ TableName: T, Key: key('cap', '1'), ReturnConsumedCapacity: 'TOTAL' }));
    assert.equal(got.ConsumedCapacity?.TableName, T);
    assert.equal(got.ConsumedCapacity?.CapacityUnits, 1, '5 KB eventually consistent: two 4 KB units, halved');
    const strong = await c.send(new GetItemCommand({ TableName: T, Key: key('cap', '1'), ReturnConsumedCapacity: 'INDEXES', ConsistentRead: true }));
    assert.equal(strong.ConsumedCapacity?.CapacityUnits, 2);
    assert.equal(strong.ConsumedCapacity?.Table?.CapacityUnits, 2);
    const wrote = await c.send(new PutItemCommand({ TableName: T, Item: { ...key('cap', '2'), v: { S: 'x'.repeat(1500) } }, ReturnConsumedCapacity: 'TOTAL' }));
    assert.equal(wrote.ConsumedCapacity?.CapacityUnits, 2);
    // The SDK checks X-Amz-Crc32 itself; check the header is there and right.
    const { crc32 } = await import('node:zlib') as unknown as { crc32?: (b: Buffer) => number };
    const res = await fetch(server.url, { method: 'POST', headers: { 'x-amz-target': 'DynamoDB_20120810.ListTables', 'content-type': 'application/x-amz-json-1.0' }, body: '{}' });
    const body = Buffer.from(await res.arrayBuffer());
    assert.ok(res.headers.get('x-amz-crc32'));
    if (crc32) assert.equal(res.headers.get('x-amz-crc32'), String(crc32(body)));
  });

  test('PutItem replaces an item whole whether or not it reads the old one; capacity counts the larger of the two sizes', async () => {
    const c = ddb(server);
    const k = key('replace', '1');
    await c.send(new PutItemCommand({ TableName: T, Item: { ...k, big: { S: 'x'.repeat(3000) }, gone: { S: 'soon' } } }));
    // No condition, no ReturnValues, no capacity asked: the old item is replaced unread.
    await c.send(new PutItemCommand({ TableName: T, Item: { ...k, small: { S: 'y' } } }));
    assert.deepEqual((await c.send(new GetItemCommand({ TableName: T, Key: k, ConsistentRead: true }))).Item, { ...k, small: { S: 'y' } });
    await c.send(new PutItemCommand({ TableName: T, Item: { ...k, big: { S: 'x'.repeat(3000) } } }));
    const wrote = await c.send(new PutItemCommand({ TableName: T, Item: { ...k, small: { S: 'z' } }, ReturnConsumedCapacity: 'TOTAL' }));
    assert.equal(wrote.ConsumedCapacity?.CapacityUnits, 3, 'the 3 KB item it replaced, not the small one written');
    const old = await c.send(new PutItemCommand({ TableName: T, Item: { ...k, small: { S: 'w' } }, ReturnValues: 'ALL_OLD' }));
    assert.deepEqual(old.Attributes, { ...k, small: { S: 'z' } });
  });

  test('malformed requests get DynamoDB’s errors, never a 500', async () => {
    const post = (target: string, body: string) => fetch(server.url, { method: 'POST', headers: { 'x-amz-target': `DynamoDB_20120810.${target}`, 'content-type': 'application/x-amz-json-1.0' }, body });
    for (const [target, body] of [['PutItem', '{"TableName":'], ['PutItem', '{"TableName":"Items","Item":{"pk":{"X":"1"}}}'], ['GetItem', '{"TableName":5}'], ['Nope', '{}']] as const) {
      const res = await post(target, body);
      assert.ok(res.status >= 400 && res.status < 500, `${target} ${body}: ${res.status}`);
      const json = await res.json() as { __type: string };
      assert.match(json.__type, /#/);
    }
  });
});

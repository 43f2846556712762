import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  BatchGetItemCommand, BatchWriteItemCommand, CreateTableCommand, GetItemCommand, PutItemCommand, QueryCommand, ScanCommand,
  TransactGetItemsCommand, TransactWriteItemsCommand, UpdateTimeToLiveCommand, paginateQuery, paginateScan, type AttributeValue,
} from '@aws-sdk/client-dynamodb';
import { clientConfig, type TestServer } from '../helpers/server.js';
import { rejects } from '../helpers/aws.js';
import { advance, startClockServer, TestClock } from './sts-support.js';
import { createTable, ddb } from './dynamodb-support.js';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';

/** Query and Scan over the store's key order, batches, transactions, and TTL by the server clock. */
let server: TestServer;
const clock = new TestClock();
const client = () => new DynamoDBClient({ ...clientConfig(server), systemClockOffset: clock.offsetMs });

before(async () => {
  server = await startClockServer();
  const c = ddb(server);
  await c.send(new CreateTableCommand({
    TableName: 'Scores', BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [
      { AttributeName: 'player', AttributeType: 'S' }, { AttributeName: 'score', AttributeType: 'N' },
      { AttributeName: 'game', AttributeType: 'S' }, { AttributeName: 'at', AttributeType: 'S' },
    ],
    KeySchema: [{ AttributeName: 'player', KeyType: 'HASH' }, { AttributeName: 'score', KeyType: 'RANGE' }],
    GlobalSecondaryIndexes: [{ IndexName: 'by-game', KeySchema: [{ AttributeName: 'game', KeyType: 'HASH' }, { AttributeName: 'score', KeyType: 'RANGE' }], Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['level'] } }],
    LocalSecondaryIndexes: [{ IndexName: 'by-time', KeySchema: [{ AttributeName: 'player', KeyType: 'HASH' }, { AttributeName: 'at', KeyType: 'RANGE' }], Projection: { ProjectionType: 'KEYS_ONLY' } }],
  }));
  const scores = ['-10', '-1.5', '0', '2', '10', '100', '1e3'];
  const puts = scores.map((s, i) => ({ PutRequest: { Item: {
    player: { S: 'ana' }, score: { N: s }, game: { S: i % 2 ? 'chess' : 'go' }, at: { S: `2026-01-0${i + 1}` }, level: { N: String(i) }, note: { S: `n${i}` },
  } } }));
  await c.send(new BatchWriteItemCommand({ RequestItems: { Scores: puts } }));
  await createTable(c, 'Accounts', ['id', 'S']);
});
after(async () => {
  await server.stop();
});

const scoresOf = (items?: Array<Record<string, AttributeValue>>) => items?.map((i) => i.score.N!);

describe('DynamoDB Query and Scan', () => {
  test('Query orders numbers numerically, both ways, with every sort key condition', async () => {
    const c = ddb(server);
    const q = async (cond: string, values: Record<string, AttributeValue>, forward = true) =>
      scoresOf((await c.send(new QueryCommand({ TableName: 'Scores', KeyConditionExpression: `player = :p${cond ? ` AND ${cond}` : ''}`, ExpressionAttributeValues: { ':p': { S: 'ana' }, ...values }, ScanIndexForward: forward }))).Items);
    assert.deepEqual(await q('', {}), ['-10', '-1.5', '0', '2', '10', '100', '1000']);
    assert.deepEqual(await q('', {}, false), ['1000', '100', '10', '2', '0', '-1.5', '-10']);
    assert.deepEqual(await q('score < :x', { ':x': { N: '0' } }), ['-10', '-1.5']);
    assert.deepEqual(await q('score <= :x', { ':x': { N: '0' } }), ['-10', '-1.5', '0']);
    assert.deepEqual(await q('score > :x', { ':x': { N: '10' } }), ['100', '1000']);
    assert.deepEqual(await q('score >= :x', { ':x': { N: '10.0' } }), ['10', '100', '1000']);
    assert.deepEqual(await q('score = :x', { ':x': { N: '2.00' } }), ['2']);
    assert.deepEqual(await q('score BETWEEN :a AND :b', { ':a': { N: '-2' }, ':b': { N: '10' } }), ['-1.5', '0', '2', '10']);
    assert.deepEqual(await q('', { }, true).then((x) => x?.length), 7);
    await rejects(c.send(new QueryCommand({ TableName: 'Scores', KeyConditionExpression: 'score = :x', ExpressionAttributeValues: { ':x': { N: '1' } } })),
      'ValidationException', 'Query condition missed key schema element: player');
    await rejects(c.send(new QueryCommand({ TableName: 'Scores', KeyConditionExpression: 'player = :p', ExpressionAttributeValues: { ':p': { N: '1' } } })),
      'ValidationException', 'One or more parameter values were invalid: Condition parameter type does not match schema type');
  });

  test('begins_with on a string sort key; FilterExpression after Limit; Select COUNT', async () => {
    const c = ddb(server);
    const byTime = await c.send(new QueryCommand({ TableName: 'Scores', IndexName: 'by-time', KeyConditionExpression: 'player = :p AND begins_with(#at, :d)', ExpressionAttributeNames: { '#at': 'at' }, ExpressionAttributeValues: { ':p': { S: 'ana' }, ':d': { S: '2026-01-0' } } }));
    assert.equal(byTime.Count, 7);
    assert.deepEqual(Object.keys(byTime.Items![0]).sort(), ['at', 'player', 'score'], 'KEYS_ONLY: the table’s and the index’s keys');
    const filtered = await c.send(new QueryCommand({ TableName: 'Scores', KeyConditionExpression: 'player = :p', FilterExpression: 'game = :g', ExpressionAttributeValues: { ':p': { S: 'ana' }, ':g': { S: 'go' } }, Limit: 3 }));
    assert.equal(filtered.ScannedCount, 3);
    assert.equal(filtered.Count, 2);
    assert.deepEqual(filtered.LastEvaluatedKey, { player: { S: 'ana' }, score: { N: '0' } });
    const counted = await c.send(new QueryCommand({ TableName: 'Scores', KeyConditionExpression: 'player = :p', ExpressionAttributeValues: { ':p': { S: 'ana' } }, Select: 'COUNT' }));
    assert.equal(counted.Count, 7);
    assert.equal(counted.Items, undefined);
    const projected = await c.send(new QueryCommand({ TableName: 'Scores', KeyConditionExpression: 'player = :p', ExpressionAttributeValues: { ':p': { S: 'ana' } }, ProjectionExpression: 'note', Limit: 1 }));
    assert.deepEqual(projected.Items, [{ note: { S: 'n0' } }]);
  });

  test('pagination: ExclusiveStartKey/LastEvaluatedKey over the table and a GSI, the SDK paginator', async () => {
    const c = ddb(server);
    const seen: string[] = [];
    for await (const page of paginateQuery({ client: c, pageSize: 2 }, { TableName: 'Scores', KeyConditionExpression: 'player = :p', ExpressionAttributeValues: { ':p': { S: 'ana' } } })) {
      seen.push(...scoresOf(page.Items)!);
    }
    assert.deepEqual(seen, ['-10', '-1.5', '0', '2', '10', '100', '1000']);
    const gsi: string[] = [];
    let start: Record<string, AttributeValue> | undefined;
    do {
      const page = await c.send(new QueryCommand({ TableName: 'Scores', IndexName: 'by-game', KeyConditionExpression: 'game = :g', ExpressionAttributeValues: { ':g': { S: 'go' } }, Limit: 1, ExclusiveStartKey: start, ScanIndexForward: false }));
      gsi.push(...scoresOf(page.Items)!);
      if (page.LastEvaluatedKey) assert.deepEqual(Object.keys(page.LastEvaluatedKey).sort(), ['game', 'player', 'score']);
      start = page.LastEvaluatedKey;
    } while (start);
    assert.deepEqual(gsi, ['1000', '10', '0', '-10']);
    await rejects(c.send(new QueryCommand({ TableName: 'Scores', IndexName: 'by-game', KeyConditionExpression: 'game = :g', ExpressionAttributeValues: { ':g': { S: 'go' } }, Select: 'ALL_ATTRIBUTES' })),
      'ValidationException', 'One or more parameter values were invalid: Select type ALL_ATTRIBUTES is not supported for global secondary index by-game because its projection type is not ALL');
    await rejects(c.send(new QueryCommand({ TableName: 'Scores', IndexName: 'by-game', ConsistentRead: true, KeyConditionExpression: 'game = :g', ExpressionAttributeValues: { ':g': { S: 'go' } } })),
      'ValidationException', 'Consistent reads are not supported on global secondary indexes');
    // An LSI fetches unprojected attributes from the table when asked for all of them.
    const all = await c.send(new QueryCommand({ TableName: 'Scores', IndexName: 'by-time', KeyConditionExpression: 'player = :p', ExpressionAttributeValues: { ':p': { S: 'ana' } }, Select: 'ALL_ATTRIBUTES', Limit: 1 }));
    assert.equal(all.Items?.[0].note.S, 'n0');
  });

  test('Scan, and a parallel Scan whose segments cover the table exactly once', async () => {
    const c = ddb(server);
    for (let i = 0; i < 40; i++) await c.send(new PutItemCommand({ TableName: 'Accounts', Item: { id: { S: `acct-${i}` }, n: { N: String(i) } } }));
    const whole: string[] = [];
    for await (const page of paginateScan({ client: c, pageSize: 7 }, { TableName: 'Accounts' })) whole.push(...page.Items!.map((i) => i.id.S!));
    assert.equal(whole.length, 40);
    assert.equal(new Set(whole).size, 40);
    const segments = await Promise.all([0, 1, 2].map(async (Segment) => {
      const ids: string[] = [];
      for await (const page of paginateScan({ client: c, pageSize: 5 }, { TableName: 'Accounts', Segment, TotalSegments: 3 })) ids.push(...page.Items!.map((i) => i.id.S!));
      return ids;
    }));
    assert.deepEqual(segments.flat().sort(), [...whole].sort());
    assert.ok(segments.every((s) => s.length > 0), 'each segment holds some partitions');
    const filtered = await c.send(new ScanCommand({ TableName: 'Accounts', FilterExpression: 'n >= :x', ExpressionAttributeValues: { ':x': { N: '35' } } }));
    assert.equal(filtered.Count, 5);
    assert.equal(filtered.ScannedCount, 40);
    await rejects(c.send(new ScanCommand({ TableName: 'Accounts', Segment: 3, TotalSegments: 3 })), 'ValidationException',
      'The Segment parameter is zero-based and must be less than parameter TotalSegments: Segment: 3 is not less than TotalSegments: 3');
  });
});

describe('DynamoDB batches', () => {
  test('BatchGetItem across tables: Responses per table, an empty UnprocessedKeys, limits and duplicates refused', async () => {
    const c = ddb(server);
    const got = await c.send(new BatchGetItemCommand({ RequestItems: {
      Scores: { Keys: [{ player: { S: 'ana' }, score: { N: '2' } }, { player: { S: 'ana' }, score: { N: '404' } }], ProjectionExpression: 'note' },
      Accounts: { Keys: [{ id: { S: 'acct-1' } }] },
    } }));
    assert.deepEqual(got.Responses?.Scores, [{ note: { S: 'n3' } }]);
    assert.equal(got.Responses?.Accounts?.[0].n.N, '1');
    assert.deepEqual(got.UnprocessedKeys, {});
    const keys = Array.from({ length: 101 }, (_, i) => ({ id: { S: `k${i}` } }));
    await rejects(c.send(new BatchGetItemCommand({ RequestItems: { Accounts: { Keys: keys } } })), 'ValidationException', /Too many items requested for the BatchGetItem call|Member must have length less than or equal to 100/);
    await rejects(c.send(new BatchGetItemCommand({ RequestItems: { Accounts: { Keys: [{ id: { S: 'a' } }, { id: { S: 'a' } }] } } })), 'ValidationException', 'Provided list of item keys contains duplicates');
  });

  test('BatchWriteItem: puts and deletes, an empty UnprocessedItems, 25 at most', async () => {
    const c = ddb(server);
    const res = await c.send(new BatchWriteItemCommand({ RequestItems: { Accounts: [
      { PutRequest: { Item: { id: { S: 'bw-1' } } } }, { DeleteRequest: { Key: { id: { S: 'acct-0' } } } },
    ] } }));
    assert.deepEqual(res.UnprocessedItems, {});
    assert.ok((await c.send(new GetItemCommand({ TableName: 'Accounts', Key: { id: { S: 'bw-1' } } }))).Item);
    assert.equal((await c.send(new GetItemCommand({ TableName: 'Accounts', Key: { id: { S: 'acct-0' } } }))).Item, undefined);
    const many = Array.from({ length: 26 }, (_, i) => ({ PutRequest: { Item: { id: { S: `m${i}` } } } }));
    await rejects(c.send(new BatchWriteItemCommand({ RequestItems: { Accounts: many } })), 'ValidationException', /Too many items requested for the BatchWriteItem call|Member must have length less than or equal to 25/);
    await rejects(c.send(new BatchWriteItemCommand({ RequestItems: { Accounts: [{ PutRequest: { Item: { id: { S: 'd' } } } }, { DeleteRequest: { Key: { id: { S: 'd' } } } }] } })),
      'ValidationException', 'Provided list of item keys contains duplicates');
    assert.equal((await c.send(new GetItemCommand({ TableName: 'Accounts', Key: { id: { S: 'm0' } } }))).Item, undefined, 'nothing of a refused batch is written');
  });
});

describe('DynamoDB transactions', () => {
  test('TransactWriteItems is all or nothing; CancellationReasons are in order', async () => {
    const c = ddb(server);
    await c.send(new PutItemCommand({ TableName: 'Accounts', Item: { id: { S: 'alice' }, balance: { N: '100' } } }));
    await c.send(new PutItemCommand({ TableName: 'Accounts', Item: { id: { S: 'bob' }, balance: { N: '0' } } }));
    await c.send(new PutItemCommand({ TableName: 'Accounts', Item: { id: { S: 'bank' }, open: { BOOL: true } } }));
    const transfer = (amount: string, token?: string) => c.send(new TransactWriteItemsCommand({
      ClientRequestToken: token,
      TransactItems: [
        { Update: { TableName: 'Accounts', Key: { id: { S: 'alice' } }, UpdateExpression: 'SET balance = balance - :a', ConditionExpression: 'balance >= :a', ExpressionAttributeValues: { ':a': { N: amount } }, ReturnValuesOnConditionCheckFailure: 'ALL_OLD' } },
        { Update: { TableName: 'Accounts', Key: { id: { S: 'bob' } }, UpdateExpression: 'SET balance = balance + :a', ExpressionAttributeValues: { ':a': { N: amount } } } },
        { ConditionCheck: { TableName: 'Accounts', Key: { id: { S: 'bank' } }, ConditionExpression: '#o = :t', ExpressionAttributeNames: { '#o': 'open' }, ExpressionAttributeValues: { ':t': { BOOL: true } } } },
      ],
    }));
    await transfer('30');
    await assert.rejects(transfer('500'), (e: any) => {
      assert.equal(e.name, 'TransactionCanceledException');
      assert.equal(e.message, 'Transaction cancelled, please refer cancellation reasons for specific reasons [ConditionalCheckFailed, None, None]');
      assert.deepEqual(e.CancellationReasons.map((r: any) => r.Code), ['ConditionalCheckFailed', 'None', 'None']);
      assert.equal(e.CancellationReasons[0].Item.balance.N, '70');
      return true;
    });
    const balances = await c.send(new TransactGetItemsCommand({ TransactItems: [
      { Get: { TableName: 'Accounts', Key: { id: { S: 'alice' } } } }, { Get: { TableName: 'Accounts', Key: { id: { S: 'bob' } }, ProjectionExpression: 'balance' } },
      { Get: { TableName: 'Accounts', Key: { id: { S: 'nobody' } } } },
    ] }));
    assert.equal(balances.Responses?.[0].Item?.balance.N, '70');
    assert.deepEqual(balances.Responses?.[1].Item, { balance: { N: '30' } });
    assert.equal(balances.Responses?.[2].Item, undefined);
    await rejects(c.send(new TransactWriteItemsCommand({ TransactItems: [
      { Put: { TableName: 'Accounts', Item: { id: { S: 'x' } } } }, { Delete: { TableName: 'Accounts', Key: { id: { S: 'x' } } } },
    ] })), 'ValidationException', 'Transaction request cannot include multiple operations on one item');
  });

  test('ClientRequestToken: a retry within 10 minutes is not applied twice; another request with it is a mismatch', async () => {
    const c = ddb(server);
    await c.send(new PutItemCommand({ TableName: 'Accounts', Item: { id: { S: 'counter' }, n: { N: '0' } } }));
    const bump = (by: string) => c.send(new TransactWriteItemsCommand({
      ClientRequestToken: 'token-1',
      TransactItems: [{ Update: { TableName: 'Accounts', Key: { id: { S: 'counter' } }, UpdateExpression: 'ADD n :one', ExpressionAttributeValues: { ':one': { N: by } } } }],
    }));
    await bump('1');
    await bump('1');
    assert.equal((await c.send(new GetItemCommand({ TableName: 'Accounts', Key: { id: { S: 'counter' } } }))).Item?.n.N, '1');
    await rejects(bump('2'), 'IdempotentParameterMismatchException');
  });
});

describe('DynamoDB TTL', () => {
  test('expired items are deleted by the server clock, with their index entries', async () => {
    const c = client();
    await c.send(new UpdateTimeToLiveCommand({ TableName: 'Scores', TimeToLiveSpecification: { AttributeName: 'expires', Enabled: true } }));
    const now = Math.floor(clock.now() / 1000);
    await c.send(new PutItemCommand({ TableName: 'Scores', Item: { player: { S: 'ttl' }, score: { N: '1' }, game: { S: 'ttl-game' }, expires: { N: String(now + 3600) } } }));
    await c.send(new PutItemCommand({ TableName: 'Scores', Item: { player: { S: 'ttl' }, score: { N: '2' }, game: { S: 'ttl-game' }, expires: { N: String(now + 86_400) } } }));
    await c.send(new PutItemCommand({ TableName: 'Scores', Item: { player: { S: 'ttl' }, score: { N: '3' }, expires: { S: 'not a number' } } }));
    await advance(server, clock, 7200);
    // A fresh client per call: the SDK corrects its clock offset from the answer's Date header.
    const left = await client().send(new QueryCommand({ TableName: 'Scores', KeyConditionExpression: 'player = :p', ExpressionAttributeValues: { ':p': { S: 'ttl' } } }));
    assert.deepEqual(scoresOf(left.Items), ['2', '3']);
    const inIndex = await client().send(new QueryCommand({ TableName: 'Scores', IndexName: 'by-game', KeyConditionExpression: 'game = :g', ExpressionAttributeValues: { ':g': { S: 'ttl-game' } } }));
    assert.deepEqual(scoresOf(inIndex.Items), ['2']);
  });
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { DynamoDBClient, GetItemCommand, PutItemCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
import { spawnServer, type SpawnedServer } from '../helpers/spawned.js';
import { createTable } from './dynamodb-support.js';

/** An acknowledged PutItem survives kill -9: the answer is sent once its commit group is durable. */
const client = (s: SpawnedServer) => new DynamoDBClient({ endpoint: s.url, region: 'us-east-1', credentials: s.root, maxAttempts: 1 });

test('acknowledged PutItems (and their index entries) survive kill -9, concurrent writers included', async () => {
  const first = await spawnServer();
  try {
    const c = client(first);
    await createTable(c, 'Durable', ['pk', 'S'], ['sk', 'N'], {
      AttributeDefinitions: [{ AttributeName: 'colour', AttributeType: 'S' }],
      GlobalSecondaryIndexes: [{ IndexName: 'by-colour', KeySchema: [{ AttributeName: 'colour', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } }],
    });
    await Promise.all(Array.from({ length: 50 }, (_, i) =>
      c.send(new PutItemCommand({ TableName: 'Durable', Item: { pk: { S: 'p' }, sk: { N: String(i) }, colour: { S: i % 2 ? 'red' : 'blue' } } }))));
    await first.kill9();
    const second = await spawnServer([], first.dataDir);
    try {
      const c2 = client(second);
      const all = await c2.send(new QueryCommand({ TableName: 'Durable', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: 'p' } } }));
      assert.equal(all.Count, 50);
      const red = await c2.send(new QueryCommand({ TableName: 'Durable', IndexName: 'by-colour', KeyConditionExpression: 'colour = :c', ExpressionAttributeValues: { ':c': { S: 'red' } } }));
      assert.equal(red.Count, 25);
      const one = await c2.send(new GetItemCommand({ TableName: 'Durable', Key: { pk: { S: 'p' }, sk: { N: '49' } } }));
      assert.equal(one.Item?.colour.S, 'red');
    } finally {
      await second.stop(false);
    }
  } finally {
    rmSync(first.dataDir, { recursive: true, force: true });
  }
});

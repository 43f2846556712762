import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateTableCommand, DeleteTableCommand, DescribeLimitsCommand, DescribeTableCommand, DescribeTimeToLiveCommand, ListTablesCommand,
  ListTagsOfResourceCommand, PutItemCommand, QueryCommand, TagResourceCommand, UntagResourceCommand, UpdateTableCommand,
  UpdateTimeToLiveCommand, waitUntilTableExists,
} from '@aws-sdk/client-dynamodb';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { rejects } from '../helpers/aws.js';
import { createTable, ddb } from './dynamodb-support.js';

/** DynamoDB tables: the control plane, as the SDK and its waiters see it. */
const ACCOUNT = '000000000000';
let server: TestServer;

before(async () => {
  server = await startTestServer();
});
after(async () => {
  await server.stop();
});

describe('DynamoDB tables', () => {
  test('CreateTable answers CREATING, DescribeTable ACTIVE, with AWS’s shape; the waiter returns', async () => {
    const c = ddb(server);
    const { TableDescription: t } = await createTable(c, 'Music', ['Artist', 'S'], ['SongTitle', 'S']);
    assert.equal(t?.TableStatus, 'CREATING');
    assert.equal(t?.TableArn, `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/Music`);
    assert.match(t!.TableId!, /^[0-9a-f-]{36}$/);
    assert.equal(t?.BillingModeSummary?.BillingMode, 'PAY_PER_REQUEST');
    assert.ok(t?.CreationDateTime instanceof Date);
    await waitUntilTableExists({ client: c, maxWaitTime: 30 }, { TableName: 'Music' });
    const { Table } = await c.send(new DescribeTableCommand({ TableName: 'Music' }));
    assert.equal(Table?.TableStatus, 'ACTIVE');
    assert.deepEqual(Table?.KeySchema, [{ AttributeName: 'Artist', KeyType: 'HASH' }, { AttributeName: 'SongTitle', KeyType: 'RANGE' }]);
    assert.equal(Table?.ItemCount, 0);
    assert.equal(Table?.TableSizeBytes, 0);
    assert.deepEqual(Table?.ProvisionedThroughput, { NumberOfDecreasesToday: 0, ReadCapacityUnits: 0, WriteCapacityUnits: 0 });
    // By ARN too.
    const byArn = await c.send(new DescribeTableCommand({ TableName: Table!.TableArn }));
    assert.equal(byArn.Table?.TableId, Table?.TableId);
  });

  test('provisioned mode, GSIs and LSIs reported with their ARNs, projections and counts', async () => {
    const c = ddb(server);
    await c.send(new CreateTableCommand({
      TableName: 'Orders',
      AttributeDefinitions: [
        { AttributeName: 'customer', AttributeType: 'S' }, { AttributeName: 'order', AttributeType: 'N' },
        { AttributeName: 'status', AttributeType: 'S' }, { AttributeName: 'placed', AttributeType: 'S' },
      ],
      KeySchema: [{ AttributeName: 'customer', KeyType: 'HASH' }, { AttributeName: 'order', KeyType: 'RANGE' }],
      ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 3 },
      GlobalSecondaryIndexes: [{
        IndexName: 'by-status', KeySchema: [{ AttributeName: 'status', KeyType: 'HASH' }],
        Projection: { ProjectionType: 'KEYS_ONLY' }, ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 },
      }],
      LocalSecondaryIndexes: [{
        IndexName: 'by-placed', KeySchema: [{ AttributeName: 'customer', KeyType: 'HASH' }, { AttributeName: 'placed', KeyType: 'RANGE' }],
        Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['total'] },
      }],
    }));
    await c.send(new PutItemCommand({ TableName: 'Orders', Item: { customer: { S: 'ana' }, order: { N: '1' }, status: { S: 'open' }, placed: { S: '2026-01-01' } } }));
    await c.send(new PutItemCommand({ TableName: 'Orders', Item: { customer: { S: 'ana' }, order: { N: '2' } } }));
    const { Table } = await c.send(new DescribeTableCommand({ TableName: 'Orders' }));
    assert.equal(Table?.BillingModeSummary, undefined);
    assert.equal(Table?.ProvisionedThroughput?.ReadCapacityUnits, 5);
    assert.equal(Table?.ItemCount, 2);
    assert.ok(Table!.TableSizeBytes! > 0);
    const gsi = Table?.GlobalSecondaryIndexes?.[0];
    assert.equal(gsi?.IndexArn, `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/Orders/index/by-status`);
    assert.equal(gsi?.IndexStatus, 'ACTIVE');
    assert.equal(gsi?.ItemCount, 1, 'the index is sparse: only the item with a status');
    assert.equal(Table?.LocalSecondaryIndexes?.[0].Projection?.NonKeyAttributes?.[0], 'total');
  });

  test('CreateTable refuses what DynamoDB refuses, with its messages', async () => {
    const c = ddb(server);
    await rejects(createTable(c, 'Music', ['Artist', 'S']), 'ResourceInUseException', 'Table already exists: Music', 400);
    await rejects(c.send(new CreateTableCommand({
      TableName: 'Bad', AttributeDefinitions: [{ AttributeName: 'a', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'a', KeyType: 'HASH' }],
    })), 'ValidationException', 'No provisioned throughput specified for the table');
    await rejects(c.send(new CreateTableCommand({
      TableName: 'Bad', BillingMode: 'PAY_PER_REQUEST', AttributeDefinitions: [{ AttributeName: 'a', AttributeType: 'S' }, { AttributeName: 'b', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'a', KeyType: 'HASH' }],
    })), 'ValidationException', 'One or more parameter values were invalid: Number of attributes in KeySchema does not exactly match number of attributes defined in AttributeDefinitions');
    await rejects(c.send(new CreateTableCommand({
      TableName: 'Bad', BillingMode: 'PAY_PER_REQUEST', AttributeDefinitions: [{ AttributeName: 'a', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'b', KeyType: 'HASH' }],
    })), 'ValidationException', 'One or more parameter values were invalid: Some index key attributes are not defined in AttributeDefinitions. Keys: [b], AttributeDefinitions: [a]');
    await rejects(c.send(new CreateTableCommand({
      TableName: 'Bad', BillingMode: 'PAY_PER_REQUEST', ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 },
      AttributeDefinitions: [{ AttributeName: 'a', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'a', KeyType: 'HASH' }],
    })), 'ValidationException', 'One or more parameter values were invalid: Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST');
    await rejects(c.send(new CreateTableCommand({
      TableName: 'Bad', BillingMode: 'PAY_PER_REQUEST', AttributeDefinitions: [{ AttributeName: 'a', AttributeType: 'S' }, { AttributeName: 'b', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'a', KeyType: 'RANGE' }, { AttributeName: 'b', KeyType: 'HASH' }],
    })), 'ValidationException', 'Invalid KeySchema: The first KeySchemaElement is not a HASH key type');
    await rejects(createTable(c, 'x', ['a', 'S']), 'ValidationException', /Member must have length greater than or equal to 3/);
    await rejects(createTable(c, 'Lsi', ['a', 'S'], undefined, {
      AttributeDefinitions: [{ AttributeName: 'b', AttributeType: 'S' }],
      LocalSecondaryIndexes: [{ IndexName: 'lsi1', KeySchema: [{ AttributeName: 'a', KeyType: 'HASH' }, { AttributeName: 'b', KeyType: 'RANGE' }], Projection: { ProjectionType: 'ALL' } }],
    }), 'ValidationException', 'One or more parameter values were invalid: Table KeySchema does not have a range key, which is required when specifying a LocalSecondaryIndex');
    const names = (await c.send(new ListTablesCommand({}))).TableNames;
    assert.ok(!names?.includes('Bad') && !names?.includes('Lsi'), 'nothing half-created');
  });

  test('ListTables pages by Limit and LastEvaluatedTableName; tables are per region', async () => {
    const c = ddb(server);
    for (const n of ['page-a', 'page-b', 'page-c']) await createTable(c, n, ['id', 'S']);
    const all: string[] = [];
    let start: string | undefined;
    do {
      const page = await c.send(new ListTablesCommand({ Limit: 2, ExclusiveStartTableName: start }));
      assert.ok(page.TableNames!.length <= 2);
      all.push(...page.TableNames!);
      start = page.LastEvaluatedTableName;
    } while (start);
    assert.deepEqual(all, [...all].sort());
    assert.ok(['Music', 'Orders', 'page-a', 'page-b', 'page-c'].every((n) => all.includes(n)));
    const west = await ddb(server, server.root, 'eu-west-1').send(new ListTablesCommand({}));
    assert.deepEqual(west.TableNames, []);
  });

  test('UpdateTable: billing mode, a new GSI backfilled from the items, deletion protection', async () => {
    const c = ddb(server);
    await createTable(c, 'Evolving', ['id', 'S']);
    await c.send(new PutItemCommand({ TableName: 'Evolving', Item: { id: { S: '1' }, email: { S: 'a@x' } } }));
    const up = await c.send(new UpdateTableCommand({
      TableName: 'Evolving', AttributeDefinitions: [{ AttributeName: 'email', AttributeType: 'S' }],
      GlobalSecondaryIndexUpdates: [{ Create: { IndexName: 'by-email', KeySchema: [{ AttributeName: 'email', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } } }],
    }));
    assert.equal(up.TableDescription?.TableStatus, 'UPDATING');
    assert.equal(up.TableDescription?.GlobalSecondaryIndexes?.[0].IndexStatus, 'CREATING');
    const q = await c.send(new QueryCommand({ TableName: 'Evolving', IndexName: 'by-email', KeyConditionExpression: 'email = :e', ExpressionAttributeValues: { ':e': { S: 'a@x' } } }));
    assert.equal(q.Items?.[0].id.S, '1');
    // Provisioned mode needs every GSI's throughput too.
    await rejects(c.send(new UpdateTableCommand({ TableName: 'Evolving', BillingMode: 'PROVISIONED', ProvisionedThroughput: { ReadCapacityUnits: 2, WriteCapacityUnits: 2 } })),
      'ValidationException', 'One or more parameter values were invalid: ProvisionedThroughput must be specified for index: by-email');
    await rejects(c.send(new UpdateTableCommand({ TableName: 'Evolving' })), 'ValidationException', /At least one of ProvisionedThroughput, BillingMode/);
    await c.send(new UpdateTableCommand({ TableName: 'Evolving', DeletionProtectionEnabled: true }));
    await rejects(c.send(new DeleteTableCommand({ TableName: 'Evolving' })), 'ValidationException',
      'Resource cannot be deleted as it is currently protected against deletion. Disable deletion protection first.');
    await c.send(new UpdateTableCommand({ TableName: 'Evolving', DeletionProtectionEnabled: false, GlobalSecondaryIndexUpdates: [{ Delete: { IndexName: 'by-email' } }] }));
    await rejects(c.send(new QueryCommand({ TableName: 'Evolving', IndexName: 'by-email', KeyConditionExpression: 'email = :e', ExpressionAttributeValues: { ':e': { S: 'a@x' } } })),
      'ValidationException', 'The table does not have the specified index: by-email');
    await c.send(new UpdateTableCommand({ TableName: 'Evolving', BillingMode: 'PROVISIONED', ProvisionedThroughput: { ReadCapacityUnits: 2, WriteCapacityUnits: 2 } }));
    const { Table } = await c.send(new DescribeTableCommand({ TableName: 'Evolving' }));
    assert.equal(Table?.BillingModeSummary?.BillingMode, 'PROVISIONED');
    assert.equal(Table?.ProvisionedThroughput?.WriteCapacityUnits, 2);
  });

  test('DeleteTable answers DELETING and the table, with its items, is gone', async () => {
    const c = ddb(server);
    await createTable(c, 'Doomed', ['id', 'S']);
    await c.send(new PutItemCommand({ TableName: 'Doomed', Item: { id: { S: '1' } } }));
    const { TableDescription } = await c.send(new DeleteTableCommand({ TableName: 'Doomed' }));
    assert.equal(TableDescription?.TableStatus, 'DELETING');
    await rejects(c.send(new DescribeTableCommand({ TableName: 'Doomed' })), 'ResourceNotFoundException', 'Requested resource not found: Table: Doomed not found', 400);
    await rejects(c.send(new DeleteTableCommand({ TableName: 'Doomed' })), 'ResourceNotFoundException', 'Requested resource not found: Table: Doomed not found');
    await createTable(c, 'Doomed', ['id', 'S']);
    const { Table } = await c.send(new DescribeTableCommand({ TableName: 'Doomed' }));
    assert.equal(Table?.ItemCount, 0, 'a table of the same name starts empty');
  });

  test('tags: TagResource, ListTagsOfResource, UntagResource', async () => {
    const c = ddb(server);
    const arn = `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/Music`;
    await c.send(new TagResourceCommand({ ResourceArn: arn, Tags: [{ Key: 'team', Value: 'a' }, { Key: 'env', Value: 'dev' }] }));
    await c.send(new TagResourceCommand({ ResourceArn: arn, Tags: [{ Key: 'team', Value: 'b' }] }));
    const { Tags } = await c.send(new ListTagsOfResourceCommand({ ResourceArn: arn }));
    assert.deepEqual(Tags?.sort((a, b) => a.Key!.localeCompare(b.Key!)), [{ Key: 'env', Value: 'dev' }, { Key: 'team', Value: 'b' }]);
    await c.send(new UntagResourceCommand({ ResourceArn: arn, TagKeys: ['team'] }));
    assert.deepEqual((await c.send(new ListTagsOfResourceCommand({ ResourceArn: arn }))).Tags, [{ Key: 'env', Value: 'dev' }]);
    await rejects(c.send(new ListTagsOfResourceCommand({ ResourceArn: `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/Nope` })), 'ResourceNotFoundException');
    const made = await createTable(c, 'Tagged', ['id', 'S'], undefined, { Tags: [{ Key: 'k', Value: 'v' }] });
    assert.deepEqual((await c.send(new ListTagsOfResourceCommand({ ResourceArn: made.TableDescription!.TableArn }))).Tags, [{ Key: 'k', Value: 'v' }]);
  });

  test('TTL: UpdateTimeToLive and DescribeTimeToLive, with DynamoDB’s refusals', async () => {
    const c = ddb(server);
    assert.deepEqual((await c.send(new DescribeTimeToLiveCommand({ TableName: 'Music' }))).TimeToLiveDescription, { TimeToLiveStatus: 'DISABLED' });
    const on = await c.send(new UpdateTimeToLiveCommand({ TableName: 'Music', TimeToLiveSpecification: { AttributeName: 'expires', Enabled: true } }));
    assert.deepEqual(on.TimeToLiveSpecification, { AttributeName: 'expires', Enabled: true });
    assert.deepEqual((await c.send(new DescribeTimeToLiveCommand({ TableName: 'Music' }))).TimeToLiveDescription, { TimeToLiveStatus: 'ENABLED', AttributeName: 'expires' });
    await rejects(c.send(new UpdateTimeToLiveCommand({ TableName: 'Music', TimeToLiveSpecification: { AttributeName: 'expires', Enabled: true } })), 'ValidationException', 'TimeToLive is already enabled');
    await c.send(new UpdateTimeToLiveCommand({ TableName: 'Music', TimeToLiveSpecification: { AttributeName: 'expires', Enabled: false } }));
    await rejects(c.send(new UpdateTimeToLiveCommand({ TableName: 'Music', TimeToLiveSpecification: { AttributeName: 'expires', Enabled: false } })), 'ValidationException', 'TimeToLive is already disabled');
  });

  test('DescribeLimits answers AWS’s default quotas', async () => {
    const limits = await ddb(server).send(new DescribeLimitsCommand({}));
    assert.equal(limits.TableMaxReadCapacityUnits, 40000);
    assert.equal(limits.AccountMaxWriteCapacityUnits, 80000);
  });
});

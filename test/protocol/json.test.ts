import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { crc32 } from 'node:zlib';
import {
  DynamoDBClient,
  CreateTableCommand,
  PutItemCommand,
  GetItemCommand,
  DescribeTableCommand,
  ListTablesCommand,
  QueryCommand,
} from '@aws-sdk/client-dynamodb';
import { AwsError, decodeRequest, detectService, encodeError, encodeResponse, RawJson, type WireRequest } from '../../src/protocol/index.js';
import { startWireServer, testCredentials, type WireServer } from './wire-server.js';
import * as crc32Module from '../../src/protocol/crc32.js';

let reply: (op: string, input: Record<string, unknown>) => unknown = () => ({});
let decoded: { operation?: string; input?: Record<string, unknown> } = {};
let server: WireServer;

before(async () => {
  server = await startWireServer((req) => {
    assert.equal(detectService(req), 'dynamodb');
    try {
      const { operation, input } = decodeRequest('dynamodb', req);
      decoded = { operation, input };
      return encodeResponse('dynamodb', operation, reply(operation, input), 'ddb-req');
    } catch (e) {
      if (e instanceof AwsError) return encodeError('dynamodb', e, 'ddb-err');
      throw e;
    }
  });
});
after(() => server.close());

const ddb = () => new DynamoDBClient({ endpoint: server.endpoint, region: 'us-east-1', credentials: testCredentials, maxAttempts: 1 });

test('DynamoDB CreateTable / DescribeTable: nested input, timestamps as epoch seconds', async () => {
  const created = new Date('2024-05-06T07:08:09.500Z');
  reply = (_op, input) => ({
    TableDescription: { TableName: input.TableName, TableStatus: 'ACTIVE', CreationDateTime: created, KeySchema: input.KeySchema, ItemCount: 0 },
  });
  const out = await ddb().send(
    new CreateTableCommand({
      TableName: 'Music',
      AttributeDefinitions: [{ AttributeName: 'Artist', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'Artist', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
  assert.equal(decoded.operation, 'CreateTable');
  assert.deepEqual(decoded.input, {
    TableName: 'Music',
    AttributeDefinitions: [{ AttributeName: 'Artist', AttributeType: 'S' }],
    KeySchema: [{ AttributeName: 'Artist', KeyType: 'HASH' }],
    BillingMode: 'PAY_PER_REQUEST',
  });
  assert.equal(out.TableDescription?.CreationDateTime?.getTime(), created.getTime());
  assert.equal(out.TableDescription?.ItemCount, 0);
  assert.equal(out.$metadata.requestId, 'ddb-req');
});

test('DynamoDB PutItem / GetItem: attribute values, binary as base64, maps and lists', async () => {
  const item = {
    Artist: { S: 'No One You Know' },
    Plays: { N: '42' },
    Cover: { B: new Uint8Array([0, 1, 2, 250]) },
    Tags: { SS: ['a', 'b'] },
    Meta: { M: { nested: { L: [{ BOOL: true }, { NULL: true }] } } },
  };
  reply = () => ({});
  await ddb().send(new PutItemCommand({ TableName: 'Music', Item: item, ReturnValues: 'NONE' }));
  const sent = decoded.input!.Item as Record<string, any>;
  assert.ok(Buffer.isBuffer(sent.Cover.B));
  assert.deepEqual([...sent.Cover.B], [0, 1, 2, 250]);
  assert.deepEqual(sent.Meta, { M: { nested: { L: [{ BOOL: true }, { NULL: true }] } } });
  reply = () => ({ Item: { ...sent } });
  const got = await ddb().send(new GetItemCommand({ TableName: 'Music', Key: { Artist: { S: 'No One You Know' } }, ConsistentRead: true }));
  assert.deepEqual([...(got.Item!.Cover.B as Uint8Array)], [0, 1, 2, 250]);
  assert.equal(got.Item!.Plays.N, '42');
  assert.deepEqual(got.Item!.Tags.SS, ['a', 'b']);
  assert.equal(decoded.input!.ConsistentRead, true);
});

test('RawJson values are written as they are, inside the shape-driven JSON around them; the CRC covers the whole body', async () => {
  const stored = '{"Artist":{"S":"Café \\\\ \\"q\\""},"Plays":{"N":"42"},"Cover":{"B":"AAEC+g=="}}';
  reply = () => ({ Items: [new RawJson(stored), { Artist: { S: 'plain' } }], Count: 2, ScannedCount: 2, LastEvaluatedKey: { Artist: { S: 'plain' } } });
  const got = await ddb().send(new QueryCommand({ TableName: 'Music', KeyConditionExpression: 'Artist = :a', ExpressionAttributeValues: { ':a': { S: 'x' } } }));
  assert.equal(got.Items![0].Artist.S, 'Café \\ "q"');
  assert.equal(got.Items![0].Plays.N, '42');
  assert.deepEqual([...(got.Items![0].Cover.B as Uint8Array)], [0, 1, 2, 250]);
  assert.deepEqual(got.Items![1], { Artist: { S: 'plain' } });
  assert.equal(got.Count, 2);
  assert.deepEqual(got.LastEvaluatedKey, { Artist: { S: 'plain' } });
  // The body the SDK checked against X-Amz-Crc32 (it rejects a mismatch) is the same JSON JSON.stringify would give.
  const res = encodeResponse('dynamodb', 'GetItem', { Item: new RawJson(stored) }, 'r');
  assert.deepEqual(JSON.parse(res.body.toString()), { Item: JSON.parse(stored) });
  assert.equal(res.headers['x-amz-crc32'], String(crc32(res.body as Buffer)));
});

test('DynamoDB: modelled errors carry the service namespace and reach the SDK by name', async () => {
  reply = () => {
    throw new AwsError('ResourceNotFoundException', 'Requested resource not found: Table: Nope not found', 400);
  };
  await assert.rejects(ddb().send(new DescribeTableCommand({ TableName: 'Nope' })), (e: any) => {
    assert.equal(e.name, 'ResourceNotFoundException');
    assert.equal(e.message, 'Requested resource not found: Table: Nope not found');
    assert.equal(e.$metadata.httpStatusCode, 400);
    return true;
  });
  const res = encodeError('dynamodb', new AwsError('ResourceNotFoundException', 'gone'), 'r');
  assert.deepEqual(JSON.parse(res.body.toString()), {
    __type: 'com.amazonaws.dynamodb.v20120810#ResourceNotFoundException',
    message: 'gone',
  });
  assert.equal(res.headers['content-type'], 'application/x-amz-json-1.0');
  assert.equal(res.headers['x-amz-crc32'], String(crc32(Buffer.from(res.body))));
});

test('DynamoDB: validation failures are ValidationException in Coral wording', async () => {
  reply = () => ({});
  await assert.rejects(ddb().send(new ListTablesCommand({ Limit: 0, ExclusiveStartTableName: 'ab' })), (e: any) => {
    assert.equal(e.name, 'ValidationException');
    assert.equal(
      e.message,
      "2 validation errors detected: Value 'ab' at 'exclusiveStartTableName' failed to satisfy constraint: Member must have length greater than or equal to 3; " +
        "Value '0' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1",
    );
    return true;
  });
  const res = encodeError('dynamodb', new AwsError('ValidationException', 'bad'), 'r');
  assert.equal(JSON.parse(res.body.toString()).__type, 'com.amazon.coral.validate#ValidationException');
});

function call(target: string | undefined, body: string): WireRequest {
  const headers: Record<string, string> = { 'content-type': 'application/x-amz-json-1.0' };
  if (target !== undefined) headers['x-amz-target'] = target;
  return { method: 'POST', path: '/', rawQuery: '', headers, body: Buffer.from(body) };
}

function decodeError(req: WireRequest): AwsError {
  try {
    decodeRequest('dynamodb', req);
  } catch (e) {
    if (e instanceof AwsError) return e;
    throw e;
  }
  assert.fail('expected an AwsError');
}

test('DynamoDB: unknown operations, malformed JSON and wrong types', () => {
  const unknown = decodeError(call('DynamoDB_20120810.FrobTable', '{}'));
  assert.equal(unknown.code, 'UnknownOperationException');
  assert.equal(unknown.status, 400);
  const body = JSON.parse(encodeError('dynamodb', unknown, 'r').body.toString());
  assert.equal(body.__type, 'com.amazon.coral.service#UnknownOperationException');
  assert.equal(decodeError(call('DynamoDB_20120810.ListTables', '{"Limit": ')).code, 'SerializationException');
  assert.equal(decodeError(call('DynamoDB_20120810.ListTables', '[1]')).code, 'SerializationException');
  assert.equal(decodeError(call('DynamoDB_20120810.ListTables', '{"Limit":"5"}')).code, 'SerializationException');
  assert.equal(decodeError(call('DynamoDB_20120810.ListTables', '{"Limit":1.5}')).code, 'SerializationException');
  const missing = decodeError(call('DynamoDB_20120810.DescribeTable', '{}'));
  assert.equal(missing.code, 'ValidationException');
  assert.equal(missing.message, "1 validation error detected: Value null at 'tableName' failed to satisfy constraint: Member must not be null");
});

test('a wrong type deep inside an input names its place: structure members, list items and map keys', () => {
  const cases: Array<[string, string]> = [
    ['{"TableName":"t","Key":{"pk":{"S":5}}}', "Unexpected value 5 at 'key.pk.s': expected string"],
    ['{"TableName":"t","Key":{"pk":{"L":[{"S":"a"},{"N":true}]}}}', "Unexpected value true at 'key.pk.l.2.member.n': expected string"],
    ['{"TableName":"t","Key":"x"}', `Unexpected value "x" at 'key': expected map`],
    ['{"TableName":5}', "Unexpected value 5 at 'tableName': expected string"],
  ];
  for (const [body, message] of cases) {
    const e = decodeError(call('DynamoDB_20120810.GetItem', body));
    assert.equal(e.code, 'SerializationException');
    assert.equal(e.message, message);
  }
});

test('DynamoDB: an empty body is an empty input; nested list paths name the item', () => {
  assert.deepEqual(decodeRequest('dynamodb', call('DynamoDB_20120810.ListTables', '')), { operation: 'ListTables', input: {} });
  const e = decodeError(
    call('DynamoDB_20120810.CreateTable', JSON.stringify({ TableName: 'abc', AttributeDefinitions: [{ AttributeName: 'a' }], KeySchema: [{ AttributeName: 'a', KeyType: 'HASH' }] })),
  );
  assert.equal(
    e.message,
    "1 validation error detected: Value null at 'attributeDefinitions.1.member.attributeType' failed to satisfy constraint: Member must not be null",
  );
});

test('the software CRC-32 agrees with zlib', async () => {
  const { softwareCrc32 } = await import('../../src/protocol/crc32.js');
  for (const text of ['', 'a', '{"TableNames":[]}', 'x'.repeat(1000)]) assert.equal(softwareCrc32(Buffer.from(text)), crc32(Buffer.from(text)));
});

test('a JSON answer is its text, and X-Amz-Crc32 is the CRC-32 of its UTF-8 bytes (non-ASCII included)', () => {
  const { crc32Text } = crc32Module;
  for (const text of ['', 'é', '{"S":"日本語 ✓ 😀"}', 'x'.repeat(1000)]) assert.equal(crc32Text(text), crc32(Buffer.from(text, 'utf8')));
  const res = encodeResponse('dynamodb', 'GetItem', { Item: new RawJson('{"pk":{"S":"日本"}}') }, 'req-1');
  assert.equal(typeof res.body, 'string');
  assert.equal(res.body, '{"Item":{"pk":{"S":"日本"}}}');
  assert.equal(res.headers['x-amz-crc32'], String(crc32(Buffer.from(res.body as string, 'utf8'))));
});

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  BatchGetItemCommand, BatchWriteItemCommand, DeleteResourcePolicyCommand, DescribeTableCommand, GetItemCommand, GetResourcePolicyCommand,
  ListTablesCommand, PutItemCommand, PutResourcePolicyCommand, QueryCommand, TransactWriteItemsCommand,
} from '@aws-sdk/client-dynamodb';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { rejects } from '../helpers/aws.js';
import { otherAccount, userWith, type Creds } from './s3-support.js';
import { createTable, ddb } from './dynamodb-support.js';

/**
 * DynamoDB under IAM: dynamodb:<Op> on the table (or index) ARN, the request's condition
 * keys (LeadingKeys, Attributes, Select, ReturnValues), the table's resource policy joined
 * with identity policies like a bucket policy, and DynamoDB's AccessDeniedException.
 */
const ACCOUNT = '000000000000';
const OTHER = '111111111111';
const ARN = `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/Notes`;
let server: TestServer;
let reader: Creds;
let nobody: Creds;
let ownRows: Creds;
let other: Creds;
let visitor: Creds;

const policy = (...Statement: unknown[]) => JSON.stringify({ Version: '2012-10-17', Statement });

before(async () => {
  server = await startTestServer();
  await createTable(ddb(server), 'Notes', ['owner', 'S'], ['id', 'S'], {
    AttributeDefinitions: [{ AttributeName: 'topic', AttributeType: 'S' }],
    GlobalSecondaryIndexes: [{ IndexName: 'by-topic', KeySchema: [{ AttributeName: 'topic', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } }],
  });
  await createTable(ddb(server), 'Other', ['id', 'S']);
  for (const owner of ['ana', 'bob']) {
    await ddb(server).send(new PutItemCommand({ TableName: 'Notes', Item: { owner: { S: owner }, id: { S: '1' }, topic: { S: 't' }, secret: { S: `${owner}'s` } } }));
  }
  reader = await userWith(server, 'reader', [{ Effect: 'Allow', Action: ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:DescribeTable'], Resource: ARN }]);
  nobody = await userWith(server, 'nobody', undefined);
  ownRows = await userWith(server, 'ana', [{
    Effect: 'Allow', Action: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query', 'dynamodb:BatchWriteItem', 'dynamodb:UpdateItem'], Resource: ARN,
    Condition: {
      'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': ['${aws:username}'], 'dynamodb:Attributes': ['owner', 'id', 'topic', 'note'] },
      StringEqualsIfExists: { 'dynamodb:Select': 'SPECIFIC_ATTRIBUTES', 'dynamodb:ReturnValues': ['NONE', 'UPDATED_OLD', 'UPDATED_NEW'] },
    },
  }]);
  other = await otherAccount(server, OTHER);
  visitor = await userWith(server, 'visitor', [{ Effect: 'Allow', Action: 'dynamodb:GetItem', Resource: '*' }], other);
});
after(async () => {
  await server.stop();
});

describe('DynamoDB authorization', () => {
  test('identity policies decide; denials are DynamoDB’s AccessDeniedException (HTTP 400) naming action and ARN', async () => {
    const got = await ddb(server, reader).send(new GetItemCommand({ TableName: 'Notes', Key: { owner: { S: 'ana' }, id: { S: '1' } } }));
    assert.equal(got.Item?.secret.S, "ana's");
    await rejects(ddb(server, reader).send(new PutItemCommand({ TableName: 'Notes', Item: { owner: { S: 'x' }, id: { S: '1' } } })), 'AccessDeniedException',
      `User: arn:aws:iam::${ACCOUNT}:user/reader is not authorized to perform: dynamodb:PutItem on resource: ${ARN} because no identity-based policy allows the dynamodb:PutItem action`, 400);
    await rejects(ddb(server, nobody).send(new ListTablesCommand({})), 'AccessDeniedException',
      `User: arn:aws:iam::${ACCOUNT}:user/nobody is not authorized to perform: dynamodb:ListTables on resource: * because no identity-based policy allows the dynamodb:ListTables action`);
    // Authorization comes before existence: a missing table is only told to who may ask.
    await rejects(ddb(server, nobody).send(new DescribeTableCommand({ TableName: 'Missing' })), 'AccessDeniedException');
    await rejects(ddb(server, reader).send(new DescribeTableCommand({ TableName: 'Other' })), 'AccessDeniedException');
    const denied = server.events.findLast((e) => e.operation === 'PutItem' && e.decision === 'implicitDeny');
    assert.equal(denied?.resource, ARN);
    assert.equal(denied?.action, 'dynamodb:PutItem');
  });

  test('a Query of an index asks for the index ARN', async () => {
    const index = `${ARN}/index/by-topic`;
    await rejects(ddb(server, reader).send(new QueryCommand({ TableName: 'Notes', IndexName: 'by-topic', KeyConditionExpression: 'topic = :t', ExpressionAttributeValues: { ':t': { S: 't' } } })),
      'AccessDeniedException', `User: arn:aws:iam::${ACCOUNT}:user/reader is not authorized to perform: dynamodb:Query on resource: ${index} because no identity-based policy allows the dynamodb:Query action`);
  });

  test('dynamodb:LeadingKeys, Attributes, Select and ReturnValues: fine-grained access to one’s own rows', async () => {
    const ana = ddb(server, ownRows);
    await ana.send(new PutItemCommand({ TableName: 'Notes', Item: { owner: { S: 'ana' }, id: { S: '2' }, note: { S: 'mine' } } }));
    const mine = await ana.send(new QueryCommand({ TableName: 'Notes', KeyConditionExpression: '#o = :me', ExpressionAttributeNames: { '#o': 'owner' }, ExpressionAttributeValues: { ':me': { S: 'ana' } }, ProjectionExpression: 'id, note', Select: 'SPECIFIC_ATTRIBUTES' }));
    assert.equal(mine.Count, 2);
    await rejects(ana.send(new GetItemCommand({ TableName: 'Notes', Key: { owner: { S: 'bob' }, id: { S: '1' } }, ProjectionExpression: 'id' })), 'AccessDeniedException');
    await rejects(ana.send(new QueryCommand({ TableName: 'Notes', KeyConditionExpression: '#o = :b', ExpressionAttributeNames: { '#o': 'owner' }, ExpressionAttributeValues: { ':b': { S: 'bob' } }, ProjectionExpression: 'id', Select: 'SPECIFIC_ATTRIBUTES' })), 'AccessDeniedException');
    // Attributes outside the allowed set, or all of them, are refused.
    await rejects(ana.send(new PutItemCommand({ TableName: 'Notes', Item: { owner: { S: 'ana' }, id: { S: '3' }, secret: { S: 'no' } } })), 'AccessDeniedException');
    await rejects(ana.send(new QueryCommand({ TableName: 'Notes', KeyConditionExpression: '#o = :me', ExpressionAttributeNames: { '#o': 'owner' }, ExpressionAttributeValues: { ':me': { S: 'ana' } }, Select: 'ALL_ATTRIBUTES' })), 'AccessDeniedException');
    await ana.send(new PutItemCommand({ TableName: 'Notes', Item: { owner: { S: 'ana' }, id: { S: '3' } }, ReturnValues: 'NONE' }));
    await rejects(ana.send(new PutItemCommand({ TableName: 'Notes', Item: { owner: { S: 'ana' }, id: { S: '3' } }, ReturnValues: 'ALL_OLD' })), 'AccessDeniedException');
    // Batches are decided on all the leading keys they touch.
    await ana.send(new BatchWriteItemCommand({ RequestItems: { Notes: [{ PutRequest: { Item: { owner: { S: 'ana' }, id: { S: '4' } } } }] } }));
    await rejects(ana.send(new BatchWriteItemCommand({ RequestItems: { Notes: [
      { PutRequest: { Item: { owner: { S: 'ana' }, id: { S: '5' } } } }, { PutRequest: { Item: { owner: { S: 'bob' }, id: { S: '5' } } } },
    ] } })), 'AccessDeniedException', /dynamodb:BatchWriteItem/);
    assert.equal((await ddb(server).send(new GetItemCommand({ TableName: 'Notes', Key: { owner: { S: 'ana' }, id: { S: '5' } } }))).Item, undefined);
  });

  test('batches and transactions ask for each table’s action', async () => {
    await rejects(ddb(server, reader).send(new BatchGetItemCommand({ RequestItems: { Notes: { Keys: [{ owner: { S: 'ana' }, id: { S: '1' } }] } } })),
      'AccessDeniedException', /dynamodb:BatchGetItem on resource: arn:aws:dynamodb:us-east-1:000000000000:table\/Notes/);
    const writer = await userWith(server, 'writer', [{ Effect: 'Allow', Action: ['dynamodb:PutItem', 'dynamodb:ConditionCheckItem'], Resource: ARN }]);
    await ddb(server, writer).send(new TransactWriteItemsCommand({ TransactItems: [{ Put: { TableName: 'Notes', Item: { owner: { S: 'w' }, id: { S: '1' } } } }] }));
    await rejects(ddb(server, writer).send(new TransactWriteItemsCommand({ TransactItems: [
      { Put: { TableName: 'Notes', Item: { owner: { S: 'w' }, id: { S: '2' } } } }, { Delete: { TableName: 'Notes', Key: { owner: { S: 'w' }, id: { S: '1' } } } },
    ] })), 'AccessDeniedException', /dynamodb:DeleteItem/);
    assert.equal((await ddb(server).send(new GetItemCommand({ TableName: 'Notes', Key: { owner: { S: 'w' }, id: { S: '2' } } }))).Item, undefined);
  });

  test('a resource policy grants in the account, its Deny wins, and it is remembered per version', async () => {
    const root = ddb(server);
    await rejects(root.send(new GetResourcePolicyCommand({ ResourceArn: ARN })), 'PolicyNotFoundException');
    const { RevisionId } = await root.send(new PutResourcePolicyCommand({
      ResourceArn: ARN,
      Policy: policy(
        { Sid: 'LetNobodyRead', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:user/nobody` }, Action: 'dynamodb:GetItem', Resource: ARN },
        { Sid: 'NoReaderWrites', Effect: 'Deny', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:user/reader` }, Action: 'dynamodb:GetItem', Resource: ARN },
      ),
    }));
    assert.ok(RevisionId);
    const got = await root.send(new GetResourcePolicyCommand({ ResourceArn: ARN }));
    assert.equal(got.RevisionId, RevisionId);
    assert.match(got.Policy!, /LetNobodyRead/);
    await ddb(server, nobody).send(new GetItemCommand({ TableName: 'Notes', Key: { owner: { S: 'ana' }, id: { S: '1' } } }));
    await rejects(ddb(server, reader).send(new GetItemCommand({ TableName: 'Notes', Key: { owner: { S: 'ana' }, id: { S: '1' } } })), 'AccessDeniedException',
      `User: arn:aws:iam::${ACCOUNT}:user/reader is not authorized to perform: dynamodb:GetItem on resource: ${ARN} with an explicit deny in a resource-based policy`);
    // A new version replaces the old at once.
    await root.send(new PutResourcePolicyCommand({ ResourceArn: ARN, ExpectedRevisionId: RevisionId, Policy: policy({ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'dynamodb:DescribeTable', Resource: ARN }) }));
    await rejects(ddb(server, nobody).send(new GetItemCommand({ TableName: 'Notes', Key: { owner: { S: 'ana' }, id: { S: '1' } } })), 'AccessDeniedException');
    await ddb(server, reader).send(new GetItemCommand({ TableName: 'Notes', Key: { owner: { S: 'ana' }, id: { S: '1' } } }));
    await rejects(root.send(new PutResourcePolicyCommand({ ResourceArn: ARN, ExpectedRevisionId: 'stale', Policy: policy({ Effect: 'Allow', Principal: '*', Action: 'dynamodb:GetItem', Resource: ARN }) })),
      'PolicyNotFoundException');
  });

  test('another account: needs its own identity policy and the table’s resource policy; names the table by ARN', async () => {
    const root = ddb(server);
    const key = { owner: { S: 'ana' }, id: { S: '1' } };
    await rejects(ddb(server, visitor).send(new GetItemCommand({ TableName: ARN, Key: key })), 'AccessDeniedException',
      `User: arn:aws:iam::${OTHER}:user/visitor is not authorized to perform: dynamodb:GetItem on resource: ${ARN} because no resource-based policy allows the dynamodb:GetItem action`);
    await root.send(new PutResourcePolicyCommand({ ResourceArn: ARN, Policy: policy({ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${OTHER}:root` }, Action: 'dynamodb:GetItem', Resource: ARN }) }));
    const got = await ddb(server, visitor).send(new GetItemCommand({ TableName: ARN, Key: key }));
    assert.equal(got.Item?.secret.S, "ana's");
    const stranger = await userWith(server, 'stranger', undefined, other);
    await rejects(ddb(server, stranger).send(new GetItemCommand({ TableName: ARN, Key: key })), 'AccessDeniedException', /because no identity-based policy allows/);
    await rejects(ddb(server, visitor).send(new PutItemCommand({ TableName: ARN, Item: { owner: { S: 'v' }, id: { S: '1' } } })), 'AccessDeniedException');
    // By name, the visitor's own account is meant: no such table there.
    await rejects(ddb(server, visitor).send(new GetItemCommand({ TableName: 'Notes', Key: key })), 'ResourceNotFoundException');
    await root.send(new DeleteResourcePolicyCommand({ ResourceArn: ARN }));
    await rejects(ddb(server, visitor).send(new GetItemCommand({ TableName: ARN, Key: key })), 'AccessDeniedException');
  });

  test('CreateTable with tags or a resource policy also asks for TagResource and PutResourcePolicy', async () => {
    const creator = await userWith(server, 'creator', [{ Effect: 'Allow', Action: 'dynamodb:CreateTable', Resource: '*' }]);
    const arn = `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/Made`;
    await rejects(createTable(ddb(server, creator), 'Made', ['id', 'S'], undefined, { Tags: [{ Key: 'team', Value: 'a' }] }), 'AccessDeniedException', /dynamodb:TagResource/);
    await rejects(createTable(ddb(server, creator), 'Made', ['id', 'S'], undefined, {
      ResourcePolicy: policy({ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'dynamodb:GetItem', Resource: arn }),
    }), 'AccessDeniedException', /dynamodb:PutResourcePolicy/);
    const { TableDescription } = await createTable(ddb(server), 'Made', ['id', 'S'], undefined, {
      ResourcePolicy: policy({ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:user/nobody` }, Action: 'dynamodb:GetItem', Resource: arn }),
    });
    assert.equal(TableDescription?.TableArn, arn);
    assert.match((await ddb(server).send(new GetResourcePolicyCommand({ ResourceArn: arn }))).Policy!, /user\/nobody/);
    // The policy made with the table grants at once.
    await ddb(server, nobody).send(new GetItemCommand({ TableName: 'Made', Key: { id: { S: 'x' } } }));
  });

  test('resource policies are validated: DynamoDB actions, this table’s resources, a principal', async () => {
    const put = (p: string) => ddb(server).send(new PutResourcePolicyCommand({ ResourceArn: ARN, Policy: p }));
    await rejects(put(policy({ Effect: 'Allow', Principal: '*', Action: 'dynamodb:GetItems', Resource: ARN })), 'ValidationException',
      'One or more parameter values were invalid: Invalid policy document: The following action names are invalid: "dynamodb:GetItems"');
    await rejects(put(policy({ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: ARN })), 'ValidationException', /The following action names are invalid/);
    await rejects(put(policy({ Effect: 'Allow', Action: 'dynamodb:GetItem', Resource: ARN })), 'ValidationException', /Invalid policy document/);
    await rejects(put(policy({ Effect: 'Allow', Principal: '*', Action: 'dynamodb:GetItem', Resource: `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/Other` })), 'ValidationException', /does not belong to the table/);
    await rejects(put('{"Version":"2012-10-17","Statement":['), 'ValidationException', /Invalid policy document/);
  });
});

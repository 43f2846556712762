import { CreateTableCommand, DynamoDBClient, type CreateTableCommandInput } from '@aws-sdk/client-dynamodb';
import { clientConfig, type TestServer } from '../helpers/server.js';
import type { Creds } from './s3-support.js';

/** A DynamoDB client for the test server. */
export function ddb(server: TestServer, creds: Creds = server.root, region = 'us-east-1'): DynamoDBClient {
  return new DynamoDBClient(clientConfig(server, creds, region));
}

/** CreateTable with a hash key (and a range key), on demand. */
export async function createTable(
  client: DynamoDBClient, name: string, hash: [string, 'S' | 'N' | 'B'], range?: [string, 'S' | 'N' | 'B'], extra: Partial<CreateTableCommandInput> = {},
) {
  const defs = [{ AttributeName: hash[0], AttributeType: hash[1] }, ...(range ? [{ AttributeName: range[0], AttributeType: range[1] }] : [])];
  const keys = [{ AttributeName: hash[0], KeyType: 'HASH' as const }, ...(range ? [{ AttributeName: range[0], KeyType: 'RANGE' as const }] : [])];
  return client.send(new CreateTableCommand({
    TableName: name, BillingMode: 'PAY_PER_REQUEST', AttributeDefinitions: [...defs, ...(extra.AttributeDefinitions ?? [])], KeySchema: keys,
    ...Object.fromEntries(Object.entries(extra).filter(([k]) => k !== 'AttributeDefinitions')),
  }));
}

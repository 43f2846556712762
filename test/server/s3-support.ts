import { S3Client } from '@aws-sdk/client-s3';
import { IAMClient, CreateAccessKeyCommand, CreateUserCommand, PutUserPolicyCommand } from '@aws-sdk/client-iam';
import { clientConfig, type TestServer } from '../helpers/server.js';

export interface Creds {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/** An S3 client for the test server: path-style (the endpoint is an IP address), signing for `region`. */
export function s3(server: TestServer, creds: Creds = server.root, region = 'us-east-1'): S3Client {
  return new S3Client({ ...clientConfig(server, creds, region), forcePathStyle: true });
}

export function iam(server: TestServer, creds: Creds = server.root): IAMClient {
  return new IAMClient(clientConfig(server, creds));
}

/** A user with an inline policy and an access key. */
export async function userWith(server: TestServer, name: string, statements: unknown[] | undefined, creds: Creds = server.root): Promise<Creds> {
  const client = iam(server, creds);
  await client.send(new CreateUserCommand({ UserName: name }));
  if (statements) {
    await client.send(new PutUserPolicyCommand({ UserName: name, PolicyName: 'p', PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: statements }) }));
  }
  const { AccessKey } = await client.send(new CreateAccessKeyCommand({ UserName: name }));
  return { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! };
}

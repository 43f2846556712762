import { request as httpRequest } from 'node:http';
import { createHash } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import { HttpRequest } from '@smithy/protocol-http';
import { Sha256 } from '@aws-crypto/sha256-js';
import { S3Client } from '@aws-sdk/client-s3';
import { IAMClient, CreateAccessKeyCommand, CreateUserCommand, PutUserPolicyCommand } from '@aws-sdk/client-iam';
import { clientConfig, type TestServer } from '../helpers/server.js';
import { adminPost } from './sts-support.js';

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

/** Another account on the test server, with its root's credentials. */
export async function otherAccount(server: TestServer, accountId: string): Promise<Creds> {
  const made = await adminPost(server, '/_iamlocal/accounts', { accountId }, server.root);
  if (made.status !== 201 && made.status !== 200) throw new Error(`account ${accountId}: ${JSON.stringify(made.json)}`);
  return { accessKeyId: made.json.rootAccessKeyId, secretAccessKey: made.json.rootSecretAccessKey };
}

/** An unsigned request, as a browser or curl sends one. */
export async function anonymous(server: TestServer, method: string, path: string, init: { headers?: Record<string, string>; body?: string } = {}): Promise<{ status: number; text: string; headers: Headers }> {
  const res = await fetch(`${server.url}${path}`, { method, headers: init.headers, body: init.body });
  return { status: res.status, text: await res.text(), headers: res.headers };
}

/** The <Code> and <Message> of an S3 error body. */
export function s3Error(text: string): { code?: string; message?: string } {
  return { code: /<Code>([^<]*)<\/Code>/.exec(text)?.[1], message: /<Message>([^<]*)<\/Message>/.exec(text)?.[1]?.replace(/&quot;/g, '"').replace(/&amp;/g, '&') };
}

/** A request with a Host header of our choosing (fetch does not let one be set): virtual-hosted style. */
export function rawRequest(server: TestServer, method: string, path: string, headers: Record<string, string>, body?: string | Buffer): Promise<{ status: number; text: string; headers: Record<string, string | string[] | undefined> }> {
  const u = new URL(server.url);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: u.hostname, port: Number(u.port), method, path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8'), headers: res.headers }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** An S3 Control request (no SDK client here), signed as S3 signs: service "s3", payload hashed. */
export async function s3control(server: TestServer, method: string, path: string, accountId: string, creds: Creds, body = ''): Promise<{ status: number; text: string }> {
  const u = new URL(server.url);
  const signer = new SignatureV4({ service: 's3', region: 'us-east-1', credentials: creds, sha256: Sha256, uriEscapePath: false });
  const hash = createHash('sha256').update(body).digest('hex');
  const signed = await signer.sign(new HttpRequest({
    method, protocol: 'http:', hostname: u.hostname, port: Number(u.port), path,
    headers: { host: u.host, 'x-amz-account-id': accountId, 'x-amz-content-sha256': hash, ...(body ? { 'content-type': 'application/xml' } : {}) },
    body: body || undefined,
  }));
  const res = await fetch(`${server.url}${path}`, { method, headers: signed.headers, body: body || undefined });
  return { status: res.status, text: await res.text() };
}

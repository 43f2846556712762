import { DescribeImagesCommand, EC2Client } from '@aws-sdk/client-ec2';
import { clientConfig, startTestServer, type TestServer } from '../helpers/server.js';
import type { Creds } from './s3-support.js';

/** An EC2 client for the test server in `region`. */
export function ec2(server: TestServer, creds: Creds = server.root, region = 'us-east-1'): EC2Client {
  return new EC2Client(clientConfig(server, creds, region));
}

/** A fresh server, root's EC2 client and the catalogue's Amazon Linux 2023 x86_64 image. */
export async function startEc2Server(): Promise<{ server: TestServer; client: EC2Client; image: string }> {
  const server = await startTestServer();
  const client = ec2(server);
  const image = (await client.send(new DescribeImagesCommand({ Filters: [{ Name: 'name', Values: ['al2023-*-x86_64'] }] }))).Images![0].ImageId!;
  return { server, client, image };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits for an instance to leave a passing state (pending, stopping, shutting-down take 2 s by the server clock). */
export const TRANSITION_WAIT_MS = 2200;

/** The trust policy of an EC2 instance role. */
export const EC2_TRUST = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }],
});

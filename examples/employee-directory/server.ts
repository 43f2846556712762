#!/usr/bin/env node
/**
 * Seed 000's employee directory: `node dist/examples/employee-directory/server.js`.
 * Configured by PHOTOS_BUCKET, AWS_DEFAULT_REGION and DYNAMO_MODE=on (as the seed's user
 * data exports them) and PORT (default 8080; 0 takes a free one). It holds no
 * credentials: the SDK's default chain finds the instance role's in the instance metadata
 * service when the app runs under `iamlocal run-as INSTANCE_ID -- …` (or on EC2).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { createApp } from './app.js';
import { ConfigError, configFromEnv, type AppConfig } from './config.js';
import { Employees } from './employees.js';
import { instanceInfo } from './instance.js';
import { Photos } from './photos.js';

export async function startDirectory(config: AppConfig): Promise<{ server: Server; url: string }> {
  // The endpoint, if any, is the SDK's own setting (AWS_ENDPOINT_URL); credentials come from its chain.
  const dynamodb = new DynamoDBClient({ region: config.region });
  const s3 = new S3Client({ region: config.region });
  const app = createApp({
    employees: new Employees(dynamodb, config.table),
    photos: new Photos(s3, config.photosBucket),
    instance: await instanceInfo(),
  });
  const server = createServer({ requestTimeout: 30_000 }, app);
  server.on('clientError', (_err, socket) => socket.destroy());
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return { server, url: `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}` };
}

async function main(): Promise<void> {
  let config: AppConfig;
  try {
    config = configFromEnv();
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(`employee-directory: ${err.message}\n`);
    process.exit(2);
  }
  const { server, url } = await startDirectory(config);
  process.stdout.write(`employee directory listening on ${url} (bucket ${config.photosBucket}, table ${config.table}, region ${config.region})\n`);
  const stop = () => server.close(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();

#!/usr/bin/env node
/**
 * `node dist/examples/employee-directory/setup.js` (npm run example:employee-directory):
 * against a running iamlocal, creates seed 000's setup — the role trusted by
 * ec2.amazonaws.com with AmazonS3FullAccess and AmazonDynamoDBFullAccess, its instance
 * profile, the photos bucket, the Employees table, a t2.micro launched with that profile
 * and the seed's user data — then starts the app with `iamlocal run-as INSTANCE_ID`, so it
 * has the instance role's credentials and nothing else. Rerunning reuses what exists.
 *
 * Endpoint: AWS_ENDPOINT_URL (default http://127.0.0.1:4566). Credentials: the account's
 * root, from AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY or IAMLOCAL_DATA_DIR's (default
 * ./.iamlocal) root-credentials.csv. Region: AWS_DEFAULT_REGION/AWS_REGION (us-east-1).
 * PHOTOS_BUCKET names the bucket (default employee-directory-photos-ACCOUNT); PORT the
 * app's port (default 8080). `--setup-only` creates the setup and prints it as JSON.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DescribeImagesCommand, DescribeInstancesCommand, EC2Client, RunInstancesCommand, StartInstancesCommand, type Instance } from '@aws-sdk/client-ec2';
import {
  AddRoleToInstanceProfileCommand,
  AttachRolePolicyCommand,
  CreateInstanceProfileCommand,
  CreateRoleCommand,
  GetInstanceProfileCommand,
  IAMClient,
} from '@aws-sdk/client-iam';
import { CreateBucketCommand, S3Client, type BucketLocationConstraint } from '@aws-sdk/client-s3';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import {
  DYNAMODB_POLICY_ARN,
  exportsOf,
  INSTANCE_NAME,
  INSTANCE_PROFILE_NAME,
  INSTANCE_TYPE,
  ROLE_DESCRIPTION,
  ROLE_NAME,
  S3_POLICY_ARN,
  TABLE_NAME,
  TRUST_POLICY,
  userData,
} from './seed.js';

export interface Target {
  endpoint: string;
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  /** The bucket's name; default employee-directory-photos-ACCOUNT. */
  bucket?: string;
}

export interface Setup {
  accountId: string;
  roleName: string;
  roleArn: string;
  instanceProfileName: string;
  bucket: string;
  table: string;
  instanceId: string;
  /** What the instance's user data exports: the app's whole configuration. */
  appEnv: Record<string, string>;
}

/** Creates (or finds) every piece of seed 000's setup. */
export async function setUp(target: Target, log: (line: string) => void = () => {}): Promise<Setup> {
  const config = { endpoint: target.endpoint, region: target.region, credentials: target.credentials };
  const iam = new IAMClient(config);
  const { Account: accountId = '' } = await new STSClient(config).send(new GetCallerIdentityCommand({}));

  const roleArn = `arn:aws:iam::${accountId}:role/${ROLE_NAME}`;
  await ignoring('EntityAlreadyExistsException', () =>
    iam.send(new CreateRoleCommand({ RoleName: ROLE_NAME, AssumeRolePolicyDocument: TRUST_POLICY, Description: ROLE_DESCRIPTION })),
  );
  for (const PolicyArn of [S3_POLICY_ARN, DYNAMODB_POLICY_ARN]) await iam.send(new AttachRolePolicyCommand({ RoleName: ROLE_NAME, PolicyArn }));
  log(`role ${roleArn}: trusted by ec2.amazonaws.com, AmazonS3FullAccess and AmazonDynamoDBFullAccess attached`);

  await ignoring('EntityAlreadyExistsException', () => iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: INSTANCE_PROFILE_NAME })));
  const { InstanceProfile } = await iam.send(new GetInstanceProfileCommand({ InstanceProfileName: INSTANCE_PROFILE_NAME }));
  if (!InstanceProfile?.Roles?.some((r) => r.RoleName === ROLE_NAME)) {
    await iam.send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: INSTANCE_PROFILE_NAME, RoleName: ROLE_NAME }));
  }
  log(`instance profile ${INSTANCE_PROFILE_NAME}`);

  const bucket = target.bucket || `employee-directory-photos-${accountId}`;
  const s3 = new S3Client(config);
  await ignoring('BucketAlreadyOwnedByYou', () =>
    s3.send(
      new CreateBucketCommand({
        Bucket: bucket,
        ...(target.region === 'us-east-1' ? {} : { CreateBucketConfiguration: { LocationConstraint: target.region as BucketLocationConstraint } }),
      }),
    ),
  );
  log(`bucket ${bucket}`);

  const dynamodb = new DynamoDBClient(config);
  await ignoring('ResourceInUseException', () =>
    dynamodb.send(
      new CreateTableCommand({
        TableName: TABLE_NAME,
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    ),
  );
  await until(`table ${TABLE_NAME} active`, async () => (await dynamodb.send(new DescribeTableCommand({ TableName: TABLE_NAME }))).Table?.TableStatus === 'ACTIVE');
  log(`table ${TABLE_NAME} (hash key id, a string)`);

  const script = userData(bucket, target.region);
  const instanceId = await launch(new EC2Client(config), script);
  log(`instance ${instanceId} (${INSTANCE_TYPE}, instance profile ${INSTANCE_PROFILE_NAME}, the seed's user data) running`);

  return { accountId, roleName: ROLE_NAME, roleArn, instanceProfileName: INSTANCE_PROFILE_NAME, bucket, table: TABLE_NAME, instanceId, appEnv: exportsOf(script) };
}

/** The app's instance: the one a previous run launched (started again if stopped), or a new one. */
async function launch(ec2: EC2Client, script: string): Promise<string> {
  const live = ['pending', 'running', 'stopping', 'stopped'];
  const found = await ec2.send(
    new DescribeInstancesCommand({ Filters: [{ Name: 'tag:Name', Values: [INSTANCE_NAME] }, { Name: 'instance-state-name', Values: live }] }),
  );
  const existing = found.Reservations?.flatMap((r) => r.Instances ?? [])[0];
  let instanceId = existing?.InstanceId;
  if (instanceId && existing?.State?.Name === 'stopping') await until(`instance ${instanceId} stopped`, async () => (await state(ec2, instanceId!)) === 'stopped');
  if (instanceId && ['stopping', 'stopped'].includes(existing?.State?.Name ?? '')) await ec2.send(new StartInstancesCommand({ InstanceIds: [instanceId] }));
  if (!instanceId) {
    const run = await ec2.send(
      new RunInstancesCommand({
        ImageId: await amazonLinux2(ec2),
        InstanceType: INSTANCE_TYPE,
        MinCount: 1,
        MaxCount: 1,
        IamInstanceProfile: { Name: INSTANCE_PROFILE_NAME },
        UserData: Buffer.from(script).toString('base64'),
        TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'Name', Value: INSTANCE_NAME }] }],
      }),
    );
    instanceId = run.Instances?.[0]?.InstanceId;
    if (!instanceId) throw new Error('RunInstances returned no instance');
  }
  await until(`instance ${instanceId} running`, async () => (await state(ec2, instanceId!)) === 'running');
  return instanceId;
}

async function state(ec2: EC2Client, id: string): Promise<string | undefined> {
  const out = await ec2.send(new DescribeInstancesCommand({ InstanceIds: [id] }));
  return out.Reservations?.[0]?.Instances?.[0]?.State?.Name;
}

/** The seed picks Amazon Linux 2; the newest such image (Amazon Linux 2023 if the catalogue has no AL2). */
async function amazonLinux2(ec2: EC2Client): Promise<string> {
  for (const name of ['amzn2-ami-hvm-*-x86_64-gp2', 'al2023-ami-*-x86_64']) {
    const { Images = [] } = await ec2.send(new DescribeImagesCommand({ Owners: ['amazon'], Filters: [{ Name: 'name', Values: [name] }] }));
    const newest = Images.filter((i) => i.ImageId).sort((a, b) => (b.CreationDate ?? '').localeCompare(a.CreationDate ?? ''))[0];
    if (newest?.ImageId) return newest.ImageId;
  }
  throw new Error('no Amazon Linux image in the region');
}

async function ignoring(code: string, call: () => Promise<unknown>): Promise<void> {
  try {
    await call();
  } catch (err) {
    if ((err as Error).name !== code) throw err;
  }
}

async function until(what: string, ready: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await ready())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

const here = fileURLToPath(new URL('.', import.meta.url));
/** The bundled `iamlocal` command and the compiled app, side by side in dist/. */
export const IAMLOCAL_CLI = join(here, '..', '..', 'iamlocal.js');
export const SERVER_JS = join(here, 'server.js');

export interface RunningApp {
  child: ChildProcess;
  url: string;
  /** Everything the app printed (stdout and stderr), for diagnosis. */
  output(): string;
  stop(): Promise<void>;
}

/**
 * Starts the app as the instance: `iamlocal run-as INSTANCE_ID -- node server.js` with
 * the user data's exports. run-as hands the app the instance's metadata endpoint and
 * removes every other AWS credential from its environment.
 */
export function startApp(setup: Setup, target: Target, options: { port?: number; env?: NodeJS.ProcessEnv; echo?: boolean } = {}): Promise<RunningApp> {
  const env: NodeJS.ProcessEnv = {
    ...(options.env ?? process.env),
    // Where run-as finds the instance's metadata service; the app's SDK gets it too.
    AWS_ENDPOINT_URL: target.endpoint,
    ...setup.appEnv,
    ...(options.port !== undefined ? { PORT: String(options.port) } : {}),
  };
  // run-as removes them too; the setup's own credentials are never handed on.
  for (const name of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_PROFILE']) delete env[name];
  const child = spawn(process.execPath, [IAMLOCAL_CLI, 'run-as', setup.instanceId, '--', process.execPath, SERVER_JS], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise<RunningApp>((resolve, reject) => {
    const onData = (stream: NodeJS.WriteStream) => (d: Buffer) => {
      out += d.toString();
      if (options.echo) stream.write(d);
      const m = /employee directory listening on (http:\/\/\S+)/.exec(out);
      if (m) {
        resolve({
          child,
          url: m[1],
          output: () => out,
          async stop() {
            if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
            await exited;
          },
        });
      }
    };
    child.stdout!.on('data', onData(process.stdout));
    child.stderr!.on('data', onData(process.stderr));
    child.once('exit', (code, signal) => reject(new Error(`the app exited (${signal ?? code}) before listening:\n${out}`)));
  });
}

/** The root credentials: from the environment, else the data directory's CSV. */
function rootCredentials(): Target['credentials'] {
  const { AWS_ACCESS_KEY_ID: accessKeyId, AWS_SECRET_ACCESS_KEY: secretAccessKey } = process.env;
  if (accessKeyId && secretAccessKey) return { accessKeyId, secretAccessKey };
  const csv = join(process.env.IAMLOCAL_DATA_DIR || '.iamlocal', 'root-credentials.csv');
  if (!existsSync(csv)) throw new Error(`no credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or start iamlocal here (it writes ${csv})`);
  const [id, secret] = (readFileSync(csv, 'utf8').trim().split('\n')[1] ?? '').split(',');
  if (!id || !secret) throw new Error(`${csv} holds no access key`);
  return { accessKeyId: id.trim(), secretAccessKey: secret.trim() };
}

async function main(): Promise<void> {
  const target: Target = {
    endpoint: process.env.AWS_ENDPOINT_URL || 'http://127.0.0.1:4566',
    region: process.env.AWS_DEFAULT_REGION || process.env.AWS_REGION || 'us-east-1',
    credentials: rootCredentials(),
    bucket: process.env.PHOTOS_BUCKET,
  };
  const setup = await setUp(target, (line) => process.stderr.write(`setup: ${line}\n`));
  if (process.argv.includes('--setup-only')) {
    process.stdout.write(`${JSON.stringify(setup, null, 2)}\n`);
    return;
  }
  const app = await startApp(setup, target, { echo: true });
  process.stderr.write(`setup: the app runs as ${setup.instanceId} (role ${setup.roleName}); open ${app.url}\n`);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void app.stop());
  await new Promise<void>((resolve) => app.child.once('exit', (code) => ((process.exitCode = code ?? 0), resolve())));
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((err: unknown) => {
    const e = err as Error;
    process.stderr.write(`setup: ${e.name && e.name !== 'Error' ? `${e.name}: ` : ''}${e.message}\n`);
    process.exitCode = 1;
  });
}

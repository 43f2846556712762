import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startImdsProxy } from './imds-proxy.js';

const usage = `usage: iamlocal run-as INSTANCE_ID [--endpoint-url URL] -- COMMAND [ARG…]

Runs COMMAND as if on the EC2 instance: its only AWS credentials are the instance role's,
from the instance's metadata service. The environment gets
  AWS_EC2_METADATA_SERVICE_ENDPOINT  the instance's metadata service (a local port)
  AWS_ENDPOINT_URL                   the iamlocal server (--endpoint-url, else $AWS_ENDPOINT_URL, else http://127.0.0.1:4566)
  AWS_REGION, AWS_DEFAULT_REGION     the instance's region
and loses every other credential setting (keys, profile, container and web identity
settings); AWS_SHARED_CREDENTIALS_FILE and AWS_CONFIG_FILE name an empty file.
`;

/** Variables that would give the process credentials other than the instance's. */
const REMOVED = [
  'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_SECURITY_TOKEN', 'AWS_CREDENTIAL_EXPIRATION', 'AWS_PROFILE', 'AWS_DEFAULT_PROFILE',
  'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI', 'AWS_CONTAINER_CREDENTIALS_FULL_URI', 'AWS_CONTAINER_AUTHORIZATION_TOKEN', 'AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE',
  'AWS_WEB_IDENTITY_TOKEN_FILE', 'AWS_ROLE_ARN', 'AWS_ROLE_SESSION_NAME', 'AWS_EC2_METADATA_DISABLED', 'AWS_EC2_METADATA_V1_DISABLED',
  'AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE',
];

export async function runRunAsCommand(args: string[]): Promise<number> {
  const dash = args.indexOf('--');
  const own = dash === -1 ? args : args.slice(0, dash);
  const command = dash === -1 ? [] : args.slice(dash + 1);
  if (own.includes('-h') || own.includes('--help')) {
    process.stdout.write(usage);
    return 0;
  }
  let endpoint = process.env.AWS_ENDPOINT_URL || 'http://127.0.0.1:4566';
  const positional: string[] = [];
  for (let i = 0; i < own.length; i++) {
    if (own[i] === '--endpoint-url') endpoint = own[++i] ?? '';
    else positional.push(own[i]);
  }
  const [instanceId] = positional;
  if (!instanceId || positional.length > 1 || command.length === 0) {
    process.stderr.write(usage);
    return 2;
  }
  const region = await instanceRegion(endpoint, instanceId);
  const proxy = await startImdsProxy(endpoint, instanceId);
  const dir = mkdtempSync(join(tmpdir(), 'iamlocal-run-as-'));
  const empty = join(dir, 'empty');
  writeFileSync(empty, '');
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of REMOVED) delete env[name];
  Object.assign(env, {
    AWS_EC2_METADATA_SERVICE_ENDPOINT: proxy.url,
    AWS_ENDPOINT_URL: endpoint,
    AWS_REGION: region,
    AWS_DEFAULT_REGION: region,
    AWS_SHARED_CREDENTIALS_FILE: empty,
    AWS_CONFIG_FILE: empty,
  });
  try {
    return await new Promise<number>((resolve, reject) => {
      const child = spawn(command[0], command.slice(1), { env, stdio: 'inherit' });
      const forward = (signal: NodeJS.Signals) => child.kill(signal);
      process.on('SIGINT', forward);
      process.on('SIGTERM', forward);
      child.on('error', reject);
      child.on('exit', (code, signal) => {
        process.off('SIGINT', forward);
        process.off('SIGTERM', forward);
        resolve(code ?? (signal ? 128 + 15 : 1));
      });
    });
  } finally {
    await proxy.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The instance's region, from its identity document (which also proves its metadata service answers). */
async function instanceRegion(endpoint: string, instanceId: string): Promise<string> {
  const base = new URL(`/_iamlocal/imds/${encodeURIComponent(instanceId)}/latest/`, endpoint);
  let res: Response;
  try {
    res = await fetch(new URL('api/token', base), { method: 'PUT', headers: { 'x-aws-ec2-metadata-token-ttl-seconds': '60' } });
  } catch (err) {
    throw new Error(`no iamlocal server at ${endpoint} (${err instanceof Error ? err.message : String(err)}); start one or pass --endpoint-url`);
  }
  if (!res.ok) throw new Error((await res.text()).trim().replace(/^iamlocal: /, '') || `instance ${instanceId}: HTTP ${res.status}`);
  const token = await res.text();
  const doc = await fetch(new URL('dynamic/instance-identity/document', base), { headers: { 'x-aws-ec2-metadata-token': token } });
  if (!doc.ok) throw new Error(`instance ${instanceId}: HTTP ${doc.status} from its metadata service`);
  return ((await doc.json()) as { region: string }).region;
}

import type { IAMClient } from '@aws-sdk/client-iam';
import type { OrganizationsClient } from '@aws-sdk/client-organizations';

/**
 * The API clients export and apply use: the AWS SDK for JavaScript, pointed at a running
 * iamlocal, signing with the caller's credentials (the account's root, as printed by
 * `iamlocal start`). Everything goes through the API: authenticated, authorized, logged.
 */
export interface Clients {
  iam: IAMClient;
  orgs: OrganizationsClient;
  accountId: string;
  endpoint: string;
}

export async function connect(endpoint: string | undefined, env: NodeJS.ProcessEnv = process.env): Promise<Clients> {
  const url = endpoint ?? env.AWS_ENDPOINT_URL ?? 'http://127.0.0.1:4566';
  const accessKeyId = env.AWS_ACCESS_KEY_ID;
  const secretAccessKey = env.AWS_SECRET_ACCESS_KEY;
  if (!accessKeyId || !secretAccessKey) {
    throw new Error('set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (the account root credentials `iamlocal start` prints)');
  }
  const credentials = { accessKeyId, secretAccessKey, ...(env.AWS_SESSION_TOKEN ? { sessionToken: env.AWS_SESSION_TOKEN } : {}) };
  const config = { endpoint: url, region: 'us-east-1', credentials, maxAttempts: 1 };
  // Loaded on demand: `iamlocal start` never needs them.
  const [{ IAMClient }, { OrganizationsClient }, { STSClient, GetCallerIdentityCommand }] = await Promise.all([
    import('@aws-sdk/client-iam'),
    import('@aws-sdk/client-organizations'),
    import('@aws-sdk/client-sts'),
  ]);
  const { Account } = await new STSClient(config).send(new GetCallerIdentityCommand({}));
  return { iam: new IAMClient(config), orgs: new OrganizationsClient(config), accountId: Account!, endpoint: url };
}

/** An SDK error's AWS code (the SDK names modeled errors by shape). */
export function errorCode(err: unknown): string {
  const name = (err as { name?: string })?.name ?? '';
  return name.replace(/Exception$/, '');
}

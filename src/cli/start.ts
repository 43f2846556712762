import { parseConfig } from '../server/config.js';
import { startServer } from '../server/start.js';

const help = `usage: iamlocal start [options]

  --host HOST          address to listen on (IAMLOCAL_HOST, default 127.0.0.1)
  --port PORT          port (IAMLOCAL_PORT, default 4566; 0 takes a free one and prints it)
  --data-dir DIR       where state lives (IAMLOCAL_DATA_DIR, default ./.iamlocal)
  --account-id ID      the default account (IAMLOCAL_ACCOUNT_ID, default 000000000000)
  --auth MODE          enforce | audit | off (IAMLOCAL_AUTH, default enforce)
  --log-format FMT     text | json | none (IAMLOCAL_LOG_FORMAT, default text)
  --max-connections N  connections served at once; more get 503 (IAMLOCAL_MAX_CONNECTIONS, default 4096)
  --head-timeout-ms MS a request head must arrive within MS of its first byte (IAMLOCAL_HEAD_TIMEOUT_MS, default 10000)

IAMLOCAL_ROOT_ACCESS_KEY_ID and IAMLOCAL_ROOT_SECRET_ACCESS_KEY pin the root credentials;
IAMLOCAL_ROOT_PASSWORD pins the root user's console password.
`;

/** `iamlocal start`: serve until SIGINT/SIGTERM. */
export async function runStartCommand(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(help);
    return 0;
  }
  const config = parseConfig(argv);
  const server = await startServer(config);
  process.stdout.write(
    `iamlocal ${server.app.version} listening on ${server.url} (account ${config.accountId}, auth ${config.auth})\n` +
      `root credentials (also in ${config.dataDir}/root-credentials.csv):\n` +
      `export AWS_ACCESS_KEY_ID=${server.rootAccessKeyId} AWS_SECRET_ACCESS_KEY=${server.rootSecretAccessKey} AWS_ENDPOINT_URL=${server.url} AWS_REGION=us-east-1 AWS_DEFAULT_REGION=us-east-1\n` +
      `console: ${server.url}/_iamlocal/console/ (root user, account ${config.accountId}, password ${server.rootPassword ?? `in ${config.dataDir}/root-password.txt`})\n`,
  );
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await server.close();
  return 0;
}

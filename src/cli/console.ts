import { CONSOLE_PREFIX } from '../console/paths.js';
import { parseConfig } from '../server/config.js';

/** `iamlocal console`: the web console's URL for the server `iamlocal start` would run with the same options. */
export function runConsoleCommand(argv: string[]): number {
  const config = parseConfig(argv);
  const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host.includes(':') ? `[${config.host}]` : config.host;
  process.stdout.write(
    `http://${host}:${config.port}${CONSOLE_PREFIX}\n` +
      `sign in as the root user with account ${config.accountId} and the password \`iamlocal start\` printed (${config.dataDir}/root-password.txt)\n`,
  );
  return 0;
}

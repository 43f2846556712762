import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CONSOLE_PREFIX } from '../console/paths.js';
import { parseConfig } from '../server/config.js';

/**
 * `iamlocal console`: the web console's URL for the server `iamlocal start` would run with
 * the same options, and how the root user signs in (the pinned password, or the one kept
 * in the data directory).
 */
export function runConsoleCommand(argv: string[]): number {
  const config = parseConfig(argv);
  const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host.includes(':') ? `[${config.host}]` : config.host;
  const file = join(config.dataDir, 'root-password.txt');
  let password: string | undefined = config.rootPassword;
  if (password === undefined) {
    try {
      password = readFileSync(file, 'utf8').trim();
    } catch {
      // not started yet with this data directory: `iamlocal start` makes and prints it
    }
  }
  process.stdout.write(
    `http://${host}:${config.port}${CONSOLE_PREFIX}\n` +
      `root user: account ${config.accountId}, password ${password ?? `printed by \`iamlocal start\` (kept in ${file})`}\n` +
      `IAM users: account ${config.accountId} (or its alias), user name and console password\n`,
  );
  return 0;
}

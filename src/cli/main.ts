#!/usr/bin/env node
/** The `iamlocal` command: dispatches to a subcommand. */
const [command, ...rest] = process.argv.slice(2);

// Uploads wait for fsync in libuv's thread pool (4 threads by default): more of them lets
// more uploads sync at once. Read when the pool starts, so set before any file I/O.
process.env.UV_THREADPOOL_SIZE ??= '16';

const usage = `usage: iamlocal <command> [options]

commands:
  start                 serve the local AWS account (see iamlocal start --help)
  console               print the web console's URL (same --host/--port as start)
  policy validate …     validate policy files like IAM Access Analyzer
  policy simulate …     decide and explain a request against policy files
  coverage [SERVICE…]   which operations of each AWS service model are implemented
  run-as INSTANCE -- …  run a command with an EC2 instance's role credentials (its metadata service)
  export [--out FILE]   the account's IAM and organization as one declarative JSON file
  apply FILE            make the account's IAM and organization what FILE says (idempotent)
  sso-login --user NAME sign an IAM Identity Center user in; cache the token for aws sso / SSO profiles
`;

async function main(): Promise<number> {
  switch (command) {
    case 'start': {
      const { runStartCommand } = await import('./start.js');
      return runStartCommand(rest);
    }
    case 'console': {
      const { runConsoleCommand } = await import('./console.js');
      return runConsoleCommand(rest);
    }
    case 'coverage': {
      const { runCoverageCommand } = await import('./coverage.js');
      return runCoverageCommand(rest);
    }
    case 'run-as': {
      const { runRunAsCommand } = await import('./run-as.js');
      return runRunAsCommand(rest);
    }
    case 'policy': {
      const { runPolicyCommand } = await import('./policy.js');
      return runPolicyCommand(rest);
    }
    case 'export': {
      const { runExportCommand } = await import('./state/index.js');
      return runExportCommand(rest);
    }
    case 'apply': {
      const { runApplyCommand } = await import('./state/index.js');
      return runApplyCommand(rest);
    }
    case 'sso-login': {
      const { runSsoLoginCommand } = await import('./sso-login.js');
      return runSsoLoginCommand(rest);
    }
    case undefined:
    case '-h':
    case '--help':
      process.stdout.write(usage);
      return command === undefined ? 2 : 0;
    default:
      process.stderr.write(`iamlocal: unknown command '${command}'\n${usage}`);
      return 2;
  }
}

main().then(
  (code) => { process.exitCode = code; },
  (err) => { process.stderr.write(`iamlocal: ${err instanceof Error ? err.message : String(err)}\n`); process.exitCode = 1; },
);

import { readFileSync, writeFileSync } from 'node:fs';
import { connect } from './clients.js';
import { exportState } from './export.js';
import { applyIam } from './apply-iam.js';
import { applyOrganization } from './apply-org.js';
import { readStateFile } from './state-file.js';

/**
 * `iamlocal export [--endpoint URL] [--out FILE]` and `iamlocal apply FILE [--endpoint URL]`:
 * an account's IAM (and organization) to and from one declarative JSON file, through the
 * API of a running iamlocal, with the credentials in AWS_ACCESS_KEY_ID /
 * AWS_SECRET_ACCESS_KEY (the account's root).
 */
function option(argv: string[], name: string): string | undefined {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
}

export async function runExportCommand(argv: string[]): Promise<number> {
  const c = await connect(option(argv, '--endpoint'));
  const text = JSON.stringify(await exportState(c), null, 2) + '\n';
  const out = option(argv, '--out');
  if (out) writeFileSync(out, text);
  else process.stdout.write(text);
  return 0;
}

export async function runApplyCommand(argv: string[]): Promise<number> {
  const file = argv.find((a, i) => !a.startsWith('--') && argv[i - 1] !== '--endpoint');
  if (!file) {
    process.stderr.write('usage: iamlocal apply FILE [--endpoint URL]\n');
    return 2;
  }
  const want = readStateFile(readFileSync(file, 'utf8'));
  const c = await connect(option(argv, '--endpoint'));
  const have = await exportState(c);
  let changes = 0;
  const say = (line: string) => {
    changes++;
    process.stdout.write(line + '\n');
  };
  await applyIam(c, want, have, say);
  await applyOrganization(c, want.organization, have.organization, say);
  process.stdout.write(changes === 0 ? `${c.accountId}: nothing to change\n` : `${c.accountId}: ${changes} change${changes === 1 ? '' : 's'} applied\n`);
  return 0;
}

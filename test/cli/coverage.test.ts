import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../../src/package.js';
import { operationNames } from '../../src/protocol/index.js';
import { SERVICES } from '../../src/services/index.js';

const root = packageRoot();

function coverage(args: string[]): string {
  return execFileSync(process.execPath, [join(root, 'dist', 'src', 'cli', 'main.js'), 'coverage', ...args], { encoding: 'utf8' });
}

test('the README carries the current IAM, STS and S3 coverage table', () => {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  assert.ok(readme.includes(coverage(['iam', 'sts', 's3', '--markdown']).trimEnd()), 'README is stale: paste `iamlocal coverage iam sts s3 --markdown` into it');
});

test('coverage marks exactly the operations with a handler and an authorization rule', () => {
  const text = coverage(['iam']);
  for (const op of operationNames('iam')) {
    const o = SERVICES.iam?.operations[op];
    const implemented = Boolean(o && ('run' in o ? o.run : o.commit) && o.authorize);
    assert.match(text, new RegExp(`^  ${implemented ? '✓' : ' '} ${op}$`, 'm'), op);
  }
});

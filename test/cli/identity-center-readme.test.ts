import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../../src/package.js';

test('the README carries the current IAM Identity Center coverage table', () => {
  const root = packageRoot();
  const table = execFileSync(process.execPath, [join(root, 'dist', 'src', 'cli', 'main.js'), 'coverage', 'sso-admin', 'identitystore', 'sso', '--markdown'], { encoding: 'utf8' });
  assert.ok(readFileSync(join(root, 'README.md'), 'utf8').includes(table.trimEnd()), 'README is stale: paste `iamlocal coverage sso-admin identitystore sso --markdown` into it');
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../../src/package.js';

const root = packageRoot();

test('the README carries the current DynamoDB coverage table', () => {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const table = execFileSync(process.execPath, [join(root, 'dist', 'src', 'cli', 'main.js'), 'coverage', 'dynamodb', '--markdown'], { encoding: 'utf8' });
  assert.ok(readme.includes(table.trimEnd()), 'README is stale: paste `iamlocal coverage dynamodb --markdown` into it');
});

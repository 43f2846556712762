import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { iamService } from '../../src/services/iam/index.js';
import { packageRoot } from '../../src/package.js';

/**
 * A newcomer finds any IAM operation from src/services/iam/README.md: its table names the
 * file of every operation, and that file really defines it.
 */
test('the IAM README names the file that defines each operation, for every operation served', () => {
  const dir = join(packageRoot(), 'src', 'services', 'iam');
  const readme = readFileSync(join(dir, 'README.md'), 'utf8');
  const fileOf = new Map<string, string>();
  for (const [, file, ops] of readme.matchAll(/^\| ([\w-]+\/[\w-]+\.ts) \| ([^|]+) \|$/gm)) {
    for (const op of ops.split(',').map((s) => s.trim())) {
      assert.ok(!fileOf.has(op), `${op} is listed twice`);
      fileOf.set(op, file);
    }
  }
  assert.deepEqual([...fileOf.keys()].sort(), Object.keys(iamService.operations).sort());
  for (const [op, file] of fileOf) {
    const source = readFileSync(join(dir, file), 'utf8');
    const defined = new RegExp(`^export const (${op} = |\\{[^}]*\\b${op}\\b[^}]*\\} = )`, 'm').test(source);
    assert.ok(defined, `${file} does not define ${op}`);
  }
});

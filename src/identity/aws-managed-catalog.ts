import { execFileSync } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../package.js';

/**
 * The catalogue of AWS managed policies (arn:aws:iam::aws:policy/…), as built by
 * scripts/build-managed-policies.mjs into dist/managed-policies.json. Read lazily, once,
 * on first use; entries are shared and frozen, never copy-on-read. Versions other than
 * the default live in dist/managed-policy-versions.json, of which only the line of the
 * policy asked about is read, and only when such a version is asked for.
 */
export interface ManagedPolicyEntry {
  /** PolicyName, e.g. "AmazonS3FullAccess". */
  readonly name: string;
  /** arn:aws:iam::aws:policy/PATHNAME */
  readonly arn: string;
  /** "/", "/service-role/", "/aws-service-role/", "/job-function/"… */
  readonly path: string;
  /** ANPA…; derived from the ARN (the source data has no PolicyIds), stable across builds. */
  readonly policyId: string;
  /** The default version, e.g. "v2". */
  readonly defaultVersionId: string;
  /** How many versions AWS has, only where the data holds fewer (see awsManagedPolicyVersions). */
  readonly versionsCount?: number;
  /** Where the other versions are in the versions file: [byte offset, byte length]. */
  readonly history?: readonly [number, number];
  /** ISO 8601 timestamps: the policy's creation, its last update, the default version's creation. */
  readonly createDate: string;
  readonly updateDate: string;
  readonly versionCreateDate: string;
  readonly description?: string;
  /** The default version's policy document, as JSON text. */
  readonly document: string;
}

/** A version of an AWS managed policy that is not its default. */
export interface ManagedPolicyVersionEntry {
  readonly versionId: string;
  /** ISO 8601. */
  readonly createDate: string;
  /** The policy document, as JSON text. */
  readonly document: string;
}

interface CatalogFile {
  source: string;
  policies: ManagedPolicyEntry[];
}

interface Catalog {
  source: string;
  byArn: Map<string, ManagedPolicyEntry>;
  sorted: readonly ManagedPolicyEntry[];
}

let catalog: Catalog | undefined;

/** The AWS managed policy with this ARN, or undefined. */
export function awsManagedPolicy(arn: string): ManagedPolicyEntry | undefined {
  return loadCatalog().byArn.get(arn);
}

/** Every AWS managed policy, sorted by name. */
export function listAwsManagedPolicies(): readonly ManagedPolicyEntry[] {
  return loadCatalog().sorted;
}

/**
 * The versions of an AWS managed policy other than its default, newest first, as the
 * bundled data has them (for some policies fewer than AWS has: versionsCount says how
 * many AWS has). Reads that policy's line of the versions file, once.
 */
export function awsManagedPolicyVersions(entry: ManagedPolicyEntry): readonly ManagedPolicyVersionEntry[] {
  if (!entry.history) return [];
  const known = history.get(entry.arn);
  if (known) return known;
  const [offset, length] = entry.history;
  const file = managedVersionsFile();
  const fd = openSync(file, 'r');
  let text: string;
  try {
    checkVersionsSource(fd, loadCatalog().source);
    const buf = Buffer.alloc(length);
    readSync(fd, buf, 0, length, offset);
    text = buf.toString('utf8');
  } finally {
    closeSync(fd);
  }
  const versions = Object.freeze((JSON.parse(text) as ManagedPolicyVersionEntry[]).map((v) => Object.freeze(v)));
  history.set(entry.arn, versions);
  return versions;
}

const history = new Map<string, readonly ManagedPolicyVersionEntry[]>();
let versionsSourceChecked = false;

/** The versions file must come from the same build as the catalogue whose offsets point into it. */
function checkVersionsSource(fd: number, source: string): void {
  if (versionsSourceChecked) return;
  const head = Buffer.alloc(256);
  const n = readSync(fd, head, 0, head.length, 0);
  const firstLine = head.subarray(0, n).toString('utf8').split('\n')[0];
  if (firstLine !== `{"source":${JSON.stringify(source)}`) {
    throw new Error(`${managedVersionsFile()} is not from the build of ${managedCatalogFile()}: run scripts/build-managed-policies.mjs`);
  }
  versionsSourceChecked = true;
}

/** Where the other versions live: <package root>/dist/managed-policy-versions.json. */
export function managedVersionsFile(): string {
  return join(packageRoot(), 'dist', 'managed-policy-versions.json');
}

/** Where the generated catalogue lives: <package root>/dist/managed-policies.json. */
export function managedCatalogFile(): string {
  return join(packageRoot(), 'dist', 'managed-policies.json');
}

function loadCatalog(): Catalog {
  if (catalog) return catalog;
  const file = managedCatalogFile();
  // Running from src via tsx before any `npm run build`: generate the files on demand.
  if (!existsSync(file) || !existsSync(managedVersionsFile())) {
    execFileSync(process.execPath, [join(packageRoot(), 'scripts', 'build-managed-policies.mjs')], { stdio: 'ignore' });
  }
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as CatalogFile;
  const byArn = new Map<string, ManagedPolicyEntry>();
  for (const entry of parsed.policies) byArn.set(entry.arn, Object.freeze(entry));
  // The build script sorts by name already; sort again so a hand-edited file cannot break the contract.
  const sorted = Object.freeze([...byArn.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)));
  catalog = { source: parsed.source, byArn, sorted };
  return catalog;
}

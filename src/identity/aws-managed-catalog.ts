import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../package.js';

/**
 * The catalogue of AWS managed policies (arn:aws:iam::aws:policy/…), as built by
 * scripts/build-managed-policies.mjs into dist/managed-policies.json. Read lazily, once,
 * on first use; entries are shared and frozen, never copy-on-read.
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
  /** The default version, e.g. "v2". Only this version is kept. */
  readonly defaultVersionId: string;
  /** ISO 8601 timestamps: the policy's creation, its last update, the default version's creation. */
  readonly createDate: string;
  readonly updateDate: string;
  readonly versionCreateDate: string;
  readonly description?: string;
  /** The default version's policy document, as JSON text. */
  readonly document: string;
}

interface CatalogFile {
  source: string;
  policies: ManagedPolicyEntry[];
}

interface Catalog {
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

/** Where the generated catalogue lives: <package root>/dist/managed-policies.json. */
export function managedCatalogFile(): string {
  return join(packageRoot(), 'dist', 'managed-policies.json');
}

function loadCatalog(): Catalog {
  if (catalog) return catalog;
  const file = managedCatalogFile();
  // Running from src via tsx before any `npm run build`: generate the file on demand.
  if (!existsSync(file)) {
    execFileSync(process.execPath, [join(packageRoot(), 'scripts', 'build-managed-policies.mjs')], { stdio: 'ignore' });
  }
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as CatalogFile;
  const byArn = new Map<string, ManagedPolicyEntry>();
  for (const entry of parsed.policies) byArn.set(entry.arn, Object.freeze(entry));
  // The build script sorts by name already; sort again so a hand-edited file cannot break the contract.
  const sorted = Object.freeze([...byArn.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)));
  catalog = { byArn, sorted };
  return catalog;
}

/**
 * The declarative state file of `iamlocal export` / `iamlocal apply`: an account's IAM
 * (and its organization, when it manages one) as one JSON document, meant to be kept in
 * git. Lists are sorted by name and policy documents are JSON values, so an export is
 * stable and a diff reads well. Customer managed policy ARNs are written with the account
 * as `${AccountId}`, so a file applies to any account.
 */

export const STATE_VERSION = 1;

export type PolicyDocument = Record<string, unknown>;
export type Tags = Record<string, string>;

export interface StateFile {
  iamlocal: typeof STATE_VERSION;
  account: {
    alias?: string;
    /** As GetAccountPasswordPolicy answers it (without ExpirePasswords, which IAM derives); absent: none. */
    passwordPolicy?: Record<string, unknown>;
  };
  policies: ManagedPolicyState[];
  groups: GroupState[];
  users: UserState[];
  roles: RoleState[];
  instanceProfiles: InstanceProfileState[];
  organization?: OrganizationState;
}

export interface ManagedPolicyState {
  name: string;
  path: string;
  description?: string;
  document: PolicyDocument;
  tags?: Tags;
}

interface Grants {
  /** Managed policy ARNs (customer managed ones with ${AccountId}). */
  managedPolicies: string[];
  /** Inline policies by name. */
  inlinePolicies: Record<string, PolicyDocument>;
}

export interface GroupState extends Grants {
  name: string;
  path: string;
}

export interface UserState extends Grants {
  name: string;
  path: string;
  groups: string[];
  permissionsBoundary?: string;
  tags?: Tags;
}

export interface RoleState extends Grants {
  name: string;
  path: string;
  description?: string;
  maxSessionDuration: number;
  assumeRolePolicy: PolicyDocument;
  permissionsBoundary?: string;
  tags?: Tags;
}

export interface InstanceProfileState {
  name: string;
  path: string;
  roles: string[];
}

export interface OrganizationState {
  featureSet: string;
  enabledPolicyTypes: string[];
  /** The OU tree, by name under the root. */
  organizationalUnits: OuState[];
  /** Customer policies (AWS's FullAWSAccess and RCPFullAWSAccess exist in every organization). */
  policies: Array<{ name: string; type: string; description: string; content: PolicyDocument }>;
  /** Member accounts, known by email (IDs differ from server to server); `parent` is an OU path like "/Workloads/Prod", or "/" for the root. */
  accounts: Array<{ name: string; email: string; parent: string }>;
  /** Policy name (or FullAWSAccess / RCPFullAWSAccess) → targets: "/" the root, "/Workloads" an OU, "account:EMAIL" an account ("account:management" the management account). */
  attachments: Record<string, string[]>;
}

export interface OuState {
  name: string;
  children: OuState[];
}

/** JSON with object keys sorted: equal documents compare equal as text. */
export function canonical(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.keys(value as object).sort().map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]));
  }
  return value;
}

export function sameDocument(a: unknown, b: unknown): boolean {
  return canonical(a) === canonical(b);
}

export const byName = <T extends { name: string }>(a: T, b: T) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/** ARN ↔ file: this account's policy ARNs carry ${AccountId} in the file. */
export function toFileArn(arn: string, accountId: string): string {
  return arn.replace(`arn:aws:iam::${accountId}:`, 'arn:aws:iam::${AccountId}:');
}

export function fromFileArn(arn: string, accountId: string): string {
  return arn.replace('arn:aws:iam::${AccountId}:', `arn:aws:iam::${accountId}:`);
}

/** Checks the shape of a state file read from disk, with a message that says what is wrong. */
export function readStateFile(text: string): StateFile {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new Error(`the state file is not JSON: ${(e as Error).message}`);
  }
  const s = parsed as Partial<StateFile>;
  if (!s || typeof s !== 'object' || s.iamlocal !== STATE_VERSION) throw new Error(`the state file must have "iamlocal": ${STATE_VERSION}`);
  for (const list of ['policies', 'groups', 'users', 'roles', 'instanceProfiles'] as const) {
    if (s[list] === undefined) (s as Record<string, unknown>)[list] = [];
    if (!Array.isArray(s[list])) throw new Error(`"${list}" must be a list`);
  }
  s.account ??= {};
  for (const u of s.users!) {
    u.groups ??= [];
    u.managedPolicies ??= [];
    u.inlinePolicies ??= {};
    u.path ??= '/';
  }
  for (const g of s.groups!) {
    g.managedPolicies ??= [];
    g.inlinePolicies ??= {};
    g.path ??= '/';
  }
  for (const r of s.roles!) {
    r.managedPolicies ??= [];
    r.inlinePolicies ??= {};
    r.path ??= '/';
    r.maxSessionDuration ??= 3600;
    if (!r.assumeRolePolicy) throw new Error(`role ${r.name}: assumeRolePolicy is required`);
  }
  for (const p of s.policies!) p.path ??= '/';
  for (const ip of s.instanceProfiles!) {
    ip.path ??= '/';
    ip.roles ??= [];
  }
  return s as StateFile;
}

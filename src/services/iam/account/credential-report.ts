/**
 * The credential report CSV of GenerateCredentialReport / GetCredentialReport, as AWS
 * writes it: a header, the root user's row ('<root_account>') first, then one row per
 * IAM user sorted by name; lines joined by '\n' with no trailing newline; timestamps as
 * 2024-05-01T12:34:56+00:00; booleans as true/false; 'N/A' where a credential is absent,
 * 'no_information' for a password never used, 'not_supported' for the root user's
 * password columns. Pure: callers gather the facts (times in epoch ms) from the store.
 */

export const CREDENTIAL_REPORT_COLUMNS = Object.freeze([
  'user', 'arn', 'user_creation_time',
  'password_enabled', 'password_last_used', 'password_last_changed', 'password_next_rotation',
  'mfa_active',
  'access_key_1_active', 'access_key_1_last_rotated', 'access_key_1_last_used_date', 'access_key_1_last_used_region', 'access_key_1_last_used_service',
  'access_key_2_active', 'access_key_2_last_rotated', 'access_key_2_last_used_date', 'access_key_2_last_used_region', 'access_key_2_last_used_service',
  'cert_1_active', 'cert_1_last_rotated',
  'cert_2_active', 'cert_2_last_rotated',
] as const);

export const ROOT_ACCOUNT_USER = '<root_account>';

export interface CredentialReportAccessKey {
  active: boolean;
  /** The key's CreateDate, which AWS reports as "last rotated". */
  createdAt: number;
  lastUsedAt?: number;
  /** Absent for keys never used, or last used with a global service. */
  lastUsedRegion?: string;
  lastUsedService?: string;
}

export interface CredentialReportCertificate {
  active: boolean;
  uploadedAt: number;
}

interface CredentialFacts {
  arn: string;
  createdAt: number;
  mfaActive: boolean;
  /** Up to two; reported oldest first. */
  accessKeys?: readonly CredentialReportAccessKey[];
  /** X.509 signing certificates, up to two; reported oldest first. */
  certificates?: readonly CredentialReportCertificate[];
  /** Last console sign-in with the password. Kept even after the password is removed. */
  passwordLastUsedAt?: number;
}

/** The root user: createdAt is the account's creation. */
export type RootCredentialFacts = CredentialFacts;

export interface UserCredentialFacts extends CredentialFacts {
  userName: string;
  /** Present when the user has a login profile (console password). */
  password?: {
    changedAt: number;
    /** When the password policy's MaxPasswordAge makes it expire (see passwordExpiresAt). */
    nextRotationAt?: number;
  };
}

/** The report's CSV text. */
export function credentialReportCsv(root: RootCredentialFacts, users: readonly UserCredentialFacts[]): string {
  const rows: string[][] = [[...CREDENTIAL_REPORT_COLUMNS], rootRow(root)];
  const sorted = [...users].sort((a, b) => (a.userName < b.userName ? -1 : a.userName > b.userName ? 1 : 0));
  for (const user of sorted) rows.push(userRow(user));
  return rows.map((row) => row.map(csvField).join(',')).join('\n');
}

/** ISO 8601 as the report writes it: seconds precision, explicit +00:00. */
export function reportTimestamp(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, '+00:00');
}

function rootRow(root: RootCredentialFacts): string[] {
  return [
    ROOT_ACCOUNT_USER, root.arn, reportTimestamp(root.createdAt),
    'not_supported',
    root.passwordLastUsedAt === undefined ? 'no_information' : reportTimestamp(root.passwordLastUsedAt),
    'not_supported', 'not_supported',
    bool(root.mfaActive),
    ...keyColumns(root.accessKeys), ...certColumns(root.certificates),
  ];
}

function userRow(user: UserCredentialFacts): string[] {
  const { password } = user;
  let lastUsed = 'N/A';
  if (user.passwordLastUsedAt !== undefined) lastUsed = reportTimestamp(user.passwordLastUsedAt);
  else if (password) lastUsed = 'no_information';
  return [
    user.userName, user.arn, reportTimestamp(user.createdAt),
    bool(password !== undefined),
    lastUsed,
    password ? reportTimestamp(password.changedAt) : 'N/A',
    password?.nextRotationAt !== undefined ? reportTimestamp(password.nextRotationAt) : 'N/A',
    bool(user.mfaActive),
    ...keyColumns(user.accessKeys), ...certColumns(user.certificates),
  ];
}

function keyColumns(keys: readonly CredentialReportAccessKey[] = []): string[] {
  const ordered = [...keys].sort((a, b) => a.createdAt - b.createdAt);
  const out: string[] = [];
  for (const key of [ordered[0], ordered[1]]) {
    if (!key) {
      out.push('false', 'N/A', 'N/A', 'N/A', 'N/A');
      continue;
    }
    out.push(
      bool(key.active),
      reportTimestamp(key.createdAt),
      key.lastUsedAt === undefined ? 'N/A' : reportTimestamp(key.lastUsedAt),
      key.lastUsedAt === undefined || !key.lastUsedRegion ? 'N/A' : key.lastUsedRegion,
      key.lastUsedAt === undefined || !key.lastUsedService ? 'N/A' : key.lastUsedService,
    );
  }
  return out;
}

function certColumns(certs: readonly CredentialReportCertificate[] = []): string[] {
  const ordered = [...certs].sort((a, b) => a.uploadedAt - b.uploadedAt);
  const out: string[] = [];
  for (const cert of [ordered[0], ordered[1]]) {
    if (cert) out.push(bool(cert.active), reportTimestamp(cert.uploadedAt));
    else out.push('false', 'N/A');
  }
  return out;
}

function bool(value: boolean): string {
  return value ? 'true' : 'false';
}

/** IAM names may contain ',' (the name pattern allows it): quote such fields per RFC 4180. */
function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

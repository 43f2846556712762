import { AwsError } from '../../../protocol/errors.js';
import type { Store } from '../../../store/store.js';
import type { Handler, RequestContext } from '../../types.js';
import { accountPasswordPolicy } from '../login/account-password-policy.js';
import { findAccount, rootArn } from '../../../identity/accounts.js';
import {
  credentialReportCsv,
  type CredentialReportAccessKey,
  type RootCredentialFacts,
  type UserCredentialFacts,
} from './credential-report.js';
import { mfaDevicesOfRoot, mfaDevicesOfUser } from '../mfa/mfa-rows.js';
import { passwordExpiresAt } from '../login/password-policy.js';
import { userArn, type UserRow } from '../../../identity/users.js';

/**
 * GenerateCredentialReport / GetCredentialReport. The report is a snapshot: generating
 * stores the CSV (credential-report.ts writes it) and its time; getting returns that
 * snapshot until it is four hours old, when AWS calls it expired and a new generation
 * replaces it. Generation is instant here, so the first call answers STARTED (as AWS
 * does) and the report is ready for the very next request.
 */

/** AWS keeps a report usable for four hours. */
export const CREDENTIAL_REPORT_LIFETIME_MS = 4 * 60 * 60 * 1000;

interface ReportRow {
  generated_at: number;
  content: string;
}

function storedReport(store: Store, accountId: string): ReportRow | undefined {
  return store.prepare<ReportRow>('SELECT generated_at, content FROM credential_reports WHERE account_id = ?').get(accountId);
}

interface KeyRow {
  user_id: string | null;
  status: string;
  created_at: number;
  last_used_at: number | null;
  last_used_region: string | null;
  last_used_service: string | null;
}

function reportKey(k: KeyRow): CredentialReportAccessKey {
  const key: CredentialReportAccessKey = { active: k.status === 'Active', createdAt: k.created_at };
  if (k.last_used_at !== null) key.lastUsedAt = k.last_used_at;
  if (k.last_used_region !== null) key.lastUsedRegion = k.last_used_region;
  if (k.last_used_service !== null) key.lastUsedService = k.last_used_service;
  return key;
}

/** The facts the report states about the root user and every IAM user, read now. */
export function credentialFacts(store: Store, accountId: string, now: number): { root: RootCredentialFacts; users: UserCredentialFacts[] } {
  const keys = store
    .prepare<KeyRow>(
      `SELECT user_id, status, created_at, last_used_at, last_used_region, last_used_service FROM access_keys
       WHERE account_id = ? AND owner_kind IN ('root', 'user') ORDER BY created_at, access_key_id`,
    )
    .all(accountId);
  const rootKeys = keys.filter((k) => k.user_id === null).map(reportKey);
  const keysByUser = new Map<string, CredentialReportAccessKey[]>();
  for (const k of keys) {
    if (k.user_id === null) continue;
    let list = keysByUser.get(k.user_id);
    if (!list) keysByUser.set(k.user_id, (list = []));
    list.push(reportKey(k));
  }
  const profiles = new Map(
    store
      .prepare<{ user_id: string; password_changed_at: number }>('SELECT user_id, password_changed_at FROM login_profiles WHERE account_id = ?')
      .all(accountId)
      .map((p) => [p.user_id, p.password_changed_at]),
  );
  const policy = accountPasswordPolicy(store, accountId);
  const certs = store
    .prepare<{ user_id: string | null; status: string; uploaded_at: number }>(
      'SELECT user_id, status, uploaded_at FROM signing_certificates WHERE account_id = ? ORDER BY uploaded_at, certificate_id',
    )
    .all(accountId);
  const certsOf = (userId: string | null) => certs.filter((c) => c.user_id === userId).map((c) => ({ active: c.status === 'Active', uploadedAt: c.uploaded_at }));

  const root: RootCredentialFacts = {
    arn: rootArn(accountId),
    createdAt: findAccount(store, accountId)?.created_at ?? now,
    mfaActive: mfaDevicesOfRoot(store, accountId).length > 0,
    accessKeys: rootKeys,
    certificates: certsOf(null),
  };
  const users = store
    .prepare<UserRow>('SELECT * FROM users WHERE account_id = ?')
    .all(accountId)
    .map((u) => {
      const facts: UserCredentialFacts = {
        userName: u.user_name,
        arn: userArn(accountId, u.path, u.user_name),
        createdAt: u.created_at,
        mfaActive: mfaDevicesOfUser(store, accountId, u.user_id).length > 0,
        accessKeys: keysByUser.get(u.user_id) ?? [],
        certificates: certsOf(u.user_id),
      };
      const changedAt = profiles.get(u.user_id);
      if (changedAt !== undefined) {
        facts.password = { changedAt };
        const expires = passwordExpiresAt(policy, changedAt);
        if (expires !== undefined) facts.password.nextRotationAt = expires;
      }
      if (u.password_last_used_at !== null) facts.passwordLastUsedAt = u.password_last_used_at;
      return facts;
    });
  return { root, users };
}

function isExpired(report: ReportRow, now: number): boolean {
  return now - report.generated_at >= CREDENTIAL_REPORT_LIFETIME_MS;
}

const generateCredentialReport: Handler = (ctx: RequestContext) => {
  const existing = storedReport(ctx.store, ctx.accountId);
  if (existing && !isExpired(existing, ctx.now)) return { State: 'COMPLETE' };
  const { root, users } = credentialFacts(ctx.store, ctx.accountId, ctx.now);
  ctx.store
    .prepare(
      `INSERT INTO credential_reports (account_id, generated_at, content) VALUES (?, ?, ?)
       ON CONFLICT (account_id) DO UPDATE SET generated_at = excluded.generated_at, content = excluded.content`,
    )
    .run(ctx.accountId, ctx.now, credentialReportCsv(root, users));
  return { State: 'STARTED', Description: 'No report exists. Starting a new report generation task' };
};

const getCredentialReport: Handler = (ctx: RequestContext) => {
  const report = storedReport(ctx.store, ctx.accountId);
  if (!report) {
    throw new AwsError('ReportNotPresent', 'Credential report not present. To generate a credential report, use GenerateCredentialReport.', 410);
  }
  if (isExpired(report, ctx.now)) {
    throw new AwsError('ReportExpired', 'Credential report has expired. To generate a new credential report, use GenerateCredentialReport.', 410);
  }
  return { Content: Buffer.from(report.content, 'utf8'), ReportFormat: 'text/csv', GeneratedTime: new Date(report.generated_at) };
};

export const credentialReportHandlers: Record<string, Handler> = {
  GenerateCredentialReport: generateCredentialReport,
  GetCredentialReport: getCredentialReport,
};

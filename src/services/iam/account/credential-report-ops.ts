import { AwsError } from '../../../protocol/errors.js';
import type { Store } from '../../../store/store.js';
import { operation } from '../../operation.js';
import { accountWide } from '../shared/account-wide.js';
import { credentialFacts } from './credential-facts.js';
import { credentialReportCsv } from './credential-report.js';

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

function isExpired(report: ReportRow, now: number): boolean {
  return now - report.generated_at >= CREDENTIAL_REPORT_LIFETIME_MS;
}

/** Writes: it stores the report. */
export const GenerateCredentialReport = operation({
  writes: true,
  authorize: accountWide('iam:GenerateCredentialReport'),
  run: (ctx) => {
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
  },
});

export const GetCredentialReport = operation({
  writes: false,
  authorize: accountWide('iam:GetCredentialReport'),
  run: (ctx) => {
    const report = storedReport(ctx.store, ctx.accountId);
    if (!report) {
      throw new AwsError('ReportNotPresent', 'Credential report not present. To generate a credential report, use GenerateCredentialReport.', 410);
    }
    if (isExpired(report, ctx.now)) {
      throw new AwsError('ReportExpired', 'Credential report has expired. To generate a new credential report, use GenerateCredentialReport.', 410);
    }
    return { Content: Buffer.from(report.content, 'utf8'), ReportFormat: 'text/csv', GeneratedTime: new Date(report.generated_at) };
  },
});

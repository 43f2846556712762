import { iam, type Session } from '../api.js';
import { ErrorBox, Link, useLoad } from '../ui.js';

interface ReportRow {
  user: string;
  mfa_active: string;
  password_enabled: string;
  access_key_1_active: string;
  access_key_2_active: string;
}

/** The credential report (CSV): every user's MFA and key state in one call. */
async function credentialReport(): Promise<ReportRow[]> {
  for (let i = 0; i < 10; i++) {
    const g = await iam('GenerateCredentialReport');
    if (g.State === 'COMPLETE') break;
    await new Promise((r) => setTimeout(r, 300));
  }
  const r = await iam('GetCredentialReport');
  const csv = atob(String(r.Content));
  const [head, ...lines] = csv.trim().split('\n');
  const cols = head.split(',');
  return lines.map((l) => Object.fromEntries(l.split(',').map((v, i) => [cols[i], v])) as unknown as ReportRow);
}

export function Dashboard({ s }: { s: Session }) {
  const summary = useLoad(() => iam('GetAccountSummary'));
  const report = useLoad(credentialReport);
  const map = (summary.data?.SummaryMap ?? {}) as Record<string, string>;
  const rows = report.data ?? [];
  const withoutMfa = rows.filter((r) => r.user !== '<root_account>' && r.password_enabled === 'true' && r.mfa_active !== 'true');
  const signInUrl = `${location.origin}/_iamlocal/console/`;
  return (
    <section>
      <h1>IAM dashboard</h1>
      <ErrorBox error={summary.error ?? report.error} />
      <div class="cards">
        <div class="card">
          <h2>Security recommendations</h2>
          {summary.data && (
            <ul class="recommendations">
              <li class={map.AccountMFAEnabled === '1' ? 'ok' : 'warn'} data-testid="rec-root-mfa">
                {map.AccountMFAEnabled === '1' ? 'Root user has MFA' : 'Add MFA for root user'}
                {map.AccountMFAEnabled !== '1' && s.kind === 'root' && <> — <Link to="/my-credentials">Add MFA</Link></>}
              </li>
              <li class={map.AccountAccessKeysPresent === '1' ? 'warn' : 'ok'} data-testid="rec-root-keys">
                {map.AccountAccessKeysPresent === '1' ? 'Root user has active access keys: use IAM users or roles instead' : 'Root user has no active access keys'}
              </li>
              {report.data && (
                <li class={withoutMfa.length ? 'warn' : 'ok'} data-testid="rec-users-mfa">
                  {withoutMfa.length
                    ? <>{withoutMfa.length} IAM user{withoutMfa.length === 1 ? '' : 's'} with console access but no MFA: {withoutMfa.map((u, i) => <>{i ? ', ' : ''}<Link to={`/users/${u.user}/Security credentials`}>{u.user}</Link></>)}</>
                    : 'Every IAM user with console access has MFA'}
                </li>
              )}
            </ul>
          )}
        </div>
        <div class="card">
          <h2>IAM resources</h2>
          <dl class="counts">
            <div><dt><Link to="/groups">User groups</Link></dt><dd>{map.Groups ?? '…'}</dd></div>
            <div><dt><Link to="/users">Users</Link></dt><dd>{map.Users ?? '…'}</dd></div>
            <div><dt><Link to="/roles">Roles</Link></dt><dd>{map.Roles ?? '…'}</dd></div>
            <div><dt><Link to="/policies">Policies</Link></dt><dd>{map.Policies ?? '…'}</dd></div>
          </dl>
        </div>
        <div class="card">
          <h2>AWS account</h2>
          <p>Account ID: <code>{s.accountId}</code></p>
          <p>Sign-in URL for IAM users in this account: <code>{signInUrl}</code> (account <code>{s.accountLabel}</code>)</p>
        </div>
      </div>
    </section>
  );
}

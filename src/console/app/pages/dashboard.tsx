import { iam, iamAll, type Session } from '../api.js';
import { ErrorBox, Link, useLoad } from '../ui.js';

interface UserRow { UserName: string }
interface DeviceRow { SerialNumber: string; User?: { UserName: string } }

/** IAM users with no MFA device: two calls (every user, every assigned virtual device), fresh each time. */
async function usersWithoutMfa(): Promise<string[]> {
  const [users, devices] = await Promise.all([
    iamAll<UserRow>('ListUsers', 'Users'),
    iamAll<DeviceRow>('ListVirtualMFADevices', 'VirtualMFADevices', { AssignmentStatus: 'Assigned' }),
  ]);
  const covered = new Set(devices.map((d) => d.User?.UserName).filter(Boolean));
  return users.map((u) => u.UserName).filter((n) => !covered.has(n));
}

export function Dashboard({ s }: { s: Session }) {
  const summary = useLoad(() => iam('GetAccountSummary'));
  const report = useLoad(usersWithoutMfa);
  const map = (summary.data?.SummaryMap ?? {}) as Record<string, string>;
  const withoutMfa = report.data ?? [];
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
                    ? <>{withoutMfa.length} IAM user{withoutMfa.length === 1 ? '' : 's'} without MFA: {withoutMfa.slice(0, 10).map((u, i) => <>{i ? ', ' : ''}<Link to={`/users/${u}/Security credentials`}>{u}</Link></>)}{withoutMfa.length > 10 ? '…' : ''}</>
                    : 'Every IAM user has MFA'}
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

import { useState } from 'preact/hooks';
import { iam, list, type Session } from '../api.js';
import { date, ErrorBox, Notice, useLoad } from '../ui.js';
import { AssignMfa } from './mfa.js';

/** The root user's security credentials: MFA (seed 002) and a reminder about its access keys. */
export function MySecurityCredentials({ s }: { s: Session }) {
  const summary = useLoad(() => iam('GetAccountSummary'));
  const devices = useLoad(() => iam('ListMFADevices'));
  const [assigning, setAssigning] = useState(false);
  const [done, setDone] = useState(false);
  const map = (summary.data?.SummaryMap ?? {}) as Record<string, string>;
  return (
    <section>
      <h1>My security credentials</h1>
      <p>Root user of account {s.accountLabel}. Use this page to manage the credentials for your AWS account.</p>
      <ErrorBox error={summary.error ?? devices.error} />
      {done && <Notice>MFA device assigned. You will be asked for a code at your next sign-in.</Notice>}
      <div class="card">
        <div class="title-bar">
          <h2>Multi-factor authentication (MFA)</h2>
          <button type="button" class="primary" disabled={assigning} onClick={() => setAssigning(true)}>Assign MFA device</button>
        </div>
        <p data-testid="root-mfa-state">{map.AccountMFAEnabled === '1' ? 'MFA is active for the root user.' : 'No MFA device is assigned to the root user.'}</p>
        <ul class="plain">
          {list<{ SerialNumber: string; EnableDate: string }>(devices.data?.MFADevices).map((d) => <li key={d.SerialNumber}><code>{d.SerialNumber}</code> assigned {date(d.EnableDate)}</li>)}
        </ul>
        {assigning && <AssignMfa onDone={() => { setAssigning(false); setDone(true); summary.reload(); devices.reload(); }} onCancel={() => setAssigning(false)} />}
      </div>
      <div class="card">
        <h2>Access keys</h2>
        <p>{map.AccountAccessKeysPresent === '1' ? 'The root user has access keys (printed by iamlocal start). AWS recommends IAM users or roles instead.' : 'The root user has no access keys.'}</p>
      </div>
    </section>
  );
}

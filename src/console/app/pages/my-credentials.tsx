import { useState } from 'preact/hooks';
import { iam, list, type Session } from '../api.js';
import { date, ErrorBox, Field, Link, Notice, useAction, useLoad } from '../ui.js';
import { AssignMfa } from './mfa.js';

/** The root user's security credentials: MFA (seed 002) and a reminder about its access keys. */
export function MySecurityCredentials({ s }: { s: Session }) {
  if (s.kind !== 'root') return <UserSelfCredentials s={s} />;
  return <RootCredentials s={s} />;
}

/** An IAM user's own page: change the console password (iam:ChangePassword, as the user); keys and MFA on the user's tab. */
function UserSelfCredentials({ s }: { s: Session }) {
  const [oldPassword, setOld] = useState('');
  const [newPassword, setNew] = useState('');
  const [again, setAgain] = useState('');
  const [done, setDone] = useState(false);
  const act = useAction();
  const submit = (e: Event) => {
    e.preventDefault();
    setDone(false);
    if (newPassword !== again) {
      act.setError(new Error('The new passwords do not match.'));
      return;
    }
    act.run(async () => {
      await iam('ChangePassword', { OldPassword: oldPassword, NewPassword: newPassword });
      setOld('');
      setNew('');
      setAgain('');
      setDone(true);
    });
  };
  return (
    <section>
      <h1>My security credentials</h1>
      <p>IAM user {s.userName} in account {s.accountLabel}.</p>
      <form class="card" onSubmit={submit}>
        <h2>Console password</h2>
        {done && <Notice>Your password has been changed.</Notice>}
        <Field label="Old password"><input name="oldPassword" type="password" autoComplete="current-password" required value={oldPassword} onInput={(e) => setOld((e.target as HTMLInputElement).value)} /></Field>
        <Field label="New password"><input name="newPassword" type="password" autoComplete="new-password" required value={newPassword} onInput={(e) => setNew((e.target as HTMLInputElement).value)} /></Field>
        <Field label="Retype new password"><input name="confirmPassword" type="password" autoComplete="new-password" required value={again} onInput={(e) => setAgain((e.target as HTMLInputElement).value)} /></Field>
        <ErrorBox error={act.error} />
        <button type="submit" class="primary" disabled={act.busy}>Change password</button>
      </form>
      <div class="card">
        <h2>Access keys and MFA</h2>
        <p>On your user's <Link to={`/users/${s.userName}/Security credentials`}>Security credentials</Link> tab (as any IAM call, your policies decide what you may see and do there).</p>
      </div>
    </section>
  );
}

function RootCredentials({ s }: { s: Session }) {
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

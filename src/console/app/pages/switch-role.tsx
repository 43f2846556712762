import { useState } from 'preact/hooks';
import { session, type Session } from '../api.js';
import { ErrorBox, Field, go, useAction } from '../ui.js';

/** Switch role: STS AssumeRole as the signed-in user (with its MFA facts), decided by the role's trust policy. */
export function SwitchRole({ s, onSwitched }: { s: Session; onSwitched: (s: Session) => void }) {
  const [account, setAccount] = useState(s.accountId ?? '');
  const [role, setRole] = useState('');
  const [display, setDisplay] = useState('');
  const act = useAction();
  const submit = (e: Event) => {
    e.preventDefault();
    act.run(async () => {
      onSwitched(await session.switchRole(account.trim(), role.trim(), display.trim() || undefined));
      go('/');
    });
  };
  return (
    <form class="card narrow" onSubmit={submit}>
      <h1>Switch role</h1>
      <p>Act as an IAM role of this or another account. {s.mfa ? 'You signed in with MFA: roles that require it will let you in.' : 'You signed in without MFA: roles that require MFA will refuse.'}</p>
      <Field label="Account ID or alias"><input name="account" required value={account} onInput={(e) => setAccount((e.target as HTMLInputElement).value)} /></Field>
      <Field label="IAM role name"><input name="role" required value={role} onInput={(e) => setRole((e.target as HTMLInputElement).value)} /></Field>
      <Field label="Display name - optional"><input name="displayName" value={display} onInput={(e) => setDisplay((e.target as HTMLInputElement).value)} /></Field>
      <ErrorBox error={act.error} />
      <div class="actions">
        <button type="button" onClick={() => go('/')}>Cancel</button>
        <button type="submit" class="primary" disabled={act.busy}>Switch Role</button>
      </div>
    </form>
  );
}

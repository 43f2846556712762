import { useState } from 'preact/hooks';
import { iam, session, useSession, type Session } from '../api.js';
import { ErrorBox, Field, useAction } from '../ui.js';
import { IdentityCenterSignIn } from './identity-center-sign-in.js';

/** Sign in: the root user (account + password) or an IAM user (account ID or alias + user name + password). */
export function SignIn({ onSignedIn }: { onSignedIn: (s: Session) => void }) {
  const [root, setRoot] = useState(false);
  const [identityCenter, setIdentityCenter] = useState(false);
  const [account, setAccount] = useState('');
  const [userName, setUserName] = useState('');
  const [password, setPassword] = useState('');
  const { error, busy, run } = useAction();
  const submit = (e: Event) => {
    e.preventDefault();
    run(async () => onSignedIn(await session.signIn(account.trim(), root ? undefined : userName.trim(), password)));
  };
  if (identityCenter) return <IdentityCenterSignIn onSignedIn={onSignedIn} onBack={() => setIdentityCenter(false)} />;
  return (
    <main class="center">
      <form class="card signin" onSubmit={submit} aria-labelledby="signin-title">
        <h1 id="signin-title">Sign in</h1>
        <fieldset class="choice">
          <legend>Sign in as</legend>
          <label><input type="radio" name="who" checked={!root} onChange={() => setRoot(false)} /> IAM user</label>
          <label><input type="radio" name="who" checked={root} onChange={() => setRoot(true)} /> Root user</label>
        </fieldset>
        <Field label="Account ID (12 digits) or account alias">
          <input name="account" autoComplete="username" required value={account} onInput={(e) => setAccount((e.target as HTMLInputElement).value)} />
        </Field>
        {!root && (
          <Field label="IAM user name">
            <input name="userName" autoComplete="username" required value={userName} onInput={(e) => setUserName((e.target as HTMLInputElement).value)} />
          </Field>
        )}
        <Field label="Password">
          <input name="password" type="password" autoComplete="current-password" required value={password} onInput={(e) => setPassword((e.target as HTMLInputElement).value)} />
        </Field>
        <ErrorBox error={error} />
        <button class="primary" type="submit" disabled={busy}>Sign in</button>
        <button type="button" onClick={() => setIdentityCenter(true)}>IAM Identity Center user</button>
        <p class="hint">The root user's password is printed by <code>iamlocal start</code> (and kept in the data directory's root-password.txt).</p>
        {root && (
          <details class="hint">
            <summary>Forgot password, or another account on this server?</summary>
            <p>Its root (or the root of its organization's management account) sets one: a root-signed
              <code> POST /_iamlocal/root-password {'{"accountId": "…"}'}</code>, e.g. with
              <code> curl --aws-sigv4 "aws:amz:us-east-1:sts" --user KEY:SECRET</code>; the answer carries the new password.</p>
          </details>
        )}
      </form>
    </main>
  );
}

export function MfaStep({ session: s, onDone }: { session: Session; onDone: (s: Session) => void }) {
  const [code, setCode] = useState('');
  const { error, busy, run } = useAction();
  const submit = (e: Event) => {
    e.preventDefault();
    run(async () => onDone(await session.mfa(code.trim())));
  };
  return (
    <main class="center">
      <form class="card signin" onSubmit={submit}>
        <h1>Multi-factor authentication</h1>
        <p>Your account is secured using multi-factor authentication (MFA). Enter the code from your authenticator app for {s.kind === 'root' ? 'the root user' : s.userName}.</p>
        <Field label="MFA code">
          <input name="mfaCode" inputMode="numeric" autoComplete="one-time-code" pattern="[0-9]{6}" required value={code} onInput={(e) => setCode((e.target as HTMLInputElement).value)} />
        </Field>
        <ErrorBox error={error} />
        <button class="primary" type="submit" disabled={busy}>Submit</button>
        <button type="button" onClick={() => session.signOut().then(onDone, () => onDone({ signedIn: false }))}>Cancel</button>
      </form>
    </main>
  );
}

/** The forced change (PasswordResetRequired, or an expired password): IAM ChangePassword as the user. */
export function ChangePassword({ session: s, onDone }: { session: Session; onDone: (s: Session) => void }) {
  const [oldPassword, setOld] = useState('');
  const [newPassword, setNew] = useState('');
  const [again, setAgain] = useState('');
  const { error, busy, run, setError } = useAction();
  const submit = (e: Event) => {
    e.preventDefault();
    if (newPassword !== again) {
      setError(new Error('The new passwords do not match.'));
      return;
    }
    run(async () => {
      await iam('ChangePassword', { OldPassword: oldPassword, NewPassword: newPassword });
      const next = await session.get();
      useSession(next);
      onDone(next);
    });
  };
  return (
    <main class="center">
      <form class="card signin" onSubmit={submit}>
        <h1>Change password</h1>
        <p>You must change your password to continue. AWS account {s.accountLabel}, IAM user {s.userName}.</p>
        <Field label="Old password"><input name="oldPassword" type="password" autoComplete="current-password" required value={oldPassword} onInput={(e) => setOld((e.target as HTMLInputElement).value)} /></Field>
        <Field label="New password"><input name="newPassword" type="password" autoComplete="new-password" required value={newPassword} onInput={(e) => setNew((e.target as HTMLInputElement).value)} /></Field>
        <Field label="Retype new password"><input name="confirmPassword" type="password" autoComplete="new-password" required value={again} onInput={(e) => setAgain((e.target as HTMLInputElement).value)} /></Field>
        <ErrorBox error={error} />
        <button class="primary" type="submit" disabled={busy}>Confirm password change</button>
      </form>
    </main>
  );
}

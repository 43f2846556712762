import { useState } from 'preact/hooks';
import { ApiError, PREFIX, type Session } from '../api.js';
import { ErrorBox, Field, useAction } from '../ui.js';

/**
 * Sign in as an IAM Identity Center user, as the AWS access portal does: user name and
 * password, then the account and permission set to work in. The console then acts as that
 * permission set's AWSReservedSSO_ role session (src/console/identity-center.ts).
 */
interface Choice {
  accountId: string;
  accountName: string;
  permissionSets: string[];
}

async function post(body: Record<string, string | undefined>): Promise<Record<string, unknown>> {
  const res = await fetch(`${PREFIX}session/identity-center`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), credentials: 'same-origin',
  });
  const data = (await res.json()) as Record<string, unknown>;
  if (!res.ok) throw new ApiError(res.status, String(data.error), String(data.message));
  return data;
}

export function IdentityCenterSignIn({ onSignedIn, onBack }: { onSignedIn: (s: Session) => void; onBack: () => void }) {
  const [userName, setUserName] = useState('');
  const [password, setPassword] = useState('');
  const [choices, setChoices] = useState<Choice[] | undefined>(undefined);
  const { error, busy, run } = useAction();
  const list = (e: Event) => {
    e.preventDefault();
    run(async () => setChoices((await post({ userName: userName.trim(), password })).accounts as Choice[]));
  };
  const choose = (accountId: string, permissionSet: string) =>
    run(async () => onSignedIn((await post({ userName: userName.trim(), password, accountId, permissionSet })) as unknown as Session));
  if (choices) {
    return (
      <main class="center">
        <section class="card signin" aria-labelledby="sso-accounts-title">
          <h1 id="sso-accounts-title">AWS accounts</h1>
          {choices.length === 0 && <p>No account is assigned to {userName}.</p>}
          {choices.map((c) => (
            <div class="field" key={c.accountId}>
              <strong>{c.accountName}</strong> <code>{c.accountId}</code>
              <div>
                {c.permissionSets.map((ps) => (
                  <button type="button" key={ps} disabled={busy} onClick={() => choose(c.accountId, ps)}>{ps}</button>
                ))}
              </div>
            </div>
          ))}
          <ErrorBox error={error} />
          <button type="button" onClick={() => setChoices(undefined)}>Back</button>
        </section>
      </main>
    );
  }
  return (
    <main class="center">
      <form class="card signin" onSubmit={list} aria-labelledby="sso-signin-title">
        <h1 id="sso-signin-title">IAM Identity Center</h1>
        <Field label="Username">
          <input name="ssoUserName" autoComplete="username" required value={userName} onInput={(e) => setUserName((e.target as HTMLInputElement).value)} />
        </Field>
        <Field label="Password">
          <input name="ssoPassword" type="password" autoComplete="current-password" required value={password} onInput={(e) => setPassword((e.target as HTMLInputElement).value)} />
        </Field>
        <ErrorBox error={error} />
        <button class="primary" type="submit" disabled={busy}>Sign in</button>
        <button type="button" onClick={onBack}>IAM user or root user</button>
        <p class="hint">Passwords of Identity Center users are set by the account's root with POST /_iamlocal/sso/password.</p>
      </form>
    </main>
  );
}

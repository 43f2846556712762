import { useEffect, useState } from 'preact/hooks';
import { iam, list } from '../api.js';
import { ErrorBox, Field, Notice, useAction, useLoad } from '../ui.js';

interface Policy {
  MinimumPasswordLength: string; RequireSymbols: string; RequireNumbers: string; RequireUppercaseCharacters: string; RequireLowercaseCharacters: string;
  AllowUsersToChangePassword: string; MaxPasswordAge?: string; PasswordReusePrevention?: string; HardExpiry?: string;
}

const FLAGS: Array<[keyof Policy, string]> = [
  ['RequireUppercaseCharacters', 'Require at least one uppercase letter from the Latin alphabet (A-Z)'],
  ['RequireLowercaseCharacters', 'Require at least one lowercase letter from the Latin alphabet (a-z)'],
  ['RequireNumbers', 'Require at least one number'],
  ['RequireSymbols', 'Require at least one non-alphanumeric character'],
  ['AllowUsersToChangePassword', 'Allow users to change their own password'],
  ['HardExpiry', 'Prevent password reuse after expiry (require administrator reset)'],
];

/** The account password policy and the account alias. */
export function AccountSettings() {
  const policy = useLoad(() => iam('GetAccountPasswordPolicy').then((r) => r.PasswordPolicy as unknown as Policy).catch((e) => (e.code === 'NoSuchEntity' ? null : Promise.reject(e))));
  const aliases = useLoad(() => iam('ListAccountAliases'));
  const [form, setForm] = useState<Record<string, string | boolean>>({});
  const [alias, setAlias] = useState('');
  const [saved, setSaved] = useState('');
  const act = useAction();
  useEffect(() => {
    const p = policy.data;
    const f: Record<string, string | boolean> = { MinimumPasswordLength: p?.MinimumPasswordLength ?? '8', MaxPasswordAge: p?.MaxPasswordAge ?? '', PasswordReusePrevention: p?.PasswordReusePrevention ?? '' };
    for (const [k] of FLAGS) f[k] = p ? p[k] === 'true' : k === 'AllowUsersToChangePassword';
    setForm(f);
  }, [policy.data]);
  const save = (e: Event) => {
    e.preventDefault();
    act.run(async () => {
      const params: Record<string, string | boolean | undefined> = { MinimumPasswordLength: String(form.MinimumPasswordLength) };
      for (const [k] of FLAGS) params[k] = Boolean(form[k]);
      if (form.MaxPasswordAge) params.MaxPasswordAge = String(form.MaxPasswordAge);
      if (form.PasswordReusePrevention) params.PasswordReusePrevention = String(form.PasswordReusePrevention);
      await iam('UpdateAccountPasswordPolicy', params);
      setSaved('Password policy updated.');
      policy.reload();
    });
  };
  const current = list<string>(aliases.data?.AccountAliases)[0];
  const setAccountAlias = (e: Event) => {
    e.preventDefault();
    act.run(async () => {
      if (current) await iam('DeleteAccountAlias', { AccountAlias: current });
      await iam('CreateAccountAlias', { AccountAlias: alias.trim() });
      setAlias('');
      setSaved('Account alias saved.');
      aliases.reload();
    });
  };
  return (
    <section>
      <h1>Account settings</h1>
      <ErrorBox error={policy.error ?? aliases.error ?? act.error} />
      {saved && <Notice>{saved}</Notice>}
      {policy.data !== undefined && <form class="card" onSubmit={save}>
        <h2>Password policy</h2>
        <p>{policy.data === null ? 'This AWS account uses the default password policy.' : 'This AWS account uses a custom password policy.'}</p>
        <Field label="Password minimum length"><input type="number" min={6} max={128} value={String(form.MinimumPasswordLength ?? '')} onInput={(e) => setForm({ ...form, MinimumPasswordLength: (e.target as HTMLInputElement).value })} /></Field>
        {FLAGS.map(([k, label]) => (
          <label class="check" key={k}><input type="checkbox" checked={Boolean(form[k])} onChange={(e) => setForm({ ...form, [k]: (e.target as HTMLInputElement).checked })} /> {label}</label>
        ))}
        <Field label="Password expiration (days, empty: never)"><input type="number" min={1} max={1095} value={String(form.MaxPasswordAge ?? '')} onInput={(e) => setForm({ ...form, MaxPasswordAge: (e.target as HTMLInputElement).value })} /></Field>
        <Field label="Prevent reuse of the last N passwords (empty: allow)"><input type="number" min={1} max={24} value={String(form.PasswordReusePrevention ?? '')} onInput={(e) => setForm({ ...form, PasswordReusePrevention: (e.target as HTMLInputElement).value })} /></Field>
        <button type="submit" class="primary" disabled={act.busy}>Save changes</button>
      </form>}
      <form class="card" onSubmit={setAccountAlias}>
        <h2>Account alias</h2>
        <p>Current alias: <code data-testid="alias">{current ?? 'none'}</code> — IAM users can sign in with it instead of the account ID.</p>
        <Field label="New account alias"><input name="alias" required value={alias} onInput={(e) => setAlias((e.target as HTMLInputElement).value)} /></Field>
        <div class="actions">
          <button type="submit" disabled={act.busy}>Save alias</button>
          {current && <button type="button" onClick={() => act.run(async () => { await iam('DeleteAccountAlias', { AccountAlias: current }); aliases.reload(); })}>Delete alias</button>}
        </div>
      </form>
    </section>
  );
}

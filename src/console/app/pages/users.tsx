import { useState } from 'preact/hooks';
import { iam, iamAll, list, type Session } from '../api.js';
import { date, download, ErrorBox, Field, go, Link, Notice, Table, Tabs, useAction, useLoad } from '../ui.js';
import { AssignMfa } from './mfa.js';
import { GroupPicker, PolicyPicker, isAwsManaged, type PolicyRow } from './picker.js';
import { PolicyEditor } from '../editor.js';

interface UserRow { UserName: string; UserId: string; Arn: string; CreateDate: string; PasswordLastUsed?: string }

export function Users() {
  const { data, error, reload } = useLoad(() => iamAll<UserRow>('ListUsers', 'Users'));
  const [selected, setSelected] = useState<string[]>([]);
  const act = useAction();
  const remove = () => act.run(async () => {
    for (const u of selected) await deleteUser(u);
    setSelected([]);
    reload();
  });
  return (
    <section>
      <div class="title-bar">
        <h1>Users</h1>
        <div class="actions">
          <button type="button" disabled={!selected.length || act.busy} onClick={remove}>Delete</button>
          <button type="button" class="primary" onClick={() => go('/users/$create')}>Create user</button>
        </div>
      </div>
      <ErrorBox error={error ?? act.error} />
      <Table<UserRow>
        label="Users" rows={data ?? []} rowKey={(r) => r.UserName} selected={selected} onSelect={setSelected}
        columns={[
          { key: 'name', label: 'User name', value: (r) => r.UserName, render: (r) => <Link to={`/users/${r.UserName}`}>{r.UserName}</Link> },
          { key: 'arn', label: 'ARN', value: (r) => r.Arn },
          { key: 'created', label: 'Creation time', value: (r) => r.CreateDate, render: (r) => date(r.CreateDate) },
          { key: 'login', label: 'Console last sign-in', value: (r) => r.PasswordLastUsed ?? '', render: (r) => (r.PasswordLastUsed ? date(r.PasswordLastUsed) : 'Never') },
        ]}
      />
    </section>
  );
}

/** DeleteUser after what IAM requires first (the console does the same on your behalf). */
async function deleteUser(name: string) {
  await iam('DeleteLoginProfile', { UserName: name }).catch(() => undefined);
  for (const k of list<{ AccessKeyId: string }>((await iam('ListAccessKeys', { UserName: name })).AccessKeyMetadata)) await iam('DeleteAccessKey', { UserName: name, AccessKeyId: k.AccessKeyId });
  for (const d of list<{ SerialNumber: string }>((await iam('ListMFADevices', { UserName: name })).MFADevices)) {
    await iam('DeactivateMFADevice', { UserName: name, SerialNumber: d.SerialNumber });
    await iam('DeleteVirtualMFADevice', { SerialNumber: d.SerialNumber }).catch(() => undefined);
  }
  for (const g of list<{ GroupName: string }>((await iam('ListGroupsForUser', { UserName: name })).Groups)) await iam('RemoveUserFromGroup', { UserName: name, GroupName: g.GroupName });
  for (const p of list<{ PolicyArn: string }>((await iam('ListAttachedUserPolicies', { UserName: name })).AttachedPolicies)) await iam('DetachUserPolicy', { UserName: name, PolicyArn: p.PolicyArn });
  for (const p of list<string>((await iam('ListUserPolicies', { UserName: name })).PolicyNames)) await iam('DeleteUserPolicy', { UserName: name, PolicyName: p });
  await iam('DeleteUser', { UserName: name });
}

/** A password the account policy accepts: every character class, 20 characters. */
function generatePassword(): string {
  const sets = ['ABCDEFGHJKLMNPQRSTUVWXYZ', 'abcdefghijkmnopqrstuvwxyz', '23456789', '!@#$%^&*()_+-=[]{}|'];
  const pick = (s: string) => s[crypto.getRandomValues(new Uint32Array(1))[0] % s.length];
  const chars = sets.map(pick);
  while (chars.length < 20) chars.push(pick(sets.join('')));
  return chars.sort(() => crypto.getRandomValues(new Uint8Array(1))[0] - 128).join('');
}

interface Created { userName: string; password?: string; accessKeyId?: string; secret?: string }

/** AWS's credentials .csv of the create-user wizard. */
function createdCsv(c: Created): string {
  const link = `${location.origin}/_iamlocal/console/`;
  return `User name,Password,Access key ID,Secret access key,Console login link\n${c.userName},${c.password ?? ''},${c.accessKeyId ?? ''},${c.secret ?? ''},${link}\n`;
}

export function CreateUser() {
  const [name, setName] = useState('');
  const [consoleAccess, setConsoleAccess] = useState(true);
  const [autoPassword, setAutoPassword] = useState(false);
  const [password, setPassword] = useState('');
  const [mustReset, setMustReset] = useState(true);
  const [accessKey, setAccessKey] = useState(false);
  const [groups, setGroups] = useState<string[]>([]);
  const [policies, setPolicies] = useState<string[]>([]);
  const [boundary, setBoundary] = useState('');
  const [tags, setTags] = useState<Array<{ Key: string; Value: string }>>([]);
  const [created, setCreated] = useState<Created | undefined>(undefined);
  const all = useLoad(() => iamAll<PolicyRow>('ListPolicies', 'Policies', { Scope: 'All' }));
  const act = useAction();
  const create = (e: Event) => {
    e.preventDefault();
    act.run(async () => {
      const userName = name.trim();
      const params: Record<string, string> = { UserName: userName };
      if (boundary) params.PermissionsBoundary = boundary;
      tags.filter((t) => t.Key).forEach((t, i) => { params[`Tags.member.${i + 1}.Key`] = t.Key; params[`Tags.member.${i + 1}.Value`] = t.Value; });
      await iam('CreateUser', params);
      const out: Created = { userName };
      if (consoleAccess) {
        const pw = autoPassword ? generatePassword() : password;
        await iam('CreateLoginProfile', { UserName: userName, Password: pw, PasswordResetRequired: mustReset });
        // As AWS's console does: the user may change its own password at the next sign-in.
        if (mustReset) await iam('AttachUserPolicy', { UserName: userName, PolicyArn: 'arn:aws:iam::aws:policy/IAMUserChangePassword' });
        out.password = pw;
      }
      for (const g of groups) await iam('AddUserToGroup', { UserName: userName, GroupName: g });
      for (const arn of policies) await iam('AttachUserPolicy', { UserName: userName, PolicyArn: arn });
      if (accessKey) {
        const k = (await iam('CreateAccessKey', { UserName: userName })).AccessKey as Record<string, string>;
        out.accessKeyId = k.AccessKeyId;
        out.secret = k.SecretAccessKey;
      }
      setCreated(out);
    });
  };
  if (created) {
    return (
      <section>
        <h1>Create user</h1>
        <Notice>User {created.userName} created successfully.</Notice>
        <div class="card">
          <h2>Sign-in instructions</h2>
          <p>Console sign-in URL: <code>{location.origin}/_iamlocal/console/</code></p>
          <p>User name: <code>{created.userName}</code></p>
          {created.password && <p>Console password: <code data-testid="created-password">{created.password}</code></p>}
          {created.accessKeyId && (
            <>
              <p>Access key ID: <code data-testid="created-key-id">{created.accessKeyId}</code></p>
              <p>Secret access key: <code data-testid="created-secret">{created.secret}</code></p>
              <Notice kind="warning">This is the only time the secret access key can be viewed or downloaded.</Notice>
            </>
          )}
          <div class="actions">
            <button type="button" onClick={() => download(`${created.userName}_credentials.csv`, createdCsv(created))}>Download .csv</button>
            <button type="button" class="primary" onClick={() => go(`/users/${created.userName}`)}>View user</button>
          </div>
        </div>
      </section>
    );
  }
  return (
    <form onSubmit={create}>
      <h1>Create user</h1>
      <div class="card">
        <h2>User details</h2>
        <Field label="User name" hint="Up to 64 characters: letters, digits and +=,.@_-">
          <input name="userName" required maxLength={64} value={name} onInput={(e) => setName((e.target as HTMLInputElement).value)} />
        </Field>
        <label class="check"><input type="checkbox" checked={consoleAccess} onChange={(e) => setConsoleAccess((e.target as HTMLInputElement).checked)} /> Provide user access to the AWS Management Console</label>
        {consoleAccess && (
          <fieldset class="sub">
            <legend>Console password</legend>
            <label class="check"><input type="radio" name="pw" checked={autoPassword} onChange={() => setAutoPassword(true)} /> Autogenerated password</label>
            <label class="check"><input type="radio" name="pw" checked={!autoPassword} onChange={() => setAutoPassword(false)} /> Custom password</label>
            {!autoPassword && (
              <Field label="Enter a custom password"><input name="password" type="password" autoComplete="new-password" required value={password} onInput={(e) => setPassword((e.target as HTMLInputElement).value)} /></Field>
            )}
            <label class="check"><input type="checkbox" checked={mustReset} onChange={(e) => setMustReset((e.target as HTMLInputElement).checked)} /> Users must create a new password at next sign-in - Recommended</label>
          </fieldset>
        )}
        <label class="check"><input type="checkbox" checked={accessKey} onChange={(e) => setAccessKey((e.target as HTMLInputElement).checked)} /> Access key - Programmatic access</label>
      </div>
      <div class="card">
        <h2>Add user to group</h2>
        <GroupPicker selected={groups} onSelect={setGroups} />
      </div>
      <div class="card">
        <h2>Attach policies directly</h2>
        <PolicyPicker selected={policies} onSelect={setPolicies} />
      </div>
      <div class="card">
        <h2>Set permissions boundary - optional</h2>
        <Field label="Permissions boundary">
          <select value={boundary} onChange={(e) => setBoundary((e.target as HTMLSelectElement).value)}>
            <option value="">Create user without a permissions boundary</option>
            {(all.data ?? []).map((p) => <option key={p.Arn} value={p.Arn}>{p.PolicyName}</option>)}
          </select>
        </Field>
      </div>
      <div class="card">
        <h2>Tags - optional</h2>
        <TagRows tags={tags} onChange={setTags} />
      </div>
      <ErrorBox error={act.error} />
      <div class="actions end">
        <button type="button" onClick={() => go('/users')}>Cancel</button>
        <button type="submit" class="primary" disabled={act.busy}>Create user</button>
      </div>
    </form>
  );
}

function TagRows({ tags, onChange }: { tags: Array<{ Key: string; Value: string }>; onChange: (t: Array<{ Key: string; Value: string }>) => void }) {
  const set = (i: number, part: 'Key' | 'Value', v: string) => onChange(tags.map((t, j) => (j === i ? { ...t, [part]: v } : t)));
  return (
    <div>
      {tags.map((t, i) => (
        <div class="row" key={i}>
          <input aria-label={`Tag ${i + 1} key`} placeholder="Key" value={t.Key} onInput={(e) => set(i, 'Key', (e.target as HTMLInputElement).value)} />
          <input aria-label={`Tag ${i + 1} value`} placeholder="Value" value={t.Value} onInput={(e) => set(i, 'Value', (e.target as HTMLInputElement).value)} />
          <button type="button" onClick={() => onChange(tags.filter((_, j) => j !== i))}>Remove</button>
        </div>
      ))}
      <button type="button" onClick={() => onChange([...tags, { Key: '', Value: '' }])}>Add new tag</button>
    </div>
  );
}

export function UserDetail({ name, tab = 'Permissions', s }: { name: string; tab?: string; s: Session }) {
  const user = useLoad(() => iam('GetUser', { UserName: name }), [name]);
  const info = user.data?.User as Record<string, string | Record<string, string>> | undefined;
  const setTab = (t: string) => go(`/users/${name}/${t}`);
  return (
    <section>
      <p class="crumbs"><Link to="/users">Users</Link> › {name}</p>
      <h1>{name}</h1>
      <ErrorBox error={user.error} />
      {info && (
        <div class="card summary">
          <p>ARN <code>{String(info.Arn)}</code></p>
          <p>Created {date(String(info.CreateDate))}</p>
          <Boundary name={name} current={typeof info.PermissionsBoundary === 'object' ? info.PermissionsBoundary.PermissionsBoundaryArn : undefined} reload={user.reload} />
        </div>
      )}
      <Tabs tabs={['Permissions', 'Groups', 'Tags', 'Security credentials']} current={tab} onChange={setTab} />
      {tab === 'Permissions' && <UserPermissions name={name} />}
      {tab === 'Groups' && <UserGroups name={name} />}
      {tab === 'Tags' && <UserTags name={name} />}
      {tab === 'Security credentials' && <UserCredentials name={name} s={s} />}
    </section>
  );
}

/** The user's permissions boundary: shown, set from any managed policy, or removed. */
function Boundary({ name, current, reload }: { name: string; current?: string; reload: () => void }) {
  const [editing, setEditing] = useState(false);
  const [arn, setArn] = useState('');
  const all = useLoad(() => (editing ? iamAll<PolicyRow>('ListPolicies', 'Policies') : Promise.resolve([])), [editing]);
  const act = useAction();
  const save = () => act.run(async () => {
    await iam('PutUserPermissionsBoundary', { UserName: name, PermissionsBoundary: arn });
    setEditing(false);
    reload();
  });
  const remove = () => act.run(async () => { await iam('DeleteUserPermissionsBoundary', { UserName: name }); reload(); });
  return (
    <div>
      <p>Permissions boundary {current ? <code data-testid="boundary">{current}</code> : <span class="muted" data-testid="boundary">not set</span>}{' '}
        {!editing && <button type="button" class="link" onClick={() => { setArn(current ?? ''); setEditing(true); }}>{current ? 'Change boundary' : 'Set boundary'}</button>}
        {current && !editing && <button type="button" class="link" onClick={remove}>Remove boundary</button>}</p>
      {editing && (
        <div class="row">
          <select aria-label="Permissions boundary policy" value={arn} onChange={(e) => setArn((e.target as HTMLSelectElement).value)}>
            <option value="">Choose a managed policy…</option>
            {(all.data ?? []).map((p) => <option key={p.Arn} value={p.Arn}>{p.PolicyName}</option>)}
          </select>
          <button type="button" onClick={() => setEditing(false)}>Cancel</button>
          <button type="button" class="primary" disabled={!arn || act.busy} onClick={save}>Set boundary</button>
        </div>
      )}
      <ErrorBox error={all.error ?? act.error} />
    </div>
  );
}

function UserPermissions({ name }: { name: string }) {
  const attached = useLoad(() => iam('ListAttachedUserPolicies', { UserName: name }), [name]);
  const inline = useLoad(() => iam('ListUserPolicies', { UserName: name }), [name]);
  const [adding, setAdding] = useState(false);
  const [picked, setPicked] = useState<string[]>([]);
  const act = useAction();
  const attach = () => act.run(async () => {
    for (const arn of picked) await iam('AttachUserPolicy', { UserName: name, PolicyArn: arn });
    setPicked([]);
    setAdding(false);
    attached.reload();
  });
  const detach = (arn: string) => act.run(async () => { await iam('DetachUserPolicy', { UserName: name, PolicyArn: arn }); attached.reload(); });
  const [creating, setCreating] = useState(false);
  const [viewing, setViewing] = useState('');
  const [doc, setDoc] = useState(INLINE_STARTER);
  const [docErrors, setDocErrors] = useState(0);
  const [inlineName, setInlineName] = useState('');
  const putInline = (e: Event) => {
    e.preventDefault();
    act.run(async () => {
      await iam('PutUserPolicy', { UserName: name, PolicyName: inlineName.trim(), PolicyDocument: doc });
      setCreating(false);
      setInlineName('');
      inline.reload();
    });
  };
  const removeInline = (p: string) => act.run(async () => { await iam('DeleteUserPolicy', { UserName: name, PolicyName: p }); inline.reload(); });
  return (
    <div class="card">
      <div class="title-bar">
        <h2>Permissions policies</h2>
        <button type="button" onClick={() => setAdding(!adding)}>Add permissions</button>
      </div>
      <ErrorBox error={attached.error ?? inline.error ?? act.error} />
      <ul class="plain">
        {list<{ PolicyName: string; PolicyArn: string }>(attached.data?.AttachedPolicies).map((p) => (
          <li key={p.PolicyArn}>
            <Link to={`/policies/${p.PolicyArn}`}>{p.PolicyName}</Link> <span class="muted">{isAwsManaged(p.PolicyArn) ? 'AWS managed' : 'Customer managed'}</span>{' '}
            <button type="button" class="link" onClick={() => detach(p.PolicyArn)} aria-label={`Remove ${p.PolicyName}`}>Remove</button>
          </li>
        ))}
        {list<string>(inline.data?.PolicyNames).map((p) => (
          <li key={p}>
            <button type="button" class="link" aria-expanded={viewing === p} onClick={() => setViewing(viewing === p ? '' : p)}>{p}</button> <span class="muted">Customer inline</span>{' '}
            <button type="button" class="link" onClick={() => removeInline(p)} aria-label={`Delete inline policy ${p}`}>Delete</button>
            {viewing === p && <InlineDocument user={name} policy={p} />}
          </li>
        ))}
      </ul>
      {!creating && <button type="button" onClick={() => setCreating(true)}>Create inline policy</button>}
      {creating && (
        <form class="card inner" onSubmit={putInline}>
          <h3>Create inline policy</h3>
          <PolicyEditor value={INLINE_STARTER} label="Inline policy editor" onChange={(t, f) => { setDoc(t); setDocErrors(f.filter((x) => x.findingType === 'ERROR').length); }} />
          <Field label="Inline policy name"><input name="inlinePolicyName" required value={inlineName} onInput={(e) => setInlineName((e.target as HTMLInputElement).value)} /></Field>
          <div class="actions">
            <button type="button" onClick={() => setCreating(false)}>Cancel</button>
            <button type="submit" class="primary" disabled={act.busy || docErrors > 0 || !inlineName.trim()}>Create inline policy</button>
          </div>
        </form>
      )}
      {adding && (
        <div class="card inner">
          <h3>Attach policies directly</h3>
          <PolicyPicker selected={picked} onSelect={setPicked} />
          <button type="button" class="primary" disabled={!picked.length || act.busy} onClick={attach}>Add permissions</button>
        </div>
      )}
    </div>
  );
}

const INLINE_STARTER = '{\n    "Version": "2012-10-17",\n    "Statement": [\n        {\n            "Effect": "Allow",\n            "Action": "",\n            "Resource": "*"\n        }\n    ]\n}';

/** An inline policy's document, as GetUserPolicy answers it (URL-encoded JSON). */
function InlineDocument({ user, policy }: { user: string; policy: string }) {
  const got = useLoad(() => iam('GetUserPolicy', { UserName: user, PolicyName: policy }), [user, policy]);
  const text = got.data?.PolicyDocument as string | undefined;
  let shown = text ? decodeURIComponent(text) : '';
  try {
    shown = JSON.stringify(JSON.parse(shown), null, 4);
  } catch {
    // shown as stored
  }
  return <><ErrorBox error={got.error} />{text && <pre class="json" aria-label={`Inline policy ${policy}`}>{shown}</pre>}</>;
}

function UserGroups({ name }: { name: string }) {
  const groups = useLoad(() => iam('ListGroupsForUser', { UserName: name }), [name]);
  const [adding, setAdding] = useState(false);
  const [picked, setPicked] = useState<string[]>([]);
  const act = useAction();
  const add = () => act.run(async () => {
    for (const g of picked) await iam('AddUserToGroup', { UserName: name, GroupName: g });
    setPicked([]);
    setAdding(false);
    groups.reload();
  });
  return (
    <div class="card">
      <div class="title-bar"><h2>User groups membership</h2><button type="button" onClick={() => setAdding(!adding)}>Add user to groups</button></div>
      <ErrorBox error={groups.error ?? act.error} />
      <ul class="plain">
        {list<{ GroupName: string }>(groups.data?.Groups).map((g) => (
          <li key={g.GroupName}>
            <Link to={`/groups/${g.GroupName}`}>{g.GroupName}</Link>{' '}
            <button type="button" class="link" onClick={() => act.run(async () => { await iam('RemoveUserFromGroup', { UserName: name, GroupName: g.GroupName }); groups.reload(); })}>Remove</button>
          </li>
        ))}
      </ul>
      {adding && <div class="card inner"><GroupPicker selected={picked} onSelect={setPicked} /><button type="button" class="primary" disabled={!picked.length} onClick={add}>Add user to groups</button></div>}
    </div>
  );
}

function UserTags({ name }: { name: string }) {
  const tags = useLoad(() => iam('ListUserTags', { UserName: name }), [name]);
  const [key, setKey] = useState('');
  const [value, setValue] = useState('');
  const act = useAction();
  const add = (e: Event) => {
    e.preventDefault();
    act.run(async () => { await iam('TagUser', { UserName: name, 'Tags.member.1.Key': key, 'Tags.member.1.Value': value }); setKey(''); setValue(''); tags.reload(); });
  };
  return (
    <div class="card">
      <h2>Tags</h2>
      <ErrorBox error={tags.error ?? act.error} />
      <Table label="Tags" rows={list<{ Key: string; Value: string }>(tags.data?.Tags)} rowKey={(t) => t.Key}
        columns={[{ key: 'k', label: 'Key', value: (t) => t.Key }, { key: 'v', label: 'Value', value: (t) => t.Value }]} />
      <form class="row" onSubmit={add}>
        <input aria-label="New tag key" placeholder="Key" required value={key} onInput={(e) => setKey((e.target as HTMLInputElement).value)} />
        <input aria-label="New tag value" placeholder="Value" value={value} onInput={(e) => setValue((e.target as HTMLInputElement).value)} />
        <button type="submit">Add tag</button>
      </form>
    </div>
  );
}

/** Console password, MFA devices and access keys of a user. */
function UserCredentials({ name, s }: { name: string; s: Session }) {
  const profile = useLoad(() => iam('GetLoginProfile', { UserName: name }).catch((e) => (e.code === 'NoSuchEntity' ? null : Promise.reject(e))), [name]);
  const mfa = useLoad(() => iam('ListMFADevices', { UserName: name }), [name]);
  const keys = useLoad(() => iam('ListAccessKeys', { UserName: name }), [name]);
  const [assigning, setAssigning] = useState(false);
  const [newKey, setNewKey] = useState<{ id: string; secret: string } | undefined>(undefined);
  const act = useAction();
  const createKey = () => act.run(async () => {
    const k = (await iam('CreateAccessKey', { UserName: name })).AccessKey as Record<string, string>;
    setNewKey({ id: k.AccessKeyId, secret: k.SecretAccessKey });
    keys.reload();
  });
  const keyRows = list<{ AccessKeyId: string; Status: string; CreateDate: string }>(keys.data?.AccessKeyMetadata);
  const lp = profile.data?.LoginProfile as Record<string, string> | undefined;
  return (
    <div>
      <ErrorBox error={profile.error ?? mfa.error ?? keys.error ?? act.error} />
      <div class="card">
        <h2>Console sign-in</h2>
        {profile.data === null && <p>Console access: <strong>Disabled</strong></p>}
        {lp && <p>Console access: <strong>Enabled</strong>{lp.PasswordResetRequired === 'true' ? ' (new password required at next sign-in)' : ''}; password set {date(lp.CreateDate)}</p>}
        <p>Console sign-in link: <code>{location.origin}/_iamlocal/console/</code> (account {s.accountLabel})</p>
        {profile.data !== undefined && <ConsoleAccess name={name} enabled={Boolean(lp)} reload={profile.reload} />}
      </div>
      <div class="card">
        <div class="title-bar"><h2>Multi-factor authentication (MFA)</h2>
          <button type="button" onClick={() => setAssigning(true)} disabled={assigning}>Assign MFA device</button></div>
        <ul class="plain">
          {list<{ SerialNumber: string; EnableDate: string }>(mfa.data?.MFADevices).map((d) => (
            <li key={d.SerialNumber}><code>{d.SerialNumber}</code> Virtual, assigned {date(d.EnableDate)}{' '}
              <button type="button" class="link" onClick={() => act.run(async () => { await iam('DeactivateMFADevice', { UserName: name, SerialNumber: d.SerialNumber }); mfa.reload(); })}>Remove</button></li>
          ))}
        </ul>
        {mfa.data && list(mfa.data.MFADevices).length === 0 && !assigning && <p class="muted">No MFA device assigned: a signed-in user's requests carry no MFA.</p>}
        {assigning && <AssignMfa userName={name} onDone={() => { setAssigning(false); mfa.reload(); }} onCancel={() => setAssigning(false)} />}
      </div>
      <div class="card">
        <div class="title-bar"><h2>Access keys ({keyRows.length})</h2>
          <button type="button" onClick={createKey} disabled={keyRows.length >= 2 || act.busy}>Create access key</button></div>
        {newKey && (
          <div class="card inner">
            <Notice>Access key created. This is the only time the secret access key can be viewed or downloaded.</Notice>
            <p>Access key: <code data-testid="new-key-id">{newKey.id}</code></p>
            <p>Secret access key: <code data-testid="new-key-secret">{newKey.secret}</code></p>
            <div class="actions">
              <button type="button" onClick={() => download(`${name}_accessKeys.csv`, `\ufeffAccess key ID,Secret access key\n${newKey.id},${newKey.secret}\n`)}>Download .csv file</button>
              <button type="button" onClick={() => setNewKey(undefined)}>Done</button>
            </div>
          </div>
        )}
        {keys.data && keyRows.length === 0 && !newKey && <p class="muted">No access keys. Create one for the AWS CLI, SDKs or direct API calls.</p>}
        <ul class="plain">
          {keyRows.map((k) => <AccessKeyLine key={k.AccessKeyId} user={name} k={k} reload={keys.reload} />)}
        </ul>
      </div>
    </div>
  );
}

/** Manage console access: set or reset the password (CreateLoginProfile / UpdateLoginProfile), or disable it. */
function ConsoleAccess({ name, enabled, reload }: { name: string; enabled: boolean; reload: () => void }) {
  const [open, setOpen] = useState(false);
  const [password, setPassword] = useState('');
  const [reset, setReset] = useState(true);
  const [done, setDone] = useState('');
  const act = useAction();
  const save = (e: Event) => {
    e.preventDefault();
    act.run(async () => {
      const params = { UserName: name, Password: password, PasswordResetRequired: String(reset) };
      await iam(enabled ? 'UpdateLoginProfile' : 'CreateLoginProfile', params);
      // As AWS's console: a user who must change the password gets the permission to.
      if (reset) await iam('AttachUserPolicy', { UserName: name, PolicyArn: 'arn:aws:iam::aws:policy/IAMUserChangePassword' });
      setOpen(false);
      setPassword('');
      setDone(enabled ? 'Console password reset.' : 'Console access enabled.');
      reload();
    });
  };
  const disable = () => act.run(async () => {
    await iam('DeleteLoginProfile', { UserName: name });
    setDone('Console access disabled.');
    reload();
  });
  return (
    <div>
      {done && <Notice>{done}</Notice>}
      <ErrorBox error={act.error} />
      {!open && (
        <div class="actions">
          <button type="button" onClick={() => { setOpen(true); setDone(''); }}>{enabled ? 'Reset password' : 'Enable console access'}</button>
          {enabled && <button type="button" onClick={disable} disabled={act.busy}>Disable console access</button>}
        </div>
      )}
      {open && (
        <form class="card inner" onSubmit={save}>
          <Field label="New console password"><input name="newConsolePassword" type="password" autoComplete="new-password" required value={password} onInput={(e) => setPassword((e.target as HTMLInputElement).value)} /></Field>
          <label class="check"><input type="checkbox" checked={reset} onChange={(e) => setReset((e.target as HTMLInputElement).checked)} /> User must create a new password at next sign-in</label>
          <div class="actions">
            <button type="button" onClick={() => setOpen(false)}>Cancel</button>
            <button type="submit" class="primary" disabled={act.busy}>{enabled ? 'Reset password' : 'Enable'}</button>
          </div>
        </form>
      )}
    </div>
  );
}

function AccessKeyLine({ user, k, reload }: { user: string; k: { AccessKeyId: string; Status: string; CreateDate: string }; reload: () => void }) {
  const used = useLoad(() => iam('GetAccessKeyLastUsed', { AccessKeyId: k.AccessKeyId }), [k.AccessKeyId]);
  const last = used.data?.AccessKeyLastUsed as Record<string, string> | undefined;
  const act = useAction();
  const toggle = () => act.run(async () => { await iam('UpdateAccessKey', { UserName: user, AccessKeyId: k.AccessKeyId, Status: k.Status === 'Active' ? 'Inactive' : 'Active' }); reload(); });
  const remove = () => act.run(async () => { await iam('DeleteAccessKey', { UserName: user, AccessKeyId: k.AccessKeyId }); reload(); });
  return (
    <li>
      <code>{k.AccessKeyId}</code> {k.Status}, created {date(k.CreateDate)}, last used {last?.LastUsedDate ? `${date(last.LastUsedDate)} (${last.ServiceName}, ${last.Region})` : 'never'}{' '}
      <button type="button" class="link" onClick={toggle}>{k.Status === 'Active' ? 'Deactivate' : 'Activate'}</button>{' '}
      {k.Status !== 'Active' && <button type="button" class="link" onClick={remove}>Delete</button>}
      <ErrorBox error={act.error} />
    </li>
  );
}

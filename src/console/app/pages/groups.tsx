import { useState } from 'preact/hooks';
import { iam, iamAll, list } from '../api.js';
import { date, ErrorBox, Field, go, Link, Notice, Table, useAction, useLoad } from '../ui.js';
import { PolicyPicker, isAwsManaged } from './picker.js';

interface GroupRow { GroupName: string; Arn: string; CreateDate: string }

export function Groups() {
  const { data, error, reload } = useLoad(() => iamAll<GroupRow>('ListGroups', 'Groups'));
  const [selected, setSelected] = useState<string[]>([]);
  const act = useAction();
  const remove = () => act.run(async () => {
    for (const g of selected) await deleteGroup(g);
    setSelected([]);
    reload();
  });
  return (
    <section>
      <div class="title-bar">
        <h1>User groups</h1>
        <div class="actions">
          <button type="button" disabled={!selected.length || act.busy} onClick={remove}>Delete</button>
          <button type="button" class="primary" onClick={() => go('/groups/$create')}>Create group</button>
        </div>
      </div>
      <ErrorBox error={error ?? act.error} />
      <Table<GroupRow>
        label="User groups" rows={data ?? []} rowKey={(r) => r.GroupName} selected={selected} onSelect={setSelected}
        columns={[
          { key: 'name', label: 'Group name', value: (r) => r.GroupName, render: (r) => <Link to={`/groups/${r.GroupName}`}>{r.GroupName}</Link> },
          { key: 'created', label: 'Creation time', value: (r) => r.CreateDate, render: (r) => date(r.CreateDate) },
        ]}
      />
    </section>
  );
}

/** DeleteGroup after what IAM requires first: members removed, policies detached and deleted. */
async function deleteGroup(name: string) {
  const g = await iam('GetGroup', { GroupName: name });
  for (const u of list<{ UserName: string }>(g.Users)) await iam('RemoveUserFromGroup', { GroupName: name, UserName: u.UserName });
  for (const p of list<{ PolicyArn: string }>((await iam('ListAttachedGroupPolicies', { GroupName: name })).AttachedPolicies)) {
    await iam('DetachGroupPolicy', { GroupName: name, PolicyArn: p.PolicyArn });
  }
  for (const p of list<string>((await iam('ListGroupPolicies', { GroupName: name })).PolicyNames)) await iam('DeleteGroupPolicy', { GroupName: name, PolicyName: p });
  await iam('DeleteGroup', { GroupName: name });
}

export function CreateGroup() {
  const [name, setName] = useState('');
  const [policies, setPolicies] = useState<string[]>([]);
  const act = useAction();
  const create = (e: Event) => {
    e.preventDefault();
    act.run(async () => {
      await iam('CreateGroup', { GroupName: name.trim() });
      for (const arn of policies) await iam('AttachGroupPolicy', { GroupName: name.trim(), PolicyArn: arn });
      go(`/groups/${name.trim()}`);
    });
  };
  return (
    <form onSubmit={create}>
      <h1>Create user group</h1>
      <div class="card">
        <h2>Name the group</h2>
        <Field label="User group name" hint="Up to 128 characters: letters, digits and +=,.@-_">
          <input name="groupName" required maxLength={128} value={name} onInput={(e) => setName((e.target as HTMLInputElement).value)} />
        </Field>
      </div>
      <div class="card">
        <h2>Attach permissions policies - optional</h2>
        <PolicyPicker selected={policies} onSelect={setPolicies} />
      </div>
      <ErrorBox error={act.error} />
      <div class="actions end">
        <button type="button" onClick={() => go('/groups')}>Cancel</button>
        <button type="submit" class="primary" disabled={act.busy}>Create group</button>
      </div>
    </form>
  );
}

export function GroupDetail({ name }: { name: string }) {
  const group = useLoad(() => iam('GetGroup', { GroupName: name }), [name]);
  const attached = useLoad(() => iam('ListAttachedGroupPolicies', { GroupName: name }), [name]);
  const [adding, setAdding] = useState(false);
  const [picked, setPicked] = useState<string[]>([]);
  const act = useAction();
  const info = group.data?.Group as Record<string, string> | undefined;
  const users = list<{ UserName: string }>(group.data?.Users);
  const policies = list<{ PolicyName: string; PolicyArn: string }>(attached.data?.AttachedPolicies);
  const attach = () => act.run(async () => {
    for (const arn of picked) await iam('AttachGroupPolicy', { GroupName: name, PolicyArn: arn });
    setPicked([]);
    setAdding(false);
    attached.reload();
  });
  const detach = (arn: string) => act.run(async () => {
    await iam('DetachGroupPolicy', { GroupName: name, PolicyArn: arn });
    attached.reload();
  });
  return (
    <section>
      <p class="crumbs"><Link to="/groups">User groups</Link> › {name}</p>
      <h1>{name}</h1>
      <ErrorBox error={group.error ?? attached.error ?? act.error} />
      {info && <div class="card"><h2>Summary</h2><p>ARN <code>{info.Arn}</code></p><p>Creation time {date(info.CreateDate)}</p></div>}
      <div class="card">
        <h2>Users ({users.length})</h2>
        <ul>{users.map((u) => <li key={u.UserName}><Link to={`/users/${u.UserName}`}>{u.UserName}</Link></li>)}</ul>
      </div>
      <div class="card">
        <div class="title-bar">
          <h2>Permissions policies ({policies.length})</h2>
          <button type="button" onClick={() => setAdding(!adding)}>Add permissions</button>
        </div>
        <ul class="plain">
          {policies.map((p) => (
            <li key={p.PolicyArn}>
              <Link to={`/policies/${p.PolicyArn}`}>{p.PolicyName}</Link> <span class="muted">{isAwsManaged(p.PolicyArn) ? 'AWS managed' : 'Customer managed'}</span>{' '}
              <button type="button" class="link" onClick={() => detach(p.PolicyArn)} aria-label={`Remove ${p.PolicyName}`}>Remove</button>
            </li>
          ))}
        </ul>
        {adding && (
          <div class="card inner">
            <h3>Attach policies</h3>
            <PolicyPicker selected={picked} onSelect={setPicked} />
            <button type="button" class="primary" disabled={!picked.length || act.busy} onClick={attach}>Attach policies</button>
          </div>
        )}
      </div>
      {act.busy && <Notice kind="info">Working…</Notice>}
    </section>
  );
}

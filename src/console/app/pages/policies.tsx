import { useState } from 'preact/hooks';
import { iam, iamAll, list, policySummary, type Finding } from '../api.js';
import { PolicyEditor } from '../editor.js';
import { date, ErrorBox, Field, go, Link, Notice, Table, useAction, useLoad } from '../ui.js';
import { isAwsManaged, type PolicyRow } from './picker.js';

export const STARTER = `{
    "Version": "2012-10-17",
    "Statement": [
        {
            "Sid": "Statement1",
            "Effect": "Allow",
            "Action": [],
            "Resource": []
        }
    ]
}`;

export function Policies() {
  const [scope, setScope] = useState<'All' | 'AWS' | 'Local'>('All');
  const { data, error, reload } = useLoad(() => iamAll<PolicyRow>('ListPolicies', 'Policies', { Scope: scope }), [scope]);
  const [selected, setSelected] = useState<string[]>([]);
  const act = useAction();
  const remove = () => act.run(async () => {
    for (const arn of selected) {
      for (const v of list<{ VersionId: string; IsDefaultVersion: string }>((await iam('ListPolicyVersions', { PolicyArn: arn })).Versions)) {
        if (v.IsDefaultVersion !== 'true') await iam('DeletePolicyVersion', { PolicyArn: arn, VersionId: v.VersionId });
      }
      await iam('DeletePolicy', { PolicyArn: arn });
    }
    setSelected([]);
    reload();
  });
  return (
    <section>
      <div class="title-bar">
        <h1>Policies</h1>
        <div class="actions">
          <button type="button" disabled={!selected.length || selected.some(isAwsManaged) || act.busy} onClick={remove}>Delete</button>
          <button type="button" class="primary" onClick={() => go('/policies/$create')}>Create policy</button>
        </div>
      </div>
      <label class="inline">Filter by type{' '}
        <select aria-label="Filter by type" value={scope} onChange={(e) => setScope((e.target as HTMLSelectElement).value as 'All')}>
          <option value="All">All types</option>
          <option value="AWS">AWS managed</option>
          <option value="Local">Customer managed</option>
        </select>
      </label>
      <ErrorBox error={error ?? act.error} />
      <Table<PolicyRow>
        label="Policies" rows={data ?? []} rowKey={(r) => r.Arn} selected={selected} onSelect={setSelected}
        columns={[
          { key: 'name', label: 'Policy name', value: (r) => r.PolicyName, render: (r) => <Link to={`/policies/${r.Arn}`}>{r.PolicyName}</Link> },
          { key: 'type', label: 'Type', value: (r) => (isAwsManaged(r.Arn) ? 'AWS managed' : 'Customer managed') },
          { key: 'used', label: 'Attached entities', value: (r) => Number(r.AttachmentCount) },
          { key: 'updated', label: 'Last edited', value: (r) => r.UpdateDate, render: (r) => date(r.UpdateDate) },
        ]}
      />
    </section>
  );
}

export function CreatePolicy() {
  const [text, setText] = useState(STARTER);
  const [findings, setFindings] = useState<Finding[]>([]);
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const act = useAction();
  const errors = findings.filter((f) => f.findingType === 'ERROR').length;
  const create = (e: Event) => {
    e.preventDefault();
    act.run(async () => {
      const r = await iam('CreatePolicy', { PolicyName: name.trim(), PolicyDocument: text, Description: description || undefined });
      go(`/policies/${(r.Policy as Record<string, string>).Arn}`);
    });
  };
  return (
    <form onSubmit={create}>
      <h1>Create policy</h1>
      <div class="card">
        <h2>Policy editor — JSON</h2>
        <PolicyEditor value={STARTER} onChange={(t, f) => { setText(t); setFindings(f); }} />
      </div>
      <div class="card">
        <h2>Policy details</h2>
        <Field label="Policy name"><input name="policyName" required maxLength={128} value={name} onInput={(e) => setName((e.target as HTMLInputElement).value)} /></Field>
        <Field label="Description - optional"><input name="description" maxLength={1000} value={description} onInput={(e) => setDescription((e.target as HTMLInputElement).value)} /></Field>
      </div>
      <ErrorBox error={act.error} />
      {errors > 0 && <Notice kind="warning">Fix the {errors} error{errors === 1 ? '' : 's'} in the policy before you create it.</Notice>}
      <div class="actions end">
        <button type="button" onClick={() => go('/policies')}>Cancel</button>
        <button type="submit" class="primary" disabled={act.busy || errors > 0}>Create policy</button>
      </div>
    </form>
  );
}

export function PolicyDetail({ arn }: { arn: string }) {
  const policy = useLoad(() => iam('GetPolicy', { PolicyArn: arn }), [arn]);
  const p = policy.data?.Policy as Record<string, string> | undefined;
  const version = useLoad(async () => (p ? iam('GetPolicyVersion', { PolicyArn: arn, VersionId: p.DefaultVersionId }) : undefined), [p?.DefaultVersionId]);
  const doc = version.data ? decodeURIComponent(String((version.data.PolicyVersion as Record<string, string>).Document)) : undefined;
  const pretty = doc ? JSON.stringify(JSON.parse(doc), null, 4) : undefined;
  const [editing, setEditing] = useState(false);
  const [text, setText] = useState('');
  const [errors, setErrors] = useState(0);
  const act = useAction();
  const save = () => act.run(async () => {
    await iam('CreatePolicyVersion', { PolicyArn: arn, PolicyDocument: text, SetAsDefault: true });
    setEditing(false);
    policy.reload();
  });
  return (
    <section>
      <p class="crumbs"><Link to="/policies">Policies</Link> › {p?.PolicyName ?? arn}</p>
      <h1>{p?.PolicyName ?? arn}</h1>
      <ErrorBox error={policy.error ?? version.error ?? act.error} />
      {p && (
        <div class="card">
          <p>Type: {isAwsManaged(arn) ? 'AWS managed' : 'Customer managed'}</p>
          <p>ARN <code>{arn}</code></p>
          {p.Description && <p>{p.Description}</p>}
          <p>Default version {p.DefaultVersionId}, edited {date(p.UpdateDate)}, attached to {p.AttachmentCount} entities</p>
        </div>
      )}
      {pretty && !editing && <PolicySummary text={pretty} />}
      {pretty && !editing && (
        <div class="card">
          <div class="title-bar"><h2>Permissions defined in this policy</h2>{!isAwsManaged(arn) && <button type="button" onClick={() => { setText(pretty); setEditing(true); }}>Edit</button>}</div>
          <pre class="json">{pretty}</pre>
        </div>
      )}
      {editing && pretty && (
        <div class="card">
          <h2>Edit policy</h2>
          <PolicyEditor value={pretty} onChange={(t, f) => { setText(t); setErrors(f.filter((x) => x.findingType === 'ERROR').length); }} />
          <div class="actions end">
            <button type="button" onClick={() => setEditing(false)}>Cancel</button>
            <button type="button" class="primary" disabled={errors > 0 || act.busy} onClick={save}>Save changes</button>
          </div>
        </div>
      )}
    </section>
  );
}

/** Actions by service and access level, as AWS's console summarizes a policy. */
export function PolicySummary({ text }: { text: string }) {
  const { data, error } = useLoad(() => policySummary(text), [text]);
  return (
    <div class="card">
      <h2>Summary</h2>
      <ErrorBox error={error} />
      {data && data.unrecognized.length > 0 && <Notice kind="warning">Unrecognized actions: {data.unrecognized.join(', ')}</Notice>}
      <Table
        label="Policy summary" rows={data?.services ?? []} rowKey={(r) => `${r.effect} ${r.service}`} pageSize={15}
        columns={[
          { key: 'effect', label: 'Effect', value: (r) => r.effect },
          { key: 'service', label: 'Service', value: (r) => r.serviceName },
          { key: 'access', label: 'Access level', value: (r) => (r.notAction ? `${r.access} (NotAction)` : r.access) },
          { key: 'resource', label: 'Resource', value: (r) => r.resources.join(', ') || 'All resources' },
          { key: 'cond', label: 'Request condition', value: (r) => (r.conditions ? 'Yes' : 'None') },
        ]}
      />
    </div>
  );
}

import { useState } from 'preact/hooks';
import { iam, iamAll, list, type Session } from '../api.js';
import { PolicyEditor } from '../editor.js';
import { date, ErrorBox, Field, go, Link, Table, useAction, useLoad } from '../ui.js';
import { PolicyPicker, isAwsManaged } from './picker.js';

interface RoleRow { RoleName: string; Arn: string; CreateDate: string; Description?: string; RoleLastUsed?: Record<string, string> }

const SERVICES: Array<[string, string]> = [
  ['ec2.amazonaws.com', 'EC2'], ['lambda.amazonaws.com', 'Lambda'], ['ecs-tasks.amazonaws.com', 'Elastic Container Service Task'],
  ['s3.amazonaws.com', 'S3'], ['dynamodb.amazonaws.com', 'DynamoDB'], ['cloudformation.amazonaws.com', 'CloudFormation'],
];

export function Roles() {
  const { data, error } = useLoad(() => iamAll<RoleRow>('ListRoles', 'Roles'));
  return (
    <section>
      <div class="title-bar"><h1>Roles</h1><button type="button" class="primary" onClick={() => go('/roles/$create')}>Create role</button></div>
      <ErrorBox error={error} />
      <Table<RoleRow>
        label="Roles" rows={data ?? []} rowKey={(r) => r.RoleName}
        columns={[
          { key: 'name', label: 'Role name', value: (r) => r.RoleName, render: (r) => <Link to={`/roles/${r.RoleName}`}>{r.RoleName}</Link> },
          { key: 'desc', label: 'Description', value: (r) => r.Description ?? '' },
          { key: 'created', label: 'Creation time', value: (r) => r.CreateDate, render: (r) => date(r.CreateDate) },
        ]}
      />
    </section>
  );
}

/** The trust policy AWS's wizard writes for the chosen trusted entity. */
function trustPolicy(kind: 'service' | 'account', service: string, account: string, requireMfa: boolean, externalId: string): string {
  const statement: Record<string, unknown> = kind === 'service'
    ? { Effect: 'Allow', Principal: { Service: service }, Action: 'sts:AssumeRole' }
    : { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${account}:root` }, Action: 'sts:AssumeRole' };
  const condition: Record<string, unknown> = {};
  if (kind === 'account' && externalId) condition.StringEquals = { 'sts:ExternalId': externalId };
  if (kind === 'account' && requireMfa) condition.Bool = { 'aws:MultiFactorAuthPresent': 'true' };
  if (Object.keys(condition).length) statement.Condition = condition;
  return JSON.stringify({ Version: '2012-10-17', Statement: [statement] }, null, 4);
}

export function CreateRole({ s }: { s: Session }) {
  const [kind, setKind] = useState<'service' | 'account'>('service');
  const [service, setService] = useState('ec2.amazonaws.com');
  const [account, setAccount] = useState(s.accountId ?? '');
  const [requireMfa, setRequireMfa] = useState(false);
  const [externalId, setExternalId] = useState('');
  const [custom, setCustom] = useState<string | undefined>(undefined);
  const [policies, setPolicies] = useState<string[]>([]);
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const act = useAction();
  const generated = trustPolicy(kind, service, account, requireMfa, externalId);
  const trust = custom ?? generated;
  const create = (e: Event) => {
    e.preventDefault();
    act.run(async () => {
      await iam('CreateRole', { RoleName: name.trim(), AssumeRolePolicyDocument: trust, Description: description || undefined });
      for (const arn of policies) await iam('AttachRolePolicy', { RoleName: name.trim(), PolicyArn: arn });
      if (kind === 'service' && service === 'ec2.amazonaws.com') {
        // As AWS's console does for EC2: an instance profile of the same name holds the role.
        await iam('CreateInstanceProfile', { InstanceProfileName: name.trim() });
        await iam('AddRoleToInstanceProfile', { InstanceProfileName: name.trim(), RoleName: name.trim() });
      }
      go(`/roles/${name.trim()}`);
    });
  };
  return (
    <form onSubmit={create}>
      <h1>Create role</h1>
      <div class="card">
        <h2>Select trusted entity</h2>
        <fieldset class="choice">
          <legend>Trusted entity type</legend>
          <label><input type="radio" name="kind" checked={kind === 'service'} onChange={() => { setKind('service'); setCustom(undefined); }} /> AWS service</label>
          <label><input type="radio" name="kind" checked={kind === 'account'} onChange={() => { setKind('account'); setCustom(undefined); }} /> AWS account</label>
        </fieldset>
        {kind === 'service' && (
          <Field label="Service or use case">
            <select value={service} onChange={(e) => { setService((e.target as HTMLSelectElement).value); setCustom(undefined); }}>
              {SERVICES.map(([v, l]) => <option key={v} value={v}>{l}</option>)}
            </select>
          </Field>
        )}
        {kind === 'account' && (
          <>
            <Field label="Account ID"><input name="trustedAccount" value={account} pattern="[0-9]{12}" onInput={(e) => { setAccount((e.target as HTMLInputElement).value); setCustom(undefined); }} /></Field>
            <label class="check"><input type="checkbox" checked={requireMfa} onChange={(e) => { setRequireMfa((e.target as HTMLInputElement).checked); setCustom(undefined); }} /> Require MFA</label>
            <Field label="External ID - optional"><input name="externalId" value={externalId} onInput={(e) => { setExternalId((e.target as HTMLInputElement).value); setCustom(undefined); }} /></Field>
          </>
        )}
        <details>
          <summary>Trust policy (edit to customise)</summary>
          <PolicyEditor key={generated} value={generated} kind="trust" label="Trust policy editor" onChange={(t) => setCustom(t === generated ? undefined : t)} />
        </details>
      </div>
      <div class="card"><h2>Add permissions</h2><PolicyPicker selected={policies} onSelect={setPolicies} /></div>
      <div class="card">
        <h2>Name, review, and create</h2>
        <Field label="Role name"><input name="roleName" required maxLength={64} value={name} onInput={(e) => setName((e.target as HTMLInputElement).value)} /></Field>
        <Field label="Description"><input name="roleDescription" maxLength={1000} value={description} onInput={(e) => setDescription((e.target as HTMLInputElement).value)} /></Field>
      </div>
      <ErrorBox error={act.error} />
      <div class="actions end">
        <button type="button" onClick={() => go('/roles')}>Cancel</button>
        <button type="submit" class="primary" disabled={act.busy}>Create role</button>
      </div>
    </form>
  );
}

export function RoleDetail({ name }: { name: string }) {
  const role = useLoad(() => iam('GetRole', { RoleName: name }), [name]);
  const attached = useLoad(() => iam('ListAttachedRolePolicies', { RoleName: name }), [name]);
  const profiles = useLoad(() => iam('ListInstanceProfilesForRole', { RoleName: name }), [name]);
  const r = role.data?.Role as Record<string, string> | undefined;
  const trust = r ? JSON.stringify(JSON.parse(decodeURIComponent(r.AssumeRolePolicyDocument)), null, 4) : undefined;
  const [editing, setEditing] = useState(false);
  const [text, setText] = useState('');
  const [adding, setAdding] = useState(false);
  const [picked, setPicked] = useState<string[]>([]);
  const act = useAction();
  const [trustErrors, setTrustErrors] = useState(0);
  const save = () => act.run(async () => { await iam('UpdateAssumeRolePolicy', { RoleName: name, PolicyDocument: text }); setEditing(false); role.reload(); });
  const detach = (arn: string) => act.run(async () => { await iam('DetachRolePolicy', { RoleName: name, PolicyArn: arn }); attached.reload(); });
  // As AWS's console does for an EC2 role: an instance profile of the same name holding the role.
  const makeProfile = () => act.run(async () => {
    await iam('CreateInstanceProfile', { InstanceProfileName: name });
    await iam('AddRoleToInstanceProfile', { InstanceProfileName: name, RoleName: name });
    profiles.reload();
  });
  const attach = () => act.run(async () => {
    for (const arn of picked) await iam('AttachRolePolicy', { RoleName: name, PolicyArn: arn });
    setPicked([]); setAdding(false); attached.reload();
  });
  return (
    <section>
      <p class="crumbs"><Link to="/roles">Roles</Link> › {name}</p>
      <h1>{name}</h1>
      <ErrorBox error={role.error ?? attached.error ?? act.error} />
      {r && <div class="card"><p>ARN <code data-testid="role-arn">{r.Arn}</code></p>{r.Description && <p>{r.Description}</p>}<p>Created {date(r.CreateDate)}; maximum session duration {Number(r.MaxSessionDuration) / 3600} hour(s)</p></div>}
      <div class="card">
        <div class="title-bar"><h2>Permissions policies</h2><button type="button" onClick={() => setAdding(!adding)}>Add permissions</button></div>
        <ul class="plain">
          {list<{ PolicyName: string; PolicyArn: string }>(attached.data?.AttachedPolicies).map((p) => (
            <li key={p.PolicyArn}><Link to={`/policies/${p.PolicyArn}`}>{p.PolicyName}</Link> <span class="muted">{isAwsManaged(p.PolicyArn) ? 'AWS managed' : 'Customer managed'}</span>{' '}
              <button type="button" class="link" onClick={() => detach(p.PolicyArn)} aria-label={`Remove ${p.PolicyName}`}>Remove</button></li>
          ))}
        </ul>
        {adding && <div class="card inner"><PolicyPicker selected={picked} onSelect={setPicked} /><button type="button" class="primary" disabled={!picked.length} onClick={attach}>Attach policies</button></div>}
      </div>
      <div class="card">
        <h2>Instance profiles</h2>
        <ul class="plain" data-testid="instance-profiles">
          {list<{ InstanceProfileName: string; Arn: string }>(profiles.data?.InstanceProfiles).map((p) => <li key={p.Arn}><code>{p.Arn}</code></li>)}
        </ul>
        {profiles.data && list(profiles.data.InstanceProfiles).length === 0 && (
          <p class="muted">None: EC2 instances cannot use this role. <button type="button" onClick={makeProfile} disabled={act.busy}>Create instance profile</button></p>
        )}
      </div>
      {trust && (
        <div class="card">
          <div class="title-bar"><h2>Trust relationships</h2>{!editing && <button type="button" onClick={() => { setText(trust); setEditing(true); }}>Edit trust policy</button>}</div>
          {!editing && <pre class="json">{trust}</pre>}
          {editing && (
            <>
              <PolicyEditor value={trust} kind="trust" label="Trust policy editor" onChange={(t, f) => { setText(t); setTrustErrors(f.filter((x) => x.findingType === 'ERROR').length); }} />
              <div class="actions end"><button type="button" onClick={() => setEditing(false)}>Cancel</button>
                <button type="button" class="primary" onClick={save} disabled={act.busy || trustErrors > 0}>Update policy</button></div>
            </>
          )}
        </div>
      )}
    </section>
  );
}

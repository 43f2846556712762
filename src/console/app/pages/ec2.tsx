import { ec2, textAt } from '../api.js';
import { date, ErrorBox, Table, useLoad } from '../ui.js';
import { RegionSelect } from './s3.js';

/** EC2, read-only: the instances and key pairs of the page's region, as the signed-in principal may see them. */

interface InstanceRow { id: string; name: string; state: string; type: string; image: string; ip: string; key: string; profile: string; launched: string }

function child(el: Element, name: string): Element[] {
  return Array.from(el.children).filter((c) => c.tagName === name);
}

async function instances(): Promise<InstanceRow[]> {
  const doc = await ec2('DescribeInstances');
  const out: InstanceRow[] = [];
  for (const set of Array.from(doc.getElementsByTagName('instancesSet'))) {
    for (const item of child(set, 'item')) {
      const tags = child(item, 'tagSet').flatMap((t) => child(t, 'item'));
      out.push({
        id: textAt(item, 'instanceId'),
        name: tags.filter((t) => textAt(t, 'key') === 'Name').map((t) => textAt(t, 'value'))[0] ?? '',
        state: textAt(item, 'instanceState/name'),
        type: textAt(item, 'instanceType'),
        image: textAt(item, 'imageId'),
        ip: textAt(item, 'privateIpAddress'),
        key: textAt(item, 'keyName'),
        profile: textAt(item, 'iamInstanceProfile/arn'),
        launched: textAt(item, 'launchTime'),
      });
    }
  }
  return out;
}

export function Instances() {
  const { data, error, reload } = useLoad(instances);
  return (
    <section>
      <div class="title-bar">
        <h1>Instances</h1>
        <div class="actions"><RegionSelect onChange={reload} /><button type="button" onClick={reload}>Refresh</button></div>
      </div>
      <p class="muted">Read-only: launch and manage instances with the AWS CLI or SDKs (<code>aws ec2 run-instances</code>); each runs as its instance profile's role.</p>
      <ErrorBox error={error} />
      <Table<InstanceRow>
        label="Instances" rows={data ?? []} rowKey={(r) => r.id}
        columns={[
          { key: 'name', label: 'Name', value: (r) => r.name },
          { key: 'id', label: 'Instance ID', value: (r) => r.id, render: (r) => <code>{r.id}</code> },
          { key: 'state', label: 'Instance state', value: (r) => r.state },
          { key: 'type', label: 'Instance type', value: (r) => r.type },
          { key: 'ip', label: 'Private IP', value: (r) => r.ip },
          { key: 'key', label: 'Key pair', value: (r) => r.key },
          { key: 'profile', label: 'IAM instance profile', value: (r) => r.profile, render: (r) => (r.profile ? <code>{r.profile.replace(/^.*instance-profile\//, '')}</code> : '-') },
          { key: 'launched', label: 'Launch time', value: (r) => r.launched, render: (r) => date(r.launched) },
        ]}
      />
    </section>
  );
}

interface KeyRow { name: string; id: string; type: string; fingerprint: string; created: string }

export function KeyPairs() {
  const { data, error, reload } = useLoad(async () => {
    const doc = await ec2('DescribeKeyPairs');
    return Array.from(doc.getElementsByTagName('keySet')).flatMap((set) => child(set, 'item')).map((item): KeyRow => ({
      name: textAt(item, 'keyName'), id: textAt(item, 'keyPairId'), type: textAt(item, 'keyType'), fingerprint: textAt(item, 'keyFingerprint'), created: textAt(item, 'createTime'),
    }));
  });
  return (
    <section>
      <div class="title-bar">
        <h1>Key pairs</h1>
        <div class="actions"><RegionSelect onChange={reload} /></div>
      </div>
      <ErrorBox error={error} />
      <Table<KeyRow>
        label="Key pairs" rows={data ?? []} rowKey={(r) => r.id}
        columns={[
          { key: 'name', label: 'Name', value: (r) => r.name },
          { key: 'type', label: 'Type', value: (r) => r.type },
          { key: 'created', label: 'Created', value: (r) => r.created, render: (r) => date(r.created) },
          { key: 'fingerprint', label: 'Fingerprint', value: (r) => r.fingerprint, render: (r) => <code>{r.fingerprint}</code> },
          { key: 'id', label: 'ID', value: (r) => r.id, render: (r) => <code>{r.id}</code> },
        ]}
      />
    </section>
  );
}

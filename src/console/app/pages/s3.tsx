import { useState } from 'preact/hooks';
import { csrfToken, region, rows, s3, setRegion } from '../api.js';
import { PolicyEditor } from '../editor.js';
import { date, download, ErrorBox, Field, go, Link, Notice, Table, Tabs, useAction, useLoad } from '../ui.js';

export const REGIONS = ['us-east-1', 'us-east-2', 'us-west-1', 'us-west-2', 'eu-west-1', 'eu-west-2', 'eu-central-1', 'ap-southeast-1', 'ap-southeast-2', 'ap-northeast-1', 'ca-central-1', 'sa-east-1'];

/** The region the S3 pages call in: what aws:RequestedRegion and a new bucket's location follow. */
export function RegionSelect({ onChange }: { onChange?: () => void }) {
  const [r, setR] = useState(region);
  return (
    <label class="inline">Region{' '}
      <select aria-label="Region" value={r} onChange={(e) => { const v = (e.target as HTMLSelectElement).value; setRegion(v); setR(v); onChange?.(); }}>
        {REGIONS.map((x) => <option key={x} value={x}>{x}</option>)}
      </select>
    </label>
  );
}

export function Buckets() {
  const { data, error, reload } = useLoad(async () => rows((await s3('GET', '')).doc, 'Bucket', ['Name', 'CreationDate', 'BucketRegion']));
  return (
    <section>
      <div class="title-bar">
        <h1>Buckets</h1>
        <div class="actions"><RegionSelect onChange={reload} /><button type="button" class="primary" onClick={() => go('/s3/$create')}>Create bucket</button></div>
      </div>
      <ErrorBox error={error} />
      <Table
        label="Buckets" rows={data ?? []} rowKey={(b) => b.Name}
        columns={[
          { key: 'name', label: 'Name', value: (b) => b.Name, render: (b) => <Link to={`/s3/${b.Name}`}>{b.Name}</Link> },
          { key: 'region', label: 'AWS Region', value: (b) => b.BucketRegion },
          { key: 'created', label: 'Creation date', value: (b) => b.CreationDate, render: (b) => date(b.CreationDate) },
        ]}
      />
    </section>
  );
}

const xml = (body: string) => `<?xml version="1.0" encoding="UTF-8"?>${body}`;

/** Create bucket as seed 001 sets it: region, ACLs disabled, Block Public Access, versioning, default encryption. */
export function CreateBucket() {
  const [name, setName] = useState('');
  const [versioning, setVersioning] = useState(false);
  const [blockAll, setBlockAll] = useState(true);
  const [encryption, setEncryption] = useState<'AES256' | 'aws:kms'>('AES256');
  const act = useAction();
  const create = (e: Event) => {
    e.preventDefault();
    act.run(async () => {
      const bucket = name.trim();
      await s3('PUT', bucket, region === 'us-east-1' ? {} : {
        body: xml(`<CreateBucketConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><LocationConstraint>${region}</LocationConstraint></CreateBucketConfiguration>`),
      });
      if (!blockAll) await s3('DELETE', bucket, { query: { publicAccessBlock: '' } });
      if (versioning) await s3('PUT', bucket, { query: { versioning: '' }, body: xml('<VersioningConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Status>Enabled</Status></VersioningConfiguration>') });
      if (encryption !== 'AES256') {
        await s3('PUT', bucket, { query: { encryption: '' }, body: xml(`<ServerSideEncryptionConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Rule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>${encryption}</SSEAlgorithm></ApplyServerSideEncryptionByDefault><BucketKeyEnabled>true</BucketKeyEnabled></Rule></ServerSideEncryptionConfiguration>`) });
      }
      go(`/s3/${bucket}`);
    });
  };
  return (
    <form onSubmit={create}>
      <h1>Create bucket</h1>
      <div class="card">
        <h2>General configuration</h2>
        <RegionSelect />
        <Field label="Bucket name" hint="3 to 63 characters: lowercase letters, digits, dots and hyphens"><input name="bucketName" required value={name} onInput={(e) => setName((e.target as HTMLInputElement).value)} /></Field>
      </div>
      <div class="card">
        <h2>Object Ownership</h2>
        <p>ACLs disabled (recommended): the bucket owner owns every object (BucketOwnerEnforced).</p>
      </div>
      <div class="card">
        <h2>Block Public Access settings for this bucket</h2>
        <label class="check"><input type="checkbox" checked={blockAll} onChange={(e) => setBlockAll((e.target as HTMLInputElement).checked)} /> Block all public access</label>
      </div>
      <div class="card">
        <h2>Bucket Versioning</h2>
        <label class="check"><input type="checkbox" checked={versioning} onChange={(e) => setVersioning((e.target as HTMLInputElement).checked)} /> Enable versioning</label>
      </div>
      <div class="card">
        <h2>Default encryption</h2>
        <label class="check"><input type="radio" name="sse" checked={encryption === 'AES256'} onChange={() => setEncryption('AES256')} /> Server-side encryption with Amazon S3 managed keys (SSE-S3)</label>
        <label class="check"><input type="radio" name="sse" checked={encryption === 'aws:kms'} onChange={() => setEncryption('aws:kms')} /> Server-side encryption with AWS Key Management Service keys (SSE-KMS)</label>
      </div>
      <ErrorBox error={act.error} />
      <div class="actions end">
        <button type="button" onClick={() => go('/s3')}>Cancel</button>
        <button type="submit" class="primary" disabled={act.busy}>Create bucket</button>
      </div>
    </form>
  );
}

interface Entry { key: string; kind: 'folder' | 'object'; size: number; modified: string; versionId?: string; latest?: boolean; marker?: boolean }

export function BucketDetail({ bucket, tab = 'Objects' }: { bucket: string; tab?: string }) {
  return (
    <section>
      <p class="crumbs"><Link to="/s3">Buckets</Link> › {bucket}</p>
      <h1>{bucket}</h1>
      <Tabs tabs={['Objects', 'Properties', 'Permissions']} current={tab} onChange={(t) => go(`/s3/${bucket}/${t}`)} />
      {tab === 'Objects' && <Objects bucket={bucket} />}
      {tab === 'Properties' && <Properties bucket={bucket} />}
      {tab === 'Permissions' && <BucketPolicy bucket={bucket} />}
    </section>
  );
}

function Objects({ bucket }: { bucket: string }) {
  const [prefix, setPrefix] = useState('');
  const [versions, setVersions] = useState(false);
  const [progress, setProgress] = useState<string>('');
  const listing = useLoad(async (): Promise<Entry[]> => {
    if (versions) {
      const { doc } = await s3('GET', bucket, { query: { versions: '', prefix, delimiter: '/' } });
      const folders = rows(doc, 'CommonPrefixes', ['Prefix']).map((p) => ({ key: p.Prefix, kind: 'folder' as const, size: 0, modified: '' }));
      const vs = rows(doc, 'Version', ['Key', 'VersionId', 'IsLatest', 'LastModified', 'Size']).map((v) => ({ key: v.Key, kind: 'object' as const, size: Number(v.Size), modified: v.LastModified, versionId: v.VersionId, latest: v.IsLatest === 'true' }));
      const ms = rows(doc, 'DeleteMarker', ['Key', 'VersionId', 'IsLatest', 'LastModified']).map((v) => ({ key: v.Key, kind: 'object' as const, size: 0, modified: v.LastModified, versionId: v.VersionId, latest: v.IsLatest === 'true', marker: true }));
      return [...folders, ...vs, ...ms];
    }
    const out: Entry[] = [];
    let token: string | undefined;
    do {
      const { doc } = await s3('GET', bucket, { query: { 'list-type': '2', prefix, delimiter: '/', ...(token ? { 'continuation-token': token } : {}) } });
      out.push(...rows(doc, 'CommonPrefixes', ['Prefix']).map((p) => ({ key: p.Prefix, kind: 'folder' as const, size: 0, modified: '' })));
      out.push(...rows(doc, 'Contents', ['Key', 'LastModified', 'Size']).map((o) => ({ key: o.Key, kind: 'object' as const, size: Number(o.Size), modified: o.LastModified })));
      token = doc?.querySelector('IsTruncated')?.textContent === 'true' ? doc.querySelector('NextContinuationToken')?.textContent ?? undefined : undefined;
    } while (token);
    return out;
  }, [bucket, prefix, versions]);
  const act = useAction();
  const upload = (files: FileList | null) => {
    if (!files?.length) return;
    act.run(async () => {
      for (const file of Array.from(files)) {
        // XMLHttpRequest, for its upload progress events (fetch has none).
        await new Promise<void>((resolve, reject) => {
          const x = new XMLHttpRequest();
          x.open('PUT', `/_iamlocal/console/api/s3/${[bucket, ...(prefix + file.name).split('/')].map(encodeURIComponent).join('/')}`);
          x.setRequestHeader('x-iamlocal-csrf', csrfToken());
          x.setRequestHeader('x-iamlocal-region', region);
          x.upload.onprogress = (e) => setProgress(`Uploading ${file.name}: ${e.lengthComputable ? Math.round((100 * e.loaded) / e.total) : 0}%`);
          x.onload = () => (x.status < 300 ? resolve() : reject(new Error(`Upload of ${file.name} failed: ${x.status} ${(/<Code>([^<]+)/.exec(x.responseText) ?? [])[1] ?? ''} ${(/<Message>([^<]+)/.exec(x.responseText) ?? [])[1] ?? ''}`)));
          x.onerror = () => reject(new Error(`Upload of ${file.name} failed`));
          x.send(file);
        });
      }
      setProgress('Upload succeeded.');
      listing.reload();
    });
  };
  const fetchObject = (e: Entry) => act.run(async () => {
    const { blob } = await s3('GET', `${bucket}/${e.key}`, { asBlob: true, query: e.versionId ? { versionId: e.versionId } : undefined });
    const url = URL.createObjectURL(blob!);
    const a = document.createElement('a');
    a.href = url;
    a.download = e.key.slice(e.key.lastIndexOf('/') + 1);
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  });
  const remove = (e: Entry) => act.run(async () => {
    await s3('DELETE', `${bucket}/${e.key}`, { query: e.versionId ? { versionId: e.versionId } : undefined });
    listing.reload();
  });
  const parts = prefix.split('/').filter(Boolean);
  return (
    <div class="card">
      <div class="title-bar">
        <h2>Objects</h2>
        <div class="actions">
          <label class="check"><input type="checkbox" checked={versions} onChange={(e) => setVersions((e.target as HTMLInputElement).checked)} /> Show versions</label>
          <label class="button">Upload<input type="file" multiple class="sr-only" aria-label="Upload files" onChange={(e) => upload((e.target as HTMLInputElement).files)} /></label>
        </div>
      </div>
      <p class="crumbs">
        <button type="button" class="link" onClick={() => setPrefix('')}>{bucket}</button>
        {parts.map((p, i) => <> / <button type="button" class="link" onClick={() => setPrefix(parts.slice(0, i + 1).join('/') + '/')}>{p}</button></>)}
      </p>
      {progress && <Notice kind="info">{progress}</Notice>}
      <ErrorBox error={listing.error ?? act.error} />
      <Table<Entry>
        label="Objects" rows={listing.data ?? []} rowKey={(e) => `${e.key}#${e.versionId ?? ''}`}
        columns={[
          {
            key: 'name', label: 'Name', value: (e) => e.key,
            render: (e) => (e.kind === 'folder'
              ? <button type="button" class="link" onClick={() => setPrefix(e.key)}>{e.key.slice(prefix.length)}</button>
              : <span>{e.key.slice(prefix.length)}{e.marker ? ' (delete marker)' : ''}</span>),
          },
          ...(versions ? [{ key: 'version', label: 'Version ID', value: (e: Entry) => `${e.versionId ?? ''}${e.latest ? ' (latest)' : ''}` }] : []),
          { key: 'size', label: 'Size', value: (e) => e.size, render: (e) => (e.kind === 'folder' ? '-' : `${e.size} B`) },
          { key: 'modified', label: 'Last modified', value: (e) => e.modified, render: (e) => date(e.modified) },
          {
            key: 'actions', label: 'Actions', value: () => '',
            render: (e) => e.kind === 'object' && (
              <span>
                {!e.marker && <button type="button" class="link" onClick={() => fetchObject(e)} aria-label={`Download ${e.key}`}>Download</button>}
                <button type="button" class="link" onClick={() => remove(e)} aria-label={`Delete ${e.key}`}>Delete</button>
              </span>
            ),
          },
        ]}
      />
    </div>
  );
}

function Properties({ bucket }: { bucket: string }) {
  const load = async () => {
    const get = async (q: string) => (await s3('GET', bucket, { query: { [q]: '' } }).catch(() => ({ doc: undefined }))).doc;
    const [location, versioning, encryption, block] = await Promise.all([get('location'), get('versioning'), get('encryption'), get('publicAccessBlock')]);
    return {
      region: location?.documentElement.textContent || 'us-east-1',
      versioning: versioning?.querySelector('Status')?.textContent ?? 'Disabled',
      encryption: encryption?.querySelector('SSEAlgorithm')?.textContent ?? 'none',
      blockAll: ['BlockPublicAcls', 'IgnorePublicAcls', 'BlockPublicPolicy', 'RestrictPublicBuckets'].every((k) => block?.querySelector(k)?.textContent === 'true'),
    };
  };
  const { data, error } = useLoad(load, [bucket]);
  return (
    <div class="card">
      <ErrorBox error={error} />
      {data && (
        <dl class="props">
          <dt>AWS Region</dt><dd data-testid="bucket-region">{data.region}</dd>
          <dt>Bucket Versioning</dt><dd data-testid="bucket-versioning">{data.versioning}</dd>
          <dt>Default encryption</dt><dd data-testid="bucket-encryption">{data.encryption}</dd>
          <dt>Block all public access</dt><dd data-testid="bucket-bpa">{data.blockAll ? 'On' : 'Off'}</dd>
        </dl>
      )}
    </div>
  );
}

function BucketPolicy({ bucket }: { bucket: string }) {
  const current = useLoad(async () => {
    try {
      const { blob } = await s3('GET', bucket, { query: { policy: '' }, asBlob: true });
      return JSON.stringify(JSON.parse(await blob!.text()), null, 4);
    } catch (e) {
      if ((e as { code?: string }).code === 'NoSuchBucketPolicy') return '';
      throw e;
    }
  }, [bucket]);
  const [text, setText] = useState('');
  const [errors, setErrors] = useState(0);
  const [saved, setSaved] = useState(false);
  const act = useAction();
  const save = () => act.run(async () => {
    await s3('PUT', bucket, { query: { policy: '' }, body: text, headers: { 'content-type': 'application/json' } });
    setSaved(true);
    current.reload();
  });
  const starter = `{\n    "Version": "2012-10-17",\n    "Statement": [\n        {\n            "Effect": "Deny",\n            "Principal": "*",\n            "Action": "s3:*",\n            "Resource": ["arn:aws:s3:::${bucket}", "arn:aws:s3:::${bucket}/*"],\n            "Condition": { "Bool": { "aws:SecureTransport": "false" } }\n        }\n    ]\n}`;
  return (
    <div class="card">
      <h2>Bucket policy</h2>
      <ErrorBox error={current.error ?? act.error} />
      {saved && <Notice>Bucket policy saved.</Notice>}
      {current.data !== undefined && (
        <>
          <PolicyEditor key={current.data} value={current.data || starter} kind="resource" label="Bucket policy editor" onChange={(t, f) => { setText(t); setErrors(f.filter((x) => x.findingType === 'ERROR').length); }} />
          <div class="actions end"><button type="button" class="primary" disabled={errors > 0 || act.busy} onClick={save}>Save changes</button></div>
        </>
      )}
    </div>
  );
}

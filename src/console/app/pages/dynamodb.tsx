import { useEffect, useState } from 'preact/hooks';
import { awsJson } from '../api.js';
import { ErrorBox, Link, Table, useAction, useLoad } from '../ui.js';
import { RegionSelect } from './s3.js';

/** DynamoDB, read-only: the tables of the page's region and their items (Scan), as the signed-in principal may read them. */

const TARGET = 'DynamoDB_20120810.';
const ddb = <T,>(op: string, body: unknown = {}) => awsJson<T>('dynamodb', TARGET + op, body, '1.0');

interface KeyElement { AttributeName: string; KeyType: 'HASH' | 'RANGE' }
interface TableDescription { TableName: string; TableStatus: string; ItemCount?: number; TableSizeBytes?: number; KeySchema: KeyElement[]; BillingModeSummary?: { BillingMode: string } }

async function allTables(): Promise<TableDescription[]> {
  const names: string[] = [];
  let start: string | undefined;
  do {
    const page = await ddb<{ TableNames?: string[]; LastEvaluatedTableName?: string }>('ListTables', start ? { ExclusiveStartTableName: start } : {});
    names.push(...(page.TableNames ?? []));
    start = page.LastEvaluatedTableName;
  } while (start);
  return Promise.all(names.map(async (n) => (await ddb<{ Table: TableDescription }>('DescribeTable', { TableName: n })).Table));
}

const keyOf = (t: TableDescription, type: 'HASH' | 'RANGE') => t.KeySchema.find((k) => k.KeyType === type)?.AttributeName ?? '';

export function DynamoTables() {
  const { data, error, reload } = useLoad(allTables);
  return (
    <section>
      <div class="title-bar">
        <h1>Tables</h1>
        <div class="actions"><RegionSelect onChange={reload} /><button type="button" onClick={reload}>Refresh</button></div>
      </div>
      <p class="muted">Read-only: create tables and write items with the AWS CLI or SDKs.</p>
      <ErrorBox error={error} />
      <Table<TableDescription>
        label="Tables" rows={data ?? []} rowKey={(t) => t.TableName}
        columns={[
          { key: 'name', label: 'Name', value: (t) => t.TableName, render: (t) => <Link to={`/dynamodb/${t.TableName}`}>{t.TableName}</Link> },
          { key: 'status', label: 'Status', value: (t) => t.TableStatus },
          { key: 'pk', label: 'Partition key', value: (t) => keyOf(t, 'HASH') },
          { key: 'sk', label: 'Sort key', value: (t) => keyOf(t, 'RANGE') || '-' },
          { key: 'items', label: 'Items', value: (t) => t.ItemCount ?? 0 },
          { key: 'billing', label: 'Capacity mode', value: (t) => (t.BillingModeSummary?.BillingMode === 'PAY_PER_REQUEST' ? 'On-demand' : 'Provisioned') },
        ]}
      />
    </section>
  );
}

type AttributeValue = Record<string, unknown>;
type Item = Record<string, AttributeValue>;

/** An attribute value as the AWS console shows it in its items table. */
function show(v: AttributeValue | undefined): string {
  if (!v) return '';
  const [type, value] = Object.entries(v)[0] ?? ['', ''];
  if (type === 'NULL') return 'null';
  if (type === 'S' || type === 'N' || type === 'B') return String(value);
  if (type === 'BOOL') return String(value);
  return JSON.stringify(value);
}

export function DynamoTable({ name }: { name: string }) {
  const table = useLoad(() => ddb<{ Table: TableDescription }>('DescribeTable', { TableName: name }), [name]);
  const [items, setItems] = useState<Item[]>([]);
  const [next, setNext] = useState<Item | undefined>(undefined);
  const [scanned, setScanned] = useState(false);
  const act = useAction();
  const scan = (from?: Item) => act.run(async () => {
    const page = await ddb<{ Items?: Item[]; LastEvaluatedKey?: Item }>('Scan', { TableName: name, Limit: 100, ...(from ? { ExclusiveStartKey: from } : {}) });
    setItems((old) => (from ? [...old, ...(page.Items ?? [])] : page.Items ?? []));
    setNext(page.LastEvaluatedKey);
    setScanned(true);
  });
  const t = table.data?.Table;
  useEffect(() => {
    if (t) scan();
  }, [t?.TableName]);
  const keys = t ? [keyOf(t, 'HASH'), keyOf(t, 'RANGE')].filter(Boolean) : [];
  const attributes = [...keys, ...Array.from(new Set(items.flatMap((i) => Object.keys(i)))).filter((a) => !keys.includes(a)).sort()];
  return (
    <section>
      <p class="crumbs"><Link to="/dynamodb">Tables</Link> › {name}</p>
      <h1>{name}</h1>
      <ErrorBox error={table.error ?? act.error} />
      {t && (
        <div class="card">
          <dl class="props">
            <dt>Partition key</dt><dd>{keyOf(t, 'HASH')}</dd>
            <dt>Sort key</dt><dd>{keyOf(t, 'RANGE') || '-'}</dd>
            <dt>Status</dt><dd>{t.TableStatus}</dd>
            <dt>Item count</dt><dd>{t.ItemCount ?? 0}</dd>
          </dl>
        </div>
      )}
      <div class="card">
        <div class="title-bar"><h2>Items returned ({items.length})</h2><button type="button" onClick={() => scan()} disabled={act.busy}>Run scan again</button></div>
        {scanned && (
          <Table<Item>
            label="Items" rows={items} rowKey={(i) => keys.map((k) => show(i[k])).join('\u0000')}
            columns={attributes.map((a) => ({ key: a, label: a, value: (i: Item) => show(i[a]) }))}
          />
        )}
        {next && <button type="button" onClick={() => scan(next)} disabled={act.busy}>Load more items</button>}
      </div>
    </section>
  );
}

import { useState } from 'preact/hooks';
import { iamAll } from '../api.js';
import { ErrorBox, Table, useLoad } from '../ui.js';

export interface PolicyRow {
  PolicyName: string;
  Arn: string;
  AttachmentCount: string;
  UpdateDate: string;
  Description?: string;
}

export const isAwsManaged = (arn: string) => arn.startsWith('arn:aws:iam::aws:policy/');

/** All managed policies (AWS managed and customer managed), for choosing some to attach. */
export function PolicyPicker({ selected, onSelect, label = 'Permissions policies' }: { selected: string[]; onSelect: (arns: string[]) => void; label?: string }) {
  const [scope, setScope] = useState<'All' | 'AWS' | 'Local'>('All');
  const { data, error } = useLoad(() => iamAll<PolicyRow>('ListPolicies', 'Policies', { Scope: scope }), [scope]);
  return (
    <div>
      <ErrorBox error={error} />
      <label class="inline">Filter by type{' '}
        <select aria-label="Filter by type" value={scope} onChange={(e) => setScope((e.target as HTMLSelectElement).value as 'All')}>
          <option value="All">All types</option>
          <option value="AWS">AWS managed</option>
          <option value="Local">Customer managed</option>
        </select>
      </label>
      <Table<PolicyRow>
        label={label}
        rows={data ?? []}
        rowKey={(r) => r.Arn}
        selected={selected}
        onSelect={onSelect}
        pageSize={10}
        columns={[
          { key: 'name', label: 'Policy name', value: (r) => r.PolicyName },
          { key: 'type', label: 'Type', value: (r) => (isAwsManaged(r.Arn) ? 'AWS managed' : 'Customer managed') },
          { key: 'used', label: 'Attached entities', value: (r) => Number(r.AttachmentCount) },
        ]}
      />
    </div>
  );
}

/** The user groups of the account, for choosing some. */
export function GroupPicker({ selected, onSelect }: { selected: string[]; onSelect: (names: string[]) => void }) {
  const { data, error } = useLoad(() => iamAll<{ GroupName: string; CreateDate: string }>('ListGroups', 'Groups'));
  return (
    <div>
      <ErrorBox error={error} />
      <Table
        label="User groups"
        rows={data ?? []}
        rowKey={(r) => r.GroupName}
        selected={selected}
        onSelect={onSelect}
        pageSize={10}
        columns={[{ key: 'name', label: 'Group name', value: (r) => r.GroupName }]}
      />
    </div>
  );
}

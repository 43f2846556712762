import { compilePolicy, type CompiledPolicy } from '../../../policy/index.js';
import type { Table } from '../tables/table-rows.js';

/**
 * A table's resource policy, compiled once per policy version (its RevisionId): the same
 * CompiledPolicy[] object goes to every request, so the server's decision memo remembers
 * decisions on it as it does for identity policies (src/server/authorize.ts). A new
 * PutResourcePolicy is a new revision, and the next request compiles anew.
 */
const compiled = new Map<string, readonly CompiledPolicy[]>();
const MAX_KEPT = 10_000;

export function tablePolicies(table: Table): CompiledPolicy[] | undefined {
  const text = table.row.policy;
  if (text === null) return undefined;
  const id = `${table.arn}\0${table.row.table_id}\0${table.row.policy_revision}`;
  let list = compiled.get(id);
  if (!list) {
    list = Object.freeze([compilePolicy(text, { kind: 'resource', name: `resource policy of ${table.arn}` })]);
    if (compiled.size >= MAX_KEPT) compiled.clear();
    compiled.set(id, list);
  }
  return list as CompiledPolicy[];
}

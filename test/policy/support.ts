/** Shared builders for the policy engine tests (not a test file itself). */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compilePolicy, type CompiledPolicy, type EvalPrincipal, type EvalRequest, type PolicyKind } from '../../src/policy/index.js';

export const ACCOUNT = '111122223333';
export const OTHER = '444455556666';

/** A policy document's text from statements (or a whole document object). */
export function doc(statements: object | object[], version: string | null = '2012-10-17'): string {
  const d: Record<string, unknown> = {};
  if (version !== null) d.Version = version;
  d.Statement = statements;
  return JSON.stringify(d, null, 2);
}

let counter = 0;
export function pol(statements: object | object[], kind: PolicyKind = 'identity', name?: string, version: string | null = '2012-10-17'): CompiledPolicy {
  return compilePolicy(doc(statements, version), { kind, name: name ?? `policy-${++counter}` });
}

export const user = (name: string, account = ACCOUNT): EvalPrincipal => ({ type: 'user', arn: `arn:aws:iam::${account}:user/${name}`, accountId: account });
export const roleSession = (role: string, sessionName: string, account = ACCOUNT, path = '/'): EvalPrincipal => ({
  type: 'assumed-role',
  arn: `arn:aws:sts::${account}:assumed-role/${role}/${sessionName}`,
  accountId: account,
  roleArn: `arn:aws:iam::${account}:role${path}${role}`,
});
export const federated = (name: string, viaUser: string, account = ACCOUNT): EvalPrincipal => ({
  type: 'federated-user', arn: `arn:aws:sts::${account}:federated-user/${name}`, accountId: account, userArn: `arn:aws:iam::${account}:user/${viaUser}`,
});
export const root = (account = ACCOUNT): EvalPrincipal => ({ type: 'root', arn: `arn:aws:iam::${account}:root`, accountId: account });
export const anonymous = (): EvalPrincipal => ({ type: 'anonymous', arn: '*', accountId: '' });
export const service = (name: string): EvalPrincipal => ({ type: 'service', arn: name, accountId: '', serviceName: name });

export function req(action: string, resource: string, principal: EvalPrincipal, context: EvalRequest['context'] = {}, resourceAccount?: string): EvalRequest {
  const r: EvalRequest = { action, resource, principal, context };
  if (resourceAccount !== undefined) r.resourceAccount = resourceAccount;
  return r;
}

/** Test fixtures live in test/policy/fixtures (found from the source or the compiled file). */
export function fixture(name: string): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    try { return readFileSync(join(dir, 'fixtures', name), 'utf8'); } catch { /* keep looking */ }
    try { return readFileSync(join(dir, 'test', 'policy', 'fixtures', name), 'utf8'); } catch { /* keep looking */ }
    dir = dirname(dir);
  }
  throw new Error(`fixture ${name} not found`);
}

import type { RequestContext } from '../../types.js';

/**
 * The user credentials that have a status, each in its table under its id column: an
 * Update… operation makes one Active or Inactive, a Delete… removes it. The caller has
 * found the row as its owner's (NoSuchEntity otherwise) before either.
 */
const ID_COLUMN = {
  access_keys: 'access_key_id',
  ssh_public_keys: 'ssh_public_key_id',
  signing_certificates: 'certificate_id',
  service_specific_credentials: 'credential_id',
} as const;

export type CredentialTable = keyof typeof ID_COLUMN;

export type CredentialStatus = 'Active' | 'Inactive';

export function setCredentialStatus(ctx: RequestContext, table: CredentialTable, id: string, status: CredentialStatus): void {
  ctx.store.prepare(`UPDATE ${table} SET status = ? WHERE account_id = ? AND ${ID_COLUMN[table]} = ?`).run(status, ctx.accountId, id);
}

export function deleteCredential(ctx: RequestContext, table: CredentialTable, id: string): void {
  ctx.store.prepare(`DELETE FROM ${table} WHERE account_id = ? AND ${ID_COLUMN[table]} = ?`).run(ctx.accountId, id);
}

import { operation, type Operation } from '../../operation.js';
import type { AuthzRule, RequestContext } from '../../types.js';

/**
 * The user credentials that have a status, each in its table under its id column: an
 * Update… operation makes one Active or Inactive, a Delete… removes it. `find` gives the
 * id of the credential the request names, found as its owner's (NoSuchEntity otherwise).
 */
const ID_COLUMN = {
  access_keys: 'access_key_id',
  ssh_public_keys: 'ssh_public_key_id',
  signing_certificates: 'certificate_id',
  service_specific_credentials: 'credential_id',
} as const;

export type CredentialTable = keyof typeof ID_COLUMN;

export type CredentialStatus = 'Active' | 'Inactive';

type FindCredential<I> = (ctx: RequestContext, input: I) => string;

/** Update<Credential>: UpdateAccessKey, UpdateSSHPublicKey, UpdateSigningCertificate, UpdateServiceSpecificCredential. */
export function credentialStatusUpdate<I>(table: CredentialTable, authorize: AuthzRule, find: FindCredential<I>): Operation<I & { Status: CredentialStatus }, {}> {
  return operation({
    writes: true,
    authorize,
    run: (ctx, input: I & { Status: CredentialStatus }) => {
      ctx.store.prepare(`UPDATE ${table} SET status = ? WHERE account_id = ? AND ${ID_COLUMN[table]} = ?`).run(input.Status, ctx.accountId, find(ctx, input));
      return {};
    },
  });
}

/** Delete<Credential>: DeleteAccessKey, DeleteSSHPublicKey, DeleteSigningCertificate, DeleteServiceSpecificCredential. */
export function credentialDeletion<I>(table: CredentialTable, authorize: AuthzRule, find: FindCredential<I>): Operation<I, {}> {
  return operation({
    writes: true,
    authorize,
    run: (ctx, input: I) => {
      ctx.store.prepare(`DELETE FROM ${table} WHERE account_id = ? AND ${ID_COLUMN[table]} = ?`).run(ctx.accountId, find(ctx, input));
      return {};
    },
  });
}

import type { Principal } from '../../identity/principal.js';
import { AwsError } from '../../protocol/errors.js';
import type { Store } from '../../store/store.js';
import { ensureAccount, findAccount } from '../../identity/accounts.js';

/**
 * POST /_iamlocal/accounts {"accountId":"111111111111"}: makes another account on this
 * server, with its own root credentials, for cross-account work (AssumeRole into a role
 * of the other account, resource policies naming it). Only a root user may ask; the
 * answer carries the new account's root key. Asking again for an existing account
 * returns its root key only to that account's own root.
 */
export interface CreatedAccount {
  accountId: string;
  rootAccessKeyId: string;
  rootSecretAccessKey: string;
  created: boolean;
}

export function createAccountFromAdmin(store: Store, caller: Principal, body: Buffer): CreatedAccount {
  if (caller.type !== 'root') throw new AwsError('AccessDenied', 'Only a root user can create accounts.', 403);
  let accountId: unknown;
  try {
    accountId = (JSON.parse(body.toString('utf8') || '{}') as { accountId?: unknown }).accountId;
  } catch {
    throw new AwsError('ValidationError', 'The body must be JSON: {"accountId":"<12 digits>"}.', 400);
  }
  if (typeof accountId !== 'string' || !/^\d{12}$/.test(accountId)) {
    throw new AwsError('ValidationError', 'accountId must be a string of 12 digits.', 400);
  }
  if (findAccount(store, accountId) && caller.accountId !== accountId) {
    throw new AwsError('EntityAlreadyExists', `Account ${accountId} already exists.`, 409);
  }
  const made = ensureAccount(store, accountId);
  return { accountId, rootAccessKeyId: made.rootAccessKeyId, rootSecretAccessKey: made.rootSecretAccessKey, created: made.created };
}

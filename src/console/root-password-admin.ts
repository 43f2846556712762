import { randomBytes } from 'node:crypto';
import { AwsError, type WireRequest, type WireResponse } from '../protocol/errors.js';
import { findAccount } from '../identity/accounts.js';
import type { Principal } from '../identity/principal.js';
import { organizationOfAccount } from '../identity/organization.js';
import type { App } from '../server/app.js';
import { json } from '../server/json-response.js';
import { setRootPassword } from './root-password.js';

/**
 * POST /_iamlocal/root-password {"accountId": "<12 digits>", "password"?: "…"}, root-signed:
 * sets the console password of an account's root user — iamlocal's "Forgot password?" (AWS
 * mails a reset link to the root's address; there is no mail here). Accounts made with
 * POST /_iamlocal/accounts or Organizations CreateAccount start without one. Allowed to the
 * account's own root and to the root of the management account of its organization.
 * Without "password" one is made (24 characters of base64url); the answer carries it.
 * The decision log records the call with its caller only, never the password.
 */
export function answerRootPassword(app: App, req: WireRequest, signed: () => Principal): WireResponse {
  if (req.method !== 'POST') return json(405, { error: 'MethodNotAllowed', message: 'POST {"accountId": …, "password"?: …}' });
  const caller = signed();
  if (caller.type !== 'root') throw new AwsError('AccessDenied', 'Only a root user can set a root password.', 403);
  let body: { accountId?: unknown; password?: unknown };
  try {
    body = JSON.parse(req.body.toString('utf8') || '{}') as typeof body;
  } catch {
    throw new AwsError('ValidationError', 'The body must be JSON: {"accountId": "<12 digits>", "password"?: "…"}.', 400);
  }
  const accountId = body.accountId ?? caller.accountId;
  if (typeof accountId !== 'string' || !/^\d{12}$/.test(accountId)) throw new AwsError('ValidationError', 'accountId must be a string of 12 digits.', 400);
  if (body.password !== undefined && (typeof body.password !== 'string' || body.password.length < 8 || body.password.length > 128)) {
    throw new AwsError('ValidationError', 'password must be a string of 8 to 128 characters.', 400);
  }
  if (!findAccount(app.store, accountId)) throw new AwsError('NoSuchEntity', `No account ${accountId} on this server.`, 404);
  if (accountId !== caller.accountId) {
    const org = organizationOfAccount(app.store, accountId);
    if (!org || org.account_id !== caller.accountId) {
      throw new AwsError('AccessDenied', `Only the root user of account ${accountId} or of its organization's management account can set its root password.`, 403);
    }
  }
  const password = (body.password as string | undefined) ?? randomBytes(18).toString('base64url');
  setRootPassword(app.store, accountId, password);
  return json(200, { accountId, password });
}

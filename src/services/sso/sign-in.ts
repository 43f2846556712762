import { AwsError } from '../../protocol/errors.js';
import type { Store } from '../../store/store.js';
import type { Principal } from '../../identity/principal.js';
import { hashPassword, verifyPassword } from '../../auth/passwords.js';
import type { InstanceRow, UserRow } from '../identitystore/shared/rows.js';
import { issuePortalToken } from './tokens.js';

/**
 * Signing an Identity Center user in, beyond AWS's APIs (Identity Center passwords and its
 * sign-in page have no public API): /_iamlocal/sso/password sets a user's password, and
 * /_iamlocal/sso/token exchanges user name + password for a portal access token — what
 * `aws sso login` leaves in ~/.aws/sso/cache. The console's Identity Center sign-in uses
 * the same check.
 */

export interface SignInRequest {
  userName?: unknown;
  password?: unknown;
  identityStoreId?: unknown;
}

export function parseBody(body: Buffer): SignInRequest {
  try {
    const parsed = JSON.parse(body.toString('utf8') || '{}') as unknown;
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as SignInRequest;
  } catch {
    // answered below
  }
  throw new AwsError('ValidationError', 'The body must be a JSON object: {"userName": …, "password": …, "identityStoreId"?: …}.', 400);
}

const badCredentials = () => new AwsError('AuthenticationFailed', 'The user name or password is incorrect.', 401);

/** The user by name: in the named identity store, or in the only store that has that name. */
export function findSignInUser(store: Store, userName: string, identityStoreId?: string, ownerAccount?: string): { instance: InstanceRow; user: UserRow } | undefined {
  const users = store
    .prepare<UserRow>('SELECT * FROM ids_users WHERE user_name = ? AND (? IS NULL OR identity_store_id = ?) AND (? IS NULL OR account_id = ?)')
    .all(userName, identityStoreId ?? null, identityStoreId ?? null, ownerAccount ?? null, ownerAccount ?? null);
  if (users.length !== 1) return undefined;
  const instance = store.prepare<InstanceRow>('SELECT * FROM sso_instances WHERE identity_store_id = ?').get(users[0].identity_store_id);
  return instance && { instance, user: users[0] };
}

function text(value: unknown, name: string): string {
  if (typeof value !== 'string' || value === '') throw new AwsError('ValidationError', `${name} must be a non-empty string.`, 400);
  return value;
}

/** POST /_iamlocal/sso/password (root of the instance's account): sets a user's sign-in password. */
export function setPassword(store: Store, caller: Principal, request: SignInRequest): { userId: string; identityStoreId: string } {
  if (caller.type !== 'root') throw new AwsError('AccessDenied', "Only the root user of the Identity Center instance's account can set passwords.", 403);
  const userName = text(request.userName, 'userName');
  const password = text(request.password, 'password');
  if (password.length < 8) throw new AwsError('ValidationError', 'The password must have at least 8 characters.', 400);
  const storeId = request.identityStoreId === undefined ? undefined : text(request.identityStoreId, 'identityStoreId');
  const found = findSignInUser(store, userName, storeId, caller.accountId);
  if (!found) throw new AwsError('NotFound', `No Identity Center user ${userName} in this account's identity store.`, 404);
  store.prepare('UPDATE ids_users SET password_hash = ? WHERE user_id = ?').run(hashPassword(password), found.user.user_id);
  return { userId: found.user.user_id, identityStoreId: found.instance.identity_store_id };
}

/** The user a name and password prove, or AuthenticationFailed (the same answer whatever was wrong). */
export function checkPassword(store: Store, request: SignInRequest): { instance: InstanceRow; user: UserRow } {
  const userName = text(request.userName, 'userName');
  const password = text(request.password, 'password');
  const storeId = request.identityStoreId === undefined ? undefined : text(request.identityStoreId, 'identityStoreId');
  const found = findSignInUser(store, userName, storeId);
  if (!found || !found.user.password_hash || !verifyPassword(password, found.user.password_hash)) throw badCredentials();
  return found;
}

/** The start URL the aws CLI keys its SSO cache by: AWS's form, with the identity store's ID. */
export const startUrl = (instance: InstanceRow) => `https://${instance.identity_store_id}.awsapps.com/start`;

/** POST /_iamlocal/sso/token: a portal access token for a user who proves the password. */
export function signIn(store: Store, request: SignInRequest, now: number): Record<string, unknown> {
  const { instance, user } = checkPassword(store, request);
  const { accessToken, expiresAt } = issuePortalToken(store, instance, user, now);
  return {
    accessToken,
    expiresAt: new Date(expiresAt).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    startUrl: startUrl(instance),
    region: instance.region,
    identityStoreId: instance.identity_store_id,
    userId: user.user_id,
  };
}

import type { WireRequest, WireResponse } from '../protocol/errors.js';
import { AwsError } from '../protocol/errors.js';
import type { App } from '../server/app.js';
import { handleRequest, type Connection } from '../server/pipeline.js';
import { memberRow } from '../identity/organization.js';
import { checkPassword as checkSsoPassword, type SignInRequest as SsoSignIn } from '../services/sso/sign-in.js';
import { entitlements } from '../services/sso/access.js';
import { issuePortalToken, portalSession, revokePortalToken } from '../services/sso/tokens.js';
import type { SignInAttempts } from './attempts.js';
import { createSession, setSessionRole, type ConsoleSessionRow } from './sessions.js';
import { accountLabel } from './sign-in.js';

/**
 * POST session/identity-center: an IAM Identity Center user signs in to the console as the
 * AWS access portal signs them in — identity store user name and password, then a choice
 * of account and permission set. Without accountId/permissionSet the answer lists what the
 * user may choose; with them, the portal's GetRoleCredentials runs through the pipeline
 * (unsigned, with a portal token, as the aws CLI calls it) and the console session acts
 * as that role session (AWSReservedSSO_…/USER) from then on, as after Switch role.
 */
export interface ConsoleParts {
  attempts: SignInAttempts;
  describe: (app: App, session: ConsoleSessionRow, now: number) => Record<string, unknown>;
  record: (app: App, now: number, principal: string, operation: string, status: number, errorCode?: string, reason?: string) => void;
  sessionCookie: (conn: Connection, token: string) => string;
  durable: (app: App, res: WireResponse) => WireResponse | Promise<WireResponse>;
  json: (status: number, body: unknown, headers?: Record<string, string>) => WireResponse;
}

interface Body extends SsoSignIn {
  accountId?: unknown;
  permissionSet?: unknown;
}

export function identityCenterSignIn(app: App, req: WireRequest, conn: Connection, now: number, parts: ConsoleParts): WireResponse | Promise<WireResponse> {
  const { json, record, durable } = parts;
  let body: Body;
  try {
    body = JSON.parse(req.body.toString('utf8') || '{}') as Body;
  } catch {
    return json(400, { error: 'ValidationError', message: 'Give userName, password and, to sign in, accountId and permissionSet.' });
  }
  const { store } = app;
  const key = `sso:${String(body.identityStoreId ?? '')}/${String(body.userName ?? '').toLowerCase()}`;
  const wait = parts.attempts.waitSeconds([key], now);
  if (wait > 0) return json(429, { error: 'TooManyAttempts', message: `Too many failed sign-in attempts. Try again in ${wait} seconds.` }, { 'retry-after': String(wait) });
  let who: ReturnType<typeof checkSsoPassword>;
  try {
    who = store.read(() => checkSsoPassword(store, body));
  } catch (err) {
    if (!(err instanceof AwsError)) throw err;
    if (err.status === 401) parts.attempts.failed([key], now);
    record(app, now, '-', 'IdentityCenterSignIn', err.status, err.code, `${err.code}: ${err.message}`);
    return json(err.status, { error: err.code, message: err.message });
  }
  parts.attempts.succeeded(key);
  const choices = store.read(() => entitlements(store, who.instance, who.user));
  if (typeof body.accountId !== 'string' || typeof body.permissionSet !== 'string') {
    const accounts = new Map<string, { accountId: string; accountName: string; permissionSets: string[] }>();
    for (const e of choices) {
      const entry = accounts.get(e.accountId) ?? { accountId: e.accountId, accountName: store.read(() => memberRow(store, e.accountId)?.name ?? e.accountId), permissionSets: [] };
      entry.permissionSets.push(e.permissionSet.name);
      accounts.set(e.accountId, entry);
    }
    return json(200, { state: 'choose', userName: who.user.user_name, accounts: [...accounts.values()] });
  }
  const accountId = body.accountId;
  const permissionSet = body.permissionSet;
  const { accessToken } = store.write(() => issuePortalToken(store, who.instance, who.user, now));
  const query = new URLSearchParams({ role_name: permissionSet, account_id: accountId }).toString();
  const getCredentials: WireRequest = {
    method: 'GET', path: '/federation/credentials', rawQuery: query, body: Buffer.alloc(0),
    headers: { host: req.headers.host ?? '127.0.0.1', 'x-amz-sso_bearer_token': accessToken },
  };
  const done = (res: WireResponse): WireResponse | Promise<WireResponse> => {
    // The console keeps the role session, not the portal sign-in.
    store.write(() => revokePortalToken(store, portalSession(store, accessToken, now).tokenHash, now));
    const answer = JSON.parse(res.body.toString() || '{}') as { roleCredentials?: { accessKeyId: string }; message?: string };
    if (res.status !== 200 || !answer.roleCredentials) {
      const code = res.headers['x-amzn-ErrorType'] ?? 'ForbiddenException';
      record(app, now, '-', 'IdentityCenterSignIn', res.status, code, `${code}: ${answer.message ?? ''}`);
      return json(res.status, { error: code, message: answer.message ?? 'No access' });
    }
    const display = `${permissionSet} @ ${store.read(() => accountLabel(store, accountId))}`;
    const { token, row } = store.write(() => {
      const made = createSession(store, { accountId, kind: 'user', state: 'active' }, now);
      setSessionRole(store, made.row, { accessKeyId: answer.roleCredentials!.accessKeyId, display });
      return made;
    });
    const session = { ...row, role_access_key_id: answer.roleCredentials.accessKeyId, role_display: display };
    record(app, now, `${who.instance.identity_store_id}/${who.user.user_name}`, 'IdentityCenterSignIn', 200);
    return durable(app, json(200, parts.describe(app, session, now), { 'set-cookie': parts.sessionCookie(conn, token) }));
  };
  const res = handleRequest(app, getCredentials, conn);
  return res instanceof Promise ? res.then(done) : done(res);
}

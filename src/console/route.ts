import { identityCenterSignIn } from './identity-center.js';
import { randomBytes, randomUUID } from 'node:crypto';
import { AwsError, type WireRequest, type WireResponse } from '../protocol/errors.js';
import { enableRootMfaDevice } from '../services/iam/mfa/mfa-devices.js';
import { isServiceName } from '../protocol/service-model.js';
import type { Principal } from '../identity/principal.js';
import { validatePolicy, type PolicyKind } from '../policy/index.js';
import { iamDataCatalog } from '../catalog/iam-data-catalog.js';
import type { App } from '../server/app.js';
import { authorize, policySetFor } from '../server/authorize.js';
import { serverNow } from '../server/clock.js';
import type { DecisionEvent } from '../server/decision-log.js';
import { handleRequest, whenDurable, type Connection, type ConsoleCaller } from '../server/pipeline.js';
import { globalConditionKeys } from '../server/request-facts.js';
import type { RequestBody } from '../server/request-body.js';
import { SignInAttempts } from './attempts.js';
import { DecisionRing } from './decisions.js';
import { CONSOLE_PREFIX, CSRF_HEADER, EXPLANATION_HEADER, REGION_HEADER, SESSION_COOKIE } from './paths.js';
import { consolePrincipal, signedInPrincipal } from './session-principal.js';
import {
  advanceSession, createSession, csrfMatches, deleteSession, findSession, ROLE_SESSION_SECONDS, setSessionRole, type ConsoleSessionRow,
} from './sessions.js';
import { accountLabel, afterMfa, checkMfaStep, checkPassword, type SignInRequest } from './sign-in.js';
import { asset, indexHtml } from './static-files.js';
import { summarizePolicy } from './policy-summary.js';

/**
 * /_iamlocal/console/… — the web console on the server's one port:
 *   (anything else)        the page (index.html), with a fresh CSP nonce
 *   assets/NAME            the bundled script and styles (dist/console/)
 *   session                GET who is signed in; POST sign in; DELETE sign out
 *   session/mfa            POST the MFA code
 *   session/switch-role    POST {account, role}: STS AssumeRole through the pipeline
 *   session/switch-back    POST
 *   session/root-mfa       POST {serialNumber, code1, code2}: the root user enables its MFA device
 *   validate               POST {policy, kind}: the engine's validator, findings at line/column
 *   summary                POST {policy}: actions by service and access level
 *   decisions              GET ?since=N: the decision log of the account
 *   api/SERVICE/…          any AWS API request, run by the pipeline as the signed-in principal
 */
interface ConsoleState {
  attempts: SignInAttempts;
  ring: DecisionRing;
}

const states = new WeakMap<App, ConsoleState>();

function stateOf(app: App): ConsoleState {
  let s = states.get(app);
  if (!s) {
    s = { attempts: new SignInAttempts(), ring: new DecisionRing() };
    states.set(app, s);
  }
  return s;
}

/** Called once at start: the Decisions page reads every event the server logs from then on. */
export function installConsole(app: App): void {
  app.log = stateOf(app).ring.tee(app.log);
}

/** S3 calls of the page (uploads) stream their bodies into the pipeline as signed ones do; the rest is read whole. */
export function consoleStreams(req: WireRequest): boolean {
  return req.path.startsWith(`${CONSOLE_PREFIX}api/s3/`);
}

export function handleConsole(app: App, req: WireRequest, conn: Connection, body?: RequestBody): WireResponse | Promise<WireResponse> {
  const rest = req.path.slice(CONSOLE_PREFIX.length);
  const method = req.method.toUpperCase();
  if (rest.startsWith('assets/')) {
    const found = method === 'GET' ? asset(rest.slice('assets/'.length)) : undefined;
    if (!found) return secured(text(404, 'Not found'));
    return secured({ status: 200, headers: { 'content-type': found.type, 'cache-control': 'no-cache' }, body: found.body });
  }
  if (rest === 'session' || rest.startsWith('session/') || rest === 'validate' || rest === 'summary' || rest === 'decisions' || rest.startsWith('api/')) {
    const now = serverNow(app);
    const cross = crossSite(req);
    if (cross) return secured(cross);
    return secured(endpoint(app, req, conn, rest, method, now, body));
  }
  if (method !== 'GET' && method !== 'HEAD') return secured(text(405, 'Method not allowed'));
  const nonce = randomBytes(16).toString('base64');
  return secured({ status: 200, headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }, body: indexHtml(CONSOLE_PREFIX, nonce) }, nonce);
}

function endpoint(app: App, req: WireRequest, conn: Connection, rest: string, method: string, now: number, body?: RequestBody): WireResponse | Promise<WireResponse> {
  const store = app.store;
  const token = cookie(req, SESSION_COOKIE);
  const session = token ? store.read(() => findSession(store, token, now)) : undefined;
  if (rest === 'session' && method === 'GET') return json(200, session ? describe(app, session, now) : { signedIn: false });
  if (rest === 'session' && method === 'POST') return signIn(app, req, conn, now);
  if (rest === 'session/identity-center' && method === 'POST') {
    return identityCenterSignIn(app, req, conn, now, { attempts: stateOf(app).attempts, describe, record, sessionCookie, durable, json });
  }
  if (!session) return json(401, { error: 'NotSignedIn', message: 'Your console session has ended. Sign in again.' });
  // Everything past here acts for a session: the CSRF token must come with it.
  if (!csrfMatches(session, req.headers[CSRF_HEADER])) return json(403, { error: 'InvalidCsrfToken', message: 'The request did not carry this session\'s CSRF token.' });
  if (rest === 'session' && method === 'DELETE') {
    const principal = store.read(() => signedInPrincipal(store, session));
    store.write(() => deleteSession(store, session));
    record(app, now, principal?.arn ?? '-', 'SignOut', 200);
    return durable(app, json(200, { signedIn: false }, { 'set-cookie': clearCookie(conn) }));
  }
  if (rest === 'session/mfa' && method === 'POST') return mfaStep(app, req, session, now);
  if (session.state === 'mfa') return json(401, { error: 'MfaRequired', message: 'Enter the code from your MFA device first.' });
  if (session.state === 'password' && !rest.startsWith('api/')) {
    return json(403, { error: 'PasswordResetRequired', message: 'You must change your password before you continue.' });
  }
  if (rest === 'session/switch-role' && method === 'POST') return switchRole(app, req, conn, session, now);
  if (rest === 'session/root-mfa' && method === 'POST') return rootMfa(app, req, session, now);
  if (rest === 'session/switch-back' && method === 'POST') {
    store.write(() => setSessionRole(store, session, undefined));
    return durable(app, json(200, describe(app, { ...session, role_access_key_id: null, role_display: null }, now)));
  }
  const principal = store.read(() => consolePrincipal(store, session, now));
  if (!principal) return json(401, { error: 'NotSignedIn', message: 'Your console session has ended. Sign in again.' });
  if (rest === 'validate' && method === 'POST') return validate(req);
  if (rest === 'summary' && method === 'POST') return summary(req);
  if (rest === 'decisions' && method === 'GET') return decisions(app, req, conn, principal, now);
  if (rest.startsWith('api/')) return api(app, req, conn, session, principal, rest.slice('api/'.length), body);
  return json(404, { error: 'NotFound', message: `No console endpoint ${method} ${rest}` });
}

/** The AWS request the page made, run by the pipeline as the session's principal: no other path. */
function api(
  app: App, req: WireRequest, conn: Connection, session: ConsoleSessionRow, principal: Principal, rest: string, body?: RequestBody,
): WireResponse | Promise<WireResponse> {
  const slash = rest.indexOf('/');
  const service = slash < 0 ? rest : rest.slice(0, slash);
  if (!isServiceName(service) || !app.services[service]) return json(404, { error: 'NotFound', message: `iamlocal does not serve ${service}.` });
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    // Nothing of the browser's own credentials goes on: the session is the credential.
    if (name === 'cookie' || name === 'authorization' || name === 'origin' || name === 'referer' || name === CSRF_HEADER || name === REGION_HEADER || name.startsWith('x-amz-security-token')) continue;
    headers[name] = value;
  }
  const forwarded: WireRequest = { ...req, path: slash < 0 ? '/' : rest.slice(slash), headers };
  const operation = service === 'iam' || service === 'sts' ? formAction(req) : undefined;
  if (session.state === 'password' && !(service === 'iam' && (operation === 'ChangePassword' || operation === 'GetAccountPasswordPolicy'))) {
    return json(403, { error: 'PasswordResetRequired', message: 'You must change your password before you continue.' });
  }
  const caller: ConsoleCaller = { principal, service };
  // The region the page works in, as a signed request's credential scope would say.
  const region = req.headers[REGION_HEADER];
  if (region !== undefined) {
    if (!/^[a-z]{2}(-[a-z]+)+-\d$/.test(region)) return json(400, { error: 'InvalidRegion', message: `No region ${region}.` });
    caller.region = region;
  }
  const answered = (res: WireResponse): WireResponse | Promise<WireResponse> => {
    const out: WireResponse = { ...res, headers: { ...res.headers, 'cache-control': 'no-store' } };
    if (caller.why) out.headers[EXPLANATION_HEADER] = encodeURIComponent(caller.why);
    if (session.state === 'password' && operation === 'ChangePassword' && res.status === 200) {
      app.store.write(() => advanceSession(app.store, session, 'active', serverNow(app)));
      return durable(app, out);
    }
    return out;
  };
  const res = handleRequest(app, forwarded, { ...conn, console: caller }, body);
  return res instanceof Promise ? res.then(answered) : answered(res);
}

function signIn(app: App, req: WireRequest, conn: Connection, now: number): WireResponse | Promise<WireResponse> {
  const body = jsonBody(req) as Partial<SignInRequest> | undefined;
  if (!body || typeof body.account !== 'string' || typeof body.password !== 'string' || (body.userName !== undefined && typeof body.userName !== 'string')) {
    return json(400, { error: 'ValidationError', message: 'Give account, userName (absent for the root user) and password.' });
  }
  const { store } = app;
  const { attempts } = stateOf(app);
  const outcome = store.write(() => checkPassword(store, attempts, body as SignInRequest, now));
  if (!outcome.ok) {
    record(app, now, '-', 'SignIn', outcome.status, outcome.code, `${outcome.code}: ${outcome.message}`);
    const headers: Record<string, string> = outcome.retryAfterSeconds ? { 'retry-after': String(outcome.retryAfterSeconds) } : {};
    return durable(app, json(outcome.status, { error: outcome.code, message: outcome.message }, headers));
  }
  const { token, row } = store.write(() => createSession(store, { accountId: outcome.accountId, kind: outcome.kind, userId: outcome.userId, state: outcome.state }, now));
  const who = store.read(() => signedInPrincipal(store, row));
  record(app, now, who?.arn ?? '-', 'SignIn', 200, undefined, row.state === 'mfa' ? 'password accepted; MFA code awaited' : undefined);
  return durable(app, json(200, describe(app, row, now), { 'set-cookie': sessionCookie(conn, token) }));
}

function mfaStep(app: App, req: WireRequest, session: ConsoleSessionRow, now: number): WireResponse | Promise<WireResponse> {
  if (session.state !== 'mfa') return json(400, { error: 'ValidationError', message: 'No MFA code is awaited.' });
  const code = (jsonBody(req) as { code?: unknown } | undefined)?.code;
  const { store } = app;
  const owner = session.kind === 'root' ? { accountId: session.account_id, root: true as const } : { accountId: session.account_id, userId: session.user_id! };
  const outcome = store.write(() => {
    const checked = checkMfaStep(store, stateOf(app).attempts, owner, typeof code === 'string' ? code : '', now);
    if (checked.ok) advanceSession(store, session, afterMfa(store, session.account_id, session.user_id, now), now, now);
    return checked;
  });
  const who = store.read(() => signedInPrincipal(store, session))?.arn ?? '-';
  if (!outcome.ok) {
    const failed = outcome as Extract<typeof outcome, { ok: false }>;
    record(app, now, who, 'SignInMfa', failed.status, failed.code, `${failed.code}: ${failed.message}`);
    return durable(app, json(failed.status, { error: failed.code, message: failed.message }));
  }
  record(app, now, who, 'SignInMfa', 200);
  const updated = store.read(() => findSession(store, cookie(req, SESSION_COOKIE)!, now))!;
  return durable(app, json(200, describe(app, updated, now)));
}

/**
 * Switch role: STS AssumeRole, made through the pipeline by whoever signed in (with the
 * session's MFA facts), so the role's trust policy decides as for the CLI. The
 * credentials stay on the server; the session acts as the role from now on.
 */
function switchRole(app: App, req: WireRequest, conn: Connection, session: ConsoleSessionRow, now: number): WireResponse | Promise<WireResponse> {
  const body = jsonBody(req) as { account?: unknown; role?: unknown; displayName?: unknown } | undefined;
  const { store } = app;
  const signedIn = store.read(() => signedInPrincipal(store, session));
  if (!signedIn) return json(401, { error: 'NotSignedIn', message: 'Your console session has ended. Sign in again.' });
  if (!body || typeof body.role !== 'string' || typeof body.account !== 'string' || !body.role) {
    return json(400, { error: 'ValidationError', message: 'Give account and role.' });
  }
  const accountId = /^\d{12}$/.test(body.account) ? body.account : store.read(() => store.prepare<{ account_id: string }>('SELECT account_id FROM account_aliases WHERE alias = ?').get(String(body.account).toLowerCase())?.account_id);
  if (!accountId) return json(400, { error: 'ValidationError', message: `No account ${body.account}.` });
  const roleArn = `arn:aws:iam::${accountId}:role/${body.role}`;
  const sessionName = (signedIn.userName ?? 'root').replace(/[^\w+=,.@-]/g, '-').slice(0, 64);
  const form = new URLSearchParams({ Action: 'AssumeRole', Version: '2011-06-15', RoleArn: roleArn, RoleSessionName: sessionName, DurationSeconds: String(ROLE_SESSION_SECONDS) });
  const assume: WireRequest = {
    method: 'POST', path: '/', rawQuery: '', body: Buffer.from(form.toString()),
    headers: { host: req.headers.host ?? '127.0.0.1', 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
  };
  const caller: ConsoleCaller = { principal: signedIn, service: 'sts' };
  const done = (res: WireResponse): WireResponse | Promise<WireResponse> => {
    const xml = res.body.toString();
    if (res.status !== 200) {
      const message = /<Message>([\s\S]*?)<\/Message>/.exec(xml)?.[1] ?? 'AssumeRole failed.';
      const code = /<Code>([\s\S]*?)<\/Code>/.exec(xml)?.[1] ?? 'AccessDenied';
      return json(res.status, { error: code, message: unescapeXml(message), explanation: caller.why });
    }
    const keyId = /<AccessKeyId>([^<]+)<\/AccessKeyId>/.exec(xml)?.[1];
    if (!keyId) return json(500, { error: 'InternalFailure', message: 'AssumeRole answered without credentials.' });
    const roleName = body.role as string;
    const display = typeof body.displayName === 'string' && body.displayName ? body.displayName : `${roleName.slice(roleName.lastIndexOf('/') + 1)} @ ${accountLabel(store, accountId)}`;
    store.write(() => setSessionRole(store, session, { accessKeyId: keyId, display }));
    return durable(app, json(200, describe(app, { ...session, role_access_key_id: keyId, role_display: display }, now)));
  };
  const res = handleRequest(app, assume, { ...conn, console: caller });
  return res instanceof Promise ? res.then(done) : done(res);
}

/**
 * The root user enables a virtual MFA device (made by CreateVirtualMFADevice through the
 * API): AWS offers this only in its console, so it is the console's own step here too.
 */
function rootMfa(app: App, req: WireRequest, session: ConsoleSessionRow, now: number): WireResponse | Promise<WireResponse> {
  if (session.kind !== 'root' || session.role_access_key_id) return json(403, { error: 'AccessDenied', message: 'Only the root user can enable an MFA device for the root user.' });
  const body = jsonBody(req) as { serialNumber?: unknown; code1?: unknown; code2?: unknown } | undefined;
  if (!body || typeof body.serialNumber !== 'string' || typeof body.code1 !== 'string' || typeof body.code2 !== 'string') {
    return json(400, { error: 'ValidationError', message: 'Give serialNumber, code1 and code2.' });
  }
  const input = { SerialNumber: body.serialNumber, AuthenticationCode1: body.code1, AuthenticationCode2: body.code2 };
  try {
    app.store.write(() => enableRootMfaDevice(app.store, session.account_id, input, now));
  } catch (err) {
    if (!(err instanceof AwsError)) throw err;
    record(app, now, `arn:aws:iam::${session.account_id}:root`, 'EnableMFADevice', err.status, err.code, `${err.code}: ${err.message}`);
    return json(err.status, { error: err.code, message: err.message });
  }
  record(app, now, `arn:aws:iam::${session.account_id}:root`, 'EnableMFADevice', 200);
  return durable(app, json(200, { enabled: body.serialNumber }));
}

function validate(req: WireRequest): WireResponse {
  const body = jsonBody(req) as { policy?: unknown; kind?: unknown } | undefined;
  const kinds: PolicyKind[] = ['identity', 'resource', 'trust', 'boundary', 'session', 'scp', 'rcp'];
  if (!body || typeof body.policy !== 'string') return json(400, { error: 'ValidationError', message: 'Give policy (the JSON text) and kind.' });
  const kind = kinds.includes(body.kind as PolicyKind) ? (body.kind as PolicyKind) : 'identity';
  return json(200, { findings: validatePolicy(body.policy, { kind, catalog: iamDataCatalog }) });
}

/** A policy's summary (actions by service and access level), as AWS's console shows it. */
function summary(req: WireRequest): WireResponse {
  const body = jsonBody(req) as { policy?: unknown } | undefined;
  if (!body || typeof body.policy !== 'string') return json(400, { error: 'ValidationError', message: 'Give policy (the JSON text).' });
  try {
    return json(200, summarizePolicy(body.policy, iamDataCatalog));
  } catch {
    return json(400, { error: 'MalformedPolicyDocument', message: 'The policy is not JSON.' });
  }
}

/**
 * The account's decision log. Not an AWS API: the engine decides it as the closest AWS
 * action, cloudtrail:LookupEvents (reading the event history), for the session's principal.
 */
function decisions(app: App, req: WireRequest, conn: Connection, principal: Principal, now: number): WireResponse {
  const keys = globalConditionKeys(principal, { now, region: 'us-east-1', sourceIp: conn.sourceIp, secureTransport: conn.secure });
  const entry = { action: 'cloudtrail:LookupEvents', resource: '*' };
  const [verdict] = app.store.read(() => authorize(principal, [entry], keys, policySetFor(app.store, principal), app.store));
  if (app.config.auth === 'enforce' && verdict.decision.decision !== 'allowed') {
    return json(403, {
      error: 'AccessDenied',
      message: `User: ${principal.arn} is not authorized to perform: cloudtrail:LookupEvents on resource: *`,
      explanation: verdict.why,
    });
  }
  const since = Number(new URLSearchParams(req.rawQuery).get('since') ?? 0) || 0;
  return json(200, { events: stateOf(app).ring.after(since, principal.accountId) });
}

/** What the page needs to know of its session (never a credential but the CSRF token). */
function describe(app: App, session: ConsoleSessionRow, now: number): Record<string, unknown> {
  const { store } = app;
  return store.read(() => {
    const who = signedInPrincipal(store, session);
    const acting = consolePrincipal(store, session, now);
    return {
      signedIn: true,
      state: session.state,
      csrfToken: session.csrf_token,
      accountId: session.account_id,
      accountLabel: accountLabel(store, session.account_id),
      kind: session.kind,
      userName: who?.userName ?? null,
      arn: who?.arn ?? null,
      mfa: session.mfa_at !== null,
      role: session.role_display,
      actingArn: acting?.arn ?? null,
      expiresAt: new Date(session.expires_at).toISOString(),
    };
  });
}

/** One line in the decision log per console sign-in step: who, what, the outcome; never a password or a token. */
function record(app: App, now: number, principal: string, operation: string, status: number, errorCode?: string, reason?: string): void {
  const e: DecisionEvent = { time: now, requestId: randomUUID(), principal, service: 'console', operation, decision: status < 400 ? 'notChecked' : 'error', status };
  if (errorCode) e.errorCode = errorCode;
  if (reason) e.reason = reason;
  app.log(e);
}

/**
 * A request from another site is refused before anything else: browsers send Origin on
 * every cross-origin request and on same-origin POSTs, and Sec-Fetch-Site everywhere.
 * (SameSite=Strict keeps the cookie off them too; this also stops login CSRF.)
 */
function crossSite(req: WireRequest): WireResponse | undefined {
  const site = req.headers['sec-fetch-site'];
  if (site && site !== 'same-origin' && site !== 'none') return json(403, { error: 'CrossSiteRequest', message: 'The console answers its own pages only.' });
  const origin = req.headers.origin;
  if (origin && origin !== 'null' && new URL(origin).host !== req.headers.host) return json(403, { error: 'CrossSiteRequest', message: 'The console answers its own pages only.' });
  if (origin === 'null') return json(403, { error: 'CrossSiteRequest', message: 'The console answers its own pages only.' });
  return undefined;
}

const CSP = (nonce?: string) =>
  [
    "default-src 'none'",
    "script-src 'self'",
    nonce ? `style-src 'self' 'nonce-${nonce}'` : "style-src 'self'",
    "img-src 'self' data:",
    "connect-src 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
  ].join('; ');

function secured(res: WireResponse | Promise<WireResponse>, nonce?: string): WireResponse | Promise<WireResponse> {
  const add = (r: WireResponse): WireResponse => ({
    ...r,
    headers: {
      ...r.headers,
      'content-security-policy': CSP(nonce),
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'DENY',
      'referrer-policy': 'no-referrer',
      'cross-origin-opener-policy': 'same-origin',
      'cross-origin-resource-policy': 'same-origin',
    },
  });
  return res instanceof Promise ? res.then(add) : add(res);
}

function sessionCookie(conn: Connection, token: string): string {
  return `${SESSION_COOKIE}=${token}; Path=${CONSOLE_PREFIX}; HttpOnly; SameSite=Strict${conn.secure ? '; Secure' : ''}`;
}

function clearCookie(conn: Connection): string {
  return `${SESSION_COOKIE}=; Path=${CONSOLE_PREFIX}; Max-Age=0; HttpOnly; SameSite=Strict${conn.secure ? '; Secure' : ''}`;
}

function cookie(req: WireRequest, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(/;\s*/)) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq) === name) return part.slice(eq + 1) || undefined;
  }
  return undefined;
}

function jsonBody(req: WireRequest): unknown {
  if (!(req.headers['content-type'] ?? '').toLowerCase().startsWith('application/json')) return undefined;
  try {
    return JSON.parse(req.body.toString('utf8'));
  } catch {
    return undefined;
  }
}

function formAction(req: WireRequest): string | undefined {
  return new URLSearchParams(req.body.toString('utf8')).get('Action') ?? new URLSearchParams(req.rawQuery).get('Action') ?? undefined;
}

function unescapeXml(s: string): string {
  return s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
}

function json(status: number, body: unknown, headers: Record<string, string> = {}): WireResponse {
  return { status, headers: { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers }, body: JSON.stringify(body) };
}

function text(status: number, body: string): WireResponse {
  return { status, headers: { 'content-type': 'text/plain; charset=utf-8' }, body };
}

function durable(app: App, res: WireResponse): WireResponse | Promise<WireResponse> {
  return whenDurable(app, res, () => json(500, { error: 'InternalFailure', message: 'The change could not be saved.' }));
}

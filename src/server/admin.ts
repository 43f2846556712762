import { AwsError, type WireRequest, type WireResponse } from '../protocol/errors.js';
import { resetAccount } from '../identity/accounts.js';
import type { App } from './app.js';
import { authenticate } from './authenticate.js';
import { advanceClock, serverNow, testClockEnabled } from './clock.js';
import type { DecisionEvent } from './decision-log.js';
import { whenDurable } from './pipeline.js';
import { runHousekeeping } from './housekeeping.js';
import type { Principal } from '../identity/principal.js';
import { randomUUID } from 'node:crypto';
import { createAccountFromAdmin } from '../services/sts/admin-accounts.js';
import { answerOidcKeys } from './oidc-keys-admin.js';
import { json } from './json-response.js';
import { answerRootPassword } from '../console/root-password-admin.js';

/**
 * /_iamlocal/* : operator endpoints that are not part of any AWS API. Each call is
 * recorded in the decision log like an AWS request (service "iamlocal", the path as its
 * operation), and answered once what it wrote is durable.
 */
export const handleAdmin = adminEndpoint(answer);

/** An operator endpoint: signed() authenticates on demand; the call is logged and answered once durable. */
export type AdminAnswer = (app: App, req: WireRequest, now: number, signed: () => Principal) => WireResponse;

export function adminEndpoint(answer: AdminAnswer): (app: App, req: WireRequest) => WireResponse | Promise<WireResponse> {
  return (app, req) => logged(app, req, answer);
}

function logged(app: App, req: WireRequest, answer: AdminAnswer): WireResponse | Promise<WireResponse> {
  const now = serverNow(app);
  const event: DecisionEvent = { time: now, requestId: randomUUID(), principal: '-', service: 'iamlocal', operation: `${req.method} ${req.path}`, decision: 'notChecked', status: 200 };
  const signed = (): Principal => {
    const { principal } = authenticate(app, 'sts', req, now);
    event.principal = principal.arn;
    return principal;
  };
  let response: WireResponse;
  try {
    response = answer(app, req, now, signed);
  } catch (err) {
    if (!(err instanceof AwsError)) throw err;
    response = json(err.status, { error: err.code, message: err.message });
    event.errorCode = err.code;
    event.reason = `${err.code}: ${err.message}`;
    event.decision = 'error';
  }
  event.status = response.status;
  app.log(event);
  return whenDurable(app, response, (err) => json(500, { error: 'InternalFailure', message: String(err) }));
}

function answer(app: App, req: WireRequest, now: number, signed: () => Principal): WireResponse {
  const path = req.path;
  if (path === '/_iamlocal/health' && req.method === 'GET') {
    return json(200, {
      status: 'ok',
      version: app.version,
      mode: app.config.auth,
      accountId: app.config.accountId,
      services: Object.keys(app.services),
    });
  }
  if (path === '/_iamlocal/reset' && req.method === 'POST') {
    // Only the account's root may wipe it (or anyone when nothing is enforced).
    const principal = signed();
    if (principal.type !== 'root') throw new AwsError('AccessDenied', 'Only the root user of the account can reset it.', 403);
    app.store.tx(() => resetAccount(app.store, principal.accountId));
    return json(200, { status: 'reset', accountId: principal.accountId });
  }
  if (path === '/_iamlocal/accounts' && req.method === 'POST') {
    const principal = signed();
    const made = createAccountFromAdmin(app.store, principal, req.body);
    return json(made.created ? 201 : 200, made);
  }
  if (path === '/_iamlocal/clock' && req.method === 'POST') {
    // Test-only time travel (see clock.ts); root-signed, and off unless IAMLOCAL_TEST_CLOCK=1.
    if (!testClockEnabled()) return json(404, { error: 'NotFound', message: 'The test clock is off (start with IAMLOCAL_TEST_CLOCK=1).' });
    const principal = signed();
    if (principal.type !== 'root') throw new AwsError('AccessDenied', 'Only a root user can move the clock.', 403);
    let seconds = NaN;
    try {
      seconds = Number((JSON.parse(req.body.toString('utf8') || '{}') as { advanceSeconds?: unknown }).advanceSeconds);
    } catch {
      // not JSON: refused below
    }
    if (!Number.isFinite(seconds) || seconds < 0) throw new AwsError('ValidationError', 'advanceSeconds must be a number >= 0.', 400);
    const offset = advanceClock(app, seconds * 1000);
    // What is due by the moved clock happens now (S3 lifecycle rules).
    runHousekeeping(app);
    return json(200, { offsetSeconds: offset / 1000, now: new Date(Date.now() + offset).toISOString() });
  }
  if (path === '/_iamlocal/oidc-keys') return answerOidcKeys(app, req, now, signed);
  if (path === '/_iamlocal/root-password') return answerRootPassword(app, req, signed);
  return json(404, { error: 'NotFound', message: `No admin endpoint ${req.method} ${path}` });
}

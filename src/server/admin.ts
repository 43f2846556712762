import { AwsError, type WireRequest, type WireResponse } from '../protocol/errors.js';
import { resetAccount } from '../identity/accounts.js';
import type { App } from './app.js';
import { authenticate } from './authenticate.js';
import { advanceClock, testClockEnabled } from './clock.js';
import { createAccountFromAdmin } from '../services/sts/admin-accounts.js';

/** /_iamlocal/* : operator endpoints that are not part of any AWS API. */
export function handleAdmin(app: App, req: WireRequest, now: number): WireResponse {
  const path = req.path.split('?')[0];
  try {
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
      const { principal } = authenticate(app, 'sts', req, now);
      if (principal.type !== 'root') throw new AwsError('AccessDenied', 'Only the root user of the account can reset it.', 403);
      app.store.tx(() => resetAccount(app.store, principal.accountId));
      return json(200, { status: 'reset', accountId: principal.accountId });
    }
    if (path === '/_iamlocal/accounts' && req.method === 'POST') {
      const { principal } = authenticate(app, 'sts', req, now);
      const made = createAccountFromAdmin(app.store, principal, req.body);
      return json(made.created ? 201 : 200, made);
    }
    if (path === '/_iamlocal/clock' && req.method === 'POST') {
      // Test-only time travel (see clock.ts); root-signed, and off unless IAMLOCAL_TEST_CLOCK=1.
      if (!testClockEnabled()) return json(404, { error: 'NotFound', message: 'The test clock is off (start with IAMLOCAL_TEST_CLOCK=1).' });
      const { principal } = authenticate(app, 'sts', req, now);
      if (principal.type !== 'root') throw new AwsError('AccessDenied', 'Only a root user can move the clock.', 403);
      let seconds = NaN;
      try {
        seconds = Number((JSON.parse(req.body.toString('utf8') || '{}') as { advanceSeconds?: unknown }).advanceSeconds);
      } catch {
        // not JSON: refused below
      }
      if (!Number.isFinite(seconds) || seconds < 0) throw new AwsError('ValidationError', 'advanceSeconds must be a number >= 0.', 400);
      const offset = advanceClock(app, seconds * 1000);
      return json(200, { offsetSeconds: offset / 1000, now: new Date(Date.now() + offset).toISOString() });
    }
    return json(404, { error: 'NotFound', message: `No admin endpoint ${req.method} ${path}` });
  } catch (err) {
    if (err instanceof AwsError) return json(err.status, { error: err.code, message: err.message });
    throw err;
  }
}

function json(status: number, body: unknown): WireResponse {
  return { status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) + '\n' };
}

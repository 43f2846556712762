import { AwsError, type WireRequest, type WireResponse } from '../protocol/errors.js';
import { resetAccount } from '../services/iam/accounts.js';
import type { App } from './app.js';
import { authenticate } from './authenticate.js';

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
    return json(404, { error: 'NotFound', message: `No admin endpoint ${req.method} ${path}` });
  } catch (err) {
    if (err instanceof AwsError) return json(err.status, { error: err.code, message: err.message });
    throw err;
  }
}

function json(status: number, body: unknown): WireResponse {
  return { status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) + '\n' };
}

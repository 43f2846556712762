import { AwsError, type WireRequest, type WireResponse } from '../protocol/errors.js';
import { adminEndpoint } from './admin.js';
import { json } from './json-response.js';
import type { App } from './app.js';
import type { Principal } from '../identity/principal.js';
import { parseBody, setPassword, signIn } from '../services/sso/sign-in.js';

/** /_iamlocal/sso/…: Identity Center sign-in, which AWS serves from web pages, not APIs (src/services/sso/sign-in.ts). */
export const SSO_SIGN_IN_PREFIX = '/_iamlocal/sso/';

export const handleSsoSignIn = adminEndpoint((app: App, req: WireRequest, now: number, signed: () => Principal): WireResponse => {
  if (req.method !== 'POST') return json(405, { error: 'MethodNotAllowed', message: 'Use POST.' });
  if (req.path === `${SSO_SIGN_IN_PREFIX}password`) {
    const caller = signed();
    return json(200, app.store.tx(() => setPassword(app.store, caller, parseBody(req.body))));
  }
  if (req.path === `${SSO_SIGN_IN_PREFIX}token`) return json(200, app.store.tx(() => signIn(app.store, parseBody(req.body), now)));
  throw new AwsError('NotFound', `No such endpoint: ${req.path}`, 404);
});

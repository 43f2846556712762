import type { WireRequest, WireResponse } from '../protocol/errors.js';
import { handleAdmin } from './admin.js';
import { handleTestIssuer } from './test-issuer.js';
import { TEST_ISSUER_PREFIX } from '../services/sts/test-issuer-keys.js';
import { handleImds, IMDS_PREFIX } from './imds-route.js';
import type { App } from './app.js';
import type { Connection } from './pipeline.js';
import { consoleStreams, handleConsole } from '../console/route.js';
import type { RequestBody } from './request-body.js';
import { CONSOLE_PREFIX } from '../console/paths.js';
import { handleSsoSignIn, SSO_SIGN_IN_PREFIX } from './sso-sign-in-route.js';

/**
 * The routing table, read before the AWS pipeline: paths iamlocal serves that are not AWS
 * APIs. Anything else is an AWS request, and src/server/pipeline.ts finds its service
 * (SigV4 scope, X-Amz-Target, Action, S3 as the REST fallback). Next here: the console
 * (/_iamlocal/console/), instance metadata. First match wins: longer prefixes first.
 */
export interface Route {
  /** A path prefix, matched against the raw path. */
  prefix: string;
  /** `body` is given only when streams(req) said so; otherwise req.body is the whole body. */
  handle(app: App, req: WireRequest, conn: Connection, body?: RequestBody): WireResponse | Promise<WireResponse>;
  /** Whether this route takes the request's body as it comes, unread (the console's S3 uploads). */
  streams?(req: WireRequest): boolean;
}

export const ROUTES: readonly Route[] = [
  { prefix: TEST_ISSUER_PREFIX, handle: handleTestIssuer },
  { prefix: IMDS_PREFIX, handle: handleImds },
  // The web console: its pages, its session endpoints, and its API calls into the pipeline.
  { prefix: CONSOLE_PREFIX, handle: handleConsole, streams: consoleStreams },
  { prefix: SSO_SIGN_IN_PREFIX, handle: handleSsoSignIn },
  { prefix: '/_iamlocal/', handle: handleAdmin },
];

/** The route serving a path, or undefined for an AWS request. */
export function routeFor(path: string): Route | undefined {
  for (const route of ROUTES) if (path.startsWith(route.prefix)) return route;
  return undefined;
}

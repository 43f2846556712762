import { randomUUID } from 'node:crypto';
import { AwsError, type WireRequest, type WireResponse } from '../protocol/errors.js';
import { decodeRequest, detectService, encodeError, encodeResponse, type ServiceName } from '../protocol/index.js';
import { PolicyError } from '../policy/index.js';
import { policyAwsError } from '../services/policy-errors.js';
import { isReadOnly, type AuthzEntry, type RequestContext } from '../services/types.js';
import type { App } from './app.js';
import { authenticate } from './authenticate.js';
import { accessDenied, authorize, policySetFor } from './authorize.js';
import { globalConditionKeys } from './request-facts.js';
import { sessionCallRefusal } from '../auth/sessions-limits.js';
import { serverNow } from './clock.js';
import type { DecisionEvent } from './decision-log.js';

/** Connection facts the HTTP layer knows and the pipeline cannot see in the request. */
export interface Connection {
  sourceIp: string;
  secure: boolean;
}

/**
 * One request, one path: route → authenticate → decode → authorize → execute → encode →
 * record. Authentication, authorization and recording happen here and only here;
 * handlers only say what they touch (their authz rule) and what they do.
 */
export function handleRequest(app: App, req: WireRequest, conn: Connection): WireResponse | Promise<WireResponse> {
  const requestId = randomUUID();
  const now = serverNow(app);
  const service: ServiceName = detectService(req) ?? 's3';
  const event: DecisionEvent = { time: now, requestId, principal: '-', service, operation: '-', decision: 'notChecked', status: 200 };
  try {
    // route + authenticate
    const { principal, region, body } = authenticate(app, service, req, now);
    event.principal = principal.arn;
    // decode
    const { operation, input } = decodeRequest(service, body === req.body ? req : { ...req, body });
    event.operation = operation;
    // Temporary credentials some operations refuse whatever the policies say.
    const refusal = sessionCallRefusal(principal, service, operation);
    if (refusal) throw refusal;
    const definition = app.services[service];
    const handler = definition?.handlers[operation];
    const rule = definition?.authz[operation];
    if (!handler || !rule) {
      throw new AwsError('NotImplemented', `iamlocal does not implement ${service}:${operation} yet.`, 501);
    }
    const ctx: RequestContext = {
      accountId: principal.accountId, region, requestId, now, principal, store: app.store, sourceIp: conn.sourceIp, authMode: app.config.auth,
    };
    // authorize + execute in one snapshot: the decision and the handler see the same state,
    // and a write request's transaction covers both (a denial leaves nothing behind).
    const run = () => {
      authorizeRequest(app, ctx, toEntries(rule(ctx, input)), conn, event);
      return handler(ctx, input);
    };
    const output = isReadOnly(definition, operation) ? app.store.read(run) : app.store.write(run);
    const response = encodeResponse(service, operation, output, requestId);
    event.status = response.status;
    return whenDurable(app, response, (err) => encodeError(service, asAwsError(err), requestId));
  } catch (err) {
    const error = asAwsError(err);
    event.status = error.status;
    event.errorCode = error.code;
    if (event.decision === 'notChecked') event.decision = 'error';
    if (!event.reason) event.reason = `${error.code}: ${error.message}`;
    return whenDurable(app, encodeError(service, error, requestId), (err) => encodeError(service, asAwsError(err), requestId));
  } finally {
    app.log(event);
  }
}

/**
 * The response, once what it shows is durable: while a commit group is open (see
 * Store.write), every answer waits for its COMMIT, and a failed commit answers with
 * `failed` instead.
 */
export function whenDurable(app: App, response: WireResponse, failed: (err: unknown) => WireResponse): WireResponse | Promise<WireResponse> {
  const committed = app.store.committed();
  return committed ? committed.then(() => response, failed) : response;
}

/** Asks the policy engine about each entry; a denial throws AccessDenied (or, in audit mode, is only recorded). */
function authorizeRequest(app: App, ctx: RequestContext, entries: AuthzEntry[], conn: Connection, event: DecisionEvent): void {
  if (entries.length === 0) return;
  if (app.config.auth === 'off') {
    event.action = entries[0].action;
    event.resource = entries[0].resource;
    return;
  }
  const { principal } = ctx;
  const keys = globalConditionKeys(principal, { now: ctx.now, region: ctx.region, sourceIp: conn.sourceIp, secureTransport: conn.secure });
  const verdicts = authorize(principal, entries, keys, policySetFor(app.store, principal));
  const denied = verdicts.find((v) => v.decision.decision !== 'allowed');
  const shown = denied ?? verdicts[0];
  event.action = shown.entry.action;
  event.resource = shown.entry.resource;
  event.decision = shown.decision.decision;
  if (app.config.logFormat !== 'none') event.reason = shown.why;
  if (denied) {
    if (app.config.auth === 'enforce') throw accessDenied(principal, denied);
    event.audited = true;
  }
}

function toEntries(result: AuthzEntry | AuthzEntry[] | null): AuthzEntry[] {
  if (result === null) return [];
  return Array.isArray(result) ? result : [result];
}

/** Anything that is not an AwsError is our bug: say so as AWS says it, and keep the stack. */
function asAwsError(err: unknown): AwsError {
  if (err instanceof AwsError) return err;
  // A stored document the engine now refuses (say, written before a stricter rule) is still IAM's refusal.
  if (err instanceof PolicyError) return policyAwsError(err);
  process.stderr.write(`iamlocal: internal error: ${err instanceof Error ? err.stack : String(err)}\n`);
  return new AwsError('InternalFailure', 'The request processing has failed because of an unknown error, exception or failure.', 500);
}

import { randomUUID } from 'node:crypto';
import { AwsError, type WireRequest, type WireResponse } from '../protocol/errors.js';
import { decodeRequest, detectService, encodeError, encodeProtocolError, encodeResponse, scopeService, unservedService, type ServiceName } from '../protocol/index.js';
import type { AuthzEntry, RequestContext } from '../services/types.js';
import type { App } from './app.js';
import { authenticate } from './authenticate.js';
import { accessDenied, authorize, policySetFor } from './authorize.js';
import { globalConditionKeys } from './request-facts.js';
import { sessionCallRefusal } from '../identity/session-limits.js';
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
  const detected = detectService(req);
  if (detected === undefined) return unserved(app, req, requestId, now);
  const service: ServiceName = detected;
  const hooks = app.services[service];
  // S3's CORS preflight: unsigned, and no operation of the model.
  const early = hooks?.preflight?.(app.store, req, requestId);
  if (early) {
    app.log({ time: now, requestId, principal: '-', service, operation: 'PreflightRequest', decision: 'notChecked', status: early.status });
    return early;
  }
  const event: DecisionEvent = { time: now, requestId, principal: '-', service, operation: '-', decision: 'notChecked', status: 200 };
  const decorate = hooks?.decorate ? (r: WireResponse) => (hooks.decorate!(app.store, req, r), r) : (r: WireResponse) => r;
  try {
    // route + authenticate
    const { principal, region: signingRegion, request, signature } = authenticate(app, service, req, now);
    const region = GLOBAL_SERVICE_REGION[service] ?? signingRegion;
    event.principal = principal.arn;
    // decode
    const { operation, input } = decodeRequest(service, request);
    event.operation = operation;
    // Temporary credentials some operations refuse whatever the policies say.
    const refusal = sessionCallRefusal(principal, service, operation);
    if (refusal) throw refusal;
    const op = app.services[service]?.operations[operation];
    if (!op) throw new AwsError('NotImplemented', `iamlocal does not implement ${service}:${operation} yet.`, 501);
    const ctx: RequestContext = {
      accountId: principal.accountId, region, requestId, now, principal, store: app.store, sourceIp: conn.sourceIp, authMode: app.config.auth,
      headers: request.headers, signature, secure: conn.secure,
    };
    ctx.permits = (entry) => permits(app, ctx, entry, conn);
    // authorize + execute in one snapshot: the decision and the handler see the same state,
    // and a write request's savepoint covers both (a denial leaves nothing behind).
    const run = () => {
      authorizeRequest(app, ctx, toEntries(op.authorize(ctx, input)), conn, event);
      return op.run(ctx, input);
    };
    const output = op.writes ? app.store.write(run) : app.store.read(run);
    const response = decorate(encodeResponse(service, operation, output, requestId));
    event.status = response.status;
    return whenDurable(app, response, (err) => decorate(encodeError(service, asAwsError(err), requestId)));
  } catch (err) {
    const error = asAwsError(err);
    event.status = error.status;
    event.errorCode = error.code;
    if (event.decision === 'notChecked') event.decision = 'error';
    if (!event.reason) event.reason = `${error.code}: ${error.message}`;
    return whenDurable(app, decorate(encodeError(service, error, requestId)), (err) => decorate(encodeError(service, asAwsError(err), requestId)));
  } finally {
    app.log(event);
  }
}

/**
 * Global services: "IAM calls are always made to the us-east-1 Region" (IAM User Guide,
 * aws:RequestedRegion), whatever region the client signed with — the signature is still
 * verified against its own scope.
 */
const GLOBAL_SERVICE_REGION: Partial<Record<ServiceName, string>> = { iam: 'us-east-1' };

/**
 * A request signed for (or targeting) a service iamlocal does not serve: an error in that
 * service's own protocol that names it. Nothing is authenticated or decoded.
 */
function unserved(app: App, req: WireRequest, requestId: string, now: number): WireResponse {
  const service = unservedService(scopeService(req), req.headers['x-amz-target']);
  const error = new AwsError('NotImplemented', `iamlocal does not serve ${service.serviceId} (${service.name}); it serves ${Object.keys(app.services).join(', ')}.`, 501);
  app.log({ time: now, requestId, principal: '-', service: service.name, operation: '-', decision: 'error', status: 501, errorCode: error.code, reason: error.message });
  return encodeProtocolError(service, error, requestId);
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
    if (app.config.auth === 'enforce') throw (app.services[event.service as ServiceName]?.accessDenied ?? accessDenied)(principal, denied);
    event.audited = true;
  }
}

/**
 * A decision an operation needs per item of its request (S3 DeleteObjects decides each
 * key) or to choose its answer (S3 tells NoSuchKey from AccessDenied by s3:ListBucket):
 * the engine decides as for the request itself, and a denial comes back as the service's
 * AccessDenied instead of being thrown. In audit and off modes everything is permitted.
 */
function permits(app: App, ctx: RequestContext, entry: AuthzEntry, conn: Connection): AwsError | undefined {
  if (app.config.auth !== 'enforce') return undefined;
  const { principal } = ctx;
  const keys = globalConditionKeys(principal, { now: ctx.now, region: ctx.region, sourceIp: conn.sourceIp, secureTransport: conn.secure });
  const [verdict] = authorize(principal, [entry], keys, policySetFor(app.store, principal));
  if (verdict.decision.decision === 'allowed') return undefined;
  const service = app.services[detectedService(entry)];
  return (service?.accessDenied ?? accessDenied)(principal, verdict);
}

/** The service an entry's action belongs to ('s3:GetObject' → s3). */
function detectedService(entry: AuthzEntry): ServiceName {
  return entry.action.slice(0, entry.action.indexOf(':')) as ServiceName;
}

function toEntries(result: AuthzEntry | AuthzEntry[] | null): AuthzEntry[] {
  if (result === null) return [];
  return Array.isArray(result) ? result : [result];
}

/** Anything that is not an AwsError is our bug: say so as AWS says it, and keep the stack. */
function asAwsError(err: unknown): AwsError {
  if (err instanceof AwsError) return err;
  process.stderr.write(`iamlocal: internal error: ${err instanceof Error ? err.stack : String(err)}\n`);
  return new AwsError('InternalFailure', 'The request processing has failed because of an unknown error, exception or failure.', 500);
}

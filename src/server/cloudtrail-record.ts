import type { Principal } from '../identity/principal.js';
import type { AwsError, ServiceName, WireRequest } from '../protocol/index.js';
import { recorderFor, type CallFacts } from '../services/cloudtrail/recorder.js';
import type { App } from './app.js';
import type { DecisionEvent } from './decision-log.js';

/** What the pipeline learns of a request on its way, kept beside its decision event. */
type Noted = Pick<CallFacts, 'principal' | 'region' | 'sourceIp' | 'userAgent' | 'input' | 'output' | 'authz'>;
const noted = new WeakMap<DecisionEvent, Noted>();

/** After authentication: who called, from where, with what. */
export function noteCaller(event: DecisionEvent, principal: Principal, region: string, req: WireRequest, sourceIp: string): void {
  noted.set(event, { principal, region, sourceIp, userAgent: req.headers['user-agent'] });
}

/** After decoding: the request's parameters. */
export function noteInput(event: DecisionEvent, input: unknown): void {
  const n = noted.get(event);
  if (n) n.input = input as Record<string, unknown>;
}

/** After authorization: what the request was authorized for (policy generation reads it). */
export function noteEntries(event: DecisionEvent, entries: ReadonlyArray<{ action: string; resource: string }>): void {
  const n = noted.get(event);
  if (n) n.authz = entries.map((e) => [e.action, e.resource]);
}

/** After the handler: its output. */
export function noteOutput(event: DecisionEvent, output: unknown): void {
  const n = noted.get(event);
  if (n) n.output = output;
}

/**
 * The record step: every request that got as far as an operation becomes a CloudTrail
 * event, allowed or denied, succeeded or failed. Pushed onto the recorder's list (the
 * cheap append path, see src/services/cloudtrail/recorder.ts); nothing here touches the disk.
 */
export function recordCall(app: App, event: DecisionEvent, error?: AwsError): void {
  if (app.config.cloudtrail === 'off') return;
  const n = noted.get(event);
  if (!n || event.operation === '-') return;
  recorderFor(app.store).push({
    ...n,
    service: event.service as ServiceName,
    operation: event.operation,
    time: event.time,
    requestId: event.requestId,
    errorCode: error?.code,
    errorMessage: error?.message,
    resource: event.resource,
    recipientAccountId: n.principal.accountId || app.config.accountId,
  });
}

import type { Principal } from '../identity/principal.js';
import type { AwsError, ServiceName, WireRequest } from '../protocol/index.js';
import { recorderFor, type CallFacts } from '../services/cloudtrail/recorder.js';
import { portalCaller } from '../services/sso/tokens.js';
import type { App } from './app.js';
import type { DecisionEvent } from './decision-log.js';

/** What the pipeline learns of a request on its way, kept beside its decision event. */
type Noted = Pick<CallFacts, 'principal' | 'region' | 'sourceIp' | 'userAgent' | 'input' | 'output' | 'authz'>;
/**
 * Kept on the event itself under a symbol (the JSON decision log does not print symbol
 * keys): a WeakMap beside it costs the garbage collector more than the whole record.
 */
const NOTED = Symbol('cloudtrail.noted');
type Carrier = DecisionEvent & { [NOTED]?: Noted };
const noted = {
  get: (e: DecisionEvent) => (e as Carrier)[NOTED],
  set: (e: DecisionEvent, n: Noted) => void ((e as Carrier)[NOTED] = n),
};

/** After authentication: who called, from where, with what. */
export function noteCaller(event: DecisionEvent, principal: Principal, region: string, req: WireRequest, sourceIp: string): void {
  // Every field from the start: one object shape for every request.
  noted.set(event, {
    principal, region, sourceIp, userAgent: req.headers['user-agent'], input: undefined, output: undefined, authz: undefined,
    service: undefined, operation: undefined, time: 0, requestId: '', errorCode: undefined, errorMessage: undefined, resource: undefined,
    portalUser: undefined, recipientAccountId: '',
  } as unknown as Noted);
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
  // The noted object becomes the call's facts: no copy.
  const facts = n as CallFacts;
  facts.service = event.service as ServiceName;
  facts.operation = event.operation;
  facts.time = event.time;
  facts.requestId = event.requestId;
  facts.errorCode = error?.code;
  facts.errorMessage = error?.message;
  facts.resource = event.resource;
  // The access portal's calls are unsigned: its token says who made them, and in which account they are recorded.
  if (facts.service === 'sso' && n.principal.type === 'anonymous') facts.portalUser = portalCaller(app.store, facts.input?.accessToken);
  facts.recipientAccountId = facts.portalUser?.accountId ?? (n.principal.accountId || app.config.accountId);
  recorderFor(app.store).push(facts);
}

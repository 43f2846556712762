import { createHash, randomUUID } from 'node:crypto';
import { PolicyError } from '../policy/index.js';
import { policyAwsError } from '../identity/policy-errors.js';
import { AwsError, type WireRequest, type WireResponse } from '../protocol/errors.js';
import {
  decodeRequest, detectService, encodeError, encodeProtocolError, encodeResponse, operationOf, scopeService, unservedService, type ServiceName,
} from '../protocol/index.js';
import type { AuthzEntry, RequestContext } from '../services/types.js';
import { isStreaming, type AnyOperation, type Operation, type StagedBody, type StagePlan, type StreamingOperation } from '../services/operation.js';
import type { Principal } from '../identity/principal.js';
import { checksumOf, createChecksum, type ChecksumAlgorithm } from '../auth/sigv4/checksums.js';
import { s3Errors } from '../auth/sigv4/errors.js';
import { decodePayload, payloadStream, type PayloadSpec } from '../auth/sigv4/payload.js';
import type { Digest } from '../store/blobs.js';
import { ThreadedHash } from '../store/threaded-hash.js';
import type { App } from './app.js';
import { authenticate, authenticateHead, fromConsole, fromConsoleHead, type AuthenticatedHead } from './authenticate.js';
import { accessDenied, authorize, policySetFor } from './authorize.js';
import { globalConditionKeys } from './request-facts.js';
import { sessionCallRefusal } from '../identity/session-limits.js';
import { serverNow } from './clock.js';
import type { DecisionEvent } from './decision-log.js';
import { BodyAborted, BodyTooLarge, type RequestBody } from './request-body.js';
import { noteCaller, noteEntries, noteInput, noteOutput, recordCall } from './cloudtrail-record.js';

/** Connection facts the HTTP layer knows and the pipeline cannot see in the request. */
export interface Connection {
  sourceIp: string;
  secure: boolean;
  /** A request of the web console (src/console/): its signed-in principal stands in for a signature. */
  console?: ConsoleCaller;
}

/** Who the console acts as, for which service; authorize leaves the engine's explanation of a denial here. */
export interface ConsoleCaller {
  principal: Principal;
  service: ServiceName;
  /** The region the page works in (the console's region selector); us-east-1 when absent. */
  region?: string;
  why?: string;
}

/**
 * The most the pipeline holds of a body before it is authenticated: IAM, STS, EC2 and
 * DynamoDB sign a hash of the whole body, so it must be read to check anything. Their
 * own limits are far below (an IAM policy document is 6 KiB, a DynamoDB item 400 KB).
 */
export const MAX_BUFFERED_BODY = 1024 * 1024;
/**
 * S3 bodies that are documents (a bucket policy, a DeleteObjects list of 1,000 keys of up
 * to 1 KiB each) are read whole once the head is authenticated; anything larger is not one.
 */
export const MAX_S3_DOCUMENT = 2 * 1024 * 1024;

/**
 * One request, one path: route → authenticate → decode → authorize → execute → encode →
 * record. Authentication, authorization and recording happen here and only here;
 * handlers only say what they touch (their authz rule) and what they do.
 *
 * The body is a property of the request, not a second path:
 * - a body that came with its head is a Buffer, and everything runs synchronously;
 * - signed-body services (query, ec2, json) read theirs whole, at most MAX_BUFFERED_BODY,
 *   before authenticating (their signature covers it);
 * - S3 authenticates the head alone; a streaming operation (PutObject…) is then decided
 *   in a snapshot, and only then is its body read (`100 Continue` answered), through the
 *   payload checks to a staged blob, and its metadata committed in the commit group;
 *   any other S3 operation reads its body whole (a document, at most MAX_S3_DOCUMENT),
 *   checks it against the signature, and goes on as any request.
 */
export function handleRequest(app: App, req: WireRequest, conn: Connection, body?: RequestBody): WireResponse | Promise<WireResponse> {
  const whole = body ? body.complete() : req.body;
  if (whole === undefined) {
    // An unsigned form POST (AssumeRoleWithWebIdentity) names its service in its body.
    if (bodyNamesService(req)) return readWhole(app, req, conn, body!, undefined, MAX_BUFFERED_BODY);
  } else if (whole !== req.body) req = { ...req, body: whole };
  const requestId = randomUUID();
  const now = serverNow(app);
  const service = conn.console?.service ?? detectService(req);
  if (service === undefined) return unserved(app, req, requestId, now);
  // A service's own answer before anything else (S3's CORS preflight: unsigned, and no operation of the model).
  const early = app.services[service]?.preflight?.(app.store, req, requestId);
  if (early) {
    app.log({ ...newEvent(now, requestId, service), operation: 'PreflightRequest', status: early.status });
    return early;
  }
  if (service === 's3') return handleS3(app, req, conn, body, whole, requestId, now);
  if (whole === undefined) return readWhole(app, req, conn, body!, service, MAX_BUFFERED_BODY);
  const event = newEvent(now, requestId, service);
  return conclude(app, service, event, requestId, () => {
    // route + authenticate
    const { principal, region: signingRegion, request, signature } = conn.console ? fromConsole(conn.console, req) : authenticate(app, service, req, now);
    event.principal = principal.arn;
    const region = GLOBAL_SERVICE_REGION[service] ?? signingRegion;
    noteCaller(event, principal, region, request, conn.sourceIp);
    return execute(app, service, principal, region, request, conn, event, requestId, now, signature);
  });
}

/** S3: the head is authenticated first; the operation it names decides how its body is read. */
function handleS3(
  app: App, req: WireRequest, conn: Connection, body: RequestBody | undefined, whole: Buffer | undefined, requestId: string, now: number,
): WireResponse | Promise<WireResponse> {
  const event = newEvent(now, requestId, 's3');
  const hooks = app.services.s3;
  const decorate = hooks?.decorate ? (r: WireResponse) => (hooks.decorate!(app.store, req, r), r) : undefined;
  return conclude(app, 's3', event, requestId, () => {
    const head = conn.console ? fromConsoleHead(conn.console, req) : authenticateHead(app, req, now);
    event.principal = head.principal.arn;
    noteCaller(event, head.principal, head.region, head.request, conn.sourceIp);
    const operation = operationOf('s3', head.request);
    event.operation = operation;
    // Refused before any of the body is read: an operation not served, a session that may not call it.
    const op = operationFor(app, 's3', head.principal, operation);
    if (isStreaming(op)) return streamIn(app, op, operation, head, conn, whole ?? body!, event, requestId, now);
    const go = (bytes: Buffer): WireResponse | Promise<WireResponse> => {
      const { payload, trailers } = decodePayload(bytes, head.payload);
      const request = { ...head.request, body: payload, ...(trailers ? { headers: { ...head.request.headers, ...trailers } } : {}) };
      return execute(app, 's3', head.principal, head.region, request, conn, event, requestId, now, head.signature);
    };
    if (whole !== undefined) return go(whole);
    return body!.read(MAX_S3_DOCUMENT).then(go, (err: unknown) => {
      throw err instanceof BodyTooLarge ? new AwsError('MaxMessageLengthExceeded', 'Your request was too big.', 400) : err;
    });
  }, decorate);
}

/** decode → authorize → execute → encode, for a request whose body is all here. */
function execute(
  app: App, service: ServiceName, principal: Principal, region: string, request: WireRequest, conn: Connection, event: DecisionEvent,
  requestId: string, now: number, signature?: RequestContext['signature'],
): WireResponse | Promise<WireResponse> {
  // decode
  const { operation, input } = decodeRequest(service, request);
  event.operation = operation;
  noteInput(event, input);
  const op = operationFor(app, service, principal, operation);
  if (isStreaming(op)) throw new Error(`${service}:${operation} streams its body; it cannot run from a buffered one`);
  const ctx = contextFor(app, principal, region, requestId, now, conn, request, signature, event);
  // Rarely an operation must wait for I/O first (see Operation.prepare); the rest stays synchronous.
  const prepared = op.prepare?.(ctx, input);
  if (prepared) return prepared.then((ready) => runInStore(app, service, op, operation, ctx, ready, conn, event, requestId));
  return runInStore(app, service, op, operation, ctx, input, conn, event, requestId);
}

/**
 * authorize + execute in one snapshot: the decision and the handler see the same state,
 * and a write request's savepoint covers both (a denial leaves nothing behind).
 */
function runInStore(
  app: App, service: ServiceName, op: Operation, operation: string, ctx: RequestContext, input: unknown, conn: Connection, event: DecisionEvent,
  requestId: string,
): WireResponse | Promise<WireResponse> {
  const run = () => {
    authorizeRequest(app, ctx, toEntries(op.authorize(ctx, input)), conn, event);
    return op.run(ctx, input);
  };
  if (op.stage) return stageThenRun(app, service, op, operation, ctx, input, conn, event, requestId);
  let output: unknown;
  if (op.writes) {
    const after: Array<() => void> = [];
    ctx.afterCommit = (fn) => after.push(fn);
    output = app.store.write(run);
    if (after.length > 0) afterCommit(app, after, () => {});
  } else output = app.store.read(run);
  noteOutput(event, output);
  return encode(service, op, operation, output, requestId);
}

/**
 * An operation that stages a blob (Operation.stage): decided in a snapshot, which starts
 * the blob's writing; the event loop serves others while it is written; run then names
 * it in the commit group. As for a streaming body, a failure removes the blob.
 */
async function stageThenRun(
  app: App, service: ServiceName, op: Operation, operation: string, ctx: RequestContext, input: unknown, conn: Connection, event: DecisionEvent,
  requestId: string,
): Promise<WireResponse> {
  const staging = app.store.read(() => {
    authorizeRequest(app, ctx, toEntries(op.authorize(ctx, input)), conn, event);
    return op.stage!(ctx, input);
  });
  const staged = staging && (await staging);
  const blob = staged?.blob;
  const after: Array<() => void> = [];
  ctx.afterCommit = (fn) => after.push(fn);
  let output: unknown;
  try {
    output = app.store.write(() => op.run(ctx, input, staged));
  } catch (err) {
    if (blob) app.store.blobs.settle(blob.id, false);
    throw err;
  }
  afterCommit(app, after, (kept) => blob && app.store.blobs.settle(blob.id, kept));
  return encode(service, op, operation, output, requestId);
}

/**
 * A streaming operation: decided in a snapshot before its body is read; the body then
 * streams through its payload checks to a staged blob; the metadata commits in the
 * commit group. Whatever fails on the way removes the blob and leaves the store as it was.
 */
async function streamIn(
  app: App, op: StreamingOperation, operation: string, head: AuthenticatedHead, conn: Connection, source: Buffer | RequestBody,
  event: DecisionEvent, requestId: string, now: number,
): Promise<WireResponse> {
  const { principal, region } = head;
  const { input } = decodeRequest('s3', { ...head.request, body: EMPTY }, { skipPayload: true });
  noteInput(event, input);
  const ctx = contextFor(app, principal, region, requestId, now, conn, head.request, head.signature, event);
  // decide in a snapshot: a denial is answered before `100 Continue`, so the body never travels
  const plan = app.store.read(() => {
    authorizeRequest(app, ctx, toEntries(op.authorize(ctx, input)), conn, event);
    return op.stage(ctx, input);
  });
  const staged = await stageBody(app, head.payload, plan, source);
  const after: Array<() => void> = [];
  ctx.afterCommit = (fn) => after.push(fn);
  let output: unknown;
  try {
    output = app.store.write(() => op.commit(ctx, input, staged));
  } catch (err) {
    if (staged.blob) app.store.blobs.settle(staged.blob, false);
    throw err;
  }
  noteOutput(event, output);
  const blob = staged.blob;
  afterCommit(app, after, (kept) => blob && app.store.blobs.settle(blob, kept));
  return encode('s3', op, operation, output, requestId);
}

/**
 * The body, checked against the signature as it goes, its MD5 and the plan's checksums
 * computed: to a blob, or — no longer than the plan's `inline` — in memory.
 */
async function stageBody(app: App, spec: PayloadSpec, plan: StagePlan, source: Buffer | RequestBody): Promise<StagedBody> {
  let trailers: Record<string, string> = {};
  let written;
  try {
    const declared = spec.kind === 'chunked' ? spec.chunked.decodedLength : source.length;
    if (declared !== undefined && declared <= (plan.inline ?? 0)) {
      // Small: read whole (its framing adds a little to the payload: bounded all the same).
      const bytes = Buffer.isBuffer(source) ? source : await source.read(declared + INLINE_FRAMING);
      const decoded = decodePayload(bytes, spec);
      return inMemory(decoded.payload, plan, decoded.trailers ?? {});
    }
    if (Buffer.isBuffer(source)) {
      const decoded = decodePayload(source, spec);
      trailers = decoded.trailers ?? {};
      if (decoded.payload.length === 0) return inMemory(decoded.payload, plan, trailers);
      written = await app.store.blobs.write(decoded.payload, blobHashes(plan));
    } else {
      // An unsigned payload has nothing to verify on the way: no stage between socket and file.
      const verifier = spec.kind === 'unsigned' ? undefined : payloadStream(spec);
      written = await app.store.blobs.write(source.stream(), blobHashes(plan), verifier);
      trailers = verifier?.trailers ?? {};
    }
  } catch (err) {
    // The client went away mid-body: nothing is written, and nobody is left to answer.
    if (err instanceof BodyAborted) throw s3Errors.incompleteBody();
    if (err instanceof BodyTooLarge) throw s3Errors.incompleteBody();
    throw err;
  }
  const { md5, ...checksums } = written.digests;
  if (written.size === 0) {
    app.store.blobs.settle(written.id, false);
    return { blob: undefined, bytes: EMPTY, size: 0, md5, checksums, trailers };
  }
  return { blob: written.id, size: written.size, md5, checksums: checksums as StagedBody['checksums'], trailers };
}

/** aws-chunked framing around a small payload: a few chunk headers and a trailer. */
const INLINE_FRAMING = 4096;

/** A body headed for a blob: its MD5 is computed on the hashing thread, beside the event loop. */
function blobHashes(plan: StagePlan): Record<string, Digest> {
  const hashes: Record<string, Digest> = { md5: new ThreadedHash('md5') };
  for (const algorithm of plan.checksums ?? []) hashes[algorithm] = createChecksum(algorithm);
  return hashes;
}

/** A small body, hashed here: a trip to the hashing thread would cost more than its hashing. */
function inMemory(payload: Buffer, plan: StagePlan, trailers: Record<string, string>): StagedBody {
  const checksums: Partial<Record<ChecksumAlgorithm, Buffer>> = {};
  for (const algorithm of plan.checksums ?? []) checksums[algorithm] = checksumOf(algorithm, payload);
  return { blob: undefined, bytes: payload, size: payload.length, md5: createHash('md5').update(payload).digest(), checksums, trailers };
}

/** Runs fns once the commit group holding this request's writes has committed; `settled` says whether it did. */
function afterCommit(app: App, fns: Array<() => void>, settled: (kept: boolean) => void): void {
  const run = () => {
    settled(true);
    for (const fn of fns) {
      try {
        fn();
      } catch (err) {
        asAwsError(err);
      }
    }
  };
  const group = app.store.committed();
  if (group) group.then(run, () => settled(false));
  else run();
}

/** What an operation may know of its request. */
function contextFor(
  app: App, principal: Principal, region: string, requestId: string, now: number, conn: Connection, request: WireRequest, signature: RequestContext['signature'],
  event: DecisionEvent,
): RequestContext {
  const ctx: RequestContext = {
    accountId: principal.accountId, region, requestId, now, principal, store: app.store, sourceIp: conn.sourceIp, authMode: app.config.auth,
    headers: request.headers, signature, secure: conn.secure,
  };
  ctx.permits = (entry) => permits(app, ctx, entry, conn, event);
  return ctx;
}

function operationFor(app: App, service: ServiceName, principal: Principal, operation: string): AnyOperation {
  // Temporary credentials some operations refuse whatever the policies say.
  const refusal = sessionCallRefusal(principal, service, operation);
  if (refusal) throw refusal;
  const op = app.services[service]?.operations[operation];
  if (!op) throw new AwsError('NotImplemented', `iamlocal does not implement ${service}:${operation} yet.`, 501);
  return op;
}

function encode(service: ServiceName, op: AnyOperation, operation: string, output: unknown, requestId: string): WireResponse {
  const response = encodeResponse(service, operation, output, requestId);
  if (op.status) response.status = op.status(output);
  return response;
}

/**
 * The answer to a request, and its record: the event is logged once, and the response
 * goes out once what it shows is durable (whenDurable).
 */
function conclude(
  app: App, service: ServiceName, event: DecisionEvent, requestId: string, produce: () => WireResponse | Promise<WireResponse>,
  decorate: (r: WireResponse) => WireResponse = (r) => r,
): WireResponse | Promise<WireResponse> {
  let out: WireResponse | Promise<WireResponse>;
  try {
    out = produce();
  } catch (err) {
    return failed(app, service, event, requestId, err, decorate);
  }
  if (out instanceof Promise) {
    return out.then(
      (res) => succeeded(app, service, event, requestId, res, decorate),
      (err: unknown) => failed(app, service, event, requestId, err, decorate),
    );
  }
  return succeeded(app, service, event, requestId, out, decorate);
}

/** `decorate`: what the service adds to every answer (S3's CORS headers). */
function succeeded(
  app: App, service: ServiceName, event: DecisionEvent, requestId: string, response: WireResponse, decorate: (r: WireResponse) => WireResponse,
): WireResponse | Promise<WireResponse> {
  event.status = response.status;
  app.log(event);
  recordCall(app, event);
  return whenDurable(app, decorate(response), (err) => decorate(encodeError(service, asAwsError(err), requestId)));
}

function failed(
  app: App, service: ServiceName, event: DecisionEvent, requestId: string, err: unknown, decorate: (r: WireResponse) => WireResponse,
): WireResponse | Promise<WireResponse> {
  const error = asAwsError(err);
  event.status = error.status;
  event.errorCode = error.code;
  if (event.decision === 'notChecked') event.decision = 'error';
  if (!event.reason) event.reason = `${error.code}: ${error.message}`;
  app.log(event);
  recordCall(app, event, error);
  return whenDurable(app, decorate(encodeError(service, error, requestId)), (e) => decorate(encodeError(service, asAwsError(e), requestId)));
}

function newEvent(now: number, requestId: string, service: string): DecisionEvent {
  return { time: now, requestId, principal: '-', service, operation: '-', decision: 'notChecked', status: 200 };
}

/**
 * A body not all here yet, read whole (at most `limit` bytes), then the request goes on
 * as if it had come in one piece. A longer body is refused unread.
 */
function readWhole(app: App, req: WireRequest, conn: Connection, body: RequestBody, service: ServiceName | undefined, limit: number): Promise<WireResponse> {
  return body.read(limit).then(
    (bytes) => handleRequest(app, { ...req, body: bytes }, conn),
    (err: unknown) => {
      const requestId = randomUUID();
      const error = err instanceof BodyTooLarge
        ? new AwsError('RequestEntityTooLarge', `Request body must be at most ${limit} bytes.`, 413)
        : new AwsError('IncompleteBody', 'The request body ended before its declared length.', 400);
      app.log({ ...newEvent(serverNow(app), requestId, service ?? '-'), decision: 'error', status: error.status, errorCode: error.code, reason: error.message });
      if (service) return encodeError(service, error, requestId);
      return { status: error.status, headers: { 'content-type': 'text/plain' }, body: error.message };
    },
  );
}

/** An unsigned form POST: only its body says which service it is for. */
function bodyNamesService(req: WireRequest): boolean {
  if (req.method.toUpperCase() !== 'POST' || req.headers.authorization || req.headers['x-amz-target']) return false;
  if (req.rawQuery.includes('X-Amz-Credential=')) return false;
  const type = req.headers['content-type'];
  return type === undefined || type.toLowerCase().startsWith('application/x-www-form-urlencoded');
}

const EMPTY = Buffer.alloc(0);

/**
 * Global services: "IAM calls are always made to the us-east-1 Region" (IAM User Guide,
 * aws:RequestedRegion), whatever region the client signed with — the signature is still
 * verified against its own scope.
 */
const GLOBAL_SERVICE_REGION: Partial<Record<ServiceName, string>> = { iam: 'us-east-1', organizations: 'us-east-1' };

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
  noteEntries(event, entries);
  if (app.config.auth === 'off') {
    event.action = entries[0].action;
    event.resource = entries[0].resource;
    return;
  }
  const { principal } = ctx;
  const keys = globalConditionKeys(principal, { now: ctx.now, region: ctx.region, sourceIp: conn.sourceIp, secureTransport: conn.secure });
  const verdicts = authorize(principal, entries, keys, policySetFor(app.store, principal), app.store);
  const denied = verdicts.find((v) => v.decision.decision !== 'allowed');
  const shown = denied ?? verdicts[0];
  event.action = shown.entry.action;
  event.resource = shown.entry.resource;
  event.decision = shown.decision.decision;
  // A denial is always explained (the console shows it); an allow only when someone reads the log.
  if (app.config.logFormat !== 'none' || denied) event.reason = shown.why;
  if (denied) {
    if (conn.console) conn.console.why = denied.why;
    if (app.config.auth === 'enforce') throw (app.services[event.service as ServiceName]?.accessDenied ?? accessDenied)(principal, denied, app.store);
    event.audited = true;
  }
}

/**
 * A decision an operation needs per item of its request (S3 DeleteObjects decides each
 * key) or to choose its answer (S3 tells NoSuchKey from AccessDenied by s3:ListBucket):
 * the engine decides as for the request itself, and a denial comes back as the service's
 * AccessDenied instead of being thrown. In audit and off modes everything is permitted.
 * The request's decision event records it (a request that decides only per item, as
 * DeleteObjects does, is then logged with a decision like any other).
 */
function permits(app: App, ctx: RequestContext, entry: AuthzEntry, conn: Connection, event: DecisionEvent): AwsError | undefined {
  if (app.config.auth === 'off') return undefined;
  const { principal } = ctx;
  const keys = globalConditionKeys(principal, { now: ctx.now, region: ctx.region, sourceIp: conn.sourceIp, secureTransport: conn.secure });
  const [verdict] = authorize(principal, [entry], keys, policySetFor(app.store, principal), app.store);
  const allowed = verdict.decision.decision === 'allowed';
  // The request's record shows a decision: the first one made, or a denial over an allowance.
  if (event.decision === 'notChecked' || (event.decision === 'allowed' && !allowed)) {
    event.action = entry.action;
    event.resource = entry.resource;
    event.decision = verdict.decision.decision;
    if (app.config.logFormat !== 'none') event.reason = verdict.why;
    if (!allowed && app.config.auth === 'audit') event.audited = true;
  }
  if (allowed || app.config.auth === 'audit') return undefined;
  const service = app.services[detectedService(entry)];
  return (service?.accessDenied ?? accessDenied)(principal, verdict, app.store);
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
  // A stored document the engine now refuses (say, written before a stricter rule) is still IAM's refusal.
  if (err instanceof PolicyError) return policyAwsError(err);
  process.stderr.write(`iamlocal: internal error: ${err instanceof Error ? err.stack : String(err)}\n`);
  return new AwsError('InternalFailure', 'The request processing has failed because of an unknown error, exception or failure.', 500);
}

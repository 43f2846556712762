import { operationNames, type ServiceName } from '../protocol/index.js';
import type { ChecksumAlgorithm } from '../auth/sigv4/checksums.js';
import type { AuthzEntry, RequestContext } from './types.js';
import type { AwsError, WireRequest, WireResponse } from '../protocol/errors.js';
import type { Principal } from '../identity/principal.js';
import type { Store } from '../store/store.js';
import type { WrittenBlob } from '../store/blobs.js';
import type { Verdict } from '../server/authorize.js';

/**
 * One AWS operation, defined in one place: what it asks the policy engine, what it does,
 * and whether it writes. The pipeline (src/server/pipeline.ts) authenticates, decodes,
 * calls authorize, then run, and encodes the output; an operation never checks
 * permissions itself.
 *
 *   export const TagRole = operation({
 *     writes: true,
 *     authorize: (ctx, input) => ({ action: 'iam:TagRole', resource: … }),
 *     run: (ctx, input) => { …; return {}; },
 *   });
 *
 * `writes` decides how the request runs: a write in a savepoint of the turn's commit
 * group, a read in one snapshot where any write statement throws (Store.read).
 */
export interface Operation<I = any, O = any, S extends Staged = any> {
  readonly writes: boolean;
  /**
   * The IAM action(s) and resource(s) the request needs, with the request's condition
   * keys; null when the operation needs no permission (GetCallerIdentity). It runs in
   * the same snapshot or transaction as run, before it.
   */
  readonly authorize: (ctx: RequestContext, input: I) => AuthzEntry | AuthzEntry[] | null;
  readonly run: (ctx: RequestContext, input: I, staged?: S) => O;
  /**
   * Bytes a write must put on disk before its rows can name them (S3 composing an object
   * from multipart parts): run after authorize, in its snapshot, it starts the blob's
   * writing (src/store/blobs.ts, async I/O: other requests are served meanwhile) or
   * returns undefined; run then receives the blob (and what stage saw of the snapshot), in
   * a savepoint of the commit group. Others may have written in between: run checks again
   * what it relies on. The pipeline keeps the blob once run commits, and removes it if
   * run throws.
   */
  readonly stage?: (ctx: RequestContext, input: I) => Promise<S> | undefined;
  /**
   * I/O the request must wait for before its snapshot opens (AssumeRoleWithWebIdentity
   * fetching a localhost issuer's keys): the input authorize and run then receive, or
   * undefined when there is nothing to wait for. It may read the store, never write it.
   */
  readonly prepare?: (ctx: RequestContext, input: I) => Promise<I> | undefined;
  /** The HTTP status of a success when the model cannot say it (S3's 206 for a range). */
  readonly status?: (output: O) => number;
}

/**
 * An operation whose request body is data to keep, of any size (S3 PutObject, UploadPart):
 * it is decided before its body is read, and its body goes to disk, never to memory.
 *
 *   export const PutObject = streamingOperation({
 *     authorize: (ctx, input) => ({ action: 's3:PutObject', resource: … }),
 *     stage: (ctx, input) => ({ checksums: ['CRC32'] }),      // refuse early, say what to hash
 *     commit: (ctx, input, body) => { …row naming body.blob…; return { ETag: … }; },
 *   });
 *
 * The pipeline runs authorize then stage in one snapshot (a denied upload is refused
 * before `100 Continue`, so its body never travels), streams the body through the
 * payload's signature checks to a staged blob (src/store/blobs.ts: temporary file,
 * fsync, rename), then runs commit in a savepoint of the commit group and answers once
 * it is durable. A failure anywhere removes the staged blob; the previous state stands.
 */
export interface StreamingOperation<I = any, O = any> {
  readonly writes: true;
  readonly streaming: true;
  readonly authorize: (ctx: RequestContext, input: I) => AuthzEntry | AuthzEntry[] | null;
  /** After authorize, in its snapshot, before the body is read: refuses what it can, says what to compute. */
  readonly stage: (ctx: RequestContext, input: I) => StagePlan;
  /** Once the body is on disk: writes what names it, in a savepoint of the commit group. */
  readonly commit: (ctx: RequestContext, input: I, body: StagedBody) => O;
  readonly status?: (output: O) => number;
}

/** What the staging of a body computes besides its MD5. */
export interface StagePlan {
  /** S3 checksums to compute over the payload (those the request sends to be checked). */
  checksums?: ChecksumAlgorithm[];
  /**
   * A payload of at most this many bytes is handed over in memory (StagedBody.bytes), not
   * as a blob: the operation keeps it in its row, where the commit makes it durable with
   * no file and no fsync of its own. Default 0: always a blob.
   */
  inline?: number;
}

/** A request body, checked against its signature: on disk (blob) or, small, in memory (bytes). */
export interface StagedBody {
  /** The blob holding the payload (src/store/blobs.ts); undefined for an empty or inline body. */
  blob: string | undefined;
  /** The payload itself, when the plan asked for small ones inline and this one is. */
  bytes?: Buffer;
  size: number;
  md5: Buffer;
  /** The checksums the plan asked for, over the payload. */
  checksums: Partial<Record<ChecksumAlgorithm, Buffer>>;
  /** aws-chunked uploads: the trailing headers, verified (x-amz-checksum-crc32…). */
  trailers: Record<string, string>;
}

/** What an operation's stage hands to its run: the blob written, and whatever else it saw. */
export interface Staged {
  blob: WrittenBlob;
}

const OPERATION = Symbol('iamlocal.operation');

export function operation<I = any, O = any, S extends Staged = any>(definition: Operation<I, O, S>): Operation<I, O, S> {
  return Object.freeze({ ...definition, [OPERATION]: true });
}

export function streamingOperation<I = any, O = any>(
  definition: Omit<StreamingOperation<I, O>, 'writes' | 'streaming'>,
): StreamingOperation<I, O> {
  return Object.freeze({ ...definition, writes: true as const, streaming: true as const, [OPERATION]: true });
}

/** Does the operation take its body as a stream (see streamingOperation)? */
export function isStreaming(op: AnyOperation): op is StreamingOperation {
  return 'streaming' in op && op.streaming === true;
}

export type AnyOperation = Operation | StreamingOperation;

function isOperation(value: unknown): value is AnyOperation {
  return typeof value === 'object' && value !== null && OPERATION in value;
}

/** A service: its operations by model name, and what it adds to the one path. */
export interface ServiceDefinition extends ServiceHooks {
  /** Service model name: 'iam', 'sts', 's3', 'dynamodb', 'ec2'. */
  readonly name: ServiceName;
  readonly operations: Readonly<Record<string, AnyOperation>>;
}

/**
 * What a service may add to the pipeline (src/server/pipeline.ts), each optional:
 * S3 answers CORS preflights (OPTIONS is never signed and has no operation in the
 * model), adds CORS headers to its answers, and words AccessDenied its own way.
 */
export interface ServiceHooks {
  /** A request answered before authentication, or undefined to go on as usual. */
  readonly preflight?: (store: Store, req: WireRequest, requestId: string) => WireResponse | undefined;
  /** Called on every answer (success or error) before it is sent. */
  readonly decorate?: (store: Store, req: WireRequest, response: WireResponse) => void;
  /**
   * The service's AccessDenied for a denied verdict (default: IAM's wording). The store
   * is there to read from (EC2 seals its encoded authorization message with the account's key).
   */
  readonly accessDenied?: (principal: Principal, verdict: Verdict, store: Store) => AwsError;
  /**
   * Work the server does by its own clock (S3's lifecycle rules): run in a write of its
   * own every minute and whenever the test clock moves (src/server/housekeeping.ts).
   */
  readonly housekeeping?: (ctx: RequestContext) => void;
}

/**
 * Collects a service's operations from its modules: every exported operation(), under
 * its export name. A name exported twice stops the server at start-up rather than
 * silently shadowing another. A name the service model does not have is refused when
 * the operations are first looked at (the service's first request): checking at start
 * would load every model at start, megabytes for a service that may never be called.
 */
export function defineService(name: ServiceName, modules: ReadonlyArray<Record<string, unknown>>, hooks: ServiceHooks = {}): ServiceDefinition {
  const operations: Record<string, AnyOperation> = {};
  for (const module of modules) {
    for (const [exported, value] of Object.entries(module)) {
      if (!isOperation(value)) continue;
      if (operations[exported]) throw new Error(`${name}: operation ${exported} is defined twice`);
      operations[exported] = value;
    }
  }
  Object.freeze(operations);
  let checked = false;
  const definition = { ...hooks, name } as ServiceDefinition;
  Object.defineProperty(definition, 'operations', {
    enumerable: true,
    get: () => {
      if (!checked) {
        const known = new Set(operationNames(name));
        for (const exported of Object.keys(operations)) {
          if (!known.has(exported)) throw new Error(`${name}: ${exported} is not an operation of the ${name} model`);
        }
        checked = true;
      }
      return operations;
    },
  });
  return Object.freeze(definition);
}

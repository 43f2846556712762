import { operationNames, type ServiceName } from '../protocol/index.js';
import type { AuthzEntry, RequestContext } from './types.js';

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
export interface Operation<I = any, O = any> {
  readonly writes: boolean;
  /**
   * The IAM action(s) and resource(s) the request needs, with the request's condition
   * keys; null when the operation needs no permission (GetCallerIdentity). It runs in
   * the same snapshot or transaction as run, before it.
   */
  readonly authorize: (ctx: RequestContext, input: I) => AuthzEntry | AuthzEntry[] | null;
  readonly run: (ctx: RequestContext, input: I) => O;
  /**
   * I/O the request must wait for before its snapshot opens (AssumeRoleWithWebIdentity
   * fetching a localhost issuer's keys): the input authorize and run then receive, or
   * undefined when there is nothing to wait for. It may read the store, never write it.
   */
  readonly prepare?: (ctx: RequestContext, input: I) => Promise<I> | undefined;
}

const OPERATION = Symbol('iamlocal.operation');

export function operation<I = any, O = any>(definition: Operation<I, O>): Operation<I, O> {
  return Object.freeze({ ...definition, [OPERATION]: true });
}

function isOperation(value: unknown): value is Operation {
  return typeof value === 'object' && value !== null && OPERATION in value;
}

/** A service: its operations by model name. */
export interface ServiceDefinition {
  /** Service model name: 'iam', 'sts', 's3', 'dynamodb', 'ec2'. */
  readonly name: ServiceName;
  readonly operations: Readonly<Record<string, Operation>>;
}

/**
 * Collects a service's operations from its modules: every exported operation(), under
 * its export name. A name exported twice, or one the service model does not have, stops
 * the server at start-up rather than silently shadowing another.
 */
export function defineService(name: ServiceName, modules: ReadonlyArray<Record<string, unknown>>): ServiceDefinition {
  const known = new Set(operationNames(name));
  const operations: Record<string, Operation> = {};
  for (const module of modules) {
    for (const [exported, value] of Object.entries(module)) {
      if (!isOperation(value)) continue;
      if (!known.has(exported)) throw new Error(`${name}: ${exported} is not an operation of the ${name} model`);
      if (operations[exported]) throw new Error(`${name}: operation ${exported} is defined twice`);
      operations[exported] = value;
    }
  }
  return Object.freeze({ name, operations: Object.freeze(operations) });
}

import { operation, type Operation } from './operation.js';
import type { AuthzRule, Handler } from './types.js';

const READ_NAME = /^(Get|List|Describe|Simulate|Head)[A-Z]/;

/** Transition only: operations from a handler record and a rule record (removed once every folder defines its own). */
export function legacyOperations(handlers: Record<string, Handler>, authz: Record<string, AuthzRule>, writingReads: ReadonlySet<string> = new Set()): Record<string, Operation> {
  const out: Record<string, Operation> = {};
  for (const [name, run] of Object.entries(handlers)) {
    const authorize = authz[name];
    if (!authorize) throw new Error(`no authorization rule for ${name}`);
    out[name] = operation({ writes: !READ_NAME.test(name) || writingReads.has(name), authorize, run });
  }
  for (const name of Object.keys(authz)) if (!handlers[name]) throw new Error(`no handler for ${name}`);
  return out;
}

import type { AuthzEntry } from '../../types.js';

/** Condition keys a request brings, by key name. */
export type ConditionKeys = Record<string, string | string[]>;

/** An authorization entry; it carries a context only when there are condition keys. */
export function authzEntry(action: string, resource: string, context: ConditionKeys = {}): AuthzEntry {
  return Object.keys(context).length > 0 ? { action, resource, context } : { action, resource };
}

import type { RequestContext } from './types.js';

/**
 * A row an authorization rule looked up, kept for the handler of the same request
 * (RequestContext.looked). Only for the handler's first read, before it writes anything.
 */
export function remember<T>(ctx: RequestContext, key: string, row: T): T {
  (ctx.looked ??= new Map()).set(key, row);
  return row;
}

export function recall<T>(ctx: RequestContext, key: string): T | undefined {
  return ctx.looked?.get(key) as T | undefined;
}

import type { RequestContext } from '../../types.js';

/**
 * A blob no row names any more: removed once the write that stopped naming it has
 * committed (never if it is undone, so the old version stays whole).
 */
export function forgetBlob(ctx: RequestContext, blobId: string): void {
  ctx.afterCommit?.(() => ctx.store.blobs.remove(blobId));
}

/**
 * Runs `use` with a blob just made (a link or a composition) that the request's rows will
 * name: it is kept once the write commits, and removed at once if `use` throws.
 */
export function withNewBlob<T>(ctx: RequestContext, id: string, use: (id: string) => T): T {
  let result: T;
  try {
    result = use(id);
  } catch (err) {
    ctx.store.blobs.settle(id, false);
    throw err;
  }
  if (ctx.afterCommit) ctx.afterCommit(() => ctx.store.blobs.settle(id, true));
  else ctx.store.blobs.settle(id, true);
  return result;
}

import type { RequestContext } from '../../types.js';

/**
 * A blob no row names any more: removed once the write that stopped naming it has
 * committed (never if it is undone, so the old version stays whole).
 */
export function forgetBlob(ctx: RequestContext, blobId: string): void {
  ctx.afterCommit?.(() => ctx.store.blobs.remove(blobId));
}

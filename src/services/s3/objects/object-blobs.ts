import type { RequestContext } from '../../types.js';

/**
 * A blob no row names any more, once the write that stopped naming it has committed.
 * (Wired to the blob store when the object path lands.)
 */
export function forgetBlob(ctx: RequestContext, blobId: string): void {
  void ctx;
  void blobId;
}

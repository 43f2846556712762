import type { Handler } from '../types.js';

/** Who am I: answered from the authenticated principal; needs no permission. */
export const getCallerIdentity: Handler = (ctx) => {
  const p = ctx.principal;
  return { UserId: p.userId, Account: p.accountId, Arn: p.arn };
};

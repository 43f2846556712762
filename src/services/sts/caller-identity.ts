import { operation } from '../operation.js';

/** Who am I: answered from the authenticated principal. */
export const GetCallerIdentity = operation({
  writes: false,
  // AWS answers GetCallerIdentity even when every action is denied.
  authorize: () => null,
  run: (ctx) => {
    const p = ctx.principal;
    return { UserId: p.userId, Account: p.accountId, Arn: p.arn };
  },
});

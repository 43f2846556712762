import type { Store } from '../../../store/store.js';
import { operation } from '../../operation.js';

/**
 * SetSecurityTokenServicePreferences: which session tokens the global STS endpoint
 * issues (it acts on "*"). v1Token (valid only in regions enabled by default) is AWS's
 * default; GetAccountSummary reports it as GlobalEndpointTokenVersion 1 or 2.
 */
export type TokenVersion = 'v1Token' | 'v2Token';

export function globalEndpointTokenVersion(store: Store, accountId: string): TokenVersion {
  const row = store.prepare<{ v: TokenVersion }>('SELECT global_endpoint_token_version AS v FROM sts_preferences WHERE account_id = ?').get(accountId);
  return row?.v ?? 'v1Token';
}

export const SetSecurityTokenServicePreferences = operation({
  writes: true,
  authorize: () => ({ action: 'iam:SetSecurityTokenServicePreferences', resource: '*' }),
  run: (ctx, input: { GlobalEndpointTokenVersion: TokenVersion }) => {
    ctx.store
      .prepare(
        `INSERT INTO sts_preferences (account_id, global_endpoint_token_version) VALUES (?, ?)
         ON CONFLICT (account_id) DO UPDATE SET global_endpoint_token_version = excluded.global_endpoint_token_version`,
      )
      .run(ctx.accountId, input.GlobalEndpointTokenVersion);
    return {};
  },
});

import type { Store } from '../../../store/store.js';
import type { Handler } from '../../types.js';

/**
 * SetSecurityTokenServicePreferences: which session tokens the global STS endpoint
 * issues. v1Token (valid only in regions enabled by default) is AWS's default;
 * GetAccountSummary reports it as GlobalEndpointTokenVersion 1 or 2.
 */
export type TokenVersion = 'v1Token' | 'v2Token';

export function globalEndpointTokenVersion(store: Store, accountId: string): TokenVersion {
  const row = store.prepare<{ v: TokenVersion }>('SELECT global_endpoint_token_version AS v FROM sts_preferences WHERE account_id = ?').get(accountId);
  return row?.v ?? 'v1Token';
}

const setPreferences: Handler = (ctx, input: { GlobalEndpointTokenVersion: TokenVersion }) => {
  ctx.store
    .prepare(
      `INSERT INTO sts_preferences (account_id, global_endpoint_token_version) VALUES (?, ?)
       ON CONFLICT (account_id) DO UPDATE SET global_endpoint_token_version = excluded.global_endpoint_token_version`,
    )
    .run(ctx.accountId, input.GlobalEndpointTokenVersion);
  return {};
};

export const stsPreferenceHandlers: Record<string, Handler> = {
  SetSecurityTokenServicePreferences: setPreferences,
};

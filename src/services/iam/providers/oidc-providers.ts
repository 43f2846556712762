import { AwsError } from '../../../protocol/errors.js';
import { operation } from '../../operation.js';
import type { RequestContext } from '../../types.js';
import { authzEntry } from '../shared/authz-entry.js';
import { quotaExceeded } from '../../../identity/errors.js';
import { oidcProviderRule } from './provider-resource.js';
import {
  checkThumbprints,
  MAX_CLIENT_IDS_PER_PROVIDER,
  OIDC_PROVIDER_KIND,
  oidcProviderArn,
  parseList,
  providerKeyOfUrl,
  requireOidcProvider,
} from './oidc-provider-rows.js';
import { checkNewTags, deleteAllTags, listTags, putTags, requestTagKeys, type Tag } from '../../../identity/tags.js';

/** OpenID Connect identity providers: create, get, list, delete (oidc-provider-rows.ts says how they are named). */
export const MAX_OIDC_PROVIDERS_PER_ACCOUNT = 100;

/** The ARN a Create would make; a URL the handler will refuse is checked as written. */
function newOidcArn(ctx: RequestContext, url: string): string {
  try {
    return oidcProviderArn(ctx.accountId, providerKeyOfUrl(url));
  } catch {
    return oidcProviderArn(ctx.accountId, url.replace(/^https?:\/\//i, ''));
  }
}

interface CreateInput {
  Url: string;
  ClientIDList?: string[];
  ThumbprintList?: string[];
  Tags?: Tag[];
}

export const CreateOpenIDConnectProvider = operation({
  writes: true,
  authorize: (ctx, input: CreateInput) => authzEntry('iam:CreateOpenIDConnectProvider', newOidcArn(ctx, input.Url), requestTagKeys(input.Tags)),
  run: (ctx, input: CreateInput) => {
    const { store, accountId } = ctx;
    const url = providerKeyOfUrl(input.Url);
    if (store.prepare('SELECT 1 FROM oidc_providers WHERE account_id = ? AND url = ?').get(accountId, url)) {
      throw new AwsError('EntityAlreadyExists', `Provider with url ${input.Url} already exists.`, 409);
    }
    const clientIds = [...new Set(input.ClientIDList ?? [])];
    if (clientIds.length > MAX_CLIENT_IDS_PER_PROVIDER) throw quotaExceeded('ClientIdsPerOpenIdConnectProvider', MAX_CLIENT_IDS_PER_PROVIDER);
    const thumbprints = checkThumbprints(input.ThumbprintList ?? []);
    if (input.Tags) checkNewTags(input.Tags);
    const count = store.prepare<{ n: number }>('SELECT count(*) AS n FROM oidc_providers WHERE account_id = ?').get(accountId)!.n;
    if (count >= MAX_OIDC_PROVIDERS_PER_ACCOUNT) throw quotaExceeded('OpenIdConnectProvidersPerAccount', MAX_OIDC_PROVIDERS_PER_ACCOUNT);
    store
      .prepare('INSERT INTO oidc_providers (account_id, url, client_ids, thumbprints, created_at) VALUES (?, ?, ?, ?, ?)')
      .run(accountId, url, JSON.stringify(clientIds), JSON.stringify(thumbprints), ctx.now);
    if (input.Tags?.length) putTags(store, accountId, OIDC_PROVIDER_KIND, url, input.Tags);
    const tags = listTags(store, accountId, OIDC_PROVIDER_KIND, url);
    return { OpenIDConnectProviderArn: oidcProviderArn(accountId, url), ...(tags.length > 0 ? { Tags: tags } : {}) };
  },
});

export const GetOpenIDConnectProvider = operation({
  writes: false,
  authorize: oidcProviderRule('iam:GetOpenIDConnectProvider'),
  run: (ctx, input: { OpenIDConnectProviderArn: string }) => {
    const row = requireOidcProvider(ctx.store, ctx.accountId, input.OpenIDConnectProviderArn);
    const tags = listTags(ctx.store, ctx.accountId, OIDC_PROVIDER_KIND, row.url);
    return {
      Url: row.url,
      ClientIDList: parseList(row.client_ids),
      ThumbprintList: parseList(row.thumbprints),
      CreateDate: new Date(row.created_at),
      ...(tags.length > 0 ? { Tags: tags } : {}),
    };
  },
});

export const ListOpenIDConnectProviders = operation({
  writes: false,
  authorize: () => ({ action: 'iam:ListOpenIDConnectProviders', resource: '*' }),
  run: (ctx) => {
    const rows = ctx.store.prepare<{ url: string }>('SELECT url FROM oidc_providers WHERE account_id = ? ORDER BY url').all(ctx.accountId);
    return { OpenIDConnectProviderList: rows.map((r) => ({ Arn: oidcProviderArn(ctx.accountId, r.url) })) };
  },
});

export const DeleteOpenIDConnectProvider = operation({
  writes: true,
  authorize: oidcProviderRule('iam:DeleteOpenIDConnectProvider'),
  run: (ctx, input: { OpenIDConnectProviderArn: string }) => {
    // IAM answers a delete of a provider that is not there with NoSuchEntity.
    const row = requireOidcProvider(ctx.store, ctx.accountId, input.OpenIDConnectProviderArn);
    deleteAllTags(ctx.store, ctx.accountId, OIDC_PROVIDER_KIND, row.url);
    ctx.store.prepare('DELETE FROM oidc_providers WHERE account_id = ? AND url = ?').run(ctx.accountId, row.url);
    return {};
  },
});

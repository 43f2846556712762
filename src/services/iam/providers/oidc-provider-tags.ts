import { operation } from '../../operation.js';
import { paginate, type PageRequest } from '../shared/paginate.js';
import { oidcProviderRule, onOidcProvider } from './provider-resource.js';
import { OIDC_PROVIDER_KIND, requireOidcProvider } from './oidc-provider-rows.js';
import { listTags, putTags, removeTags, requestTagKeys, type Tag } from '../../../identity/tags.js';

export const TagOpenIDConnectProvider = operation({
  writes: true,
  authorize: (ctx, input: { OpenIDConnectProviderArn: string; Tags: Tag[] }) =>
    onOidcProvider(ctx, 'iam:TagOpenIDConnectProvider', input.OpenIDConnectProviderArn, requestTagKeys(input.Tags)),
  run: (ctx, input: { OpenIDConnectProviderArn: string; Tags: Tag[] }) => {
    const row = requireOidcProvider(ctx.store, ctx.accountId, input.OpenIDConnectProviderArn);
    putTags(ctx.store, ctx.accountId, OIDC_PROVIDER_KIND, row.url, input.Tags);
    return {};
  },
});

export const UntagOpenIDConnectProvider = operation({
  writes: true,
  authorize: (ctx, input: { OpenIDConnectProviderArn: string; TagKeys: string[] }) =>
    onOidcProvider(ctx, 'iam:UntagOpenIDConnectProvider', input.OpenIDConnectProviderArn, { 'aws:TagKeys': input.TagKeys }),
  run: (ctx, input: { OpenIDConnectProviderArn: string; TagKeys: string[] }) => {
    const row = requireOidcProvider(ctx.store, ctx.accountId, input.OpenIDConnectProviderArn);
    removeTags(ctx.store, ctx.accountId, OIDC_PROVIDER_KIND, row.url, input.TagKeys);
    return {};
  },
});

export const ListOpenIDConnectProviderTags = operation({
  writes: false,
  authorize: oidcProviderRule('iam:ListOpenIDConnectProviderTags'),
  run: (ctx, input: PageRequest & { OpenIDConnectProviderArn: string }) => {
    const row = requireOidcProvider(ctx.store, ctx.accountId, input.OpenIDConnectProviderArn);
    const { items, more } = paginate(listTags(ctx.store, ctx.accountId, OIDC_PROVIDER_KIND, row.url), input);
    return { Tags: items, ...more };
  },
});

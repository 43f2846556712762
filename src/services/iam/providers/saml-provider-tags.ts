import { operation } from '../../operation.js';
import { paginate, type PageRequest } from '../shared/paginate.js';
import { onSamlProvider, samlProviderRule } from './provider-resource.js';
import { requireSamlProvider, SAML_PROVIDER_KIND } from './saml-provider-rows.js';
import { listTags, putTags, removeTags, requestTagKeys, type Tag } from '../../../identity/tags.js';

export const TagSAMLProvider = operation({
  writes: true,
  authorize: (ctx, input: { SAMLProviderArn: string; Tags: Tag[] }) => onSamlProvider(ctx, 'iam:TagSAMLProvider', input.SAMLProviderArn, requestTagKeys(input.Tags)),
  run: (ctx, input: { SAMLProviderArn: string; Tags: Tag[] }) => {
    const row = requireSamlProvider(ctx.store, ctx.accountId, input.SAMLProviderArn);
    putTags(ctx.store, ctx.accountId, SAML_PROVIDER_KIND, row.name, input.Tags);
    return {};
  },
});

export const UntagSAMLProvider = operation({
  writes: true,
  authorize: (ctx, input: { SAMLProviderArn: string; TagKeys: string[] }) =>
    onSamlProvider(ctx, 'iam:UntagSAMLProvider', input.SAMLProviderArn, { 'aws:TagKeys': input.TagKeys }),
  run: (ctx, input: { SAMLProviderArn: string; TagKeys: string[] }) => {
    const row = requireSamlProvider(ctx.store, ctx.accountId, input.SAMLProviderArn);
    removeTags(ctx.store, ctx.accountId, SAML_PROVIDER_KIND, row.name, input.TagKeys);
    return {};
  },
});

export const ListSAMLProviderTags = operation({
  writes: false,
  authorize: samlProviderRule('iam:ListSAMLProviderTags'),
  run: (ctx, input: PageRequest & { SAMLProviderArn: string }) => {
    const row = requireSamlProvider(ctx.store, ctx.accountId, input.SAMLProviderArn);
    const { items, more } = paginate(listTags(ctx.store, ctx.accountId, SAML_PROVIDER_KIND, row.name), input);
    return { Tags: items, ...more };
  },
});

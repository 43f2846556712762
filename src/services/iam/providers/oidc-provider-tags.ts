import { tagOperations } from '../shared/tag-operations.js';
import { onOidcProvider } from './provider-resource.js';
import { OIDC_PROVIDER_KIND, requireOidcProvider } from './oidc-provider-rows.js';

export const { TagOpenIDConnectProvider, UntagOpenIDConnectProvider, ListOpenIDConnectProviderTags } = tagOperations({
  noun: 'OpenIDConnectProvider',
  nameMember: 'OpenIDConnectProviderArn',
  kind: OIDC_PROVIDER_KIND,
  tagId: (ctx, arn) => requireOidcProvider(ctx.store, ctx.accountId, arn).url,
  authorize: onOidcProvider,
});

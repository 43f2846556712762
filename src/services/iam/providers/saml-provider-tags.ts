import { tagOperations } from '../shared/tag-operations.js';
import { onSamlProvider } from './provider-resource.js';
import { requireSamlProvider, SAML_PROVIDER_KIND } from './saml-provider-rows.js';

export const { TagSAMLProvider, UntagSAMLProvider, ListSAMLProviderTags } = tagOperations({
  noun: 'SAMLProvider',
  nameMember: 'SAMLProviderArn',
  kind: SAML_PROVIDER_KIND,
  tagId: (ctx, arn) => requireSamlProvider(ctx.store, ctx.accountId, arn).name,
  authorize: onSamlProvider,
});

import type { Store } from '../../../store/store.js';
import type { AuthzEntry, AuthzRule, RequestContext } from '../../types.js';
import { authzEntry, type ConditionKeys } from '../shared/authz-entry.js';
import { findOidcProvider, OIDC_PROVIDER_KIND } from './oidc-provider-rows.js';
import { findSamlProvider, SAML_PROVIDER_KIND } from './saml-provider-rows.js';
import { tagRecord } from '../../../identity/tags.js';

/**
 * What identity-provider operations ask the policy engine. The Service Authorization
 * Reference scopes them to the oidc-provider / saml-provider resource, as the request
 * names it (List* and SetSecurityTokenServicePreferences to "*"); tagging requests carry
 * aws:RequestTag/* and aws:TagKeys, untagging aws:TagKeys. An existing provider's tags
 * are its aws:ResourceTag/* (IAM defines no iam:ResourceTag for providers).
 */

function withResourceTags(ctx: RequestContext, kind: string, id: string | undefined, extra: ConditionKeys): ConditionKeys {
  const context: ConditionKeys = {};
  if (id !== undefined) for (const [k, v] of Object.entries(tagRecord(ctx.store, ctx.accountId, kind, id))) context[`aws:ResourceTag/${k}`] = v;
  return { ...context, ...extra };
}

type ProviderEntry = (ctx: RequestContext, action: string, arn: string, extra?: ConditionKeys) => AuthzEntry;

/** The entry of a provider kind: the ARN as the request names it, the tags of the provider it names (if any). */
function providerEntry<R>(find: (store: Store, accountId: string, arn: string) => R | undefined, kind: string, idOf: (row: R) => string): ProviderEntry {
  return (ctx, action, arn, extra = {}) => {
    const row = find(ctx.store, ctx.accountId, arn);
    return authzEntry(action, arn, withResourceTags(ctx, kind, row === undefined ? undefined : idOf(row), extra));
  };
}

export const onOidcProvider = providerEntry(findOidcProvider, OIDC_PROVIDER_KIND, (row) => row.url);

export const onSamlProvider = providerEntry(findSamlProvider, SAML_PROVIDER_KIND, (row) => row.name);

export const oidcProviderRule =
  (action: string): AuthzRule =>
  (ctx, input: { OpenIDConnectProviderArn: string }) =>
    onOidcProvider(ctx, action, input.OpenIDConnectProviderArn);

export const samlProviderRule =
  (action: string): AuthzRule =>
  (ctx, input: { SAMLProviderArn: string }) =>
    onSamlProvider(ctx, action, input.SAMLProviderArn);

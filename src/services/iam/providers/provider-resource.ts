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

export function onOidcProvider(ctx: RequestContext, action: string, arn: string, extra: ConditionKeys = {}): AuthzEntry {
  const row = findOidcProvider(ctx.store, ctx.accountId, arn);
  return authzEntry(action, arn, withResourceTags(ctx, OIDC_PROVIDER_KIND, row?.url, extra));
}

export const oidcProviderRule =
  (action: string): AuthzRule =>
  (ctx, input: { OpenIDConnectProviderArn: string }) =>
    onOidcProvider(ctx, action, input.OpenIDConnectProviderArn);

export function onSamlProvider(ctx: RequestContext, action: string, arn: string, extra: ConditionKeys = {}): AuthzEntry {
  const row = findSamlProvider(ctx.store, ctx.accountId, arn);
  return authzEntry(action, arn, withResourceTags(ctx, SAML_PROVIDER_KIND, row?.name, extra));
}

export const samlProviderRule =
  (action: string): AuthzRule =>
  (ctx, input: { SAMLProviderArn: string }) =>
    onSamlProvider(ctx, action, input.SAMLProviderArn);

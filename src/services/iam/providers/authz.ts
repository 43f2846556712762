import type { AuthzEntry, AuthzRule, RequestContext } from '../../types.js';
import { findOidcProvider, OIDC_PROVIDER_KIND, oidcProviderArn, providerKeyOfUrl } from './oidc-providers.js';
import { findSamlProvider, SAML_PROVIDER_KIND, samlProviderArn } from './saml-providers.js';
import { requestTagKeys, tagRecord, type Tag } from '../../../identity/tags.js';

/**
 * What identity-provider operations ask the policy engine. The Service Authorization
 * Reference scopes them to the oidc-provider / saml-provider resource (List* and
 * SetSecurityTokenServicePreferences to "*"); tagging requests carry aws:RequestTag/*
 * and aws:TagKeys, untagging aws:TagKeys. An existing provider's tags are its
 * aws:ResourceTag/* (IAM defines no iam:ResourceTag for providers).
 */

type Context = Record<string, string | string[]>;

function entry(action: string, resource: string, context: Context): AuthzEntry {
  return Object.keys(context).length > 0 ? { action, resource, context } : { action, resource };
}

function withResourceTags(ctx: RequestContext, kind: string, id: string | undefined, extra: Context): Context {
  const context: Context = {};
  if (id !== undefined) for (const [k, v] of Object.entries(tagRecord(ctx.store, ctx.accountId, kind, id))) context[`aws:ResourceTag/${k}`] = v;
  return { ...context, ...extra };
}

const oidc =
  (action: string, extra: (input: any) => Context = () => ({})): AuthzRule =>
  (ctx, input: { OpenIDConnectProviderArn: string }) => {
    const row = findOidcProvider(ctx.store, ctx.accountId, input.OpenIDConnectProviderArn);
    return entry(action, input.OpenIDConnectProviderArn, withResourceTags(ctx, OIDC_PROVIDER_KIND, row?.url, extra(input)));
  };

const saml =
  (action: string, extra: (input: any) => Context = () => ({})): AuthzRule =>
  (ctx, input: { SAMLProviderArn: string }) => {
    const row = findSamlProvider(ctx.store, ctx.accountId, input.SAMLProviderArn);
    return entry(action, input.SAMLProviderArn, withResourceTags(ctx, SAML_PROVIDER_KIND, row?.name, extra(input)));
  };

const onAccount =
  (action: string): AuthzRule =>
  () => ({ action, resource: '*' });

/** The ARN a Create would make; a URL the handler will refuse is checked as written. */
function newOidcArn(ctx: RequestContext, url: string): string {
  try {
    return oidcProviderArn(ctx.accountId, providerKeyOfUrl(url));
  } catch {
    return oidcProviderArn(ctx.accountId, url.replace(/^https?:\/\//i, ''));
  }
}

const addedTags = (input: { Tags: Tag[] }) => requestTagKeys(input.Tags);
const removedKeys = (input: { TagKeys: string[] }): Context => ({ 'aws:TagKeys': input.TagKeys });

export const providerAuthz: Record<string, AuthzRule> = {
  CreateOpenIDConnectProvider: (ctx, input: { Url: string; Tags?: Tag[] }) =>
    entry('iam:CreateOpenIDConnectProvider', newOidcArn(ctx, input.Url), requestTagKeys(input.Tags)),
  GetOpenIDConnectProvider: oidc('iam:GetOpenIDConnectProvider'),
  ListOpenIDConnectProviders: onAccount('iam:ListOpenIDConnectProviders'),
  DeleteOpenIDConnectProvider: oidc('iam:DeleteOpenIDConnectProvider'),
  AddClientIDToOpenIDConnectProvider: oidc('iam:AddClientIDToOpenIDConnectProvider'),
  RemoveClientIDFromOpenIDConnectProvider: oidc('iam:RemoveClientIDFromOpenIDConnectProvider'),
  UpdateOpenIDConnectProviderThumbprint: oidc('iam:UpdateOpenIDConnectProviderThumbprint'),
  TagOpenIDConnectProvider: oidc('iam:TagOpenIDConnectProvider', addedTags),
  UntagOpenIDConnectProvider: oidc('iam:UntagOpenIDConnectProvider', removedKeys),
  ListOpenIDConnectProviderTags: oidc('iam:ListOpenIDConnectProviderTags'),
  CreateSAMLProvider: (ctx, input: { Name: string; Tags?: Tag[] }) =>
    entry('iam:CreateSAMLProvider', samlProviderArn(ctx.accountId, input.Name), requestTagKeys(input.Tags)),
  GetSAMLProvider: saml('iam:GetSAMLProvider'),
  ListSAMLProviders: onAccount('iam:ListSAMLProviders'),
  UpdateSAMLProvider: saml('iam:UpdateSAMLProvider'),
  DeleteSAMLProvider: saml('iam:DeleteSAMLProvider'),
  TagSAMLProvider: saml('iam:TagSAMLProvider', addedTags),
  UntagSAMLProvider: saml('iam:UntagSAMLProvider', removedKeys),
  ListSAMLProviderTags: saml('iam:ListSAMLProviderTags'),
  SetSecurityTokenServicePreferences: onAccount('iam:SetSecurityTokenServicePreferences'),
};

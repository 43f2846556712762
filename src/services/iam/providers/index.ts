import * as oidcProviders from './oidc-providers.js';
import * as oidcProviderTags from './oidc-provider-tags.js';
import * as oidcProviderUpdates from './oidc-provider-updates.js';
import * as samlProviders from './saml-providers.js';
import * as samlProviderTags from './saml-provider-tags.js';
import * as stsPreferences from './sts-preferences.js';

/** The operations on identity providers (OIDC, SAML) and the account's STS preferences. */
export const providerModules = [oidcProviders, oidcProviderUpdates, oidcProviderTags, samlProviders, samlProviderTags, stsPreferences];

import { operation } from '../../operation.js';
import { quotaExceeded } from '../../../identity/errors.js';
import { oidcProviderRule } from './provider-resource.js';
import { checkThumbprints, MAX_CLIENT_IDS_PER_PROVIDER, parseList, requireOidcProvider, saveOidcProvider } from './oidc-provider-rows.js';

/** What changes on an OIDC provider after its creation: its client ids (audiences) and its thumbprints. */

export const AddClientIDToOpenIDConnectProvider = operation({
  writes: true,
  authorize: oidcProviderRule('iam:AddClientIDToOpenIDConnectProvider'),
  run: (ctx, input: { OpenIDConnectProviderArn: string; ClientID: string }) => {
    const row = requireOidcProvider(ctx.store, ctx.accountId, input.OpenIDConnectProviderArn);
    const ids = parseList(row.client_ids);
    // Adding a client id that is already there succeeds and changes nothing.
    if (ids.includes(input.ClientID)) return {};
    if (ids.length >= MAX_CLIENT_IDS_PER_PROVIDER) throw quotaExceeded('ClientIdsPerOpenIdConnectProvider', MAX_CLIENT_IDS_PER_PROVIDER);
    saveOidcProvider(ctx.store, { ...row, client_ids: JSON.stringify([...ids, input.ClientID]) });
    return {};
  },
});

export const RemoveClientIDFromOpenIDConnectProvider = operation({
  writes: true,
  authorize: oidcProviderRule('iam:RemoveClientIDFromOpenIDConnectProvider'),
  run: (ctx, input: { OpenIDConnectProviderArn: string; ClientID: string }) => {
    const row = requireOidcProvider(ctx.store, ctx.accountId, input.OpenIDConnectProviderArn);
    // Removing one that is not there succeeds too.
    saveOidcProvider(ctx.store, { ...row, client_ids: JSON.stringify(parseList(row.client_ids).filter((c) => c !== input.ClientID)) });
    return {};
  },
});

export const UpdateOpenIDConnectProviderThumbprint = operation({
  writes: true,
  authorize: oidcProviderRule('iam:UpdateOpenIDConnectProviderThumbprint'),
  run: (ctx, input: { OpenIDConnectProviderArn: string; ThumbprintList: string[] }) => {
    const row = requireOidcProvider(ctx.store, ctx.accountId, input.OpenIDConnectProviderArn);
    saveOidcProvider(ctx.store, { ...row, thumbprints: JSON.stringify(checkThumbprints(input.ThumbprintList)) });
    return {};
  },
});

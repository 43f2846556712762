import type { Store } from '../../../store/store.js';
import type { Handler } from '../../types.js';
import { AwsError } from '../../../protocol/errors.js';
import { invalidInput, noSuchEntity, quotaExceeded } from '../../../identity/errors.js';
import { paginate, type PageRequest } from '../shared/paginate.js';
import { providerKeyOfIssuer } from '../../../identity/oidc-issuer-url.js';
import { checkNewTags, deleteAllTags, listTags, putTags, removeTags, type Tag } from '../../../identity/tags.js';

/**
 * OpenID Connect identity providers. A provider is named by its URL without the scheme
 * (host and optional path), which is also the tail of its ARN:
 * arn:aws:iam::ACCOUNT:oidc-provider/HOST/PATH. Quotas from reference_iam-quotas.md and
 * the API reference (100 client ids, 5 thumbprints per provider).
 */
export const MAX_OIDC_PROVIDERS_PER_ACCOUNT = 100;
export const MAX_CLIENT_IDS_PER_PROVIDER = 100;
export const MAX_THUMBPRINTS_PER_PROVIDER = 5;

/** The tags table's resource_kind for OIDC providers (resource_id is the url). */
export const OIDC_PROVIDER_KIND = 'oidc-provider';

export interface OidcProviderRow {
  account_id: string;
  url: string;
  client_ids: string;
  thumbprints: string;
  created_at: number;
}

export function oidcProviderArn(accountId: string, url: string): string {
  return `arn:aws:iam::${accountId}:oidc-provider/${url}`;
}

const ARN = /^arn:aws:iam::(\d{12}):oidc-provider\/(.+)$/;

/** The provider an ARN names in this account, or undefined (other account, bad ARN, none). */
export function findOidcProvider(store: Store, accountId: string, arn: string): OidcProviderRow | undefined {
  const m = ARN.exec(arn);
  if (!m || m[1] !== accountId) return undefined;
  return store.prepare<OidcProviderRow>('SELECT * FROM oidc_providers WHERE account_id = ? AND url = ?').get(accountId, m[2]);
}

function requireOidcProvider(store: Store, accountId: string, arn: string): OidcProviderRow {
  if (!ARN.test(arn)) throw invalidInput(`Invalid ARN: ${arn}`);
  const row = findOidcProvider(store, accountId, arn);
  if (!row) throw noSuchEntity(`OpenIDConnect Provider not found for arn ${arn}`);
  return row;
}

/** https://host[/path] → host[/path]; IAM accepts only https URLs with a host (iamlocal: http on loopback too). */
export function providerKeyOfUrl(url: string): string {
  const key = providerKeyOfIssuer(url);
  if (key === undefined) throw invalidInput('Invalid Open ID Connect Provider URL');
  return key;
}

function checkThumbprints(list: string[]): string[] {
  // UpdateOpenIDConnectProviderThumbprint models no LimitExceeded: too many is InvalidInput.
  if (list.length > MAX_THUMBPRINTS_PER_PROVIDER) throw invalidInput(`Thumbprint list must contain fewer than ${MAX_THUMBPRINTS_PER_PROVIDER + 1} entries.`);
  for (const t of list) {
    if (!/^[0-9a-fA-F]{40}$/.test(t)) throw invalidInput(`Thumbprint ${t} is not a 40-character hexadecimal SHA-1 fingerprint.`);
  }
  return [...new Set(list.map((t) => t.toLowerCase()))];
}

function parseList(json: string): string[] {
  return JSON.parse(json) as string[];
}

function save(store: Store, row: OidcProviderRow): void {
  store.prepare('UPDATE oidc_providers SET client_ids = ?, thumbprints = ? WHERE account_id = ? AND url = ?').run(row.client_ids, row.thumbprints, row.account_id, row.url);
}

const createOidcProvider: Handler = (ctx, input: { Url: string; ClientIDList?: string[]; ThumbprintList?: string[]; Tags?: Tag[] }) => {
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
};

const getOidcProvider: Handler = (ctx, input: { OpenIDConnectProviderArn: string }) => {
  const row = requireOidcProvider(ctx.store, ctx.accountId, input.OpenIDConnectProviderArn);
  const tags = listTags(ctx.store, ctx.accountId, OIDC_PROVIDER_KIND, row.url);
  return {
    Url: row.url,
    ClientIDList: parseList(row.client_ids),
    ThumbprintList: parseList(row.thumbprints),
    CreateDate: new Date(row.created_at),
    ...(tags.length > 0 ? { Tags: tags } : {}),
  };
};

const listOidcProviders: Handler = (ctx) => {
  const rows = ctx.store.prepare<{ url: string }>('SELECT url FROM oidc_providers WHERE account_id = ? ORDER BY url').all(ctx.accountId);
  return { OpenIDConnectProviderList: rows.map((r) => ({ Arn: oidcProviderArn(ctx.accountId, r.url) })) };
};

const deleteOidcProvider: Handler = (ctx, input: { OpenIDConnectProviderArn: string }) => {
  // IAM answers a delete of a provider that is not there with NoSuchEntity.
  const row = requireOidcProvider(ctx.store, ctx.accountId, input.OpenIDConnectProviderArn);
  deleteAllTags(ctx.store, ctx.accountId, OIDC_PROVIDER_KIND, row.url);
  ctx.store.prepare('DELETE FROM oidc_providers WHERE account_id = ? AND url = ?').run(ctx.accountId, row.url);
  return {};
};

const addClientId: Handler = (ctx, input: { OpenIDConnectProviderArn: string; ClientID: string }) => {
  const row = requireOidcProvider(ctx.store, ctx.accountId, input.OpenIDConnectProviderArn);
  const ids = parseList(row.client_ids);
  // Adding a client id that is already there succeeds and changes nothing.
  if (ids.includes(input.ClientID)) return {};
  if (ids.length >= MAX_CLIENT_IDS_PER_PROVIDER) throw quotaExceeded('ClientIdsPerOpenIdConnectProvider', MAX_CLIENT_IDS_PER_PROVIDER);
  save(ctx.store, { ...row, client_ids: JSON.stringify([...ids, input.ClientID]) });
  return {};
};

const removeClientId: Handler = (ctx, input: { OpenIDConnectProviderArn: string; ClientID: string }) => {
  const row = requireOidcProvider(ctx.store, ctx.accountId, input.OpenIDConnectProviderArn);
  // Removing one that is not there succeeds too.
  save(ctx.store, { ...row, client_ids: JSON.stringify(parseList(row.client_ids).filter((c) => c !== input.ClientID)) });
  return {};
};

const updateThumbprint: Handler = (ctx, input: { OpenIDConnectProviderArn: string; ThumbprintList: string[] }) => {
  const row = requireOidcProvider(ctx.store, ctx.accountId, input.OpenIDConnectProviderArn);
  save(ctx.store, { ...row, thumbprints: JSON.stringify(checkThumbprints(input.ThumbprintList)) });
  return {};
};

const tagOidcProvider: Handler = (ctx, input: { OpenIDConnectProviderArn: string; Tags: Tag[] }) => {
  const row = requireOidcProvider(ctx.store, ctx.accountId, input.OpenIDConnectProviderArn);
  putTags(ctx.store, ctx.accountId, OIDC_PROVIDER_KIND, row.url, input.Tags);
  return {};
};

const untagOidcProvider: Handler = (ctx, input: { OpenIDConnectProviderArn: string; TagKeys: string[] }) => {
  const row = requireOidcProvider(ctx.store, ctx.accountId, input.OpenIDConnectProviderArn);
  removeTags(ctx.store, ctx.accountId, OIDC_PROVIDER_KIND, row.url, input.TagKeys);
  return {};
};

const listOidcProviderTags: Handler = (ctx, input: PageRequest & { OpenIDConnectProviderArn: string }) => {
  const row = requireOidcProvider(ctx.store, ctx.accountId, input.OpenIDConnectProviderArn);
  const { items, more } = paginate(listTags(ctx.store, ctx.accountId, OIDC_PROVIDER_KIND, row.url), input);
  return { Tags: items, ...more };
};

export const oidcProviderHandlers: Record<string, Handler> = {
  CreateOpenIDConnectProvider: createOidcProvider,
  GetOpenIDConnectProvider: getOidcProvider,
  ListOpenIDConnectProviders: listOidcProviders,
  DeleteOpenIDConnectProvider: deleteOidcProvider,
  AddClientIDToOpenIDConnectProvider: addClientId,
  RemoveClientIDFromOpenIDConnectProvider: removeClientId,
  UpdateOpenIDConnectProviderThumbprint: updateThumbprint,
  TagOpenIDConnectProvider: tagOidcProvider,
  UntagOpenIDConnectProvider: untagOidcProvider,
  ListOpenIDConnectProviderTags: listOidcProviderTags,
};

import type { Store } from '../../../store/store.js';
import { providerKeyOfIssuer } from '../../../identity/oidc-issuer-url.js';
import { invalidInput, noSuchEntity, validationError } from '../../../identity/errors.js';

/**
 * OpenID Connect identity providers as stored. A provider is named by its URL without the
 * scheme (host and optional path), which is also the tail of its ARN:
 * arn:aws:iam::ACCOUNT:oidc-provider/HOST/PATH. Quotas from reference_iam-quotas.md and
 * the API reference (100 client ids, 5 thumbprints per provider).
 */
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

export function requireOidcProvider(store: Store, accountId: string, arn: string): OidcProviderRow {
  if (!ARN.test(arn)) throw invalidInput(`Invalid ARN: ${arn}`);
  const row = findOidcProvider(store, accountId, arn);
  if (!row) throw noSuchEntity(`OpenIDConnect Provider not found for arn ${arn}`);
  return row;
}

/** https://host[/path] → host[/path]; IAM accepts only https URLs with a host (iamlocal: http on loopback too). */
export function providerKeyOfUrl(url: string): string {
  const key = providerKeyOfIssuer(url);
  // A ValidationError, not InvalidInput (LS test_iam_oidc snapshot).
  if (key === undefined) throw validationError('Invalid Open ID Connect Provider URL');
  return key;
}

export function checkThumbprints(list: string[]): string[] {
  // UpdateOpenIDConnectProviderThumbprint models no LimitExceeded: too many is InvalidInput.
  // AWS's words for six, though five are allowed (LS test_iam_oidc snapshot).
  if (list.length > MAX_THUMBPRINTS_PER_PROVIDER) throw invalidInput(`Thumbprint list must contain fewer than ${MAX_THUMBPRINTS_PER_PROVIDER} entries.`);
  for (const t of list) {
    if (!/^[0-9a-fA-F]{40}$/.test(t)) throw invalidInput(`Thumbprint ${t} is not a 40-character hexadecimal SHA-1 fingerprint.`);
  }
  return [...new Set(list.map((t) => t.toLowerCase()))];
}

/** A stored JSON list (client_ids, thumbprints). */
export function parseList(json: string): string[] {
  return JSON.parse(json) as string[];
}

export function saveOidcProvider(store: Store, row: OidcProviderRow): void {
  store.prepare('UPDATE oidc_providers SET client_ids = ?, thumbprints = ? WHERE account_id = ? AND url = ?').run(row.client_ids, row.thumbprints, row.account_id, row.url);
}

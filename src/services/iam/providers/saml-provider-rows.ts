import type { Store } from '../../../store/store.js';
import { invalidInput, noSuchEntity } from '../../../identity/errors.js';

/** SAML 2.0 identity providers as stored: arn:aws:iam::ACCOUNT:saml-provider/NAME. */

/** The tags table's resource_kind for SAML providers (resource_id is the name). */
export const SAML_PROVIDER_KIND = 'saml-provider';

export interface SamlProviderRow {
  account_id: string;
  name: string;
  uuid: string;
  metadata: string;
  created_at: number;
  valid_until: number | null;
  assertion_encryption_mode: string | null;
  private_keys: string;
}

export function samlProviderArn(accountId: string, name: string): string {
  return `arn:aws:iam::${accountId}:saml-provider/${name}`;
}

const ARN = /^arn:aws:iam::(\d{12}):saml-provider\/([\w.-]+)$/;

export function findSamlProvider(store: Store, accountId: string, arn: string): SamlProviderRow | undefined {
  const m = ARN.exec(arn);
  if (!m || m[1] !== accountId) return undefined;
  return store.prepare<SamlProviderRow>('SELECT * FROM saml_providers WHERE account_id = ? AND name = ?').get(accountId, m[2]);
}

export function requireSamlProvider(store: Store, accountId: string, arn: string): SamlProviderRow {
  if (!ARN.test(arn)) throw invalidInput(`Invalid ARN: ${arn}`);
  const row = findSamlProvider(store, accountId, arn);
  if (!row) throw noSuchEntity(`Manifest not found for arn ${arn}`);
  return row;
}

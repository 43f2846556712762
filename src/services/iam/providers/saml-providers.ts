import { randomBytes } from 'node:crypto';
import type { XMLParser } from 'fast-xml-parser';
import { xmlLibrary } from '../../../protocol/xml-library.js';
import type { Store } from '../../../store/store.js';
import type { Handler } from '../../types.js';
import { AwsError } from '../../../protocol/errors.js';
import { invalidInput, noSuchEntity, quotaExceeded } from '../../../identity/errors.js';
import { paginate, type PageRequest } from '../shared/paginate.js';
import { checkNewTags, deleteAllTags, listTags, putTags, removeTags, type Tag } from '../../../identity/tags.js';

/**
 * SAML 2.0 identity providers: arn:aws:iam::ACCOUNT:saml-provider/NAME. The metadata
 * document must be XML holding an EntityDescriptor (alone or inside EntitiesDescriptor);
 * its validUntil, when present, is the provider's ValidUntil. Private keys for encrypted
 * assertions are remembered by id and time only.
 */
export const MAX_SAML_PROVIDERS_PER_ACCOUNT = 100;
export const MAX_KEYS_PER_SAML_PROVIDER = 10;

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

interface PrivateKeyEntry {
  KeyId: string;
  Timestamp: number;
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

function requireSamlProvider(store: Store, accountId: string, arn: string): SamlProviderRow {
  if (!ARN.test(arn)) throw invalidInput(`Invalid ARN: ${arn}`);
  const row = findSamlProvider(store, accountId, arn);
  if (!row) throw noSuchEntity(`Manifest not found for arn ${arn}`);
  return row;
}

let parser: XMLParser | undefined;

/** Checks the metadata and returns its validUntil (epoch ms) when it states one. */
export function readSamlMetadata(text: string): { validUntil: number | null } {
  const { XMLParser, XMLValidator } = xmlLibrary();
  if (XMLValidator.validate(text) !== true) throw invalidInput('Could not parse metadata');
  parser ??= new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', removeNSPrefix: true });
  const doc = parser.parse(text) as Record<string, any>;
  let entity = doc.EntityDescriptor;
  if (!entity && doc.EntitiesDescriptor) entity = doc.EntitiesDescriptor.EntityDescriptor;
  if (Array.isArray(entity)) entity = entity[0];
  if (!entity || typeof entity !== 'object') throw invalidInput('Could not parse metadata');
  const validUntil = entity['@validUntil'];
  if (typeof validUntil === 'string' && !Number.isNaN(Date.parse(validUntil))) return { validUntil: Date.parse(validUntil) };
  return { validUntil: null };
}

/** A 22+ character id in [A-Z0-9], as IAM's SAMLProviderUUID and key ids are. */
function newSamlId(): string {
  return randomBytes(16).toString('hex').toUpperCase().slice(0, 26);
}

function keysOf(row: SamlProviderRow): PrivateKeyEntry[] {
  return JSON.parse(row.private_keys) as PrivateKeyEntry[];
}

function addKey(keys: PrivateKeyEntry[], privateKey: string, now: number): PrivateKeyEntry[] {
  if (!/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(privateKey)) throw invalidInput('The private key is not a PEM-encoded private key.');
  if (keys.length >= MAX_KEYS_PER_SAML_PROVIDER) throw quotaExceeded('KeysPerSAMLProvider', MAX_KEYS_PER_SAML_PROVIDER);
  return [...keys, { KeyId: newSamlId(), Timestamp: now }];
}

const createSamlProvider: Handler = (
  ctx,
  input: { Name: string; SAMLMetadataDocument: string; Tags?: Tag[]; AssertionEncryptionMode?: string; AddPrivateKey?: string },
) => {
  const { store, accountId } = ctx;
  if (store.prepare('SELECT 1 FROM saml_providers WHERE account_id = ? AND name = ?').get(accountId, input.Name)) {
    throw new AwsError('EntityAlreadyExists', `SAMLProvider ${input.Name} already exists`, 409);
  }
  const { validUntil } = readSamlMetadata(input.SAMLMetadataDocument);
  if (input.Tags) checkNewTags(input.Tags);
  const keys = input.AddPrivateKey !== undefined ? addKey([], input.AddPrivateKey, ctx.now) : [];
  const count = store.prepare<{ n: number }>('SELECT count(*) AS n FROM saml_providers WHERE account_id = ?').get(accountId)!.n;
  if (count >= MAX_SAML_PROVIDERS_PER_ACCOUNT) throw quotaExceeded('SAMLProvidersPerAccount', MAX_SAML_PROVIDERS_PER_ACCOUNT);
  store
    .prepare(
      `INSERT INTO saml_providers (account_id, name, uuid, metadata, created_at, valid_until, assertion_encryption_mode, private_keys)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(accountId, input.Name, newSamlId(), input.SAMLMetadataDocument, ctx.now, validUntil, input.AssertionEncryptionMode ?? null, JSON.stringify(keys));
  if (input.Tags?.length) putTags(store, accountId, SAML_PROVIDER_KIND, input.Name, input.Tags);
  const tags = listTags(store, accountId, SAML_PROVIDER_KIND, input.Name);
  return { SAMLProviderArn: samlProviderArn(accountId, input.Name), ...(tags.length > 0 ? { Tags: tags } : {}) };
};

const getSamlProvider: Handler = (ctx, input: { SAMLProviderArn: string }) => {
  const row = requireSamlProvider(ctx.store, ctx.accountId, input.SAMLProviderArn);
  const tags = listTags(ctx.store, ctx.accountId, SAML_PROVIDER_KIND, row.name);
  const keys = keysOf(row);
  return {
    SAMLProviderUUID: row.uuid,
    SAMLMetadataDocument: row.metadata,
    CreateDate: new Date(row.created_at),
    ...(row.valid_until !== null ? { ValidUntil: new Date(row.valid_until) } : {}),
    ...(tags.length > 0 ? { Tags: tags } : {}),
    ...(row.assertion_encryption_mode !== null ? { AssertionEncryptionMode: row.assertion_encryption_mode } : {}),
    ...(keys.length > 0 ? { PrivateKeyList: keys.map((k) => ({ KeyId: k.KeyId, Timestamp: new Date(k.Timestamp) })) } : {}),
  };
};

const listSamlProviders: Handler = (ctx) => {
  const rows = ctx.store.prepare<SamlProviderRow>('SELECT * FROM saml_providers WHERE account_id = ? ORDER BY name').all(ctx.accountId);
  return {
    SAMLProviderList: rows.map((r) => ({
      Arn: samlProviderArn(ctx.accountId, r.name),
      ...(r.valid_until !== null ? { ValidUntil: new Date(r.valid_until) } : {}),
      CreateDate: new Date(r.created_at),
    })),
  };
};

const updateSamlProvider: Handler = (
  ctx,
  input: { SAMLProviderArn: string; SAMLMetadataDocument?: string; AssertionEncryptionMode?: string; AddPrivateKey?: string; RemovePrivateKey?: string },
) => {
  const row = requireSamlProvider(ctx.store, ctx.accountId, input.SAMLProviderArn);
  let { metadata, valid_until: validUntil, assertion_encryption_mode: mode } = row;
  if (input.SAMLMetadataDocument !== undefined) {
    validUntil = readSamlMetadata(input.SAMLMetadataDocument).validUntil;
    metadata = input.SAMLMetadataDocument;
  }
  if (input.AssertionEncryptionMode !== undefined) mode = input.AssertionEncryptionMode;
  let keys = keysOf(row);
  if (input.RemovePrivateKey !== undefined) {
    if (!keys.some((k) => k.KeyId === input.RemovePrivateKey)) throw invalidInput(`Private key ${input.RemovePrivateKey} does not exist.`);
    keys = keys.filter((k) => k.KeyId !== input.RemovePrivateKey);
  }
  if (input.AddPrivateKey !== undefined) keys = addKey(keys, input.AddPrivateKey, ctx.now);
  ctx.store
    .prepare('UPDATE saml_providers SET metadata = ?, valid_until = ?, assertion_encryption_mode = ?, private_keys = ? WHERE account_id = ? AND name = ?')
    .run(metadata, validUntil, mode, JSON.stringify(keys), ctx.accountId, row.name);
  return { SAMLProviderArn: samlProviderArn(ctx.accountId, row.name) };
};

const deleteSamlProvider: Handler = (ctx, input: { SAMLProviderArn: string }) => {
  const row = requireSamlProvider(ctx.store, ctx.accountId, input.SAMLProviderArn);
  deleteAllTags(ctx.store, ctx.accountId, SAML_PROVIDER_KIND, row.name);
  ctx.store.prepare('DELETE FROM saml_providers WHERE account_id = ? AND name = ?').run(ctx.accountId, row.name);
  return {};
};

const tagSamlProvider: Handler = (ctx, input: { SAMLProviderArn: string; Tags: Tag[] }) => {
  const row = requireSamlProvider(ctx.store, ctx.accountId, input.SAMLProviderArn);
  putTags(ctx.store, ctx.accountId, SAML_PROVIDER_KIND, row.name, input.Tags);
  return {};
};

const untagSamlProvider: Handler = (ctx, input: { SAMLProviderArn: string; TagKeys: string[] }) => {
  const row = requireSamlProvider(ctx.store, ctx.accountId, input.SAMLProviderArn);
  removeTags(ctx.store, ctx.accountId, SAML_PROVIDER_KIND, row.name, input.TagKeys);
  return {};
};

const listSamlProviderTags: Handler = (ctx, input: PageRequest & { SAMLProviderArn: string }) => {
  const row = requireSamlProvider(ctx.store, ctx.accountId, input.SAMLProviderArn);
  const { items, more } = paginate(listTags(ctx.store, ctx.accountId, SAML_PROVIDER_KIND, row.name), input);
  return { Tags: items, ...more };
};

export const samlProviderHandlers: Record<string, Handler> = {
  CreateSAMLProvider: createSamlProvider,
  GetSAMLProvider: getSamlProvider,
  ListSAMLProviders: listSamlProviders,
  UpdateSAMLProvider: updateSamlProvider,
  DeleteSAMLProvider: deleteSamlProvider,
  TagSAMLProvider: tagSamlProvider,
  UntagSAMLProvider: untagSamlProvider,
  ListSAMLProviderTags: listSamlProviderTags,
};

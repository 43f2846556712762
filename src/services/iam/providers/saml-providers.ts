import { randomBytes } from 'node:crypto';
import { AwsError } from '../../../protocol/errors.js';
import { operation } from '../../operation.js';
import { authzEntry } from '../shared/authz-entry.js';
import { invalidInput, quotaExceeded } from '../../../identity/errors.js';
import { samlProviderRule } from './provider-resource.js';
import { readSamlMetadata } from './saml-metadata.js';
import { requireSamlProvider, SAML_PROVIDER_KIND, samlProviderArn, type SamlProviderRow } from './saml-provider-rows.js';
import { checkNewTags, deleteAllTags, listTags, putTags, requestTagKeys, type Tag } from '../../../identity/tags.js';

/**
 * SAML 2.0 identity providers: create, get, list, update, delete. Private keys for
 * encrypted assertions are remembered by id and time only.
 */
export const MAX_SAML_PROVIDERS_PER_ACCOUNT = 100;
export const MAX_KEYS_PER_SAML_PROVIDER = 10;

interface PrivateKeyEntry {
  KeyId: string;
  Timestamp: number;
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

interface CreateInput {
  Name: string;
  SAMLMetadataDocument: string;
  Tags?: Tag[];
  AssertionEncryptionMode?: string;
  AddPrivateKey?: string;
}

export const CreateSAMLProvider = operation({
  writes: true,
  authorize: (ctx, input: CreateInput) => authzEntry('iam:CreateSAMLProvider', samlProviderArn(ctx.accountId, input.Name), requestTagKeys(input.Tags)),
  run: (ctx, input: CreateInput) => {
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
  },
});

export const GetSAMLProvider = operation({
  writes: false,
  authorize: samlProviderRule('iam:GetSAMLProvider'),
  run: (ctx, input: { SAMLProviderArn: string }) => {
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
  },
});

export const ListSAMLProviders = operation({
  writes: false,
  authorize: () => ({ action: 'iam:ListSAMLProviders', resource: '*' }),
  run: (ctx) => {
    const rows = ctx.store.prepare<SamlProviderRow>('SELECT * FROM saml_providers WHERE account_id = ? ORDER BY name').all(ctx.accountId);
    return {
      SAMLProviderList: rows.map((r) => ({
        Arn: samlProviderArn(ctx.accountId, r.name),
        ...(r.valid_until !== null ? { ValidUntil: new Date(r.valid_until) } : {}),
        CreateDate: new Date(r.created_at),
      })),
    };
  },
});

interface UpdateInput {
  SAMLProviderArn: string;
  SAMLMetadataDocument?: string;
  AssertionEncryptionMode?: string;
  AddPrivateKey?: string;
  RemovePrivateKey?: string;
}

export const UpdateSAMLProvider = operation({
  writes: true,
  authorize: samlProviderRule('iam:UpdateSAMLProvider'),
  run: (ctx, input: UpdateInput) => {
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
  },
});

export const DeleteSAMLProvider = operation({
  writes: true,
  authorize: samlProviderRule('iam:DeleteSAMLProvider'),
  run: (ctx, input: { SAMLProviderArn: string }) => {
    const row = requireSamlProvider(ctx.store, ctx.accountId, input.SAMLProviderArn);
    deleteAllTags(ctx.store, ctx.accountId, SAML_PROVIDER_KIND, row.name);
    ctx.store.prepare('DELETE FROM saml_providers WHERE account_id = ? AND name = ?').run(ctx.accountId, row.name);
    return {};
  },
});

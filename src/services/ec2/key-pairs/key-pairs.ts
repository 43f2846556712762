import { operation } from '../../operation.js';
import type { RequestContext } from '../../types.js';
import type { Store } from '../../../store/store.js';
import { AwsError } from '../../../protocol/errors.js';
import { describeEntry, requestTagKeys, resourceEntry } from '../authz/entries.js';
import { keyPairArn } from '../authz/arns.js';
import { checkDryRun, ec2Errors } from '../shared/errors.js';
import { matchesFilters, type Filter } from '../shared/filters.js';
import { newEc2Id } from '../shared/ids.js';
import { deleteAllTags, putTags, specTags, tagList, tagsByResource, tagsOf, type TagSpecification } from '../tags/tag-rows.js';
import { createKeyMaterial, importPublicKey } from './key-material.js';

export interface KeyPairRow {
  account_id: string;
  key_pair_id: string;
  region: string;
  key_name: string;
  key_type: 'rsa' | 'ed25519';
  fingerprint: string;
  public_key: string;
  created_at: number;
}

export function findKeyPair(store: Store, accountId: string, region: string, name: string): KeyPairRow | undefined {
  return store.prepare<KeyPairRow>('SELECT * FROM ec2_key_pairs WHERE account_id = ? AND region = ? AND key_name = ?').get(accountId, region, name);
}

function findKeyPairById(store: Store, accountId: string, region: string, id: string): KeyPairRow | undefined {
  return store.prepare<KeyPairRow>('SELECT * FROM ec2_key_pairs WHERE account_id = ? AND region = ? AND key_pair_id = ?').get(accountId, region, id);
}

export const keyPairNotFound = (name: string) => ec2Errors.notFound('InvalidKeyPair.NotFound', `The key pair '${name}' does not exist`);

/** Key names: 1–255 ASCII characters. */
function checkKeyName(name: string): void {
  if (name.length === 0 || name.length > 255 || !/^[\x20-\x7e]+$/.test(name)) {
    throw ec2Errors.invalidParameterValue(`Value (${name}) for parameter KeyName is invalid. Key names must be 1 to 255 ASCII characters.`);
  }
}

function createEntries(ctx: RequestContext, action: string, name: string, specs: TagSpecification[] | undefined, type?: string) {
  const tags = specTags(specs, 'key-pair', ['key-pair']);
  const keys = { ...requestTagKeys(tags), ...(type ? { 'ec2:KeyPairType': type } : {}) };
  const entries = [resourceEntry(ctx, action, keyPairArn(ctx.region, ctx.accountId, name), {}, keys)];
  if (tags.length > 0) entries.push(resourceEntry(ctx, 'ec2:CreateTags', keyPairArn(ctx.region, ctx.accountId, name), {}, { ...keys, 'ec2:CreateAction': action.slice(4) }));
  return entries;
}

function insertKeyPair(ctx: RequestContext, name: string, type: 'rsa' | 'ed25519', fingerprint: string, publicKey: string, specs: TagSpecification[] | undefined) {
  checkKeyName(name);
  if (findKeyPair(ctx.store, ctx.accountId, ctx.region, name)) {
    throw new AwsError('InvalidKeyPair.Duplicate', `The keypair '${name}' already exists.`, 400);
  }
  const id = newEc2Id('key');
  ctx.store.prepare(
    'INSERT INTO ec2_key_pairs (account_id, key_pair_id, region, key_name, key_type, fingerprint, public_key, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  ).run(ctx.accountId, id, ctx.region, name, type, fingerprint, publicKey, ctx.now);
  const tags = specTags(specs, 'key-pair', ['key-pair']);
  putTags(ctx.store, ctx.accountId, id, 'key-pair', tags);
  return { id, tags: tags.length > 0 ? tags : undefined };
}

interface CreateKeyPairInput {
  KeyName: string;
  KeyType?: 'rsa' | 'ed25519';
  KeyFormat?: 'pem' | 'ppk';
  TagSpecifications?: TagSpecification[];
  DryRun?: boolean;
}

export const CreateKeyPair = operation({
  writes: true,
  authorize: (ctx, input: CreateKeyPairInput) => createEntries(ctx, 'ec2:CreateKeyPair', input.KeyName, input.TagSpecifications, input.KeyType ?? 'rsa'),
  run: (ctx, input: CreateKeyPairInput) => {
    checkKeyName(input.KeyName);
    checkDryRun(input);
    const type = input.KeyType ?? 'rsa';
    const made = createKeyMaterial(type, input.KeyFormat ?? 'pem', input.KeyName);
    const { id, tags } = insertKeyPair(ctx, input.KeyName, type, made.fingerprint, made.publicKey, input.TagSpecifications);
    return { KeyPairId: id, KeyName: input.KeyName, KeyFingerprint: made.fingerprint, KeyMaterial: made.material, Tags: tags };
  },
});

interface ImportKeyPairInput {
  KeyName: string;
  PublicKeyMaterial: Buffer | string;
  TagSpecifications?: TagSpecification[];
  DryRun?: boolean;
}

export const ImportKeyPair = operation({
  writes: true,
  authorize: (ctx, input: ImportKeyPairInput) => createEntries(ctx, 'ec2:ImportKeyPair', input.KeyName, input.TagSpecifications),
  run: (ctx, input: ImportKeyPairInput) => {
    checkKeyName(input.KeyName);
    const text = Buffer.isBuffer(input.PublicKeyMaterial) ? input.PublicKeyMaterial.toString('utf8') : String(input.PublicKeyMaterial);
    const key = importPublicKey(text);
    if (!key) throw new AwsError('InvalidKey.Format', 'Key is not in valid OpenSSH public key format', 400);
    checkDryRun(input);
    const { id, tags } = insertKeyPair(ctx, input.KeyName, key.type, key.fingerprint, key.publicKey, input.TagSpecifications);
    return { KeyPairId: id, KeyName: input.KeyName, KeyFingerprint: key.fingerprint, Tags: tags };
  },
});

export const DeleteKeyPair = operation({
  writes: true,
  authorize: (ctx, input: { KeyName?: string; KeyPairId?: string }) => {
    const row = input.KeyPairId ? findKeyPairById(ctx.store, ctx.accountId, ctx.region, input.KeyPairId) : findKeyPair(ctx.store, ctx.accountId, ctx.region, input.KeyName ?? '');
    const name = row?.key_name ?? input.KeyName ?? input.KeyPairId ?? '';
    return resourceEntry(ctx, 'ec2:DeleteKeyPair', keyPairArn(ctx.region, ctx.accountId, name), row ? tagsOf(ctx.store, ctx.accountId, row.key_pair_id) : {});
  },
  run: (ctx, input: { KeyName?: string; KeyPairId?: string; DryRun?: boolean }) => {
    if (input.KeyName === undefined && input.KeyPairId === undefined) throw ec2Errors.missingParameter('KeyName');
    let row: KeyPairRow | undefined;
    if (input.KeyPairId !== undefined) {
      row = findKeyPairById(ctx.store, ctx.accountId, ctx.region, input.KeyPairId);
      if (!row) throw ec2Errors.notFound('InvalidKeyPair.NotFound', `The key pair ID '${input.KeyPairId}' does not exist`);
    } else row = findKeyPair(ctx.store, ctx.accountId, ctx.region, input.KeyName!);
    checkDryRun(input);
    // Deleting a key name that does not exist succeeds, as on EC2.
    if (!row) return { Return: true };
    ctx.store.prepare('DELETE FROM ec2_key_pairs WHERE account_id = ? AND key_pair_id = ?').run(ctx.accountId, row.key_pair_id);
    deleteAllTags(ctx.store, ctx.accountId, row.key_pair_id);
    return { Return: true, KeyPairId: row.key_pair_id };
  },
});

const KEY_FILTERS = new Set(['key-pair-id', 'key-name', 'fingerprint', 'key-type']);

export const DescribeKeyPairs = operation({
  writes: false,
  authorize: (ctx) => describeEntry(ctx, 'ec2:DescribeKeyPairs'),
  run: (ctx, input: { KeyNames?: string[]; KeyPairIds?: string[]; IncludePublicKey?: boolean; Filters?: Filter[]; DryRun?: boolean }) => {
    checkDryRun(input);
    const rows = ctx.store.prepare<KeyPairRow>('SELECT * FROM ec2_key_pairs WHERE account_id = ? AND region = ? ORDER BY key_name').all(ctx.accountId, ctx.region);
    for (const name of input.KeyNames ?? []) if (!rows.some((r) => r.key_name === name)) throw keyPairNotFound(name);
    for (const id of input.KeyPairIds ?? []) {
      if (!rows.some((r) => r.key_pair_id === id)) throw ec2Errors.notFound('InvalidKeyPair.NotFound', `The key pair ID '${id}' does not exist`);
    }
    const tags = tagsByResource(ctx.store, ctx.accountId, 'key-pair');
    const keyPairs = rows
      .filter((r) => (!input.KeyNames && !input.KeyPairIds) || input.KeyNames?.includes(r.key_name) || input.KeyPairIds?.includes(r.key_pair_id))
      .filter((r) =>
        matchesFilters(input.Filters, (n) => ({ 'key-pair-id': r.key_pair_id, 'key-name': r.key_name, fingerprint: r.fingerprint, 'key-type': r.key_type })[n], tags.get(r.key_pair_id) ?? {}, KEY_FILTERS),
      )
      .map((r) => ({
        KeyPairId: r.key_pair_id, KeyFingerprint: r.fingerprint, KeyName: r.key_name, KeyType: r.key_type, Tags: tagList(tags.get(r.key_pair_id)) ?? [],
        CreateTime: new Date(r.created_at), PublicKey: input.IncludePublicKey ? `${r.public_key} ${r.key_name}\n` : undefined,
      }));
    return { KeyPairs: keyPairs };
  },
});

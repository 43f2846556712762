import { AwsError } from '../../../protocol/errors.js';
import { operation } from '../../operation.js';
import { insertRow } from '../shared/insert-row.js';
import type { RequestContext } from '../../types.js';
import { targetOf } from '../users/caller.js';
import { credentialOwnerRule } from './credential-owner.js';
import { newSshPublicKeyId } from './credential-ids.js';
import { credentialDeletion, credentialStatusUpdate } from '../shared/credential-status.js';
import { noSuchEntity, quotaExceeded } from '../../../identity/errors.js';
import { paginate, type PageRequest } from '../shared/paginate.js';
import { parseSshPublicKey } from './ssh-key-format.js';
import { requireUser, type UserRow } from '../../../identity/users.js';

/** SSH public keys of IAM users (CodeCommit): upload, get (SSH or PEM), list, status, delete. */

/** IAM's fixed quota (reference_iam-quotas.md). */
export const MAX_SSH_PUBLIC_KEYS_PER_USER = 5;

export interface SshPublicKeyRow {
  account_id: string;
  ssh_public_key_id: string;
  user_id: string;
  body: string;
  fingerprint: string;
  status: 'Active' | 'Inactive';
  uploaded_at: number;
}

function keysOf(ctx: RequestContext, user: UserRow): SshPublicKeyRow[] {
  return ctx.store
    .prepare<SshPublicKeyRow>('SELECT * FROM ssh_public_keys WHERE account_id = ? AND user_id = ? ORDER BY uploaded_at, ssh_public_key_id')
    .all(user.account_id, user.user_id);
}

function keyOf(ctx: RequestContext, user: UserRow, id: string): SshPublicKeyRow {
  const key = keysOf(ctx, user).find((k) => k.ssh_public_key_id === id);
  if (!key) throw noSuchEntity(`The Public Key with id ${id} cannot be found.`);
  return key;
}

function keyShape(user: UserRow, k: SshPublicKeyRow, body: string): Record<string, unknown> {
  return {
    UserName: user.user_name,
    SSHPublicKeyId: k.ssh_public_key_id,
    Fingerprint: k.fingerprint,
    SSHPublicKeyBody: body,
    Status: k.status,
    UploadDate: new Date(k.uploaded_at),
  };
}

export const UploadSSHPublicKey = operation({
  writes: true,
  authorize: credentialOwnerRule('iam:UploadSSHPublicKey'),
  run: (ctx, input: { UserName: string; SSHPublicKeyBody: string }) => {
    const user = requireUser(ctx.store, ctx.accountId, input.UserName);
    const parsed = parseSshPublicKey(input.SSHPublicKeyBody);
    const existing = keysOf(ctx, user);
    if (existing.some((k) => k.fingerprint === parsed.fingerprint)) {
      throw new AwsError('DuplicateSSHPublicKey', 'The SSH public key is already associated with the specified IAM user.', 400);
    }
    if (existing.length >= MAX_SSH_PUBLIC_KEYS_PER_USER) throw quotaExceeded('SSHPublicKeysPerUser', MAX_SSH_PUBLIC_KEYS_PER_USER);
    const row: SshPublicKeyRow = {
      account_id: ctx.accountId,
      ssh_public_key_id: newSshPublicKeyId(),
      user_id: user.user_id,
      body: parsed.openssh,
      fingerprint: parsed.fingerprint,
      status: 'Active',
      uploaded_at: ctx.now,
    };
    insertRow(ctx.store, 'ssh_public_keys', row);
    // IAM echoes the key as it was uploaded.
    return { SSHPublicKey: keyShape(user, row, input.SSHPublicKeyBody) };
  },
});

export const GetSSHPublicKey = operation({
  writes: false,
  authorize: credentialOwnerRule('iam:GetSSHPublicKey'),
  run: (ctx, input: { UserName: string; SSHPublicKeyId: string; Encoding: 'SSH' | 'PEM' }) => {
    const user = requireUser(ctx.store, ctx.accountId, input.UserName);
    const key = keyOf(ctx, user, input.SSHPublicKeyId);
    const body = input.Encoding === 'PEM' ? parseSshPublicKey(key.body).pem : key.body;
    return { SSHPublicKey: keyShape(user, key, body) };
  },
});

export const ListSSHPublicKeys = operation({
  writes: false,
  authorize: credentialOwnerRule('iam:ListSSHPublicKeys'),
  run: (ctx, input: PageRequest & { UserName?: string }) => {
    const target = targetOf(ctx, input.UserName);
    // The root user has no SSH keys (IAM keeps them for IAM users only).
    if (target.kind === 'root') return { SSHPublicKeys: [], IsTruncated: false };
    const user = target.row;
    const { items, more } = paginate(keysOf(ctx, user), input);
    return {
      SSHPublicKeys: items.map((k) => ({ UserName: user.user_name, SSHPublicKeyId: k.ssh_public_key_id, Status: k.status, UploadDate: new Date(k.uploaded_at) })),
      ...more,
    };
  },
});

/** The key a request names, as its user's. */
const namedKey = (ctx: RequestContext, input: { UserName: string; SSHPublicKeyId: string }) =>
  keyOf(ctx, requireUser(ctx.store, ctx.accountId, input.UserName), input.SSHPublicKeyId).ssh_public_key_id;

export const UpdateSSHPublicKey = credentialStatusUpdate('ssh_public_keys', credentialOwnerRule('iam:UpdateSSHPublicKey'), namedKey);

export const DeleteSSHPublicKey = credentialDeletion('ssh_public_keys', credentialOwnerRule('iam:DeleteSSHPublicKey'), namedKey);

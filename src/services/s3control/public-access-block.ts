import { AwsError } from '../../protocol/errors.js';
import { operation } from '../operation.js';
import type { RequestContext } from '../types.js';
import { accountEntry } from '../s3/authz/rules.js';
import { readPublicAccessBlock, type PublicAccessBlock } from '../s3/authz/bucket-policies.js';

/**
 * The account-level Block Public Access (S3 Control): it adds to every bucket's own
 * settings (src/services/s3/authz/bucket-policies.ts, effectivePublicAccessBlock), so
 * PutBucketPolicy, PutBucketAcl and every decision on a bucket of the account honour it.
 * Actions s3:GetAccountPublicAccessBlock / s3:PutAccountPublicAccessBlock on "*"; the
 * account named in x-amz-account-id must be the caller's.
 */

interface AccountInput {
  AccountId: string;
}

function ownAccount(ctx: RequestContext, accountId: string): void {
  if (ctx.principal.type === 'anonymous' || accountId !== ctx.accountId) throw new AwsError('AccessDenied', 'Access Denied', 403);
}

function notFound(): AwsError {
  return new AwsError('NoSuchPublicAccessBlockConfiguration', 'The public access block configuration was not found', 404);
}

export const GetPublicAccessBlock = operation({
  writes: false,
  authorize: (ctx, input: AccountInput) => (ownAccount(ctx, input.AccountId), accountEntry(ctx, 's3:GetAccountPublicAccessBlock')),
  run: (ctx, input: AccountInput) => {
    const row = ctx.store.prepare<{ config: string }>('SELECT config FROM s3_account_public_access_block WHERE account_id = ?').get(input.AccountId);
    if (!row) throw notFound();
    return { PublicAccessBlockConfiguration: readPublicAccessBlock(row.config) };
  },
});

export const PutPublicAccessBlock = operation({
  writes: true,
  authorize: (ctx, input: AccountInput & { PublicAccessBlockConfiguration: Partial<PublicAccessBlock> }) => (ownAccount(ctx, input.AccountId), accountEntry(ctx, 's3:PutAccountPublicAccessBlock')),
  run: (ctx, input: AccountInput & { PublicAccessBlockConfiguration: Partial<PublicAccessBlock> }) => {
    const config = readPublicAccessBlock(JSON.stringify(input.PublicAccessBlockConfiguration));
    ctx.store
      .prepare('INSERT INTO s3_account_public_access_block (account_id, config) VALUES (?, ?) ON CONFLICT (account_id) DO UPDATE SET config = excluded.config')
      .run(input.AccountId, JSON.stringify(config));
    return {};
  },
});

/** DeletePublicAccessBlock: S3 Control asks for s3:PutAccountPublicAccessBlock. */
export const DeletePublicAccessBlock = operation({
  writes: true,
  authorize: (ctx, input: AccountInput) => (ownAccount(ctx, input.AccountId), accountEntry(ctx, 's3:PutAccountPublicAccessBlock')),
  run: (ctx, input: AccountInput) => {
    ctx.store.prepare('DELETE FROM s3_account_public_access_block WHERE account_id = ?').run(input.AccountId);
    return {};
  },
});

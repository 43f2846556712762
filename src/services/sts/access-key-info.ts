import { AwsError } from '../../protocol/errors.js';
import { operation } from '../operation.js';

/**
 * GetAccessKeyInfo: the account an access key id (AKIA… or ASIA…) belongs to, whatever
 * account asks. AWS decodes the account from the key id itself; iamlocal's key ids are
 * random, so it answers for keys this server issued and refuses others.
 */
export const GetAccessKeyInfo = operation({
  writes: false,
  authorize: () => ({ action: 'sts:GetAccessKeyInfo', resource: '*' }),
  run: (ctx, input: { AccessKeyId: string }) => {
    const row = ctx.store.prepare<{ account_id: string }>('SELECT account_id FROM access_keys WHERE access_key_id = ?').get(input.AccessKeyId);
    if (!row) throw new AwsError('InvalidParameterValue', `The access key ID ${input.AccessKeyId} is not one that this server issued.`, 400);
    return { Account: row.account_id };
  },
});

import { afterEach, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ACCOUNT, asRoot, call, contextFor, openTestStore, principalOf, sts, userWithKey } from './context.js';

let t: ReturnType<typeof openTestStore>;
beforeEach(() => {
  t = openTestStore();
});
afterEach(() => t.dispose());

describe('STS GetCallerIdentity', () => {
  test('root: the account id as UserId and the :root ARN', () => {
    assert.deepEqual(sts(asRoot(t.store), 'GetCallerIdentity'), { UserId: ACCOUNT, Account: ACCOUNT, Arn: `arn:aws:iam::${ACCOUNT}:root` });
  });

  test('a user: its AIDA id and ARN, which follow a rename', () => {
    const { principal, user, key } = userWithKey(t.store, 'sam', { Path: '/p/' });
    assert.deepEqual(sts(contextFor(t.store, principal), 'GetCallerIdentity'), { UserId: user.UserId, Account: ACCOUNT, Arn: `arn:aws:iam::${ACCOUNT}:user/p/sam` });
    call(asRoot(t.store), 'UpdateUser', { UserName: 'sam', NewUserName: 'samuel' });
    const renamed = principalOf(t.store, key.AccessKeyId);
    assert.deepEqual(sts(contextFor(t.store, renamed), 'GetCallerIdentity'), { UserId: user.UserId, Account: ACCOUNT, Arn: `arn:aws:iam::${ACCOUNT}:user/p/samuel` });
  });

  test('a role session: the AROA id with session name and the assumed-role ARN', () => {
    const p = { type: 'assumed-role' as const, accountId: ACCOUNT, arn: `arn:aws:sts::${ACCOUNT}:assumed-role/app/s1`, userId: 'AROAEXAMPLEEXAMPLE12:s1', tags: {} };
    assert.deepEqual(sts(contextFor(t.store, p), 'GetCallerIdentity'), { UserId: p.userId, Account: ACCOUNT, Arn: p.arn });
  });
});

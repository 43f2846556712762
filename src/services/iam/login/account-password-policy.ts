import type { Store } from '../../../store/store.js';
import { operation } from '../../operation.js';
import { withSelfService } from './self-service-grant.js';
import {
  noSuchPasswordPolicyError,
  passwordPolicyFromUpdate,
  type PasswordPolicy,
  type UpdateAccountPasswordPolicyInput,
} from './password-policy.js';

/**
 * The account password policy (Update/Get/DeleteAccountPasswordPolicy), stored as JSON in
 * AWS's shape; the operations act on "*". The rules themselves (defaults, checks,
 * messages) are in password-policy.ts.
 */

/** The account's custom policy, or undefined when AWS's default policy applies. */
export function accountPasswordPolicy(store: Store, accountId: string): PasswordPolicy | undefined {
  const row = store.prepare<{ policy: string }>('SELECT policy FROM account_password_policies WHERE account_id = ?').get(accountId);
  return row ? (JSON.parse(row.policy) as PasswordPolicy) : undefined;
}

export const UpdateAccountPasswordPolicy = operation({
  writes: true,
  authorize: () => ({ action: 'iam:UpdateAccountPasswordPolicy', resource: '*' }),
  run: (ctx, input: UpdateAccountPasswordPolicyInput) => {
    const policy = passwordPolicyFromUpdate(input);
    ctx.store
      .prepare('INSERT INTO account_password_policies (account_id, policy) VALUES (?, ?) ON CONFLICT (account_id) DO UPDATE SET policy = excluded.policy')
      .run(ctx.accountId, JSON.stringify(policy));
    return {};
  },
});

export const GetAccountPasswordPolicy = operation({
  writes: false,
  authorize: (ctx) => withSelfService(ctx, accountPasswordPolicy(ctx.store, ctx.accountId), { action: 'iam:GetAccountPasswordPolicy', resource: '*' }),
  run: (ctx) => {
    const policy = accountPasswordPolicy(ctx.store, ctx.accountId);
    if (!policy) throw noSuchPasswordPolicyError(ctx.accountId);
    return { PasswordPolicy: policy };
  },
});

export const DeleteAccountPasswordPolicy = operation({
  writes: true,
  authorize: () => ({ action: 'iam:DeleteAccountPasswordPolicy', resource: '*' }),
  run: (ctx) => {
    const deleted = ctx.store.prepare('DELETE FROM account_password_policies WHERE account_id = ?').run(ctx.accountId);
    if (deleted.changes === 0) throw noSuchPasswordPolicyError(ctx.accountId);
    return {};
  },
});

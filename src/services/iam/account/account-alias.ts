import { AwsError } from '../../../protocol/errors.js';
import type { Store } from '../../../store/store.js';
import { operation } from '../../operation.js';
import { noSuchEntity, validationError } from '../../../identity/errors.js';
import { accountWide } from '../shared/account-wide.js';
import { listPage, type PageRequest } from '../shared/paginate.js';

/**
 * The account alias (Create/List/DeleteAccountAlias): at most one per account, and no
 * two accounts share one (AWS's are unique worldwide). Creating an alias when the
 * account already has one replaces it, as the console's "edit alias" does.
 */

/** The model's rule, checked here too so direct callers get AWS's answer. */
const ALIAS_PATTERN = /^[a-z0-9]([a-z0-9]|-(?!-)){1,61}[a-z0-9]$/;

export function accountAlias(store: Store, accountId: string): string | undefined {
  return store.prepare<{ alias: string }>('SELECT alias FROM account_aliases WHERE account_id = ?').get(accountId)?.alias;
}

function aliasTaken(alias: string): AwsError {
  return new AwsError('EntityAlreadyExists', `The account alias ${alias} already exists.`, 409);
}

export const CreateAccountAlias = operation({
  writes: true,
  authorize: accountWide('iam:CreateAccountAlias'),
  run: (ctx, input: { AccountAlias: string }) => {
    const alias = input.AccountAlias;
    if (!ALIAS_PATTERN.test(alias)) {
      throw validationError(
        `1 validation error detected: Value '${alias}' at 'accountAlias' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[a-z0-9]([a-z0-9]|-(?!-)){1,61}[a-z0-9]$`,
      );
    }
    const owner = ctx.store.prepare<{ account_id: string }>('SELECT account_id FROM account_aliases WHERE alias = ?').get(alias);
    if (owner && owner.account_id !== ctx.accountId) throw aliasTaken(alias);
    ctx.store
      .prepare('INSERT INTO account_aliases (account_id, alias) VALUES (?, ?) ON CONFLICT (account_id) DO UPDATE SET alias = excluded.alias')
      .run(ctx.accountId, alias);
    return {};
  },
});

export const ListAccountAliases = operation({
  writes: false,
  authorize: accountWide('iam:ListAccountAliases'),
  run: (ctx, input: PageRequest) => {
    const alias = accountAlias(ctx.store, ctx.accountId);
    return listPage('AccountAliases', alias === undefined ? [] : [alias], input, { sortKey: (a) => a });
  },
});

export const DeleteAccountAlias = operation({
  writes: true,
  authorize: accountWide('iam:DeleteAccountAlias'),
  run: (ctx, input: { AccountAlias: string }) => {
    const { changes } = ctx.store.prepare('DELETE FROM account_aliases WHERE account_id = ? AND alias = ?').run(ctx.accountId, input.AccountAlias);
    if (changes === 0) throw noSuchEntity(`The account alias ${input.AccountAlias} cannot be found.`);
    return {};
  },
});

import { randomInt } from 'node:crypto';
import { AwsError } from '../../../protocol/errors.js';
import { ensureAccount, findAccount } from '../../../identity/accounts.js';
import type { OrgAccountRow, OrganizationRow } from '../../../identity/organization.js';
import { operation } from '../../operation.js';
import type { RequestContext } from '../../types.js';
import { accountNotFound, createAccountStatusNotFound } from '../shared/errors.js';
import {
  accountArn, newCreateAccountRequestId, onOrg, ouArn, page, requireManagement, requireMember, requireOrganization, rootArn, type PageInput,
} from '../shared/org.js';
import { accountShape } from '../shared/shapes.js';
import { requireParent } from '../ous/ou-rows.js';
import { joinOrganization, leaveOrganization, provisionAccessRole } from './account-rows.js';

/** CreateAccount and its status, the accounts of an organization, moving and removing them. */

interface CreateAccountInput {
  Email: string;
  AccountName: string;
  RoleName?: string;
}

interface StatusRow {
  request_id: string;
  account_name: string;
  state: string;
  new_account: string | null;
  failure: string | null;
  requested_at: number;
  completed_at: number | null;
}

function statusShape(row: StatusRow, view: 'requested' | 'now'): Record<string, unknown> {
  // CreateAccount answers while AWS still works in the background: IN_PROGRESS, no account yet.
  if (view === 'requested') return { Id: row.request_id, AccountName: row.account_name, State: 'IN_PROGRESS', RequestedTimestamp: new Date(row.requested_at) };
  return {
    Id: row.request_id,
    AccountName: row.account_name,
    State: row.state,
    RequestedTimestamp: new Date(row.requested_at),
    CompletedTimestamp: row.completed_at === null ? undefined : new Date(row.completed_at),
    AccountId: row.new_account ?? undefined,
    FailureReason: row.failure ?? undefined,
  };
}

/** A 12-digit ID no account on this server has. */
function newAccountId(ctx: RequestContext): string {
  for (;;) {
    const id = String(randomInt(100000000000, 1000000000000));
    if (!findAccount(ctx.store, id)) return id;
  }
}

/**
 * A real new account on this server, a member from the start, with the role the
 * management account can assume into it. AWS creates it asynchronously: the answer says
 * IN_PROGRESS and DescribeCreateAccountStatus then says SUCCEEDED (or FAILED, with why).
 */
export const CreateAccount = operation({
  writes: true,
  authorize: () => ({ action: 'organizations:CreateAccount', resource: '*' }),
  run: (ctx: RequestContext, input: CreateAccountInput) => {
    const org = requireManagement(ctx);
    const row: StatusRow & { account_id: string; org_id: string } = {
      request_id: newCreateAccountRequestId(), account_id: org.account_id, org_id: org.org_id, account_name: input.AccountName,
      state: 'SUCCEEDED', new_account: null, failure: null, requested_at: ctx.now, completed_at: ctx.now,
    };
    const taken = ctx.store.prepare('SELECT 1 AS one FROM org_accounts WHERE lower(email) = lower(?)').get(input.Email);
    if (taken) {
      row.state = 'FAILED';
      row.failure = 'EMAIL_ALREADY_EXISTS';
    } else {
      const accountId = newAccountId(ctx);
      ensureAccount(ctx.store, accountId);
      joinOrganization(ctx, org, accountId, { name: input.AccountName, email: input.Email, method: 'CREATED' });
      provisionAccessRole(ctx, org, accountId, input.RoleName ?? 'OrganizationAccountAccessRole');
      row.new_account = accountId;
    }
    ctx.store
      .prepare(
        `INSERT INTO org_create_account_status (request_id, account_id, org_id, account_name, state, new_account, failure, requested_at, completed_at)
         VALUES (@request_id, @account_id, @org_id, @account_name, @state, @new_account, @failure, @requested_at, @completed_at)`,
      )
      .run(row);
    return { CreateAccountStatus: statusShape(row, 'requested') };
  },
});

export const DescribeCreateAccountStatus = operation({
  writes: false,
  authorize: () => ({ action: 'organizations:DescribeCreateAccountStatus', resource: '*' }),
  run: (ctx: RequestContext, input: { CreateAccountRequestId: string }) => {
    const org = requireManagement(ctx);
    const row = ctx.store.prepare<StatusRow>('SELECT * FROM org_create_account_status WHERE request_id = ? AND org_id = ?').get(input.CreateAccountRequestId, org.org_id);
    if (!row) throw createAccountStatusNotFound();
    return { CreateAccountStatus: statusShape(row, 'now') };
  },
});

export const ListCreateAccountStatus = operation({
  writes: false,
  authorize: () => ({ action: 'organizations:ListCreateAccountStatus', resource: '*' }),
  run: (ctx: RequestContext, input: PageInput & { States?: string[] }) => {
    const org = requireManagement(ctx);
    const rows = ctx.store
      .prepare<StatusRow>('SELECT * FROM org_create_account_status WHERE org_id = ? ORDER BY requested_at, request_id')
      .all(org.org_id)
      .filter((r) => !input.States?.length || input.States.includes(r.state));
    const { items, NextToken } = page(rows, input);
    return { CreateAccountStatuses: items.map((r) => statusShape(r, 'now')), NextToken };
  },
});

function accountsOf(ctx: RequestContext, org: OrganizationRow, parentId?: string): OrgAccountRow[] {
  const all = ctx.store.prepare<OrgAccountRow>('SELECT * FROM org_accounts WHERE org_id = ? ORDER BY joined_at, member_id').all(org.org_id);
  return parentId === undefined ? all : all.filter((a) => a.parent_id === parentId);
}

export const DescribeAccount = operation({
  writes: false,
  authorize: (ctx: RequestContext, input: { AccountId: string }) => onOrg(ctx, 'organizations:DescribeAccount', (org) => accountArn(org, input.AccountId)),
  run: (ctx: RequestContext, input: { AccountId: string }) => {
    const org = requireManagement(ctx);
    return { Account: accountShape(org, requireMember(ctx.store, org, input.AccountId)) };
  },
});

export const ListAccounts = operation({
  writes: false,
  authorize: () => ({ action: 'organizations:ListAccounts', resource: '*' }),
  run: (ctx: RequestContext, input: PageInput) => {
    const org = requireManagement(ctx);
    const { items, NextToken } = page(accountsOf(ctx, org), input);
    return { Accounts: items.map((a) => accountShape(org, a)), NextToken };
  },
});

const parentArn = (org: OrganizationRow, id: string) => (id.startsWith('r-') ? rootArn(org, id) : ouArn(org, id));

export const ListAccountsForParent = operation({
  writes: false,
  authorize: (ctx: RequestContext, input: { ParentId: string }) => onOrg(ctx, 'organizations:ListAccountsForParent', (org) => parentArn(org, input.ParentId)),
  run: (ctx: RequestContext, input: PageInput & { ParentId: string }) => {
    const org = requireManagement(ctx);
    requireParent(ctx.store, org, input.ParentId);
    const { items, NextToken } = page(accountsOf(ctx, org, input.ParentId), input);
    return { Accounts: items.map((a) => accountShape(org, a)), NextToken };
  },
});

interface MoveAccountInput {
  AccountId: string;
  SourceParentId: string;
  DestinationParentId: string;
}

export const MoveAccount = operation({
  writes: true,
  authorize: (ctx: RequestContext, input: MoveAccountInput) => [
    onOrg(ctx, 'organizations:MoveAccount', (org) => accountArn(org, input.AccountId)),
    onOrg(ctx, 'organizations:MoveAccount', (org) => parentArn(org, input.SourceParentId)),
    onOrg(ctx, 'organizations:MoveAccount', (org) => parentArn(org, input.DestinationParentId)),
  ],
  run: (ctx: RequestContext, input: MoveAccountInput) => {
    const org = requireManagement(ctx);
    const account = requireMember(ctx.store, org, input.AccountId);
    if (!parentExists(ctx, org, input.SourceParentId)) throw new AwsError('SourceParentNotFoundException', "You specified a source parent ID that doesn't exist.", 400);
    if (!parentExists(ctx, org, input.DestinationParentId)) throw new AwsError('DestinationParentNotFoundException', "You specified a destination parent that doesn't exist.", 400);
    if (account.parent_id !== input.SourceParentId) throw accountNotFound();
    if (account.parent_id === input.DestinationParentId) throw new AwsError('DuplicateAccountException', 'That account is already present in the specified destination.', 400);
    ctx.store.prepare('UPDATE org_accounts SET parent_id = ? WHERE member_id = ?').run(input.DestinationParentId, input.AccountId);
    return {};
  },
});

function parentExists(ctx: RequestContext, org: OrganizationRow, id: string): boolean {
  try {
    requireParent(ctx.store, org, id);
    return true;
  } catch {
    return false;
  }
}

const managementCannotLeave = () =>
  new AwsError(
    'MasterCannotLeaveOrganizationException',
    "You can't remove a management account from an organization. If you want the management account to become a member account in another organization, you must first delete the current organization.",
    400,
  );

export const RemoveAccountFromOrganization = operation({
  writes: true,
  authorize: (ctx: RequestContext, input: { AccountId: string }) => onOrg(ctx, 'organizations:RemoveAccountFromOrganization', (org) => accountArn(org, input.AccountId)),
  run: (ctx: RequestContext, input: { AccountId: string }) => {
    const org = requireManagement(ctx);
    requireMember(ctx.store, org, input.AccountId);
    if (input.AccountId === org.account_id) throw managementCannotLeave();
    leaveOrganization(ctx.store, org, input.AccountId);
    return {};
  },
});

/** A member account leaves on its own (its principals need organizations:LeaveOrganization, and SCPs may deny it). */
export const LeaveOrganization = operation({
  writes: true,
  authorize: () => ({ action: 'organizations:LeaveOrganization', resource: '*' }),
  run: (ctx: RequestContext) => {
    const org = requireOrganization(ctx);
    if (org.account_id === ctx.accountId) throw managementCannotLeave();
    leaveOrganization(ctx.store, org, ctx.accountId);
    return {};
  },
});

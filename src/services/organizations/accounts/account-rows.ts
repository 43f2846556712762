import type { Store } from '../../../store/store.js';
import type { RequestContext } from '../../types.js';
import type { OrganizationRow, PolicyTypeName } from '../../../identity/organization.js';
import { AWS_MANAGED_ORG_POLICIES } from '../../../identity/organization.js';
import { enabledTypes, rootOf } from '../shared/shapes.js';
import { insertRole } from '../../iam/roles/role-rows.js';
import { findRole } from '../../../identity/roles.js';

/** Member accounts: joining an organization, and what joining brings with it. */

/** An account's display name when the API gives none: its IAM alias, else its ID. */
export function accountName(store: Store, accountId: string): string {
  return store.prepare<{ alias: string }>('SELECT alias FROM account_aliases WHERE account_id = ?').get(accountId)?.alias ?? accountId;
}

/** The email of an account that never gave one (the management account, an invited one): iamlocal has none to report. */
export function accountEmail(accountId: string): string {
  return `${accountId}@accounts.iamlocal.invalid`;
}

/** Adds the account under the root, with the default policies of every enabled type. */
export function joinOrganization(
  ctx: RequestContext, org: OrganizationRow, accountId: string, how: { name: string; email: string; method: 'CREATED' | 'INVITED' },
): void {
  const root = rootOf(ctx.store, org);
  ctx.store
    .prepare(
      `INSERT INTO org_accounts (member_id, account_id, org_id, parent_id, name, email, status, joined_method, joined_at)
       VALUES (?, ?, ?, ?, ?, ?, 'ACTIVE', ?, ?)`,
    )
    .run(accountId, org.account_id, org.org_id, root.root_id, how.name, how.email, how.method, ctx.now);
  attachDefaults(ctx, org, accountId);
}

/** Every new target (OU, account) gets AWS's full-access policy of each enabled type, as AWS attaches it. */
export function attachDefaults(ctx: RequestContext, org: OrganizationRow, targetId: string): void {
  for (const t of enabledTypes(rootOf(ctx.store, org))) {
    if (t.Status !== 'ENABLED') continue;
    const managed = AWS_MANAGED_ORG_POLICIES[t.Type];
    if (managed) attach(ctx.store, org, managed.id, t.Type, targetId, ctx.now);
  }
}

export function attach(store: Store, org: OrganizationRow, policyId: string, type: PolicyTypeName, targetId: string, now: number): void {
  store
    .prepare('INSERT OR IGNORE INTO org_policy_attachments (account_id, org_id, policy_id, policy_type, target_id, attached_at) VALUES (?, ?, ?, ?, ?, ?)')
    .run(org.account_id, org.org_id, policyId, type, targetId, now);
}

/** Leaving: the membership and every policy attached to the account go. */
export function leaveOrganization(store: Store, org: OrganizationRow, accountId: string): void {
  store.prepare('DELETE FROM org_policy_attachments WHERE org_id = ? AND target_id = ?').run(org.org_id, accountId);
  store.prepare('DELETE FROM org_accounts WHERE member_id = ?').run(accountId);
}

const ADMINISTRATOR_ACCESS = 'arn:aws:iam::aws:policy/AdministratorAccess';

/**
 * The role CreateAccount makes in the new account (OrganizationAccountAccessRole unless
 * named otherwise): full administrator access, assumable by the management account.
 */
export function provisionAccessRole(ctx: RequestContext, org: OrganizationRow, accountId: string, roleName: string): void {
  if (findRole(ctx.store, accountId, roleName)) return;
  const trust = {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${org.account_id}:root` }, Action: 'sts:AssumeRole' }],
  };
  const row = insertRole({ ...ctx, accountId }, { roleName, path: '/', trustPolicy: JSON.stringify(trust) });
  ctx.store
    .prepare('INSERT INTO role_policy_attachments (account_id, role_id, policy_arn, attached_at) VALUES (?, ?, ?, ?)')
    .run(accountId, row.role_id, ADMINISTRATOR_ACCESS, ctx.now);
}

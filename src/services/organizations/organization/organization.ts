import { AwsError } from '../../../protocol/errors.js';
import { operation } from '../../operation.js';
import type { RequestContext } from '../../types.js';
import { alreadyInOrganization } from '../shared/errors.js';
import { callerOrganization, newOrganizationId, newRootId, onOrg, requireManagement, requireOrganization } from '../shared/org.js';
import { organizationShape } from '../shared/shapes.js';
import { accountEmail, accountName } from '../accounts/account-rows.js';

/** CreateOrganization, DescribeOrganization, DeleteOrganization. */

interface CreateOrganizationInput {
  FeatureSet?: 'ALL' | 'CONSOLIDATED_BILLING';
}

/** The caller's account becomes the management account of a new organization with one root. */
export const CreateOrganization = operation({
  writes: true,
  authorize: () => ({ action: 'organizations:CreateOrganization', resource: '*' }),
  run: (ctx: RequestContext, input: CreateOrganizationInput) => {
    if (callerOrganization(ctx.store, ctx.accountId)) throw alreadyInOrganization();
    const org = { org_id: newOrganizationId(), account_id: ctx.accountId, feature_set: input.FeatureSet ?? 'ALL', created_at: ctx.now };
    ctx.store.prepare('INSERT INTO org_organizations (org_id, account_id, feature_set, created_at) VALUES (@org_id, @account_id, @feature_set, @created_at)').run(org);
    const rootId = newRootId();
    ctx.store.prepare("INSERT INTO org_roots (root_id, account_id, org_id, name, policy_types) VALUES (?, ?, ?, 'Root', '[]')").run(rootId, ctx.accountId, org.org_id);
    ctx.store
      .prepare(
        `INSERT INTO org_accounts (member_id, account_id, org_id, parent_id, name, email, status, joined_method, joined_at)
         VALUES (?, ?, ?, ?, ?, ?, 'ACTIVE', 'INVITED', ?)`,
      )
      .run(ctx.accountId, ctx.accountId, org.org_id, rootId, accountName(ctx.store, ctx.accountId), accountEmail(ctx.accountId), ctx.now);
    return { Organization: organizationShape(ctx.store, org) };
  },
});

export const DescribeOrganization = operation({
  writes: false,
  authorize: () => ({ action: 'organizations:DescribeOrganization', resource: '*' }),
  run: (ctx: RequestContext) => ({ Organization: organizationShape(ctx.store, requireOrganization(ctx)) }),
});

/** Only an organization whose one account is its management account can be deleted. */
export const DeleteOrganization = operation({
  writes: true,
  authorize: (ctx: RequestContext) => onOrg(ctx, 'organizations:DeleteOrganization', (org) => `arn:aws:organizations::${org.account_id}:organization/${org.org_id}`),
  run: (ctx: RequestContext) => {
    const org = requireManagement(ctx);
    const members = ctx.store.prepare<{ n: number }>('SELECT count(*) AS n FROM org_accounts WHERE org_id = ? AND member_id != ?').get(org.org_id, org.account_id)!.n;
    if (members > 0) {
      throw new AwsError('OrganizationNotEmptyException', 'To delete an organization you must first remove all member accounts (except the management account).', 400);
    }
    for (const table of ['org_policy_attachments', 'org_policies', 'org_ous', 'org_accounts', 'org_roots', 'org_handshakes', 'org_create_account_status']) {
      ctx.store.prepare(`DELETE FROM ${table} WHERE org_id = ?`).run(org.org_id);
    }
    ctx.store.prepare('DELETE FROM org_organizations WHERE org_id = ?').run(org.org_id);
    return {};
  },
});

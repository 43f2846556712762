import { AwsError } from '../../../protocol/errors.js';
import type { OrganizationRow } from '../../../identity/organization.js';
import { operation } from '../../operation.js';
import type { RequestContext } from '../../types.js';
import { attachDefaults } from '../accounts/account-rows.js';
import { childNotFound, constraintViolation } from '../shared/errors.js';
import { newOuId, onOrg, ouArn, page, requireManagement, rootArn, accountArn, type PageInput } from '../shared/org.js';
import { ouShape, rootOf, type OuRow } from '../shared/shapes.js';
import { depthOf, requireOu, requireParent } from './ou-rows.js';

/** Organizational units: create, rename, delete, describe, list; and the tree: parents and children. */

/** AWS's limit: OUs nest at most five deep under the root. */
const MAX_OU_DEPTH = 5;

const parentArn = (org: OrganizationRow, id: string) => (id.startsWith('r-') ? rootArn(org, id) : ouArn(org, id));

const duplicateOu = () => new AwsError('DuplicateOrganizationalUnitException', 'An OU with the same name already exists.', 400);

function nameTaken(ctx: RequestContext, org: OrganizationRow, parentId: string, name: string, except?: string): boolean {
  return ctx.store
    .prepare<{ ou_id: string }>('SELECT ou_id FROM org_ous WHERE org_id = ? AND parent_id = ? AND name = ?')
    .all(org.org_id, parentId, name)
    .some((r) => r.ou_id !== except);
}

export const CreateOrganizationalUnit = operation({
  writes: true,
  authorize: (ctx: RequestContext, input: { ParentId: string }) => onOrg(ctx, 'organizations:CreateOrganizationalUnit', (org) => parentArn(org, input.ParentId)),
  run: (ctx: RequestContext, input: { ParentId: string; Name: string }) => {
    const org = requireManagement(ctx);
    requireParent(ctx.store, org, input.ParentId);
    if (depthOf(ctx.store, org, input.ParentId) >= MAX_OU_DEPTH) {
      throw constraintViolation('OU_DEPTH_LIMIT_EXCEEDED', 'You have attempted to create an OU tree that is too many levels deep.');
    }
    if (nameTaken(ctx, org, input.ParentId, input.Name)) throw duplicateOu();
    const row: OuRow = { ou_id: newOuId(rootOf(ctx.store, org).root_id), account_id: org.account_id, org_id: org.org_id, parent_id: input.ParentId, name: input.Name, created_at: ctx.now };
    ctx.store.prepare('INSERT INTO org_ous (ou_id, account_id, org_id, parent_id, name, created_at) VALUES (@ou_id, @account_id, @org_id, @parent_id, @name, @created_at)').run(row);
    attachDefaults(ctx, org, row.ou_id);
    return { OrganizationalUnit: ouShape(org, row) };
  },
});

export const UpdateOrganizationalUnit = operation({
  writes: true,
  authorize: (ctx: RequestContext, input: { OrganizationalUnitId: string }) => onOrg(ctx, 'organizations:UpdateOrganizationalUnit', (org) => ouArn(org, input.OrganizationalUnitId)),
  run: (ctx: RequestContext, input: { OrganizationalUnitId: string; Name?: string }) => {
    const org = requireManagement(ctx);
    const ou = requireOu(ctx.store, org, input.OrganizationalUnitId);
    if (input.Name !== undefined && input.Name !== ou.name) {
      if (nameTaken(ctx, org, ou.parent_id, input.Name, ou.ou_id)) throw duplicateOu();
      ctx.store.prepare('UPDATE org_ous SET name = ? WHERE ou_id = ?').run(input.Name, ou.ou_id);
    }
    return { OrganizationalUnit: ouShape(org, requireOu(ctx.store, org, ou.ou_id)) };
  },
});

export const DeleteOrganizationalUnit = operation({
  writes: true,
  authorize: (ctx: RequestContext, input: { OrganizationalUnitId: string }) => onOrg(ctx, 'organizations:DeleteOrganizationalUnit', (org) => ouArn(org, input.OrganizationalUnitId)),
  run: (ctx: RequestContext, input: { OrganizationalUnitId: string }) => {
    const org = requireManagement(ctx);
    const ou = requireOu(ctx.store, org, input.OrganizationalUnitId);
    const child = ctx.store.prepare('SELECT 1 AS one FROM org_ous WHERE parent_id = ? UNION ALL SELECT 1 FROM org_accounts WHERE parent_id = ? LIMIT 1').get(ou.ou_id, ou.ou_id);
    if (child) {
      throw new AwsError('OrganizationalUnitNotEmptyException', 'The specified OU is not empty. Move all accounts to another root or to other OUs, remove all child OUs, and try the operation again.', 400);
    }
    ctx.store.prepare('DELETE FROM org_policy_attachments WHERE org_id = ? AND target_id = ?').run(org.org_id, ou.ou_id);
    ctx.store.prepare('DELETE FROM org_ous WHERE ou_id = ?').run(ou.ou_id);
    return {};
  },
});

export const DescribeOrganizationalUnit = operation({
  writes: false,
  authorize: (ctx: RequestContext, input: { OrganizationalUnitId: string }) => onOrg(ctx, 'organizations:DescribeOrganizationalUnit', (org) => ouArn(org, input.OrganizationalUnitId)),
  run: (ctx: RequestContext, input: { OrganizationalUnitId: string }) => {
    const org = requireManagement(ctx);
    return { OrganizationalUnit: ouShape(org, requireOu(ctx.store, org, input.OrganizationalUnitId)) };
  },
});

function ousUnder(ctx: RequestContext, org: OrganizationRow, parentId: string): OuRow[] {
  return ctx.store.prepare<OuRow>('SELECT * FROM org_ous WHERE org_id = ? AND parent_id = ? ORDER BY created_at, ou_id').all(org.org_id, parentId);
}

export const ListOrganizationalUnitsForParent = operation({
  writes: false,
  authorize: (ctx: RequestContext, input: { ParentId: string }) => onOrg(ctx, 'organizations:ListOrganizationalUnitsForParent', (org) => parentArn(org, input.ParentId)),
  run: (ctx: RequestContext, input: PageInput & { ParentId: string }) => {
    const org = requireManagement(ctx);
    requireParent(ctx.store, org, input.ParentId);
    const { items, NextToken } = page(ousUnder(ctx, org, input.ParentId), input);
    return { OrganizationalUnits: items.map((ou) => ouShape(org, ou)), NextToken };
  },
});

export const ListParents = operation({
  writes: false,
  authorize: (ctx: RequestContext, input: { ChildId: string }) =>
    onOrg(ctx, 'organizations:ListParents', (org) => (input.ChildId.startsWith('ou-') ? ouArn(org, input.ChildId) : accountArn(org, input.ChildId))),
  run: (ctx: RequestContext, input: PageInput & { ChildId: string }) => {
    const org = requireManagement(ctx);
    const row = input.ChildId.startsWith('ou-')
      ? ctx.store.prepare<{ parent_id: string }>('SELECT parent_id FROM org_ous WHERE ou_id = ? AND org_id = ?').get(input.ChildId, org.org_id)
      : ctx.store.prepare<{ parent_id: string }>('SELECT parent_id FROM org_accounts WHERE member_id = ? AND org_id = ?').get(input.ChildId, org.org_id);
    if (!row) throw childNotFound();
    return { Parents: [{ Id: row.parent_id, Type: row.parent_id.startsWith('r-') ? 'ROOT' : 'ORGANIZATIONAL_UNIT' }] };
  },
});

export const ListChildren = operation({
  writes: false,
  authorize: (ctx: RequestContext, input: { ParentId: string }) => onOrg(ctx, 'organizations:ListChildren', (org) => parentArn(org, input.ParentId)),
  run: (ctx: RequestContext, input: PageInput & { ParentId: string; ChildType: 'ACCOUNT' | 'ORGANIZATIONAL_UNIT' }) => {
    const org = requireManagement(ctx);
    requireParent(ctx.store, org, input.ParentId);
    const ids =
      input.ChildType === 'ORGANIZATIONAL_UNIT'
        ? ousUnder(ctx, org, input.ParentId).map((o) => o.ou_id)
        : ctx.store
            .prepare<{ member_id: string }>('SELECT member_id FROM org_accounts WHERE org_id = ? AND parent_id = ? ORDER BY joined_at, member_id')
            .all(org.org_id, input.ParentId)
            .map((a) => a.member_id);
    const { items, NextToken } = page(ids, input);
    return { Children: items.map((Id) => ({ Id, Type: input.ChildType })), NextToken };
  },
});

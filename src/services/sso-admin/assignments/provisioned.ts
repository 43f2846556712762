import { randomUUID } from 'node:crypto';
import { operation } from '../../operation.js';
import type { RequestContext } from '../../types.js';
import { pageOf } from '../../identitystore/shared/paging.js';
import type { InstanceRow } from '../../identitystore/shared/rows.js';
import { accountArn, notFound, onInstance, permissionSetArn, requireInstance, requirePermissionSet, validation, type PermissionSetRow } from '../shared/sso.js';
import { provision, requireMemberAccount } from './provisioning.js';
import { recordRequest, type RequestRow } from './assignments.js';

/**
 * ProvisionPermissionSet and what is provisioned where: after a permission set changes,
 * its roles stay as they were until it is provisioned again (AWS's
 * LATEST_PERMISSION_SET_NOT_PROVISIONED), one account or all of them.
 */

interface ProvisionInput {
  InstanceArn: string;
  PermissionSetArn: string;
  TargetId?: string;
  TargetType: 'AWS_ACCOUNT' | 'ALL_PROVISIONED_ACCOUNTS';
}

function provisioningShape(row: RequestRow, asAnswered = false): Record<string, unknown> {
  return {
    Status: asAnswered ? 'IN_PROGRESS' : row.status,
    RequestId: row.request_id,
    AccountId: row.target_account ?? undefined,
    PermissionSetArn: permissionSetArn(row.instance_id, row.permission_set_id),
    FailureReason: asAnswered ? undefined : row.failure ?? undefined,
    CreatedDate: new Date(row.created_at),
  };
}

function provisionedAccounts(ctx: RequestContext, ps: PermissionSetRow): Array<{ target_account: string; provisioned_at: number }> {
  return ctx.store
    .prepare<{ target_account: string; provisioned_at: number }>('SELECT target_account, provisioned_at FROM sso_provisioned WHERE permission_set_id = ? ORDER BY target_account')
    .all(ps.permission_set_id);
}

export const ProvisionPermissionSet = operation({
  writes: true,
  authorize: (_ctx: RequestContext, input: ProvisionInput) =>
    onInstance('sso:ProvisionPermissionSet', input.InstanceArn, input.PermissionSetArn, ...(input.TargetId ? [accountArn(input.TargetId)] : [])),
  run: (ctx: RequestContext, input: ProvisionInput) => {
    const instance = requireInstance(ctx, input.InstanceArn);
    const ps = requirePermissionSet(ctx, instance, input.PermissionSetArn);
    let targets: string[];
    if (input.TargetType === 'AWS_ACCOUNT') {
      if (!input.TargetId) throw validation('TargetId is required when TargetType is AWS_ACCOUNT.');
      requireMemberAccount(ctx, instance, input.TargetId);
      targets = [input.TargetId];
    } else {
      if (input.TargetId) throw validation('TargetId must not be given when TargetType is ALL_PROVISIONED_ACCOUNTS.');
      targets = provisionedAccounts(ctx, ps).map((r) => r.target_account);
    }
    const request: RequestRow = {
      request_id: randomUUID(), account_id: ctx.accountId, instance_id: instance.instance_id, kind: 'PROVISION', status: 'SUCCEEDED', failure: null,
      target_account: input.TargetId ?? null, permission_set_id: ps.permission_set_id, principal_type: null, principal_id: null, created_at: ctx.now,
    };
    for (const target of targets) {
      const failure = provision(ctx, instance, ps, target);
      if (failure) {
        request.status = 'FAILED';
        request.failure = failure;
        break;
      }
    }
    recordRequest(ctx, request);
    return { PermissionSetProvisioningStatus: provisioningShape(request, true) };
  },
});

export const DescribePermissionSetProvisioningStatus = operation({
  writes: false,
  authorize: (_ctx: RequestContext, input: { InstanceArn: string }) => onInstance('sso:DescribePermissionSetProvisioningStatus', input.InstanceArn),
  run: (ctx: RequestContext, input: { InstanceArn: string; ProvisionPermissionSetRequestId: string }) => {
    const instance = requireInstance(ctx, input.InstanceArn);
    const row = ctx.store
      .prepare<RequestRow>("SELECT * FROM sso_requests WHERE request_id = ? AND instance_id = ? AND kind = 'PROVISION'")
      .get(input.ProvisionPermissionSetRequestId, instance.instance_id);
    if (!row) throw notFound(`Request ${input.ProvisionPermissionSetRequestId} does not exist.`);
    return { PermissionSetProvisioningStatus: provisioningShape(row) };
  },
});

export const ListPermissionSetProvisioningStatus = operation({
  writes: false,
  authorize: (_ctx: RequestContext, input: { InstanceArn: string }) => onInstance('sso:ListPermissionSetProvisioningStatus', input.InstanceArn),
  run: (ctx: RequestContext, input: { InstanceArn: string; Filter?: { Status?: string }; MaxResults?: number; NextToken?: string }) => {
    const instance = requireInstance(ctx, input.InstanceArn);
    const rows = ctx.store
      .prepare<RequestRow>("SELECT * FROM sso_requests WHERE instance_id = ? AND kind = 'PROVISION' ORDER BY created_at, request_id")
      .all(instance.instance_id)
      .filter((r) => !input.Filter?.Status || r.status === input.Filter.Status);
    const { items, next } = pageOf(rows, input.NextToken, input.MaxResults);
    return { PermissionSetsProvisioningStatus: items.map((r) => ({ Status: r.status, RequestId: r.request_id, CreatedDate: new Date(r.created_at) })), NextToken: next };
  },
});

type ProvisioningFilter = 'LATEST_PERMISSION_SET_PROVISIONED' | 'LATEST_PERMISSION_SET_NOT_PROVISIONED';

function keeps(filter: ProvisioningFilter | undefined, ps: PermissionSetRow, provisionedAt: number): boolean {
  if (!filter) return true;
  const latest = provisionedAt >= ps.changed_at;
  return filter === 'LATEST_PERMISSION_SET_PROVISIONED' ? latest : !latest;
}

export const ListPermissionSetsProvisionedToAccount = operation({
  writes: false,
  authorize: (_ctx: RequestContext, input: { InstanceArn: string; AccountId: string }) =>
    onInstance('sso:ListPermissionSetsProvisionedToAccount', input.InstanceArn, accountArn(input.AccountId)),
  run: (ctx: RequestContext, input: { InstanceArn: string; AccountId: string; ProvisioningStatus?: ProvisioningFilter; MaxResults?: number; NextToken?: string }) => {
    const instance: InstanceRow = requireInstance(ctx, input.InstanceArn);
    const rows = ctx.store
      .prepare<PermissionSetRow & { provisioned_at: number }>(
        `SELECT ps.*, p.provisioned_at FROM sso_provisioned p JOIN sso_permission_sets ps USING (permission_set_id)
         WHERE ps.instance_id = ? AND p.target_account = ? ORDER BY ps.created_at`,
      )
      .all(instance.instance_id, input.AccountId)
      .filter((r) => keeps(input.ProvisioningStatus, r, r.provisioned_at));
    const { items, next } = pageOf(rows, input.NextToken, input.MaxResults);
    return { PermissionSets: items.map((r) => permissionSetArn(r.instance_id, r.permission_set_id)), NextToken: next };
  },
});

export const ListAccountsForProvisionedPermissionSet = operation({
  writes: false,
  authorize: (_ctx: RequestContext, input: { InstanceArn: string; PermissionSetArn: string }) =>
    onInstance('sso:ListAccountsForProvisionedPermissionSet', input.InstanceArn, input.PermissionSetArn),
  run: (ctx: RequestContext, input: { InstanceArn: string; PermissionSetArn: string; ProvisioningStatus?: ProvisioningFilter; MaxResults?: number; NextToken?: string }) => {
    const instance = requireInstance(ctx, input.InstanceArn);
    const ps = requirePermissionSet(ctx, instance, input.PermissionSetArn);
    const rows = provisionedAccounts(ctx, ps).filter((r) => keeps(input.ProvisioningStatus, ps, r.provisioned_at));
    const { items, next } = pageOf(rows, input.NextToken, input.MaxResults);
    return { AccountIds: items.map((r) => r.target_account), NextToken: next };
  },
});

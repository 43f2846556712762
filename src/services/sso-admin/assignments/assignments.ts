import { randomUUID } from 'node:crypto';
import { operation } from '../../operation.js';
import type { RequestContext } from '../../types.js';
import { pageOf } from '../../identitystore/shared/paging.js';
import { findGroup, findUser, type InstanceRow } from '../../identitystore/shared/rows.js';
import {
  accountArn, notFound, onInstance, permissionSetArn, requireInstance, requirePermissionSet, type PermissionSetRow,
} from '../shared/sso.js';
import { deprovisionIfUnassigned, provision, requireMemberAccount } from './provisioning.js';

/**
 * Account assignments: a user or group of the identity store gets a permission set in a
 * member account. AWS answers IN_PROGRESS and works in the background; iamlocal does the
 * work at once, so the Describe…Status that follows says SUCCEEDED (or FAILED, and why).
 */

export interface RequestRow {
  request_id: string;
  account_id: string;
  instance_id: string;
  kind: 'CREATE_ASSIGNMENT' | 'DELETE_ASSIGNMENT' | 'PROVISION';
  status: 'SUCCEEDED' | 'FAILED';
  failure: string | null;
  target_account: string | null;
  permission_set_id: string;
  principal_type: string | null;
  principal_id: string | null;
  created_at: number;
}

export function assignmentStatusShape(row: RequestRow, asAnswered = false): Record<string, unknown> {
  return {
    Status: asAnswered ? 'IN_PROGRESS' : row.status,
    RequestId: row.request_id,
    FailureReason: asAnswered ? undefined : row.failure ?? undefined,
    TargetId: row.target_account ?? undefined,
    TargetType: 'AWS_ACCOUNT',
    PermissionSetArn: permissionSetArn(row.instance_id, row.permission_set_id),
    PrincipalType: row.principal_type ?? undefined,
    PrincipalId: row.principal_id ?? undefined,
    CreatedDate: new Date(row.created_at),
  };
}

export function recordRequest(ctx: RequestContext, row: RequestRow): void {
  ctx.store
    .prepare(
      `INSERT INTO sso_requests (request_id, account_id, instance_id, kind, status, failure, target_account, permission_set_id, principal_type, principal_id, created_at)
       VALUES (@request_id, @account_id, @instance_id, @kind, @status, @failure, @target_account, @permission_set_id, @principal_type, @principal_id, @created_at)`,
    )
    .run(row);
}

interface AssignmentInput {
  InstanceArn: string;
  TargetId: string;
  TargetType: 'AWS_ACCOUNT';
  PermissionSetArn: string;
  PrincipalType: 'USER' | 'GROUP';
  PrincipalId: string;
}

const assignmentEntries = (action: string) => (_ctx: RequestContext, input: AssignmentInput) =>
  onInstance(action, input.InstanceArn, input.PermissionSetArn, accountArn(input.TargetId));

function requirePrincipal(ctx: RequestContext, instance: InstanceRow, type: string, id: string): void {
  const found = type === 'USER' ? findUser(ctx.store, instance.identity_store_id, id) : findGroup(ctx.store, instance.identity_store_id, id);
  if (!found) throw notFound(`${type === 'USER' ? 'User' : 'Group'} ${id} does not exist in the identity store ${instance.identity_store_id}.`);
}

function newRequest(ctx: RequestContext, instance: InstanceRow, ps: PermissionSetRow, kind: RequestRow['kind'], input: Partial<AssignmentInput>): RequestRow {
  return {
    request_id: randomUUID(), account_id: ctx.accountId, instance_id: instance.instance_id, kind, status: 'SUCCEEDED', failure: null,
    target_account: input.TargetId ?? null, permission_set_id: ps.permission_set_id, principal_type: input.PrincipalType ?? null,
    principal_id: input.PrincipalId ?? null, created_at: ctx.now,
  };
}

export const CreateAccountAssignment = operation({
  writes: true,
  authorize: assignmentEntries('sso:CreateAccountAssignment'),
  run: (ctx: RequestContext, input: AssignmentInput) => {
    const instance = requireInstance(ctx, input.InstanceArn);
    const ps = requirePermissionSet(ctx, instance, input.PermissionSetArn);
    requireMemberAccount(ctx, instance, input.TargetId);
    requirePrincipal(ctx, instance, input.PrincipalType, input.PrincipalId);
    const request = newRequest(ctx, instance, ps, 'CREATE_ASSIGNMENT', input);
    const failure = provision(ctx, instance, ps, input.TargetId);
    if (failure) {
      request.status = 'FAILED';
      request.failure = failure;
    } else {
      ctx.store
        .prepare(
          `INSERT OR IGNORE INTO sso_account_assignments (account_id, instance_id, target_account, permission_set_id, principal_type, principal_id, created_at)
           VALUES (?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(ctx.accountId, instance.instance_id, input.TargetId, ps.permission_set_id, input.PrincipalType, input.PrincipalId, ctx.now);
    }
    recordRequest(ctx, request);
    return { AccountAssignmentCreationStatus: assignmentStatusShape(request, true) };
  },
});

export const DeleteAccountAssignment = operation({
  writes: true,
  authorize: assignmentEntries('sso:DeleteAccountAssignment'),
  run: (ctx: RequestContext, input: AssignmentInput) => {
    const instance = requireInstance(ctx, input.InstanceArn);
    const ps = requirePermissionSet(ctx, instance, input.PermissionSetArn);
    const request = newRequest(ctx, instance, ps, 'DELETE_ASSIGNMENT', input);
    const gone = ctx.store
      .prepare('DELETE FROM sso_account_assignments WHERE instance_id = ? AND target_account = ? AND permission_set_id = ? AND principal_type = ? AND principal_id = ?')
      .run(instance.instance_id, input.TargetId, ps.permission_set_id, input.PrincipalType, input.PrincipalId);
    if (gone.changes === 0) {
      request.status = 'FAILED';
      request.failure = 'The account assignment does not exist.';
    } else deprovisionIfUnassigned(ctx, ps, input.TargetId);
    recordRequest(ctx, request);
    return { AccountAssignmentDeletionStatus: assignmentStatusShape(request, true) };
  },
});

function requireRequest(ctx: RequestContext, instance: InstanceRow, id: string, kind: RequestRow['kind']): RequestRow {
  const row = ctx.store.prepare<RequestRow>('SELECT * FROM sso_requests WHERE request_id = ? AND instance_id = ? AND kind = ?').get(id, instance.instance_id, kind);
  if (!row) throw notFound(`Request ${id} does not exist.`);
  return row;
}

export const DescribeAccountAssignmentCreationStatus = operation({
  writes: false,
  authorize: (_ctx: RequestContext, input: { InstanceArn: string }) => onInstance('sso:DescribeAccountAssignmentCreationStatus', input.InstanceArn),
  run: (ctx: RequestContext, input: { InstanceArn: string; AccountAssignmentCreationRequestId: string }) => {
    const instance = requireInstance(ctx, input.InstanceArn);
    return { AccountAssignmentCreationStatus: assignmentStatusShape(requireRequest(ctx, instance, input.AccountAssignmentCreationRequestId, 'CREATE_ASSIGNMENT')) };
  },
});

export const DescribeAccountAssignmentDeletionStatus = operation({
  writes: false,
  authorize: (_ctx: RequestContext, input: { InstanceArn: string }) => onInstance('sso:DescribeAccountAssignmentDeletionStatus', input.InstanceArn),
  run: (ctx: RequestContext, input: { InstanceArn: string; AccountAssignmentDeletionRequestId: string }) => {
    const instance = requireInstance(ctx, input.InstanceArn);
    return { AccountAssignmentDeletionStatus: assignmentStatusShape(requireRequest(ctx, instance, input.AccountAssignmentDeletionRequestId, 'DELETE_ASSIGNMENT')) };
  },
});

interface StatusListInput {
  InstanceArn: string;
  Filter?: { Status?: string };
  MaxResults?: number;
  NextToken?: string;
}

function statusList(ctx: RequestContext, input: StatusListInput, kind: RequestRow['kind']) {
  const instance = requireInstance(ctx, input.InstanceArn);
  const rows = ctx.store
    .prepare<RequestRow>('SELECT * FROM sso_requests WHERE instance_id = ? AND kind = ? ORDER BY created_at, request_id')
    .all(instance.instance_id, kind)
    .filter((r) => !input.Filter?.Status || input.Filter.Status === r.status);
  const { items, next } = pageOf(rows, input.NextToken, input.MaxResults);
  return { items: items.map((r) => ({ Status: r.status, RequestId: r.request_id, CreatedDate: new Date(r.created_at) })), next };
}

export const ListAccountAssignmentCreationStatus = operation({
  writes: false,
  authorize: (_ctx: RequestContext, input: StatusListInput) => onInstance('sso:ListAccountAssignmentCreationStatus', input.InstanceArn),
  run: (ctx: RequestContext, input: StatusListInput) => {
    const { items, next } = statusList(ctx, input, 'CREATE_ASSIGNMENT');
    return { AccountAssignmentsCreationStatus: items, NextToken: next };
  },
});

export const ListAccountAssignmentDeletionStatus = operation({
  writes: false,
  authorize: (_ctx: RequestContext, input: StatusListInput) => onInstance('sso:ListAccountAssignmentDeletionStatus', input.InstanceArn),
  run: (ctx: RequestContext, input: StatusListInput) => {
    const { items, next } = statusList(ctx, input, 'DELETE_ASSIGNMENT');
    return { AccountAssignmentsDeletionStatus: items, NextToken: next };
  },
});

interface AssignmentRow {
  target_account: string;
  permission_set_id: string;
  instance_id: string;
  principal_type: string;
  principal_id: string;
}

const assignmentShape = (r: AssignmentRow) => ({
  AccountId: r.target_account,
  PermissionSetArn: permissionSetArn(r.instance_id, r.permission_set_id),
  PrincipalType: r.principal_type,
  PrincipalId: r.principal_id,
});

interface ListAssignmentsInput {
  InstanceArn: string;
  AccountId: string;
  PermissionSetArn: string;
  MaxResults?: number;
  NextToken?: string;
}

export const ListAccountAssignments = operation({
  writes: false,
  authorize: (_ctx: RequestContext, input: ListAssignmentsInput) =>
    onInstance('sso:ListAccountAssignments', input.InstanceArn, input.PermissionSetArn, accountArn(input.AccountId)),
  run: (ctx: RequestContext, input: ListAssignmentsInput) => {
    const instance = requireInstance(ctx, input.InstanceArn);
    const ps = requirePermissionSet(ctx, instance, input.PermissionSetArn);
    const rows = ctx.store
      .prepare<AssignmentRow>('SELECT * FROM sso_account_assignments WHERE permission_set_id = ? AND target_account = ? ORDER BY created_at, principal_id')
      .all(ps.permission_set_id, input.AccountId);
    const { items, next } = pageOf(rows, input.NextToken, input.MaxResults);
    return { AccountAssignments: items.map(assignmentShape), NextToken: next };
  },
});

interface ForPrincipalInput {
  InstanceArn: string;
  PrincipalId: string;
  PrincipalType: 'USER' | 'GROUP';
  Filter?: { AccountId?: string };
  MaxResults?: number;
  NextToken?: string;
}

export const ListAccountAssignmentsForPrincipal = operation({
  writes: false,
  authorize: (_ctx: RequestContext, input: ForPrincipalInput) => onInstance('sso:ListAccountAssignmentsForPrincipal', input.InstanceArn),
  run: (ctx: RequestContext, input: ForPrincipalInput) => {
    const instance = requireInstance(ctx, input.InstanceArn);
    requirePrincipal(ctx, instance, input.PrincipalType, input.PrincipalId);
    const rows = ctx.store
      .prepare<AssignmentRow>('SELECT * FROM sso_account_assignments WHERE instance_id = ? AND principal_type = ? AND principal_id = ? ORDER BY created_at')
      .all(instance.instance_id, input.PrincipalType, input.PrincipalId)
      .filter((r) => !input.Filter?.AccountId || r.target_account === input.Filter.AccountId);
    const { items, next } = pageOf(rows, input.NextToken, input.MaxResults);
    return { AccountAssignments: items.map(assignmentShape), NextToken: next };
  },
});


import { randomUUID } from 'node:crypto';
import { operation } from '../../operation.js';
import { invalidInput, noSuchEntity } from '../../../identity/errors.js';
import { awsManagedPolicy } from '../../../identity/aws-managed-catalog.js';
import { findRole, requireRole, roleArn, roleShape } from '../../../identity/roles.js';
import { linkedServiceFor, serviceLinkedRoleName, serviceLinkedRolePath, trustPolicyFor } from './linked-services.js';
import { onRole } from './role-resource.js';
import { insertRole, removeRole } from './role-rows.js';

/**
 * Service-linked roles: made by (or for) an AWS service, at /aws-service-role/<service>/,
 * named as the service names them, trusting only that service, with the service's
 * managed policy attached. Only the service may change or delete them
 * (UnmodifiableEntity otherwise) — DeleteServiceLinkedRole is the customer's way.
 */

type CreateServiceLinkedRoleInput = { AWSServiceName: string; Description?: string; CustomSuffix?: string };

export const CreateServiceLinkedRole = operation({
  writes: true,
  authorize: (ctx, input: CreateServiceLinkedRoleInput) => {
    const name = serviceLinkedRoleName(input.AWSServiceName, input.CustomSuffix) ?? '';
    return {
      action: 'iam:CreateServiceLinkedRole',
      resource: roleArn(ctx.accountId, serviceLinkedRolePath(input.AWSServiceName), name),
      context: { 'iam:AWSServiceName': input.AWSServiceName },
    };
  },
  run: (ctx, input: CreateServiceLinkedRoleInput) => {
    const service = linkedServiceFor(input.AWSServiceName);
    if (!service) throw invalidInput(`Invalid service principal ${input.AWSServiceName}. It must be the service's principal, such as autoscaling.amazonaws.com.`);
    if (input.CustomSuffix !== undefined && !service.suffix) throw invalidInput(`Custom suffix is not allowed for ${input.AWSServiceName}`);
    const roleName = serviceLinkedRoleName(input.AWSServiceName, input.CustomSuffix)!;
    if (findRole(ctx.store, ctx.accountId, roleName)) {
      throw invalidInput(`Service role name ${roleName} has been taken in this account, please try a different suffix.`);
    }
    const row = insertRole(ctx, {
      roleName,
      path: serviceLinkedRolePath(input.AWSServiceName),
      trustPolicy: trustPolicyFor(input.AWSServiceName),
      description: input.Description ?? service.description,
      serviceName: input.AWSServiceName,
    });
    const policyArn = service.policy && `arn:aws:iam::aws:policy/aws-service-role/${service.policy}`;
    if (policyArn && awsManagedPolicy(policyArn)) {
      ctx.store
        .prepare('INSERT INTO role_policy_attachments (account_id, role_id, policy_arn, attached_at) VALUES (?, ?, ?, ?)')
        .run(row.account_id, row.role_id, policyArn, ctx.now);
    }
    return { Role: roleShape(ctx.store, row, 'create') };
  },
});

/** DeletionTaskId as IAM forms it: task/aws-service-role/<service>/<role name>/<uuid>. */
const TASK_ID = /^task\/aws-service-role\/([^/]+)\/([^/]+)\/[0-9a-f-]{36}$/;

/** The ARN of the role a deletion task is about, or undefined for an id IAM never made. */
function deletionTaskRoleArn(accountId: string, taskId: string): string | undefined {
  const m = TASK_ID.exec(taskId);
  return m ? roleArn(accountId, serviceLinkedRolePath(m[1]), m[2]) : undefined;
}

/**
 * IAM deletes a service-linked role asynchronously, after asking the service whether the
 * role is in use. Nothing here uses roles, so the deletion happens at once and its task
 * is recorded as SUCCEEDED.
 */
export const DeleteServiceLinkedRole = operation({
  writes: true,
  authorize: (ctx, input: { RoleName: string }) => onRole(ctx, 'iam:DeleteServiceLinkedRole', input.RoleName),
  run: (ctx, input: { RoleName: string }) => {
    const row = requireRole(ctx.store, ctx.accountId, input.RoleName);
    if (row.service_name === null) throw invalidInput(`Role ${row.role_name} is not a service-linked role.`);
    const taskId = `task/aws-service-role/${row.service_name}/${row.role_name}/${randomUUID()}`;
    removeRole(ctx.store, row);
    ctx.store
      .prepare("INSERT INTO service_linked_role_deletions (account_id, deletion_task_id, status, created_at) VALUES (?, ?, 'SUCCEEDED', ?)")
      .run(ctx.accountId, taskId, ctx.now);
    return { DeletionTaskId: taskId };
  },
});

export const GetServiceLinkedRoleDeletionStatus = operation({
  writes: false,
  authorize: (ctx, input: { DeletionTaskId: string }) => ({
    action: 'iam:GetServiceLinkedRoleDeletionStatus',
    resource: deletionTaskRoleArn(ctx.accountId, input.DeletionTaskId) ?? `arn:aws:iam::${ctx.accountId}:role/`,
  }),
  run: (ctx, input: { DeletionTaskId: string }) => {
    if (!TASK_ID.test(input.DeletionTaskId)) throw invalidInput(`Invalid deletion task id: ${input.DeletionTaskId}`);
    const task = ctx.store
      .prepare<{ status: string }>('SELECT status FROM service_linked_role_deletions WHERE account_id = ? AND deletion_task_id = ?')
      .get(ctx.accountId, input.DeletionTaskId);
    if (!task) throw noSuchEntity(`Deletion task ${input.DeletionTaskId} cannot be found.`);
    return { Status: task.status };
  },
});

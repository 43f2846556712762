import { randomUUID } from 'node:crypto';
import type { Handler } from '../../types.js';
import { invalidInput, noSuchEntity } from '../../../identity/errors.js';
import { awsManagedPolicy } from '../../../identity/aws-managed-catalog.js';
import { findRole, requireRole, roleArn, roleShape } from '../../../identity/roles.js';
import { insertRole, removeRole } from './roles.js';

/**
 * Service-linked roles: made by (or for) an AWS service, at /aws-service-role/<service>/,
 * named as the service names them, trusting only that service, with the service's
 * managed policy attached. Only the service may change or delete them
 * (UnmodifiableEntity otherwise) — DeleteServiceLinkedRole is the customer's way.
 */
interface LinkedService {
  roleName: string;
  /** The AWS managed policy the service attaches (under /aws-service-role/). */
  policy?: string;
  /** Whether the service takes a CustomSuffix (most refuse one). */
  suffix: boolean;
  description?: string;
}

const LINKED_SERVICES: Record<string, LinkedService> = {
  'autoscaling.amazonaws.com': {
    roleName: 'AWSServiceRoleForAutoScaling',
    policy: 'AutoScalingServiceRolePolicy',
    suffix: true,
    description: 'Default Service-Linked Role enables access to AWS Services and Resources used or managed by Auto Scaling',
  },
  'elasticloadbalancing.amazonaws.com': { roleName: 'AWSServiceRoleForElasticLoadBalancing', policy: 'AWSElasticLoadBalancingServiceRolePolicy', suffix: false },
  'ecs.amazonaws.com': { roleName: 'AWSServiceRoleForECS', policy: 'AmazonECSServiceRolePolicy', suffix: false },
  'eks.amazonaws.com': { roleName: 'AWSServiceRoleForAmazonEKS', policy: 'AmazonEKSServiceRolePolicy', suffix: false },
  'eks-nodegroup.amazonaws.com': { roleName: 'AWSServiceRoleForAmazonEKSNodegroup', policy: 'AWSServiceRoleForAmazonEKSNodegroup', suffix: false },
  'es.amazonaws.com': { roleName: 'AWSServiceRoleForAmazonElasticsearchService', policy: 'AmazonElasticsearchServiceRolePolicy', suffix: false },
  'opensearchservice.amazonaws.com': { roleName: 'AWSServiceRoleForAmazonOpenSearchService', policy: 'AmazonOpenSearchServiceRolePolicy', suffix: false },
  'rds.amazonaws.com': { roleName: 'AWSServiceRoleForRDS', policy: 'AmazonRDSServiceRolePolicy', suffix: false },
  'elasticache.amazonaws.com': { roleName: 'AWSServiceRoleForElastiCache', policy: 'ElastiCacheServiceRolePolicy', suffix: false },
  'redshift.amazonaws.com': { roleName: 'AWSServiceRoleForRedshift', policy: 'AmazonRedshiftServiceLinkedRolePolicy', suffix: false },
  'spot.amazonaws.com': { roleName: 'AWSServiceRoleForEC2Spot', policy: 'AWSEC2SpotServiceRolePolicy', suffix: false },
  'spotfleet.amazonaws.com': { roleName: 'AWSServiceRoleForEC2SpotFleet', policy: 'AWSEC2SpotFleetServiceRolePolicy', suffix: false },
  'dynamodb.application-autoscaling.amazonaws.com': {
    roleName: 'AWSServiceRoleForApplicationAutoScaling_DynamoDBTable',
    policy: 'AWSApplicationAutoscalingDynamoDBTablePolicy',
    suffix: false,
  },
  'organizations.amazonaws.com': { roleName: 'AWSServiceRoleForOrganizations', policy: 'AWSOrganizationsServiceTrustPolicy', suffix: false },
  'sso.amazonaws.com': { roleName: 'AWSServiceRoleForSSO', policy: 'AWSSSOServiceRolePolicy', suffix: false },
  'support.amazonaws.com': { roleName: 'AWSServiceRoleForSupport', policy: 'AWSSupportServiceRolePolicy', suffix: false },
  'trustedadvisor.amazonaws.com': { roleName: 'AWSServiceRoleForTrustedAdvisor', policy: 'AWSTrustedAdvisorServiceRolePolicy', suffix: false },
  'guardduty.amazonaws.com': { roleName: 'AWSServiceRoleForAmazonGuardDuty', policy: 'AmazonGuardDutyServiceRolePolicy', suffix: false },
  'securityhub.amazonaws.com': { roleName: 'AWSServiceRoleForSecurityHub', policy: 'AWSSecurityHubServiceRolePolicy', suffix: false },
  'access-analyzer.amazonaws.com': { roleName: 'AWSServiceRoleForAccessAnalyzer', policy: 'AccessAnalyzerServiceRolePolicy', suffix: false },
  'config.amazonaws.com': { roleName: 'AWSServiceRoleForConfig', policy: 'AWSConfigServiceRolePolicy', suffix: false },
  'cloudtrail.amazonaws.com': { roleName: 'AWSServiceRoleForCloudTrail', policy: 'CloudTrailServiceRolePolicy', suffix: false },
  'ssm.amazonaws.com': { roleName: 'AWSServiceRoleForAmazonSSM', policy: 'AmazonSSMServiceRolePolicy', suffix: false },
  'elasticbeanstalk.amazonaws.com': { roleName: 'AWSServiceRoleForElasticBeanstalk', policy: 'AWSElasticBeanstalkServiceRolePolicy', suffix: false },
  'backup.amazonaws.com': { roleName: 'AWSServiceRoleForBackup', policy: 'AWSBackupServiceLinkedRolePolicyForBackup', suffix: false },
};

const SERVICE_PRINCIPAL = /^[a-z0-9][a-z0-9.-]*\.amazonaws\.com$/;

/**
 * The name and policy a service gives its linked role. Services we do not list get the
 * usual pattern (AWSServiceRoleFor + the service's first label, capitalised), no policy,
 * and may take a suffix.
 */
export function linkedServiceFor(serviceName: string): LinkedService | undefined {
  const known = LINKED_SERVICES[serviceName];
  if (known) return known;
  if (!SERVICE_PRINCIPAL.test(serviceName)) return undefined;
  const label = serviceName.split('.')[0].split('-').map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join('');
  return { roleName: `AWSServiceRoleFor${label}`, suffix: true };
}

export function serviceLinkedRolePath(serviceName: string): string {
  return `/aws-service-role/${serviceName}/`;
}

/** The role name CreateServiceLinkedRole would give (authorization needs it before the handler runs). */
export function serviceLinkedRoleName(serviceName: string, customSuffix: string | undefined): string | undefined {
  const service = linkedServiceFor(serviceName);
  if (!service) return undefined;
  return customSuffix ? `${service.roleName}_${customSuffix}` : service.roleName;
}

function trustPolicyFor(serviceName: string): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: serviceName }, Action: 'sts:AssumeRole' }] });
}

const createServiceLinkedRole: Handler = (ctx, input: { AWSServiceName: string; Description?: string; CustomSuffix?: string }) => {
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
};

/** DeletionTaskId as IAM forms it: task/aws-service-role/<service>/<role name>/<uuid>. */
const TASK_ID = /^task\/aws-service-role\/([^/]+)\/([^/]+)\/[0-9a-f-]{36}$/;

/** The ARN of the role a deletion task is about, or undefined for an id IAM never made. */
export function deletionTaskRoleArn(accountId: string, taskId: string): string | undefined {
  const m = TASK_ID.exec(taskId);
  return m ? roleArn(accountId, serviceLinkedRolePath(m[1]), m[2]) : undefined;
}

/**
 * IAM deletes a service-linked role asynchronously, after asking the service whether the
 * role is in use. Nothing here uses roles, so the deletion happens at once and its task
 * is recorded as SUCCEEDED.
 */
const deleteServiceLinkedRole: Handler = (ctx, input: { RoleName: string }) => {
  const row = requireRole(ctx.store, ctx.accountId, input.RoleName);
  if (row.service_name === null) throw invalidInput(`Role ${row.role_name} is not a service-linked role.`);
  const taskId = `task/aws-service-role/${row.service_name}/${row.role_name}/${randomUUID()}`;
  removeRole(ctx.store, row);
  ctx.store
    .prepare("INSERT INTO service_linked_role_deletions (account_id, deletion_task_id, status, created_at) VALUES (?, ?, 'SUCCEEDED', ?)")
    .run(ctx.accountId, taskId, ctx.now);
  return { DeletionTaskId: taskId };
};

const getServiceLinkedRoleDeletionStatus: Handler = (ctx, input: { DeletionTaskId: string }) => {
  if (!TASK_ID.test(input.DeletionTaskId)) throw invalidInput(`Invalid deletion task id: ${input.DeletionTaskId}`);
  const task = ctx.store
    .prepare<{ status: string }>('SELECT status FROM service_linked_role_deletions WHERE account_id = ? AND deletion_task_id = ?')
    .get(ctx.accountId, input.DeletionTaskId);
  if (!task) throw noSuchEntity(`Deletion task ${input.DeletionTaskId} cannot be found.`);
  return { Status: task.status };
};

export const serviceLinkedRoleHandlers: Record<string, Handler> = {
  CreateServiceLinkedRole: createServiceLinkedRole,
  DeleteServiceLinkedRole: deleteServiceLinkedRole,
  GetServiceLinkedRoleDeletionStatus: getServiceLinkedRoleDeletionStatus,
};

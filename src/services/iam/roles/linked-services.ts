/**
 * The AWS services that make service-linked roles: the name each gives its role, the
 * AWS managed policy it attaches, whether it takes a CustomSuffix, and where the role
 * lives and whom it trusts.
 */
export interface LinkedService {
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

/** A linked role trusts only its service. */
export function trustPolicyFor(serviceName: string): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: serviceName }, Action: 'sts:AssumeRole' }] });
}

import type { AuthzRule } from '../../types.js';

/**
 * Access advisor operations as the Service Authorization Reference scopes them:
 * generating a report and listing granting policies act on the user, group, role (or,
 * for Generate, managed policy) the ARN names; reading a finished job is on "*".
 */
const onArn =
  (action: string): AuthzRule =>
  (_ctx, input: { Arn: string }) => ({ action, resource: input.Arn });

const onAccount =
  (action: string): AuthzRule =>
  () => ({ action, resource: '*' });

export const accessAdvisorAuthz: Record<string, AuthzRule> = {
  GenerateServiceLastAccessedDetails: onArn('iam:GenerateServiceLastAccessedDetails'),
  GetServiceLastAccessedDetails: onAccount('iam:GetServiceLastAccessedDetails'),
  GetServiceLastAccessedDetailsWithEntities: onAccount('iam:GetServiceLastAccessedDetailsWithEntities'),
  ListPoliciesGrantingServiceAccess: onArn('iam:ListPoliciesGrantingServiceAccess'),
};

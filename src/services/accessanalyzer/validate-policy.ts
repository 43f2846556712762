import { iamDataCatalog } from '../../catalog/iam-data-catalog.js';
import { validatePolicy, type PolicyKind } from '../../policy/index.js';
import { AwsError } from '../../protocol/errors.js';
import { operation } from '../operation.js';

/** Access Analyzer's policyType → the engine's policy kind. */
export function policyKind(policyType: string, resourceType?: string): PolicyKind {
  switch (policyType) {
    case 'IDENTITY_POLICY':
      return 'identity';
    case 'RESOURCE_POLICY':
      return resourceType === 'AWS::IAM::AssumeRolePolicyDocument' ? 'trust' : 'resource';
    case 'SERVICE_CONTROL_POLICY':
      return 'scp';
    case 'RESOURCE_CONTROL_POLICY':
      return 'rcp';
    default:
      throw new AwsError('ValidationException', `Invalid policy type: ${policyType}`, 400);
  }
}

/**
 * ValidatePolicy: the engine's validator (the one `iamlocal policy validate` runs), its
 * findings in the API's shape, paged by maxResults/nextToken.
 */
export const ValidatePolicy = operation({
  writes: false,
  authorize: () => ({ action: 'access-analyzer:ValidatePolicy', resource: '*' }),
  run: (_ctx, input) => {
    const kind = policyKind(input.policyType, input.validatePolicyResourceType);
    const all = validatePolicy(input.policyDocument, { kind, catalog: iamDataCatalog }).map((f) => ({
      findingDetails: f.findingDetails,
      findingType: f.findingType,
      issueCode: f.issueCode,
      learnMoreLink: f.learnMoreLink,
      locations: f.locations,
    }));
    const start = input.nextToken !== undefined ? Number(Buffer.from(input.nextToken, 'base64url').toString('utf8')) : 0;
    if (!Number.isInteger(start) || start < 0 || start > all.length) throw new AwsError('ValidationException', 'Invalid nextToken.', 400);
    const max = input.maxResults ?? all.length;
    const page = all.slice(start, start + max);
    const next = start + page.length < all.length ? Buffer.from(String(start + page.length)).toString('base64url') : undefined;
    return { findings: page, nextToken: next };
  },
});

import { policySize, validatePolicy } from '../../../policy/index.js';
import { iamDataCatalog } from '../../../catalog/iam-data-catalog.js';
import type { PolicyTypeName } from '../../../identity/organization.js';
import { constraintViolation, malformedPolicy } from '../shared/errors.js';

/** Organizations' quota on an SCP or RCP document (characters, whitespace excluded). */
export const MAX_POLICY_SIZE = 5120;

/**
 * Refuses a document AWS would refuse for its type, as AWS does: too large is a
 * ConstraintViolationException; anything the validator calls an error for an SCP or RCP
 * (a Principal in an SCP, a condition on an Allow, a wildcard in the middle of an action…)
 * is MalformedPolicyDocumentException.
 */
export function checkPolicyContent(content: string, type: PolicyTypeName): void {
  if (policySize(content) > MAX_POLICY_SIZE) throw constraintViolation('POLICY_CONTENT_LIMIT_EXCEEDED', 'You attempted to create a policy that is larger than the maximum size.');
  const kind = type === 'SERVICE_CONTROL_POLICY' ? 'scp' : 'rcp';
  const findings = validatePolicy(content, { kind, catalog: iamDataCatalog });
  if (findings.some((f) => f.findingType === 'ERROR')) throw malformedPolicy();
}

import type { AuthzRule } from '../../types.js';

/**
 * The rule of an operation the Service Authorization Reference gives no resource type
 * (account alias, summary, credential report, custom-policy simulation, finished access
 * advisor jobs, ListPolicies): the action is checked against "*".
 */
export function accountWide(action: string): AuthzRule {
  return () => ({ action, resource: '*' });
}

import { defineService } from '../operation.js';
import type { Principal } from '../../identity/principal.js';
import type { Verdict } from '../../server/authorize.js';
import { AwsError } from '../../protocol/errors.js';
import { denialReason } from '../../policy/index.js';
import * as accounts from './accounts/accounts.js';
import * as handshakes from './handshakes/handshakes.js';
import * as organization from './organization/organization.js';
import * as ous from './ous/ous.js';
import * as attachments from './policies/attachments.js';
import * as policies from './policies/policies.js';
import * as roots from './roots/roots.js';

/** Organizations answers a policy denial with AccessDeniedException, in IAM's words. */
function accessDenied(principal: Principal, v: Verdict): AwsError {
  const who = principal.type === 'anonymous' ? 'anonymous' : principal.arn;
  return new AwsError(
    'AccessDeniedException',
    `User: ${who} is not authorized to perform: ${v.entry.action} on resource: ${v.entry.resource} ${denialReason(v.decision, v.entry.action)}`,
    400,
  );
}

export const organizationsService = defineService('organizations', [organization, roots, accounts, ous, policies, attachments, handshakes], { accessDenied });

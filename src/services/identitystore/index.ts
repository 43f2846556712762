import { defineService } from '../operation.js';
import type { Principal } from '../../identity/principal.js';
import type { Verdict } from '../../server/authorize.js';
import { identityCenterAccessDenied } from './shared/access-denied.js';
import * as users from './users/users.js';
import * as groups from './groups/groups.js';
import * as memberships from './memberships/memberships.js';

export const identitystoreService = defineService('identitystore', [users, groups, memberships], {
  accessDenied: (principal: Principal, v: Verdict) => identityCenterAccessDenied(principal, v),
});

import { defineService } from '../operation.js';
import { accessDeniedException } from '../../server/authorize.js';
import * as users from './users/users.js';
import * as groups from './groups/groups.js';
import * as memberships from './memberships/memberships.js';

export const identitystoreService = defineService('identitystore', [users, groups, memberships], {
  accessDenied: accessDeniedException(),
});

import { defineService } from '../operation.js';
import { accessDeniedException } from '../../server/authorize.js';
import * as instances from './instances/instances.js';
import * as permissionSets from './permission-sets/permission-sets.js';
import * as policies from './permission-sets/policies.js';
import * as assignments from './assignments/assignments.js';
import * as provisioned from './assignments/provisioned.js';
import * as tags from './tags/tags.js';

export const ssoAdminService = defineService('sso-admin', [instances, permissionSets, policies, assignments, provisioned, tags], {
  accessDenied: accessDeniedException(),
});

import * as instanceProfileRoles from './instance-profile-roles.js';
import * as instanceProfileTags from './instance-profile-tags.js';
import * as instanceProfiles from './instance-profiles.js';
import * as rolePolicies from './role-policies.js';
import * as roleTags from './role-tags.js';
import * as roles from './roles.js';
import * as serviceLinkedRoles from './service-linked-roles.js';

/** The role operations: roles, their tags and inline policies, service-linked roles, instance profiles. */
export const roleModules = [roles, roleTags, rolePolicies, serviceLinkedRoles, instanceProfiles, instanceProfileRoles, instanceProfileTags];

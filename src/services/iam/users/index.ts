import * as userPolicies from './user-policies.js';
import * as userTags from './user-tags.js';
import * as users from './users.js';

/** The user operations: users, their tags, their inline policies. */
export const userModules = [users, userTags, userPolicies];

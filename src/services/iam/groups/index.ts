import * as groupMembers from './group-members.js';
import * as groupPolicies from './group-policies.js';
import * as groups from './groups.js';

/** The group operations: groups, their members, their inline policies. */
export const groupModules = [groups, groupMembers, groupPolicies];

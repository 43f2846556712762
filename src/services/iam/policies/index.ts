import * as boundaries from './boundaries.js';
import * as managedPolicies from './managed-policies.js';
import * as policyAttachments from './policy-attachments.js';
import * as policyEntities from './policy-entities.js';
import * as policyTags from './policy-tags.js';
import * as policyVersions from './policy-versions.js';

/** Managed policies: the policies themselves, their versions and tags, attachments and boundaries. */
export const policyModules = [managedPolicies, policyVersions, policyTags, policyAttachments, policyEntities, boundaries];

import * as accessAdvisor from './access-advisor.js';
import * as policiesGranting from './policies-granting.js';

/** Service last accessed data ("access advisor"). */
export const accessAdvisorModules = [accessAdvisor, policiesGranting];

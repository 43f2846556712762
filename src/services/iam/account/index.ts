import * as accountAlias from './account-alias.js';
import * as accountSummary from './account-summary.js';
import * as authorizationDetails from './authorization-details.js';
import * as credentialReport from './credential-report-ops.js';

/** The account as a whole: its alias, summary, authorization details and credential report. */
export const accountModules = [accountAlias, accountSummary, authorizationDetails, credentialReport];

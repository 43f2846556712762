import { defineService } from '../operation.js';
import { accessDeniedException } from '../../server/authorize.js';
import { flushEvents } from '../cloudtrail/recorder.js';
import * as validate from './validate-policy.js';
import * as checks from './access-checks.js';
import * as analyzers from './analyzers.js';
import * as generation from './policy-generation.js';

/**
 * IAM Access Analyzer: policy validation and custom checks answered by the policy engine,
 * external-access analyzers over the account's resource policies, and policy generation
 * from the recorded CloudTrail events.
 */
export const accessanalyzerService = defineService('accessanalyzer', [validate, checks, analyzers, generation], {
  accessDenied: accessDeniedException(403),
  // Policy generation reads the event history: it sees every call recorded before it.
  preflight: (store) => {
    flushEvents(store);
    return undefined;
  },
});

import { defineService } from '../operation.js';
import { accessDeniedException } from '../../server/authorize.js';
import * as accounts from './accounts/accounts.js';
import * as handshakes from './handshakes/handshakes.js';
import * as organization from './organization/organization.js';
import * as ous from './ous/ous.js';
import * as attachments from './policies/attachments.js';
import * as policies from './policies/policies.js';
import * as roots from './roots/roots.js';

export const organizationsService = defineService('organizations', [organization, roots, accounts, ous, policies, attachments, handshakes], { accessDenied: accessDeniedException() });

import { defineService } from '../operation.js';
import * as portal from './portal.js';

/** The AWS access portal API (model "sso", signing name awsssoportal): token-authenticated, never signed. */
export const ssoPortalService = defineService('sso', [portal]);

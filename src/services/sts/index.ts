import { defineService } from '../operation.js';
import * as accessKeyInfo from './access-key-info.js';
import * as assumeRole from './assume-role.js';
import * as authorizationMessages from './authorization-message.js';
import * as callerIdentity from './caller-identity.js';
import * as federationToken from './federation-token.js';
import * as saml from './saml.js';
import * as sessionToken from './session-token.js';
import * as webIdentity from './web-identity.js';

export const stsService = defineService('sts', [callerIdentity, assumeRole, sessionToken, federationToken, accessKeyInfo, authorizationMessages, webIdentity, saml]);

export { authorizationMessage, encodeAuthorizationMessage, type AuthorizationMessage } from './authorization-message.js';

import { defineService } from '../operation.js';
import { legacyOperations } from '../legacy.js';
import { accessKeyInfoHandlers } from './access-key-info.js';
import { assumeRoleHandlers } from './assume-role.js';
import { authorizationMessageHandlers } from './authorization-message.js';
import { stsAuthz } from './authz.js';
import { getCallerIdentity } from './caller-identity.js';
import { federationTokenHandlers } from './federation-token.js';
import { sessionTokenHandlers } from './session-token.js';

export const stsService = defineService('sts', [
  legacyOperations(
  {
    GetCallerIdentity: getCallerIdentity,
    ...assumeRoleHandlers,
    ...sessionTokenHandlers,
    ...federationTokenHandlers,
    ...accessKeyInfoHandlers,
    ...authorizationMessageHandlers,
  },
  stsAuthz,
  new Set(['GetSessionToken', 'GetFederationToken']),
  ),
]);

export { authorizationMessage, encodeAuthorizationMessage, type AuthorizationMessage } from './authorization-message.js';

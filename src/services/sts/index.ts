import type { ServiceDefinition } from '../types.js';
import { accessKeyInfoHandlers } from './access-key-info.js';
import { assumeRoleHandlers } from './assume-role.js';
import { authorizationMessageHandlers } from './authorization-message.js';
import { stsAuthz } from './authz.js';
import { getCallerIdentity } from './caller-identity.js';
import { federationTokenHandlers } from './federation-token.js';
import { sessionTokenHandlers } from './session-token.js';

export const stsService: ServiceDefinition = {
  name: 'sts',
  handlers: {
    GetCallerIdentity: getCallerIdentity,
    ...assumeRoleHandlers,
    ...sessionTokenHandlers,
    ...federationTokenHandlers,
    ...accessKeyInfoHandlers,
    ...authorizationMessageHandlers,
  },
  authz: stsAuthz,
  writingReads: new Set(['GetSessionToken', 'GetFederationToken']),
};

export { authorizationMessage, encodeAuthorizationMessage, type AuthorizationMessage } from './authorization-message.js';

import type { ServiceDefinition } from '../types.js';
import { stsAuthz } from './authz.js';
import { getCallerIdentity } from './caller-identity.js';

export const stsService: ServiceDefinition = {
  name: 'sts',
  handlers: {
    GetCallerIdentity: getCallerIdentity,
  },
  authz: stsAuthz,
};

import * as accessKeys from './access-keys.js';
import * as accessKeyLastUsed from './access-key-last-used.js';
import * as serverCertificates from './server-certificates.js';
import * as serverCertificateTags from './server-certificate-tags.js';
import * as serviceCredentials from './service-credentials.js';
import * as signingCertificates from './signing-certificates.js';
import * as sshPublicKeys from './ssh-public-keys.js';

/** The operations on a user's credentials (access keys, SSH keys, certificates, service-specific credentials) and on server certificates. */
export const credentialModules = [
  accessKeys,
  accessKeyLastUsed,
  sshPublicKeys,
  signingCertificates,
  serviceCredentials,
  serverCertificates,
  serverCertificateTags,
];

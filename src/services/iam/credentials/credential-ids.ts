import { randomBytes } from 'node:crypto';
import { base32 } from '../../../identity/ids.js';

/**
 * Ids of the user-credential families, in AWS's shapes (base-32 A–Z, 2–7 after a prefix):
 *   APKA… SSH public key (20) · ASCA… server certificate (21) ·
 *   ACCA… service-specific credential (21) · signing certificate: 28 characters, no prefix.
 */
export const newSshPublicKeyId = (): string => 'APKA' + base32(16);
export const newServerCertificateId = (): string => 'ASCA' + base32(17);
export const newServiceCredentialId = (): string => 'ACCA' + base32(17);
export const newSigningCertificateId = (): string => base32(28);

/** A password of the length and alphabet IAM gives CodeCommit/Keyspaces credentials. */
export function newServicePassword(): string {
  return randomBytes(33).toString('base64');
}

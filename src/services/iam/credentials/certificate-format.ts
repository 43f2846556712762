import { createHash, createPrivateKey, X509Certificate } from 'node:crypto';
import { AwsError } from '../../../protocol/errors.js';

/**
 * Checks of uploaded X.509 certificates (PEM), shared by signing and server certificates:
 * IAM refuses what does not parse and what has expired (MalformedCertificate), and a
 * server certificate whose private key is not its public key's (KeyPairMismatch).
 */

export function malformedCertificate(detail = 'Unable to parse certificate. Please ensure the certificate is in PEM format.'): AwsError {
  return new AwsError('MalformedCertificate', detail, 400);
}

export interface ParsedCertificate {
  cert: X509Certificate;
  notAfter: number;
  /** SHA-256 of the DER encoding: the same certificate, however its PEM is wrapped. */
  fingerprint: string;
}

/** `unparsable` words the answer to a body that is no certificate (signing and server certificates differ). */
export function parseCertificate(pem: string, now: number, unparsable: (pem: string) => AwsError = () => malformedCertificate()): ParsedCertificate {
  if (!/-----BEGIN CERTIFICATE-----/.test(pem)) throw unparsable(pem);
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(pem);
  } catch {
    throw unparsable(pem);
  }
  const notAfter = Date.parse(cert.validTo);
  if (!(notAfter > now)) throw malformedCertificate('Certificate is expired.');
  return { cert, notAfter, fingerprint: createHash('sha256').update(cert.raw).digest('hex') };
}

/** Every certificate of a PEM chain must parse. */
export function checkChain(pem: string): void {
  const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g);
  if (!blocks) throw malformedCertificate('Unable to parse certificate chain. Please ensure the chain is in PEM format.');
  for (const block of blocks) {
    try {
      new X509Certificate(block);
    } catch {
      throw malformedCertificate('Unable to parse certificate chain. Please ensure the chain is in PEM format.');
    }
  }
}

export function checkKeyPair(cert: X509Certificate, privateKeyPem: string): void {
  let matches: boolean;
  try {
    matches = cert.checkPrivateKey(createPrivateKey(privateKeyPem));
  } catch {
    throw malformedCertificate('Unable to parse private key. Please ensure the private key is in PEM format.');
  }
  if (!matches) throw new AwsError('KeyPairMismatch', 'The public key certificate and the private key do not match.', 400);
}

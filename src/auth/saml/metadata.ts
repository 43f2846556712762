import { X509Certificate } from 'node:crypto';
import { attr, children, descendants, isElement, NS, parseXml, text, type XmlElement } from './xml.js';

/**
 * What AssumeRoleWithSAML needs from a SAML provider's metadata document: the IdP's
 * entityID (the Issuer its responses must name) and the certificates whose keys may sign
 * them — IDPSSODescriptor/KeyDescriptor with use="signing" or no use at all.
 */
export interface IdpMetadata {
  entityId?: string;
  /** PEM certificates, in document order. */
  signingCertificates: string[];
}

function entityDescriptors(root: XmlElement): XmlElement[] {
  if (isElement(root, NS.metadata, 'EntityDescriptor')) return [root];
  if (isElement(root, NS.metadata, 'EntitiesDescriptor')) return descendants(root, NS.metadata, 'EntityDescriptor');
  return [];
}

function toPem(base64: string): string | undefined {
  const body = base64.replace(/\s+/g, '');
  const pem = `-----BEGIN CERTIFICATE-----\n${body.replace(/(.{64})/g, '$1\n').replace(/\n$/, '')}\n-----END CERTIFICATE-----\n`;
  try {
    new X509Certificate(pem);
    return pem;
  } catch {
    return undefined;
  }
}

/** The IdP's entityID and signing certificates; undefined when the document holds no IdP. */
export function readIdpMetadata(xml: string): IdpMetadata | undefined {
  const doc = parseXml(xml);
  if (!doc) return undefined;
  for (const entity of entityDescriptors(doc.documentElement as XmlElement)) {
    const idps = children(entity, NS.metadata, 'IDPSSODescriptor');
    if (idps.length === 0) continue;
    const signingCertificates: string[] = [];
    for (const idp of idps) {
      for (const kd of children(idp, NS.metadata, 'KeyDescriptor')) {
        const use = attr(kd, 'use');
        if (use !== undefined && use !== 'signing') continue;
        for (const cert of descendants(kd, NS.dsig, 'X509Certificate')) {
          const pem = toPem(text(cert) ?? '');
          if (pem && !signingCertificates.includes(pem)) signingCertificates.push(pem);
        }
      }
    }
    return { entityId: attr(entity, 'entityID'), signingCertificates };
  }
  return undefined;
}

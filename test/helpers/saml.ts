import { randomUUID } from 'node:crypto';
import { SignedXml } from 'xml-crypto';
import { fixture } from '../services/credential-fixtures.js';

/**
 * A test identity provider: metadata naming its certificate, and SAML responses signed
 * with its key (enveloped, exclusive c14n, RSA-SHA256), as an IdP would send them.
 * Keys and certificates are the fixture PEMs of test/services/fixtures.
 */
export interface KeyPair {
  key: string;
  cert: string;
}

export function fixtureKeyPair(name: 'server-a' | 'server-b'): KeyPair {
  return { key: fixture(`${name}.key.pem`), cert: fixture(`${name}.cert.pem`) };
}

function certBody(pem: string): string {
  return pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');
}

export function idpMetadata(entityId: string, cert: string, use: 'signing' | 'encryption' | null = 'signing'): string {
  const useAttr = use ? ` use="${use}"` : '';
  return `<?xml version="1.0"?>
<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="${entityId}" validUntil="2126-01-01T00:00:00Z">
  <md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
    <md:KeyDescriptor${useAttr}><ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:X509Data><ds:X509Certificate>${certBody(cert)}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>
    <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="https://idp.example.com/sso"/>
  </md:IDPSSODescriptor>
</md:EntityDescriptor>`;
}

export interface AssertionOptions {
  issuer: string;
  now: number;
  /** Pairs "roleArn,providerArn" for the Role attribute. */
  roles?: string[];
  sessionName?: string | null;
  nameId?: string;
  nameIdFormat?: string;
  recipient?: string;
  audience?: string;
  lifetimeSeconds?: number;
  notBeforeSeconds?: number;
  sessionDuration?: number;
  sourceIdentity?: string;
  tags?: Record<string, string>;
  transitiveTagKeys?: string[];
  extraAttributes?: Record<string, string[]>;
  /** Where the signature goes. */
  sign?: 'response' | 'assertion' | 'both' | 'none';
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');

function attribute(name: string, values: string[]): string {
  return `<saml:Attribute Name="${esc(name)}">${values.map((v) => `<saml:AttributeValue>${esc(v)}</saml:AttributeValue>`).join('')}</saml:Attribute>`;
}

export function samlResponseXml(o: AssertionOptions): string {
  const iso = (ms: number) => new Date(ms).toISOString();
  const until = iso(o.now + (o.lifetimeSeconds ?? 300) * 1000);
  const notBefore = iso(o.now + (o.notBeforeSeconds ?? -60) * 1000);
  const attrs: string[] = [];
  if (o.roles) attrs.push(attribute('https://aws.amazon.com/SAML/Attributes/Role', o.roles));
  if (o.sessionName !== null) attrs.push(attribute('https://aws.amazon.com/SAML/Attributes/RoleSessionName', [o.sessionName ?? 'alice@example.com']));
  if (o.sessionDuration !== undefined) attrs.push(attribute('https://aws.amazon.com/SAML/Attributes/SessionDuration', [String(o.sessionDuration)]));
  if (o.sourceIdentity !== undefined) attrs.push(attribute('https://aws.amazon.com/SAML/Attributes/SourceIdentity', [o.sourceIdentity]));
  for (const [k, v] of Object.entries(o.tags ?? {})) attrs.push(attribute(`https://aws.amazon.com/SAML/Attributes/PrincipalTag:${k}`, [v]));
  if (o.transitiveTagKeys) attrs.push(attribute('https://aws.amazon.com/SAML/Attributes/TransitiveTagKeys', o.transitiveTagKeys));
  for (const [k, v] of Object.entries(o.extraAttributes ?? {})) attrs.push(attribute(k, v));
  const recipient = o.recipient ?? 'https://signin.aws.amazon.com/saml';
  return `<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_r${randomUUID()}" Version="2.0" IssueInstant="${iso(o.now)}" Destination="${esc(recipient)}">` +
    `<saml:Issuer>${esc(o.issuer)}</saml:Issuer>` +
    `<samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status>` +
    `<saml:Assertion ID="_a${randomUUID()}" Version="2.0" IssueInstant="${iso(o.now)}">` +
    `<saml:Issuer>${esc(o.issuer)}</saml:Issuer>` +
    `<saml:Subject><saml:NameID Format="${o.nameIdFormat ?? 'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent'}">${esc(o.nameId ?? 'alice')}</saml:NameID>` +
    `<saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer"><saml:SubjectConfirmationData NotOnOrAfter="${until}" Recipient="${esc(recipient)}"/></saml:SubjectConfirmation></saml:Subject>` +
    `<saml:Conditions NotBefore="${notBefore}" NotOnOrAfter="${until}"><saml:AudienceRestriction><saml:Audience>${esc(o.audience ?? 'https://signin.aws.amazon.com/saml')}</saml:Audience></saml:AudienceRestriction></saml:Conditions>` +
    `<saml:AuthnStatement AuthnInstant="${iso(o.now)}"><saml:AuthnContext><saml:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport</saml:AuthnContextClassRef></saml:AuthnContext></saml:AuthnStatement>` +
    `<saml:AttributeStatement>${attrs.join('')}</saml:AttributeStatement>` +
    `</saml:Assertion></samlp:Response>`;
}

/** Signs the element with local name `local` (Response or Assertion) in place, signature after its Issuer. */
export function signXml(xml: string, local: 'Response' | 'Assertion', keys: KeyPair): string {
  const sig = new SignedXml({ privateKey: keys.key, publicCert: keys.cert });
  sig.addReference({
    xpath: `//*[local-name(.)='${local}']`,
    transforms: ['http://www.w3.org/2000/09/xmldsig#enveloped-signature', 'http://www.w3.org/2001/10/xml-exc-c14n#'],
    digestAlgorithm: 'http://www.w3.org/2001/04/xmlenc#sha256',
  });
  sig.canonicalizationAlgorithm = 'http://www.w3.org/2001/10/xml-exc-c14n#';
  sig.signatureAlgorithm = 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256';
  sig.computeSignature(xml, { location: { reference: `//*[local-name(.)='${local}']/*[local-name(.)='Issuer']`, action: 'after' } });
  return sig.getSignedXml();
}

/** The base64 SAMLResponse of an assertion, signed as `o.sign` says (default: the Response). */
export function samlResponse(o: AssertionOptions, keys: KeyPair): string {
  let xml = samlResponseXml(o);
  const where = o.sign ?? 'response';
  if (where === 'assertion' || where === 'both') xml = signXml(xml, 'Assertion', keys);
  if (where === 'response' || where === 'both') xml = signXml(xml, 'Response', keys);
  return Buffer.from(xml, 'utf8').toString('base64');
}

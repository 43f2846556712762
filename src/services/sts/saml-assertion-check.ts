import type { Store } from '../../store/store.js';
import { AwsError } from '../../protocol/errors.js';
import type { Tag } from '../../identity/tags.js';
import { child, isElement, NS, parseXml, text, type XmlDocument, type XmlElement } from '../../auth/saml/xml.js';
import { readIdpMetadata } from '../../auth/saml/metadata.js';
import { SamlSignatureError, verifySamlSignatures } from '../../auth/saml/signature.js';
import { hasEncryptedParts, readAssertion, type SamlAssertion } from '../../auth/saml/assertion.js';
import { expiredToken, invalidIdentityToken, SAML } from './federation-errors.js';
import { attributeKeys, nameQualifier, subjectType } from './saml-keys.js';

/**
 * Checks a SAMLAssertion as AssumeRoleWithSAML does: base64 XML; the SAML provider
 * PrincipalArn names; the Issuer its metadata declares; a signature by a certificate of
 * that metadata; one bearer SubjectConfirmationData with an AWS Recipient and a
 * NotOnOrAfter still ahead (and NotBefore behind) by the server clock; an AWS Audience;
 * the requested role and provider among the Role attribute's pairs; a NameID; a valid
 * RoleSessionName. Out come the trust policy's saml:* keys and the session's facts.
 */
export interface SamlRequest {
  RoleArn: string;
  PrincipalArn: string;
  SAMLAssertion: string;
}

export interface SamlIdentity {
  providerArn: string;
  issuer: string;
  subject: string;
  subjectType: string;
  /** The Recipient: what saml:aud and the response's Audience hold. */
  audience: string;
  nameQualifier: string;
  /** Trust policy keys: saml:aud, iss, sub, sub_type, namequalifier, doc and the mapped attributes. */
  keys: Record<string, string | string[]>;
  /** The keys that stay in the session's request context: saml:sub, sub_type, namequalifier. */
  sessionKeys: Record<string, string>;
  sessionName: string;
  sessionDuration?: number;
  tags: Tag[];
  transitiveTagKeys: string[];
  sourceIdentity?: string;
}

const ATTR = 'https://aws.amazon.com/SAML/Attributes/';
const PROVIDER_ARN = /^arn:aws:iam::(\d{12}):saml-provider\/([\w.-]+)$/;
const AWS_HOSTS = '([a-z0-9-]+\\.)?signin\\.(aws\\.amazon\\.com|amazonaws-us-gov\\.com|amazonaws\\.cn)';
const AWS_RECIPIENT = new RegExp(`^https://${AWS_HOSTS}/(static/)?saml$`);
const AWS_AUDIENCE = new RegExp(`^(urn:amazon:webservices(:govcloud|:cn)?|https://${AWS_HOSTS}/saml)$`);
const NAME_PATTERN = /^[\w+=,.@-]{2,64}$/;

function decodedXml(assertion: string, requestId: string): { xml: string; doc: XmlDocument } {
  const compact = assertion.replace(/\s+/g, '');
  const xml = /^[A-Za-z0-9+/]+={0,2}$/.test(compact) ? Buffer.from(compact, 'base64').toString('utf8') : '';
  const doc = xml ? parseXml(xml) : undefined;
  if (!doc) throw invalidIdentityToken(SAML.notBase64(requestId));
  return { xml, doc };
}

function providerOf(store: Store, arn: string, now: number, requestId: string): { accountId: string; name: string; metadata: string } {
  const m = PROVIDER_ARN.exec(arn);
  const row = m ? store.prepare<{ metadata: string; valid_until: number | null }>('SELECT metadata, valid_until FROM saml_providers WHERE account_id = ? AND name = ?').get(m[1], m[2]) : undefined;
  if (!m || !row) throw invalidIdentityToken(SAML.noProvider(requestId));
  if (row.valid_until !== null && row.valid_until <= now) throw invalidIdentityToken(`The metadata of SAML provider ${arn} expired on ${new Date(row.valid_until).toISOString()}.`);
  return { accountId: m[1], name: m[2], metadata: row.metadata };
}

/** The Issuer as sent (before any signature is checked): only to match the provider. */
function claimedIssuer(doc: XmlDocument): string | undefined {
  const root = doc.documentElement as XmlElement;
  const assertion = isElement(root, NS.assertion, 'Assertion') ? root : child(root, NS.assertion, 'Assertion');
  return text(child(assertion, NS.assertion, 'Issuer')) ?? text(child(root, NS.assertion, 'Issuer'));
}

function verified(xml: string, doc: XmlDocument, certificates: string[]): SamlAssertion {
  try {
    const signed = verifySamlSignatures(xml, doc, certificates);
    if (hasEncryptedParts(signed.assertion)) throw new SamlSignatureError('encrypted', 'encrypted NameID or attributes');
    return readAssertion(signed);
  } catch (err) {
    if (!(err instanceof SamlSignatureError)) throw err;
    if (err.problem === 'encrypted') throw invalidIdentityToken('iamlocal cannot decrypt SAML assertions: send the assertion unencrypted.');
    throw invalidIdentityToken(SAML.signature);
  }
}

function checkWindow(a: SamlAssertion, now: number): { recipient: string } {
  const withBoth = a.confirmations.filter((c) => c.recipient !== undefined && c.notOnOrAfter !== undefined);
  if (a.confirmations.length !== 1 || withBoth.length !== 1) throw invalidIdentityToken(SAML.confirmation);
  const c = withBoth[0];
  if (!AWS_RECIPIENT.test(c.recipient!)) {
    throw invalidIdentityToken(`SubjectConfirmationData Recipient ${c.recipient} is not an AWS sign-in SAML endpoint (https://signin.aws.amazon.com/saml or https://REGION.signin.aws.amazon.com/saml).`);
  }
  const untils = [c.notOnOrAfter!, a.notOnOrAfter].filter((t): t is number => t !== undefined);
  if (untils.some((t) => !(now < t))) throw expiredToken(SAML.expired);
  const froms = [c.notBefore, a.notBefore].filter((t): t is number => t !== undefined);
  if (froms.some((t) => !(t <= now))) throw invalidIdentityToken('The SAML assertion is not valid yet: its NotBefore is after the current time.');
  if (!a.audiences.some((x) => AWS_AUDIENCE.test(x))) {
    throw invalidIdentityToken('The SAML assertion has no AudienceRestriction naming AWS (urn:amazon:webservices or https://signin.aws.amazon.com/saml).');
  }
  return { recipient: c.recipient! };
}

function checkRolePair(a: SamlAssertion, input: SamlRequest): void {
  const pairs = (a.attributes.get(`${ATTR}Role`) ?? []).map((v) => v.split(',').map((s) => s.trim()));
  const named = pairs.some((p) => p.length === 2 && p.includes(input.RoleArn) && p.includes(input.PrincipalArn) && input.RoleArn !== input.PrincipalArn);
  if (!named) throw invalidIdentityToken(SAML.role);
}

function single(a: SamlAssertion, name: string): string | undefined {
  return a.attributes.get(`${ATTR}${name}`)?.[0];
}

function sessionFacts(a: SamlAssertion): Pick<SamlIdentity, 'sessionName' | 'sessionDuration' | 'tags' | 'transitiveTagKeys' | 'sourceIdentity'> {
  const sessionName = single(a, 'RoleSessionName');
  if (sessionName === undefined) throw invalidIdentityToken(SAML.noSessionName);
  if (!NAME_PATTERN.test(sessionName)) throw invalidIdentityToken(SAML.badSessionName);
  const out: ReturnType<typeof sessionFacts> = { sessionName, tags: [], transitiveTagKeys: a.attributes.get(`${ATTR}TransitiveTagKeys`) ?? [] };
  const duration = single(a, 'SessionDuration');
  if (duration !== undefined) {
    const seconds = Number(duration);
    if (!Number.isInteger(seconds) || seconds < 900 || seconds > 43200) throw invalidIdentityToken('SessionDuration in AuthnResponse must be an integer from 900 to 43200.');
    out.sessionDuration = seconds;
  }
  const source = single(a, 'SourceIdentity');
  if (source !== undefined) {
    if (!NAME_PATTERN.test(source)) throw invalidIdentityToken('SourceIdentity in AuthnResponse must match [a-zA-Z_0-9+=,.@-]{2,64}');
    out.sourceIdentity = source;
  }
  for (const [name, values] of a.attributes) {
    if (name.startsWith(`${ATTR}PrincipalTag:`) && values.length > 0) out.tags.push({ Key: name.slice(`${ATTR}PrincipalTag:`.length), Value: values[0] });
  }
  return out;
}

export function verifySamlRequest(store: Store, input: SamlRequest, now: number, requestId: string): SamlIdentity {
  const { xml, doc } = decodedXml(input.SAMLAssertion, requestId);
  const provider = providerOf(store, input.PrincipalArn, now, requestId);
  const metadata = readIdpMetadata(provider.metadata);
  const entityId = metadata?.entityId;
  if (entityId !== undefined && claimedIssuer(doc) !== entityId) throw invalidIdentityToken(SAML.issuer(requestId));
  const a = verified(xml, doc, metadata?.signingCertificates ?? []);
  const issuer = a.issuer ?? '';
  if (entityId !== undefined && issuer !== entityId) throw invalidIdentityToken(SAML.issuer(requestId));
  const { recipient } = checkWindow(a, now);
  checkRolePair(a, input);
  if (a.nameId === undefined || a.nameId === '') throw new AwsError('AccessDenied', SAML.denied, 403);
  const facts = sessionFacts(a);
  const sub = a.nameId;
  const subType = subjectType(a.nameIdFormat);
  const qualifier = nameQualifier(issuer, provider.accountId, provider.name);
  const sessionKeys = { 'saml:sub': sub, 'saml:sub_type': subType, 'saml:namequalifier': qualifier };
  return {
    providerArn: input.PrincipalArn,
    issuer,
    subject: sub,
    subjectType: subType,
    audience: recipient,
    nameQualifier: qualifier,
    keys: { ...attributeKeys(a.attributes), ...sessionKeys, 'saml:aud': recipient, 'saml:iss': issuer, 'saml:doc': `${provider.accountId}/${provider.name}` },
    sessionKeys,
    ...facts,
  };
}

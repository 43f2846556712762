import { attr, child, children, descendants, NS, text, type XmlElement } from './xml.js';
import type { VerifiedSaml } from './signature.js';

/**
 * What a verified SAML assertion says, read from its signed bytes only: who issued it,
 * about whom (NameID and its Format), for whom (bearer SubjectConfirmationData Recipient,
 * AudienceRestriction), until when, and its attributes by Name.
 */
export interface SamlAssertion {
  /** The Assertion's Issuer (else the signed Response's). */
  issuer?: string;
  nameId?: string;
  nameIdFormat?: string;
  /** Bearer SubjectConfirmationData elements. */
  confirmations: Array<{ recipient?: string; notOnOrAfter?: number; notBefore?: number }>;
  notBefore?: number;
  notOnOrAfter?: number;
  /** Every Audience of every AudienceRestriction. */
  audiences: string[];
  /** AttributeValue texts by Attribute Name, in document order. */
  attributes: Map<string, string[]>;
  /** Attribute Name → FriendlyName, where one is given. */
  friendlyNames: Map<string, string>;
}

const BEARER = 'urn:oasis:names:tc:SAML:2.0:cm:bearer';

/** An xs:dateTime as epoch ms; NaN when it is not one (a check against it then fails). */
function time(value: string | undefined): number | undefined {
  return value === undefined ? undefined : Date.parse(value);
}

export function readAssertion(verified: VerifiedSaml): SamlAssertion {
  const a = verified.assertion;
  const subject = child(a, NS.assertion, 'Subject');
  const nameId = child(subject, NS.assertion, 'NameID');
  const confirmations = (subject ? children(subject, NS.assertion, 'SubjectConfirmation') : [])
    .filter((sc) => attr(sc, 'Method') === BEARER)
    .flatMap((sc) => children(sc, NS.assertion, 'SubjectConfirmationData'))
    .map((d) => ({ recipient: attr(d, 'Recipient'), notOnOrAfter: time(attr(d, 'NotOnOrAfter')), notBefore: time(attr(d, 'NotBefore')) }));
  const conditions = child(a, NS.assertion, 'Conditions');
  const audiences = conditions
    ? children(conditions, NS.assertion, 'AudienceRestriction').flatMap((r) => children(r, NS.assertion, 'Audience').map((x) => text(x) ?? ''))
    : [];
  const attributes = new Map<string, string[]>();
  const friendlyNames = new Map<string, string>();
  for (const statement of children(a, NS.assertion, 'AttributeStatement')) {
    for (const at of children(statement, NS.assertion, 'Attribute')) {
      const name = attr(at, 'Name');
      if (name === undefined) continue;
      const values = children(at, NS.assertion, 'AttributeValue').map((v) => text(v) ?? '');
      attributes.set(name, [...(attributes.get(name) ?? []), ...values]);
      const friendly = attr(at, 'FriendlyName');
      if (friendly !== undefined) friendlyNames.set(name, friendly);
    }
  }
  return {
    issuer: text(child(a, NS.assertion, 'Issuer')) ?? text(verified.response && child(verified.response, NS.assertion, 'Issuer')),
    nameId: text(nameId),
    nameIdFormat: attr(nameId, 'Format'),
    confirmations,
    notBefore: time(attr(conditions, 'NotBefore')),
    notOnOrAfter: time(attr(conditions, 'NotOnOrAfter')),
    audiences,
    attributes,
    friendlyNames,
  };
}

/** True when the element holds an encrypted NameID or attribute, which iamlocal cannot read. */
export function hasEncryptedParts(a: XmlElement): boolean {
  return descendants(a, NS.assertion, 'EncryptedID').length > 0 || descendants(a, NS.assertion, 'EncryptedAttribute').length > 0;
}

import type * as XmlCrypto from 'xml-crypto';
import { lazyPackage } from '../../lazy-package.js';
import { child, children, isElement, NS, parseXml, type XmlDocument, type XmlElement } from './xml.js';

const xmlCrypto = lazyPackage<typeof XmlCrypto>('xml-crypto');

/**
 * The XML signature of a SAML response (enveloped, exclusive c14n; RSA-SHA256 or the
 * other RSA forms xml-crypto knows, never HMAC), on the Response, on its Assertion, or
 * both; every signature present must verify with one of the IdP's certificates from
 * the provider's metadata — never with a KeyInfo certificate the response brings along.
 *
 * Against signature wrapping: a signature counts only when it is a direct child of the
 * element it references by ID, the document has exactly one Assertion, IDs are unique
 * (xml-crypto refuses duplicates), and everything read afterwards comes from the signed
 * bytes re-parsed, not from the document as sent.
 */
export type SamlSignatureProblem = 'structure' | 'encrypted' | 'unsigned' | 'invalid';

export class SamlSignatureError extends Error {
  constructor(readonly problem: SamlSignatureProblem, message: string) {
    super(message);
    this.name = 'SamlSignatureError';
  }
}

export interface VerifiedSaml {
  /** The Response as signed; absent when only the Assertion carries a signature. */
  response?: XmlElement;
  /** The one Assertion, as signed. */
  assertion: XmlElement;
}

/** The canonical XML a signature covers, once it verifies with one of the certificates. */
function verifiedBytes(xml: string, signature: XmlElement, signed: XmlElement, certificates: readonly string[]): string {
  const id = signed.getAttribute('ID');
  if (!id) throw new SamlSignatureError('invalid', `the signed ${signed.localName} has no ID`);
  for (const publicCert of certificates) {
    const sx = new (xmlCrypto().SignedXml)({ publicCert, getCertFromKeyInfo: () => null });
    try {
      sx.loadSignature(signature as unknown as Parameters<XmlCrypto.SignedXml['loadSignature']>[0]);
      if (!sx.checkSignature(xml)) continue;
      const refs = sx.getReferences();
      if (refs.length !== 1 || refs[0].uri !== `#${id}`) throw new SamlSignatureError('invalid', `the signature must reference its parent ${signed.localName} alone`);
      return sx.getSignedReferences()[0];
    } catch (err) {
      if (err instanceof SamlSignatureError) throw err;
      // A digest or signature that does not match this certificate: try the next one.
    }
  }
  throw new SamlSignatureError('invalid', `the ${signed.localName} signature does not verify with the provider's certificates`);
}

function reparsed(canonical: string): XmlElement {
  const doc = parseXml(canonical);
  if (!doc) throw new SamlSignatureError('structure', 'the signed XML does not parse');
  return doc.documentElement as XmlElement;
}

function onlyAssertion(parent: XmlElement): XmlElement {
  if (children(parent, NS.assertion, 'EncryptedAssertion').length > 0) throw new SamlSignatureError('encrypted', 'encrypted assertions are not supported');
  const found = children(parent, NS.assertion, 'Assertion');
  if (found.length !== 1) throw new SamlSignatureError('structure', `a response must hold exactly one Assertion (found ${found.length})`);
  return found[0];
}

/** Checks the signatures of a parsed SAML Response (or bare Assertion); `xml` is its text. */
export function verifySamlSignatures(xml: string, doc: XmlDocument, certificates: readonly string[]): VerifiedSaml {
  const root = doc.documentElement as XmlElement;
  const isResponse = isElement(root, NS.protocol, 'Response');
  if (!isResponse && !isElement(root, NS.assertion, 'Assertion')) throw new SamlSignatureError('structure', 'not a SAML 2.0 Response');
  const assertion = isResponse ? onlyAssertion(root) : root;
  const responseSignature = isResponse ? child(root, NS.dsig, 'Signature') : undefined;
  const assertionSignature = child(assertion, NS.dsig, 'Signature');
  if (!responseSignature && !assertionSignature) throw new SamlSignatureError('unsigned', 'neither the Response nor the Assertion is signed');

  const out: Partial<VerifiedSaml> = {};
  if (responseSignature) {
    out.response = reparsed(verifiedBytes(xml, responseSignature, root, certificates));
    out.assertion = onlyAssertion(out.response);
  }
  if (assertionSignature) out.assertion = reparsed(verifiedBytes(xml, assertionSignature, assertion, certificates));
  return out as VerifiedSaml;
}

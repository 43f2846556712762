import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseXml } from '../../src/auth/saml/xml.js';
import { SamlSignatureError, verifySamlSignatures, type SamlSignatureProblem } from '../../src/auth/saml/signature.js';
import { readAssertion } from '../../src/auth/saml/assertion.js';
import { readIdpMetadata } from '../../src/auth/saml/metadata.js';
import { fixtureKeyPair, idpMetadata, samlResponse, samlResponseXml, signXml } from '../helpers/saml.js';

const IDP = 'https://idp.example.com/saml';
const A = fixtureKeyPair('server-a');
const B = fixtureKeyPair('server-b');
const certsA = readIdpMetadata(idpMetadata(IDP, A.cert))!.signingCertificates;

const xmlOf = (b64: string) => Buffer.from(b64, 'base64').toString('utf8');

function verify(xml: string, certs = certsA) {
  const doc = parseXml(xml);
  assert.ok(doc, 'parses');
  return verifySamlSignatures(xml, doc, certs);
}

function problemOf(xml: string, certs = certsA): SamlSignatureProblem {
  try {
    verify(xml, certs);
  } catch (err) {
    assert.ok(err instanceof SamlSignatureError, String(err));
    return err.problem;
  }
  assert.fail('expected the signature to be refused');
}

describe('IdP metadata', () => {
  test('entityID and the signing certificates (use="signing" or no use; not encryption)', () => {
    assert.deepEqual(readIdpMetadata(idpMetadata(IDP, A.cert))?.entityId, IDP);
    assert.equal(readIdpMetadata(idpMetadata(IDP, A.cert, null))?.signingCertificates.length, 1);
    assert.equal(readIdpMetadata(idpMetadata(IDP, A.cert, 'encryption'))?.signingCertificates.length, 0);
    assert.equal(readIdpMetadata('<not xml'), undefined);
    assert.equal(readIdpMetadata('<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="x"/>'), undefined);
  });
});

describe('SAML response signatures', () => {
  const base = { issuer: IDP, now: Date.now(), roles: ['arn:aws:iam::123456789012:role/r,arn:aws:iam::123456789012:saml-provider/p'] };

  for (const sign of ['response', 'assertion', 'both'] as const) {
    test(`signed on the ${sign}: verifies, and the assertion is read from the signed bytes`, () => {
      const a = readAssertion(verify(xmlOf(samlResponse({ ...base, sign, nameId: 'alice' }, A))));
      assert.equal(a.issuer, IDP);
      assert.equal(a.nameId, 'alice');
      assert.deepEqual(a.audiences, ['https://signin.aws.amazon.com/saml']);
      assert.equal(a.confirmations[0].recipient, 'https://signin.aws.amazon.com/saml');
      assert.deepEqual(a.attributes.get('https://aws.amazon.com/SAML/Attributes/Role'), base.roles);
    });

    test(`signed on the ${sign}: any changed byte of the signed content is refused`, () => {
      const xml = xmlOf(samlResponse({ ...base, sign, nameId: 'alice' }, A));
      for (const [from, to] of [['>alice<', '>mallory<'], ['role/r,', 'role/admin,'], ['saml</saml:Audience>', 'saml2</saml:Audience>']]) {
        assert.ok(xml.includes(from), from);
        assert.equal(problemOf(xml.replace(from, to)), 'invalid', `${from} → ${to}`);
      }
    });
  }

  test('a signature by another key, or checked with another certificate, is refused', () => {
    assert.equal(problemOf(xmlOf(samlResponse({ ...base }, B))), 'invalid');
    const certsB = readIdpMetadata(idpMetadata(IDP, B.cert))!.signingCertificates;
    assert.equal(problemOf(xmlOf(samlResponse({ ...base }, A)), certsB), 'invalid');
    // With both certificates in the metadata (a rollover), either key verifies.
    assert.ok(verify(xmlOf(samlResponse({ ...base }, B)), [...certsA, ...certsB]));
  });

  test('unsigned responses and empty certificate lists are refused', () => {
    assert.equal(problemOf(xmlOf(samlResponse({ ...base, sign: 'none' }, A))), 'unsigned');
    assert.equal(problemOf(xmlOf(samlResponse({ ...base }, A)), []), 'invalid');
  });

  test('signature wrapping: a forged assertion beside the signed one is refused', () => {
    const xml = samlResponseXml({ ...base, nameId: 'alice' });
    const signedAssertion = signXml(xml, 'Assertion', A);
    const original = /<saml:Assertion[\s\S]*<\/saml:Assertion>/.exec(signedAssertion)![0];
    const forged = original.replace('>alice<', '>admin<').replace(/<Signature [\s\S]*<\/Signature>/, '');
    // Two assertions: one forged and unsigned, the signed original beside it.
    assert.equal(problemOf(signedAssertion.replace(original, forged + original)), 'structure');
    // The signed original hidden in an extension element, the forged one in its place.
    const hidden = signedAssertion.replace(original, `${forged.replace(/ID="[^"]+"/, 'ID="_forged"')}`).replace('<samlp:Status>', `<samlp:Extensions>${original}</samlp:Extensions><samlp:Status>`);
    assert.notEqual(problemOf(hidden), undefined);
    // Signing a different element and moving its signature: the signature must reference its parent.
    const responseSigned = signXml(xml, 'Response', A);
    const sig = /<Signature [\s\S]*<\/Signature>/.exec(responseSigned)![0];
    const moved = responseSigned.replace(sig, '').replace('</saml:Issuer><saml:Subject>', `</saml:Issuer>${sig}<saml:Subject>`);
    assert.equal(problemOf(moved), 'invalid');
  });

  test('documents with a DTD do not parse; a bare Assertion may be signed alone', () => {
    assert.equal(parseXml('<!DOCTYPE x [<!ENTITY e "v">]><x>&e;</x>'), undefined);
    const xml = signXml(/<saml:Assertion[\s\S]*<\/saml:Assertion>/.exec(samlResponseXml(base))![0].replace('<saml:Assertion ', '<saml:Assertion xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" '), 'Assertion', A);
    assert.equal(readAssertion(verify(xml)).issuer, IDP);
  });
});

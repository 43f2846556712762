import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { asRoot, call, openTestStore, throwsAws, ACCOUNT } from './context.js';
import { verifySamlRequest } from '../../src/services/sts/saml-assertion-check.js';
import { attributeKeys, subjectType } from '../../src/services/sts/saml-keys.js';
import { fixtureKeyPair, idpMetadata, samlResponse, samlResponseXml, signXml, type AssertionOptions } from '../helpers/saml.js';

const IDP = 'urn:example:idp';
const PROVIDER = `arn:aws:iam::${ACCOUNT}:saml-provider/Okta`;
const ROLE = `arn:aws:iam::${ACCOUNT}:role/r`;
const NOW = Date.UTC(2026, 5, 1, 12, 0, 0);
const A = fixtureKeyPair('server-a');

let t: ReturnType<typeof openTestStore>;
before(() => {
  t = openTestStore();
  call(asRoot(t.store, NOW), 'CreateSAMLProvider', { Name: 'Okta', SAMLMetadataDocument: idpMetadata(IDP, A.cert) });
});
after(() => t.dispose());

const options = (o: Partial<AssertionOptions> = {}): AssertionOptions => ({ issuer: IDP, now: NOW, roles: [`${ROLE},${PROVIDER}`], ...o });
const check = (SAMLAssertion: string, now = NOW) => t.store.read(() => verifySamlRequest(t.store, { RoleArn: ROLE, PrincipalArn: PROVIDER, SAMLAssertion }, now, 'req-1'));

describe('verifySamlRequest', () => {
  test('the trust policy keys: saml:aud is the Recipient; namequalifier, doc, sub, sub_type, iss; mapped attributes', () => {
    const id = check(samlResponse(options({ nameId: 'u-7', recipient: 'https://eu-west-1.signin.aws.amazon.com/saml', audience: 'urn:amazon:webservices', extraAttributes: {
      'urn:oid:1.3.6.1.4.1.5923.1.1.1.1': ['staff', 'member'],
      'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress': ['u7@example.com'],
      mail: ['ignored@example.com'],
      'urn:unmapped': ['x'],
    } }), A));
    const qualifier = createHash('sha1').update(`${IDP}${ACCOUNT}/Okta`).digest('base64');
    assert.deepEqual(id.keys, {
      'saml:edupersonaffiliation': ['staff', 'member'],
      'saml:mail': 'u7@example.com',
      'saml:sub': 'u-7',
      'saml:sub_type': 'persistent',
      'saml:namequalifier': qualifier,
      'saml:aud': 'https://eu-west-1.signin.aws.amazon.com/saml',
      'saml:iss': IDP,
      'saml:doc': `${ACCOUNT}/Okta`,
    });
    assert.deepEqual(id.sessionKeys, { 'saml:sub': 'u-7', 'saml:sub_type': 'persistent', 'saml:namequalifier': qualifier });
    assert.equal(id.sessionName, 'alice@example.com');
  });

  test('sub_type: persistent, transient, else the Format URI', () => {
    assert.equal(subjectType('urn:oasis:names:tc:SAML:2.0:nameid-format:transient'), 'transient');
    assert.equal(subjectType('urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress'), 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress');
    assert.deepEqual(attributeKeys(new Map([['urn:oid:2.5.4.3', ['Alice']]])), { 'saml:cn': ['Alice'] });
  });

  test('NotBefore ahead, NotOnOrAfter passed (at the instant), by the clock passed in', () => {
    const response = samlResponse(options({ lifetimeSeconds: 300, notBeforeSeconds: 10 }), A);
    throwsAws(() => check(response), 'InvalidIdentityToken', 400, /not valid yet/);
    assert.ok(check(response, NOW + 10_000));
    throwsAws(() => check(response, NOW + 300_000), 'ExpiredTokenException', 400, 'Token must be redeemed within 5 minutes of issuance');
  });

  test('a SubjectConfirmationData without Recipient; no NameID is AccessDenied', () => {
    const noRecipient = Buffer.from(signXml(samlResponseXml(options()).replace(/ Recipient="[^"]*"/, ''), 'Response', A)).toString('base64');
    throwsAws(() => check(noRecipient), 'InvalidIdentityToken', 400, 'Responses must contain SubjectConfirmatonData with a Recipient and NotOnOrAfter');
    const noNameId = Buffer.from(signXml(samlResponseXml(options()).replace(/<saml:NameID[^>]*>[^<]*<\/saml:NameID>/, ''), 'Response', A)).toString('base64');
    throwsAws(() => check(noNameId), 'AccessDenied', 403, 'Not authorized to perform sts:AssumeRoleWithSAML');
  });

  test('SessionDuration and SourceIdentity attributes are checked', () => {
    assert.equal(check(samlResponse(options({ sessionDuration: 1800 }), A)).sessionDuration, 1800);
    throwsAws(() => check(samlResponse(options({ sessionDuration: 60 }), A)), 'InvalidIdentityToken', 400, /SessionDuration/);
    throwsAws(() => check(samlResponse(options({ sourceIdentity: 'a b' }), A)), 'InvalidIdentityToken', 400, /SourceIdentity/);
  });
});

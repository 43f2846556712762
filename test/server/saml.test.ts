import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { IAMClient, CreateSAMLProviderCommand, CreateRoleCommand, PutRolePolicyCommand, ListRolesCommand } from '@aws-sdk/client-iam';
import { STSClient, AssumeRoleWithSAMLCommand, GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { clientConfig, startTestServer, type TestServer } from '../helpers/server.js';
import { doc, rejects } from './sts-support.js';
import { credsOf } from './federation-support.js';
import { fixtureKeyPair, idpMetadata, samlResponse, type AssertionOptions } from '../helpers/saml.js';

const ACCOUNT = '000000000000';
const IDP = 'https://idp.example.com/saml';
const PROVIDER = `arn:aws:iam::${ACCOUNT}:saml-provider/Corp`;
const ROLE = `arn:aws:iam::${ACCOUNT}:role/engineer`;
const A = fixtureKeyPair('server-a');
const B = fixtureKeyPair('server-b');

let server: TestServer;
let iam: IAMClient;
let sts: STSClient;

before(async () => {
  server = await startTestServer();
  iam = new IAMClient(clientConfig(server));
  sts = new STSClient(clientConfig(server, { accessKeyId: 'AKIANOTAKEY000000000', secretAccessKey: 'x' }));
  await iam.send(new CreateSAMLProviderCommand({ Name: 'Corp', SAMLMetadataDocument: idpMetadata(IDP, A.cert) }));
  await iam.send(new CreateRoleCommand({
    RoleName: 'engineer',
    AssumeRolePolicyDocument: doc({
      Effect: 'Allow', Principal: { Federated: PROVIDER }, Action: 'sts:AssumeRoleWithSAML',
      Condition: { StringEquals: { 'saml:aud': 'https://signin.aws.amazon.com/saml', 'saml:iss': IDP }, 'ForAnyValue:StringEquals': { 'saml:edupersonaffiliation': 'staff' } },
    }),
  }));
  await iam.send(new PutRolePolicyCommand({ RoleName: 'engineer', PolicyName: 'read', PolicyDocument: doc({ Effect: 'Allow', Action: 'iam:ListRoles', Resource: '*' }) }));
});
after(async () => server.stop());

const STAFF = { 'urn:oid:1.3.6.1.4.1.5923.1.1.1.1': ['member', 'staff'] };

function assertion(o: Partial<AssertionOptions> = {}, keys = A): string {
  return samlResponse({ issuer: IDP, now: Date.now(), roles: [`${ROLE},${PROVIDER}`], sessionName: 'alice@example.com', nameId: 'alice', extraAttributes: STAFF, ...o }, keys);
}

const assume = (SAMLAssertion: string, extra: Record<string, unknown> = {}) => sts.send(new AssumeRoleWithSAMLCommand({ RoleArn: ROLE, PrincipalArn: PROVIDER, SAMLAssertion, ...extra }));

describe('AssumeRoleWithSAML', () => {
  test('an assertion signed by the key in the provider metadata gets a session that can act', async () => {
    const out = await assume(assertion());
    assert.equal(out.AssumedRoleUser?.Arn, `arn:aws:sts::${ACCOUNT}:assumed-role/engineer/alice@example.com`);
    assert.equal(out.Subject, 'alice');
    assert.equal(out.SubjectType, 'persistent');
    assert.equal(out.Issuer, IDP);
    assert.equal(out.Audience, 'https://signin.aws.amazon.com/saml');
    assert.equal(out.NameQualifier, createHash('sha1').update(`${IDP}${ACCOUNT}/Corp`).digest('base64'));
    const session = credsOf(out.Credentials);
    assert.equal((await new STSClient(clientConfig(server, session)).send(new GetCallerIdentityCommand({}))).Arn, out.AssumedRoleUser?.Arn);
    assert.ok((await new IAMClient(clientConfig(server, session)).send(new ListRolesCommand({}))).Roles?.length);
    // One hour by default.
    const lifetime = out.Credentials!.Expiration!.getTime() - Date.now();
    assert.ok(lifetime > 3500_000 && lifetime <= 3600_000, String(lifetime));
  });

  test('either order of the Role pair; the assertion signed on the Assertion only', async () => {
    assert.ok((await assume(assertion({ roles: [`${PROVIDER},${ROLE}`], sign: 'assertion' }))).Credentials);
  });

  test('a tampered assertion, or one signed by another key, is refused', async () => {
    const xml = Buffer.from(assertion(), 'base64').toString('utf8');
    const tampered = Buffer.from(xml.replace('>alice<', '>admin<'), 'utf8').toString('base64');
    await rejects(assume(tampered), 'InvalidIdentityToken', 'Response signature invalid', 400);
    await rejects(assume(assertion({}, B)), 'InvalidIdentityToken', 'Response signature invalid', 400);
  });

  test('the trust policy decides with saml:* keys: another affiliation is AccessDenied', async () => {
    await rejects(assume(assertion({ extraAttributes: { 'urn:oid:1.3.6.1.4.1.5923.1.1.1.1': ['student'] } })), 'AccessDenied', 'Not authorized to perform sts:AssumeRoleWithSAML', 403);
  });

  test('errors as AWS words them', async () => {
    await rejects(assume(assertion({ roles: [`arn:aws:iam::${ACCOUNT}:role/other,${PROVIDER}`] })), 'InvalidIdentityToken', "SAML Assertion doesn't contain the requested Role and Metadata in the attributes", 400);
    await rejects(assume(assertion({ sessionName: null })), 'InvalidIdentityToken', 'RoleSessionName is required in AuthnResponse', 400);
    await rejects(assume(assertion({ sessionName: 'Alice Smith' })), 'InvalidIdentityToken', 'RoleSessionName in AuthnResponse must match [a-zA-Z_0-9+=,.@-]{2,64}', 400);
    await rejects(assume(assertion({ lifetimeSeconds: -1 })), 'ExpiredTokenException', 'Token must be redeemed within 5 minutes of issuance', 400);
    await rejects(assume(assertion({ issuer: 'https://evil.example.com' })), 'InvalidIdentityToken', /^Issuer not present in specified provider \(Service: AWSOpenIdDiscoveryService;/, 400);
    await rejects(assume(assertion({ recipient: 'https://evil.example.com/saml' })), 'InvalidIdentityToken', /Recipient/, 400);
    await rejects(assume(assertion({ audience: 'urn:somebody:else' })), 'InvalidIdentityToken', /Audience/, 400);
    await rejects(assume(Buffer.from('not xml').toString('base64')), 'InvalidIdentityToken', /^Invalid base64 SAMLResponse/, 400);
    await rejects(
      sts.send(new AssumeRoleWithSAMLCommand({ RoleArn: ROLE, PrincipalArn: `arn:aws:iam::${ACCOUNT}:saml-provider/Nope`, SAMLAssertion: assertion() })),
      'InvalidIdentityToken', /^Specified provider doesn't exist/, 400,
    );
  });

  test('SessionDuration shortens the session; DurationSeconds over the role maximum is refused', async () => {
    const out = await assume(assertion({ sessionDuration: 900 }), { DurationSeconds: 3600 });
    const lifetime = out.Credentials!.Expiration!.getTime() - Date.now();
    assert.ok(lifetime > 800_000 && lifetime <= 900_000, String(lifetime));
    await rejects(assume(assertion(), { DurationSeconds: 7200 }), 'ValidationError', 'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.', 400);
  });

  test('PrincipalTag attributes and SourceIdentity need sts:TagSession and sts:SetSourceIdentity', async () => {
    const tagged = assertion({ tags: { team: 'blue' }, transitiveTagKeys: ['team'], sourceIdentity: 'alice' });
    await rejects(assume(tagged), 'AccessDenied', 'Not authorized to perform sts:AssumeRoleWithSAML', 403);
    await iam.send(new CreateRoleCommand({
      RoleName: 'tagger',
      AssumeRolePolicyDocument: doc({ Effect: 'Allow', Principal: { Federated: PROVIDER }, Action: ['sts:AssumeRoleWithSAML', 'sts:TagSession', 'sts:SetSourceIdentity'], Condition: { StringEquals: { 'aws:RequestTag/team': 'blue' } } }),
    }));
    const out = await sts.send(new AssumeRoleWithSAMLCommand({
      RoleArn: `arn:aws:iam::${ACCOUNT}:role/tagger`, PrincipalArn: PROVIDER,
      SAMLAssertion: samlResponse({ issuer: IDP, now: Date.now(), roles: [`arn:aws:iam::${ACCOUNT}:role/tagger,${PROVIDER}`], tags: { team: 'blue' }, sourceIdentity: 'alice' }, A),
    }));
    assert.equal(out.SourceIdentity, 'alice');
    assert.ok((out.PackedPolicySize ?? 0) > 0);
  });
});

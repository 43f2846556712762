import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  IAMClient,
  CreateAccessKeyCommand,
  CreateOpenIDConnectProviderCommand,
  CreateSAMLProviderCommand,
  CreateUserCommand,
  DeleteOpenIDConnectProviderCommand,
  GetAccountSummaryCommand,
  GetOpenIDConnectProviderCommand,
  GetSAMLProviderCommand,
  ListOpenIDConnectProvidersCommand,
  ListSAMLProvidersCommand,
  PutUserPolicyCommand,
  SetSecurityTokenServicePreferencesCommand,
  TagOpenIDConnectProviderCommand,
} from '@aws-sdk/client-iam';
import { startTestServer, clientConfig, type TestServer } from '../helpers/server.js';
import { doc, rejects } from '../helpers/aws.js';

let server: TestServer;
let iam: IAMClient;

before(async () => {
  server = await startTestServer();
  iam = new IAMClient(clientConfig(server));
});
after(async () => server.stop());

const ACCOUNT = '000000000000';

function metadata(): string {
  return `<?xml version="1.0"?>
<EntityDescriptor xmlns="urn:oasis:names:tc:SAML:2.0:metadata" entityID="https://idp.example.com" validUntil="2035-01-01T00:00:00Z">
  <IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
    <KeyDescriptor use="signing"><KeyInfo xmlns="http://www.w3.org/2000/09/xmldsig#"><X509Data><X509Certificate>${'MIIC'.padEnd(1100, 'B')}</X509Certificate></X509Data></KeyInfo></KeyDescriptor>
    <SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="https://idp.example.com/sso"/>
  </IDPSSODescriptor>
</EntityDescriptor>`;
}

describe('identity providers over HTTP', () => {
  test('OIDC provider: create, get, list, tag, delete with the SDK', async () => {
    const created = await iam.send(
      new CreateOpenIDConnectProviderCommand({ Url: 'https://token.actions.githubusercontent.com', ClientIDList: ['sts.amazonaws.com'], Tags: [{ Key: 'k', Value: 'v' }] }),
    );
    const arn = `arn:aws:iam::${ACCOUNT}:oidc-provider/token.actions.githubusercontent.com`;
    assert.equal(created.OpenIDConnectProviderArn, arn);
    const got = await iam.send(new GetOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: arn }));
    assert.equal(got.Url, 'token.actions.githubusercontent.com');
    assert.deepEqual(got.ClientIDList, ['sts.amazonaws.com']);
    assert.ok(got.CreateDate instanceof Date);
    await iam.send(new TagOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: arn, Tags: [{ Key: 'k2', Value: 'v2' }] }));
    const list = await iam.send(new ListOpenIDConnectProvidersCommand({}));
    assert.deepEqual(list.OpenIDConnectProviderList?.map((p) => p.Arn), [arn]);
    await iam.send(new DeleteOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: arn }));
    await rejects(iam.send(new GetOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: arn })), 'NoSuchEntity', `OpenIDConnect Provider not found for arn ${arn}`, 404);
  });

  test('SAML provider: create and get with the SDK; the summary counts it and shows the token version', async () => {
    const { SAMLProviderArn } = await iam.send(new CreateSAMLProviderCommand({ Name: 'Corp', SAMLMetadataDocument: metadata() }));
    assert.equal(SAMLProviderArn, `arn:aws:iam::${ACCOUNT}:saml-provider/Corp`);
    const got = await iam.send(new GetSAMLProviderCommand({ SAMLProviderArn }));
    assert.equal(got.SAMLMetadataDocument, metadata());
    assert.deepEqual(got.ValidUntil, new Date('2035-01-01T00:00:00Z'));
    const list = await iam.send(new ListSAMLProvidersCommand({}));
    assert.ok(list.SAMLProviderList?.some((p) => p.Arn === SAMLProviderArn));
    await iam.send(new SetSecurityTokenServicePreferencesCommand({ GlobalEndpointTokenVersion: 'v2Token' }));
    const { SummaryMap } = await iam.send(new GetAccountSummaryCommand({}));
    assert.equal(SummaryMap?.GlobalEndpointTokenVersion, 2);
    assert.ok((SummaryMap?.Providers ?? 0) >= 1);
  });

  test('a user allowed only on one provider ARN is denied on another', async () => {
    await iam.send(new CreateUserCommand({ UserName: 'idp-admin' }));
    const allowed = `arn:aws:iam::${ACCOUNT}:oidc-provider/allowed.example.com`;
    await iam.send(
      new PutUserPolicyCommand({
        UserName: 'idp-admin',
        PolicyName: 'p',
        PolicyDocument: doc([{ Effect: 'Allow', Action: ['iam:CreateOpenIDConnectProvider', 'iam:GetOpenIDConnectProvider'], Resource: allowed }]),
      }),
    );
    const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: 'idp-admin' }));
    const user = new IAMClient(clientConfig(server, { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! }));
    await user.send(new CreateOpenIDConnectProviderCommand({ Url: 'https://allowed.example.com' }));
    await rejects(user.send(new CreateOpenIDConnectProviderCommand({ Url: 'https://other.example.com' })), 'AccessDenied', undefined, 403);
  });
});

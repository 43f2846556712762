import { afterEach, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ACCOUNT, asRoot, call, openTestStore, throwsAws } from './context.js';
import { iamService } from '../../src/services/iam/index.js';
import { MAX_OIDC_PROVIDERS_PER_ACCOUNT } from '../../src/services/iam/providers/oidc-providers.js';
import type { Store } from '../../src/store/store.js';

let t: ReturnType<typeof openTestStore>;
let store: Store;
beforeEach(() => {
  t = openTestStore();
  store = t.store;
});
afterEach(() => t.dispose());

const root = () => asRoot(store);
const THUMB = '9e99a48a9960b14926bb7f3b02e22da2b0ab7280';
const OIDC_ARN = `arn:aws:iam::${ACCOUNT}:oidc-provider/token.actions.githubusercontent.com`;

/** SAML metadata as IdPs publish it (padded past the model's 1000-character minimum). */
function metadata(opts: { validUntil?: string; entityId?: string } = {}): string {
  const until = opts.validUntil ? ` validUntil="${opts.validUntil}"` : '';
  const cert = 'MIIC'.padEnd(1200, 'A');
  return `<?xml version="1.0" encoding="UTF-8"?>
<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="${opts.entityId ?? 'https://idp.example.com/saml'}"${until}>
  <md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
    <md:KeyDescriptor use="signing"><ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:X509Data><ds:X509Certificate>${cert}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>
    <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://idp.example.com/sso"/>
  </md:IDPSSODescriptor>
</md:EntityDescriptor>`;
}

describe('OpenID Connect providers', () => {
  test('Create returns the ARN from the URL without its scheme; Get returns url, client ids, thumbprints, tags', () => {
    const now = Date.UTC(2026, 1, 2, 3, 4, 5);
    const out = call(asRoot(store, now), 'CreateOpenIDConnectProvider', {
      Url: 'https://token.actions.githubusercontent.com',
      ClientIDList: ['sts.amazonaws.com'],
      ThumbprintList: [THUMB],
      Tags: [{ Key: 'team', Value: 'ci' }],
    });
    assert.equal(out.OpenIDConnectProviderArn, OIDC_ARN);
    assert.deepEqual(out.Tags, [{ Key: 'team', Value: 'ci' }]);
    const got = call(root(), 'GetOpenIDConnectProvider', { OpenIDConnectProviderArn: OIDC_ARN });
    assert.equal(got.Url, 'token.actions.githubusercontent.com');
    assert.deepEqual(got.ClientIDList, ['sts.amazonaws.com']);
    assert.deepEqual(got.ThumbprintList, [THUMB]);
    assert.deepEqual(got.CreateDate, new Date(now));
    assert.deepEqual(got.Tags, [{ Key: 'team', Value: 'ci' }]);
  });

  test('a URL with a path names the provider host/path; the thumbprint list is optional', () => {
    const out = call(root(), 'CreateOpenIDConnectProvider', { Url: 'https://oidc.eks.us-east-1.amazonaws.com/id/ABC123/' });
    assert.equal(out.OpenIDConnectProviderArn, `arn:aws:iam::${ACCOUNT}:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/ABC123`);
    const got = call(root(), 'GetOpenIDConnectProvider', { OpenIDConnectProviderArn: out.OpenIDConnectProviderArn });
    assert.deepEqual(got.ThumbprintList, []);
    assert.deepEqual(got.ClientIDList, []);
  });

  test('the URL must be https; the same URL twice is EntityAlreadyExists; bad thumbprints are refused', () => {
    throwsAws(() => call(root(), 'CreateOpenIDConnectProvider', { Url: 'http://example.com' }), 'ValidationError', 400, 'Invalid Open ID Connect Provider URL');
    call(root(), 'CreateOpenIDConnectProvider', { Url: 'https://example.com' });
    throwsAws(() => call(root(), 'CreateOpenIDConnectProvider', { Url: 'https://example.com/' }), 'EntityAlreadyExists', 409, 'Provider with url https://example.com/ already exists.');
    throwsAws(() => call(root(), 'CreateOpenIDConnectProvider', { Url: 'https://other.example.com', ThumbprintList: ['abc'] }), 'InvalidInput', 400);
    throwsAws(
      () => call(root(), 'CreateOpenIDConnectProvider', { Url: 'https://other.example.com', ThumbprintList: Array.from({ length: 6 }, (_, i) => String(i).repeat(40)) }),
      'InvalidInput',
      400,
    );
  });

  test('a missing provider is NoSuchEntity in IAM words', () => {
    const arn = `arn:aws:iam::${ACCOUNT}:oidc-provider/nowhere.example.com`;
    throwsAws(() => call(root(), 'GetOpenIDConnectProvider', { OpenIDConnectProviderArn: arn }), 'NoSuchEntity', 404, `OpenIDConnect Provider not found for arn ${arn}`);
    throwsAws(() => call(root(), 'DeleteOpenIDConnectProvider', { OpenIDConnectProviderArn: arn }), 'NoSuchEntity', 404);
  });

  test('client ids are added once and removed; thumbprints are replaced', () => {
    call(root(), 'CreateOpenIDConnectProvider', { Url: 'https://token.actions.githubusercontent.com', ClientIDList: ['a'] });
    call(root(), 'AddClientIDToOpenIDConnectProvider', { OpenIDConnectProviderArn: OIDC_ARN, ClientID: 'b' });
    call(root(), 'AddClientIDToOpenIDConnectProvider', { OpenIDConnectProviderArn: OIDC_ARN, ClientID: 'b' });
    assert.deepEqual(call(root(), 'GetOpenIDConnectProvider', { OpenIDConnectProviderArn: OIDC_ARN }).ClientIDList, ['a', 'b']);
    call(root(), 'RemoveClientIDFromOpenIDConnectProvider', { OpenIDConnectProviderArn: OIDC_ARN, ClientID: 'a' });
    call(root(), 'UpdateOpenIDConnectProviderThumbprint', { OpenIDConnectProviderArn: OIDC_ARN, ThumbprintList: ['F'.repeat(40)] });
    const got = call(root(), 'GetOpenIDConnectProvider', { OpenIDConnectProviderArn: OIDC_ARN });
    assert.deepEqual(got.ClientIDList, ['b']);
    assert.deepEqual(got.ThumbprintList, ['f'.repeat(40)]);
  });

  test('tags, list and delete; deleting removes the tags with the provider', () => {
    call(root(), 'CreateOpenIDConnectProvider', { Url: 'https://token.actions.githubusercontent.com' });
    call(root(), 'CreateOpenIDConnectProvider', { Url: 'https://accounts.google.com' });
    call(root(), 'TagOpenIDConnectProvider', { OpenIDConnectProviderArn: OIDC_ARN, Tags: [{ Key: 'a', Value: '1' }, { Key: 'b', Value: '2' }] });
    call(root(), 'UntagOpenIDConnectProvider', { OpenIDConnectProviderArn: OIDC_ARN, TagKeys: ['A'] });
    assert.deepEqual(call(root(), 'ListOpenIDConnectProviderTags', { OpenIDConnectProviderArn: OIDC_ARN }).Tags, [{ Key: 'b', Value: '2' }]);
    assert.deepEqual(
      call(root(), 'ListOpenIDConnectProviders').OpenIDConnectProviderList.map((p: { Arn: string }) => p.Arn),
      [`arn:aws:iam::${ACCOUNT}:oidc-provider/accounts.google.com`, OIDC_ARN],
    );
    call(root(), 'DeleteOpenIDConnectProvider', { OpenIDConnectProviderArn: OIDC_ARN });
    assert.equal(call(root(), 'ListOpenIDConnectProviders').OpenIDConnectProviderList.length, 1);
    assert.equal((store.db.prepare("SELECT count(*) AS n FROM tags WHERE resource_kind = 'oidc-provider'").get() as { n: number }).n, 0);
  });

  test('the providers-per-account quota is enforced', () => {
    const insert = store.db.prepare("INSERT INTO oidc_providers (account_id, url, client_ids, thumbprints, created_at) VALUES (?, ?, '[]', '[]', 0)");
    store.tx(() => {
      for (let i = 0; i < MAX_OIDC_PROVIDERS_PER_ACCOUNT; i++) insert.run(ACCOUNT, `p${i}.example.com`);
    });
    throwsAws(() => call(root(), 'CreateOpenIDConnectProvider', { Url: 'https://extra.example.com' }), 'LimitExceeded', 409, 'Cannot exceed quota for OpenIdConnectProvidersPerAccount: 100');
  });

  test('authz: the provider ARN, request tags on create, resource tags on an existing provider', () => {
    const rule = iamService.operations.CreateOpenIDConnectProvider.authorize;
    assert.deepEqual(rule(root(), { Url: 'https://token.actions.githubusercontent.com', Tags: [{ Key: 'team', Value: 'ci' }] }), {
      action: 'iam:CreateOpenIDConnectProvider',
      resource: OIDC_ARN,
      context: { 'aws:TagKeys': ['team'], 'aws:RequestTag/team': 'ci' },
    });
    call(root(), 'CreateOpenIDConnectProvider', { Url: 'https://token.actions.githubusercontent.com', Tags: [{ Key: 'team', Value: 'ci' }] });
    assert.deepEqual(iamService.operations.GetOpenIDConnectProvider.authorize(root(), { OpenIDConnectProviderArn: OIDC_ARN }), {
      action: 'iam:GetOpenIDConnectProvider',
      resource: OIDC_ARN,
      context: { 'aws:ResourceTag/team': 'ci' },
    });
    assert.deepEqual(iamService.operations.ListOpenIDConnectProviders.authorize(root(), {}), { action: 'iam:ListOpenIDConnectProviders', resource: '*' });
  });
});

describe('SAML providers', () => {
  const SAML_ARN = `arn:aws:iam::${ACCOUNT}:saml-provider/Okta`;

  test('Create and Get: the metadata, a UUID, ValidUntil from the metadata, tags', () => {
    const now = Date.UTC(2026, 4, 1);
    const out = call(asRoot(store, now), 'CreateSAMLProvider', {
      Name: 'Okta',
      SAMLMetadataDocument: metadata({ validUntil: '2030-01-01T00:00:00Z' }),
      Tags: [{ Key: 'idp', Value: 'okta' }],
    });
    assert.equal(out.SAMLProviderArn, SAML_ARN);
    assert.deepEqual(out.Tags, [{ Key: 'idp', Value: 'okta' }]);
    const got = call(root(), 'GetSAMLProvider', { SAMLProviderArn: SAML_ARN });
    assert.match(got.SAMLProviderUUID, /^[A-Z0-9]{22,64}$/);
    assert.equal(got.SAMLMetadataDocument, metadata({ validUntil: '2030-01-01T00:00:00Z' }));
    assert.deepEqual(got.CreateDate, new Date(now));
    assert.deepEqual(got.ValidUntil, new Date('2030-01-01T00:00:00Z'));
    assert.deepEqual(got.Tags, [{ Key: 'idp', Value: 'okta' }]);
  });

  test('metadata that is not XML, or has no EntityDescriptor, is refused', () => {
    throwsAws(() => call(root(), 'CreateSAMLProvider', { Name: 'x', SAMLMetadataDocument: 'not xml <' + 'a'.repeat(1000) }), 'InvalidInput', 400, 'Could not parse metadata');
    throwsAws(() => call(root(), 'CreateSAMLProvider', { Name: 'x', SAMLMetadataDocument: `<Other>${'a'.repeat(1000)}</Other>` }), 'InvalidInput', 400, 'Could not parse metadata');
    assert.equal(call(root(), 'ListSAMLProviders').SAMLProviderList.length, 0);
  });

  test('a name used twice is EntityAlreadyExists; a missing provider is NoSuchEntity', () => {
    call(root(), 'CreateSAMLProvider', { Name: 'Okta', SAMLMetadataDocument: metadata() });
    throwsAws(() => call(root(), 'CreateSAMLProvider', { Name: 'Okta', SAMLMetadataDocument: metadata() }), 'EntityAlreadyExists', 409);
    const missing = `arn:aws:iam::${ACCOUNT}:saml-provider/Nope`;
    throwsAws(() => call(root(), 'GetSAMLProvider', { SAMLProviderArn: missing }), 'NoSuchEntity', 404, `Manifest not found for arn ${missing}`);
  });

  test('Update replaces the metadata and its ValidUntil; List shows dates; Delete removes it and its tags', () => {
    call(root(), 'CreateSAMLProvider', { Name: 'Okta', SAMLMetadataDocument: metadata(), Tags: [{ Key: 'a', Value: '1' }] });
    const next = metadata({ validUntil: '2031-06-01T00:00:00Z', entityId: 'https://idp2.example.com' });
    assert.deepEqual(call(root(), 'UpdateSAMLProvider', { SAMLProviderArn: SAML_ARN, SAMLMetadataDocument: next }), { SAMLProviderArn: SAML_ARN });
    assert.equal(call(root(), 'GetSAMLProvider', { SAMLProviderArn: SAML_ARN }).SAMLMetadataDocument, next);
    const [entry] = call(root(), 'ListSAMLProviders').SAMLProviderList;
    assert.equal(entry.Arn, SAML_ARN);
    assert.deepEqual(entry.ValidUntil, new Date('2031-06-01T00:00:00Z'));
    throwsAws(() => call(root(), 'UpdateSAMLProvider', { SAMLProviderArn: SAML_ARN, SAMLMetadataDocument: 'x'.repeat(1000) }), 'InvalidInput', 400);
    call(root(), 'DeleteSAMLProvider', { SAMLProviderArn: SAML_ARN });
    assert.equal(call(root(), 'ListSAMLProviders').SAMLProviderList.length, 0);
    assert.equal((store.db.prepare("SELECT count(*) AS n FROM tags WHERE resource_kind = 'saml-provider'").get() as { n: number }).n, 0);
  });

  test('tags: tag, untag, list', () => {
    call(root(), 'CreateSAMLProvider', { Name: 'Okta', SAMLMetadataDocument: metadata() });
    call(root(), 'TagSAMLProvider', { SAMLProviderArn: SAML_ARN, Tags: [{ Key: 'a', Value: '1' }, { Key: 'b', Value: '2' }] });
    call(root(), 'UntagSAMLProvider', { SAMLProviderArn: SAML_ARN, TagKeys: ['b'] });
    assert.deepEqual(call(root(), 'ListSAMLProviderTags', { SAMLProviderArn: SAML_ARN }).Tags, [{ Key: 'a', Value: '1' }]);
  });

  test('authz: the provider ARN with request tags or resource tags', () => {
    assert.deepEqual(iamService.operations.CreateSAMLProvider.authorize(root(), { Name: 'Okta', SAMLMetadataDocument: metadata() }), { action: 'iam:CreateSAMLProvider', resource: SAML_ARN });
    call(root(), 'CreateSAMLProvider', { Name: 'Okta', SAMLMetadataDocument: metadata(), Tags: [{ Key: 'a', Value: '1' }] });
    assert.deepEqual(iamService.operations.UntagSAMLProvider.authorize(root(), { SAMLProviderArn: SAML_ARN, TagKeys: ['a'] }), {
      action: 'iam:UntagSAMLProvider',
      resource: SAML_ARN,
      context: { 'aws:ResourceTag/a': '1', 'aws:TagKeys': ['a'] },
    });
  });
});

describe('SetSecurityTokenServicePreferences and the account summary', () => {
  test('the token version and the providers count show in GetAccountSummary', () => {
    assert.equal(call(root(), 'GetAccountSummary').SummaryMap.GlobalEndpointTokenVersion, 1);
    call(root(), 'SetSecurityTokenServicePreferences', { GlobalEndpointTokenVersion: 'v2Token' });
    call(root(), 'CreateOpenIDConnectProvider', { Url: 'https://accounts.google.com' });
    call(root(), 'CreateSAMLProvider', { Name: 'Okta', SAMLMetadataDocument: metadata() });
    const summary = call(root(), 'GetAccountSummary').SummaryMap;
    assert.equal(summary.GlobalEndpointTokenVersion, 2);
    assert.equal(summary.Providers, 2);
    call(root(), 'SetSecurityTokenServicePreferences', { GlobalEndpointTokenVersion: 'v1Token' });
    assert.equal(call(root(), 'GetAccountSummary').SummaryMap.GlobalEndpointTokenVersion, 1);
    assert.deepEqual(iamService.operations.SetSecurityTokenServicePreferences.authorize(root(), {}), { action: 'iam:SetSecurityTokenServicePreferences', resource: '*' });
  });
});

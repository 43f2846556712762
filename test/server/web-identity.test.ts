import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { IAMClient, CreateOpenIDConnectProviderCommand, CreateRoleCommand, PutRolePolicyCommand, ListRolesCommand, ListUsersCommand } from '@aws-sdk/client-iam';
import { STSClient, AssumeRoleWithWebIdentityCommand, AssumeRoleCommand, GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { clientConfig, startTestServer, type TestServer } from '../helpers/server.js';
import { doc, rejects } from './sts-support.js';
import { adminCall, credsOf, mint } from './federation-support.js';
import { signToken, testSigner, type TestSigner } from '../helpers/jwt.js';

const ACCOUNT = '000000000000';
const REPO_MAIN = 'repo:acme/app:ref:refs/heads/main';

let server: TestServer;
let iam: IAMClient;
/** STS with no usable credentials: the federation calls are unsigned. */
let anonymousSts: STSClient;
let issuer: string;
let providerKey: string;

before(async () => {
  server = await startTestServer();
  iam = new IAMClient(clientConfig(server));
  anonymousSts = new STSClient(clientConfig(server, { accessKeyId: 'AKIANOTAKEY000000000', secretAccessKey: 'not-a-secret' }));
  issuer = `${server.url}/_iamlocal/oidc/github`;
  providerKey = issuer.replace(/^http:\/\//, '');
  await iam.send(new CreateOpenIDConnectProviderCommand({ Url: issuer, ClientIDList: ['sts.amazonaws.com'] }));
  await iam.send(new CreateRoleCommand({
    RoleName: 'deploy',
    AssumeRolePolicyDocument: doc({
      Effect: 'Allow',
      Principal: { Federated: `arn:aws:iam::${ACCOUNT}:oidc-provider/${providerKey}` },
      Action: 'sts:AssumeRoleWithWebIdentity',
      Condition: { StringEquals: { [`${providerKey}:aud`]: 'sts.amazonaws.com', [`${providerKey}:sub`]: REPO_MAIN } },
    }),
  }));
  await iam.send(new PutRolePolicyCommand({ RoleName: 'deploy', PolicyName: 'read-roles', PolicyDocument: doc({ Effect: 'Allow', Action: 'iam:ListRoles', Resource: '*' }) }));
});
after(async () => server.stop());

const assume = (token: string, RoleSessionName = 'ci', extra: Record<string, unknown> = {}) =>
  anonymousSts.send(new AssumeRoleWithWebIdentityCommand({ RoleArn: `arn:aws:iam::${ACCOUNT}:role/deploy`, RoleSessionName, WebIdentityToken: token, ...extra }));

describe('AssumeRoleWithWebIdentity with the built-in test issuer', () => {
  test('discovery names the issuer and its jwks; the jwks holds one RS256 key', async () => {
    const config = await (await fetch(`${issuer}/.well-known/openid-configuration`)).json() as { issuer: string; jwks_uri: string };
    assert.equal(config.issuer, issuer);
    const jwks = await (await fetch(config.jwks_uri)).json() as { keys: Array<{ kty: string; alg: string; kid: string }> };
    assert.equal(jwks.keys.length, 1);
    assert.equal(jwks.keys[0].alg, 'RS256');
  });

  test('a GitHub-shaped token for the trusted repo and branch gets a session that can act', async () => {
    const token = await mint(server, 'github', { profile: 'github', claims: { repository: 'acme/app' } });
    const claims = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8'));
    assert.equal(claims.sub, REPO_MAIN);
    assert.equal(claims.iss, issuer);
    assert.equal(claims.aud, 'sts.amazonaws.com');
    assert.equal(claims.job_workflow_ref, 'acme/app/.github/workflows/ci.yml@refs/heads/main');

    const out = await assume(token);
    assert.equal(out.SubjectFromWebIdentityToken, REPO_MAIN);
    assert.equal(out.Provider, `arn:aws:iam::${ACCOUNT}:oidc-provider/${providerKey}`);
    assert.equal(out.Audience, 'sts.amazonaws.com');
    assert.equal(out.AssumedRoleUser?.Arn, `arn:aws:sts::${ACCOUNT}:assumed-role/deploy/ci`);
    assert.match(out.Credentials?.AccessKeyId ?? '', /^ASIA/);
    assert.equal(out.PackedPolicySize, undefined);

    const session = credsOf(out.Credentials);
    const me = await new STSClient(clientConfig(server, session)).send(new GetCallerIdentityCommand({}));
    assert.equal(me.Arn, `arn:aws:sts::${ACCOUNT}:assumed-role/deploy/ci`);
    const roles = await new IAMClient(clientConfig(server, session)).send(new ListRolesCommand({}));
    assert.ok(roles.Roles?.some((r) => r.RoleName === 'deploy'));
    await rejects(new IAMClient(clientConfig(server, session)).send(new ListUsersCommand({})), 'AccessDenied', undefined, 403);
  });

  test('a token for another branch is AccessDenied, in AWS words', async () => {
    const token = await mint(server, 'github', { claims: { repository: 'acme/app', ref: 'refs/heads/feature' } });
    await rejects(assume(token), 'AccessDenied', 'Not authorized to perform sts:AssumeRoleWithWebIdentity', 403);
    const event = server.events.findLast((e) => e.operation === 'AssumeRoleWithWebIdentity');
    assert.equal(event?.decision, 'implicitDeny');
  });

  test('a role that does not exist is the same AccessDenied', async () => {
    const token = await mint(server, 'github', { claims: { repository: 'acme/app' } });
    await rejects(
      anonymousSts.send(new AssumeRoleWithWebIdentityCommand({ RoleArn: `arn:aws:iam::${ACCOUNT}:role/nope`, RoleSessionName: 'ci', WebIdentityToken: token })),
      'AccessDenied', 'Not authorized to perform sts:AssumeRoleWithWebIdentity', 403,
    );
  });

  test('expired, wrong audience, unknown issuer, tampered and malformed tokens are refused as AWS refuses them', async () => {
    const expired = await mint(server, 'github', { claims: { repository: 'acme/app' }, expiresIn: -5 });
    await rejects(assume(expired), 'ExpiredTokenException', /^Token expired: current date\/time \d+ must be before the expiration date\/time \d+$/, 400);
    const audience = await mint(server, 'github', { claims: { repository: 'acme/app', aud: 'someone-else' } });
    await rejects(assume(audience), 'InvalidIdentityToken', 'Incorrect token audience', 400);
    const otherIssuer = await mint(server, 'gitlab', { claims: { repository: 'acme/app' } });
    await rejects(assume(otherIssuer), 'InvalidIdentityToken', `No OpenIDConnect provider found in your account for ${server.url}/_iamlocal/oidc/gitlab`, 400);
    const good = await mint(server, 'github', { claims: { repository: 'acme/app' } });
    const [h, p, s] = good.split('.');
    const forged = Buffer.from(Buffer.from(p, 'base64url').toString('utf8').replace('refs/heads/main', 'refs/heads/mainx')).toString('base64url');
    await rejects(assume(`${h}.${forged}.${s}`), 'InvalidIdentityToken', /signature does not verify/, 400);
    await rejects(assume('not.a-jwt'), 'InvalidIdentityToken', 'The ID Token provided is not a valid JWT. (You may see this error if you sent an Access Token)', 400);
  });

  test('minting needs the root signature', async () => {
    const res = await fetch(`${issuer}/token`, { method: 'POST', body: '{}' });
    assert.equal(res.status, 403);
  });

  test('an EKS-shaped token and the session keys: aws:FederatedProvider and <issuer>:sub reach a chained AssumeRole', async () => {
    const eksIssuer = `${server.url}/_iamlocal/oidc/eks`;
    const eksKey = eksIssuer.replace(/^http:\/\//, '');
    const provider = `arn:aws:iam::${ACCOUNT}:oidc-provider/${eksKey}`;
    await iam.send(new CreateOpenIDConnectProviderCommand({ Url: eksIssuer, ClientIDList: ['sts.amazonaws.com'] }));
    await iam.send(new CreateRoleCommand({
      RoleName: 'pod',
      AssumeRolePolicyDocument: doc({
        Effect: 'Allow', Principal: { Federated: provider }, Action: 'sts:AssumeRoleWithWebIdentity',
        Condition: { StringEquals: { [`${eksKey}:sub`]: 'system:serviceaccount:prod:api' } },
      }),
    }));
    await iam.send(new PutRolePolicyCommand({ RoleName: 'pod', PolicyName: 'chain', PolicyDocument: doc({ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: '*' }) }));
    await iam.send(new CreateRoleCommand({
      RoleName: 'next',
      AssumeRolePolicyDocument: doc({
        Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:role/pod` }, Action: 'sts:AssumeRole',
        Condition: { StringEquals: { 'aws:FederatedProvider': provider, [`${eksKey}:sub`]: 'system:serviceaccount:prod:api' } },
      }),
    }));
    const token = await mint(server, 'eks', { profile: 'eks', claims: { 'kubernetes.io': { namespace: 'prod', serviceaccount: { name: 'api' } } } });
    const out = await anonymousSts.send(new AssumeRoleWithWebIdentityCommand({ RoleArn: `arn:aws:iam::${ACCOUNT}:role/pod`, RoleSessionName: 'pod', WebIdentityToken: token }));
    assert.equal(out.SubjectFromWebIdentityToken, 'system:serviceaccount:prod:api');
    const chained = await new STSClient(clientConfig(server, credsOf(out.Credentials))).send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${ACCOUNT}:role/next`, RoleSessionName: 'nn' }));
    assert.equal(chained.AssumedRoleUser?.Arn, `arn:aws:sts::${ACCOUNT}:assumed-role/next/nn`);
    const otherSa = await mint(server, 'eks', { profile: 'eks', claims: { 'kubernetes.io': { namespace: 'prod', serviceaccount: { name: 'worker' } } } });
    await rejects(anonymousSts.send(new AssumeRoleWithWebIdentityCommand({ RoleArn: `arn:aws:iam::${ACCOUNT}:role/pod`, RoleSessionName: 'pod', WebIdentityToken: otherSa })), 'AccessDenied');
  });

  test('session tags and source identity from the token need sts:TagSession and sts:SetSourceIdentity', async () => {
    await iam.send(new CreateRoleCommand({
      RoleName: 'tagged',
      AssumeRolePolicyDocument: doc({ Effect: 'Allow', Principal: { Federated: `arn:aws:iam::${ACCOUNT}:oidc-provider/${providerKey}` }, Action: 'sts:AssumeRoleWithWebIdentity' }),
    }));
    const claims = { repository: 'acme/app', 'https://aws.amazon.com/tags': { principal_tags: { team: ['blue'] }, transitive_tag_keys: ['team'] }, 'https://aws.amazon.com/source_identity': 'alice' };
    const token = await mint(server, 'github', { claims });
    const call = () => anonymousSts.send(new AssumeRoleWithWebIdentityCommand({ RoleArn: `arn:aws:iam::${ACCOUNT}:role/tagged`, RoleSessionName: 'ss', WebIdentityToken: token }));
    await rejects(call(), 'AccessDenied', 'Not authorized to perform sts:AssumeRoleWithWebIdentity', 403);
    await iam.send(new CreateRoleCommand({
      RoleName: 'tagged2',
      AssumeRolePolicyDocument: doc({ Effect: 'Allow', Principal: { Federated: `arn:aws:iam::${ACCOUNT}:oidc-provider/${providerKey}` }, Action: ['sts:AssumeRoleWithWebIdentity', 'sts:TagSession', 'sts:SetSourceIdentity'], Condition: { StringEquals: { 'aws:RequestTag/team': 'blue', 'sts:SourceIdentity': 'alice' } } }),
    }));
    const out = await anonymousSts.send(new AssumeRoleWithWebIdentityCommand({ RoleArn: `arn:aws:iam::${ACCOUNT}:role/tagged2`, RoleSessionName: 'ss', WebIdentityToken: token }));
    assert.equal(out.SourceIdentity, 'alice');
    assert.ok((out.PackedPolicySize ?? 0) > 0);
  });
});

describe('the test issuer across a restart', () => {
  test('its key is kept in the data directory: a token minted before a restart verifies after it', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'iamlocal-issuer-'));
    try {
      let first = await startTestServer({ dataDir });
      const url = `${first.url}/_iamlocal/oidc/ci`;
      await new IAMClient(clientConfig(first)).send(new CreateOpenIDConnectProviderCommand({ Url: url, ClientIDList: ['sts.amazonaws.com'] }));
      await new IAMClient(clientConfig(first)).send(new CreateRoleCommand({
        RoleName: 'r',
        AssumeRolePolicyDocument: doc({ Effect: 'Allow', Principal: { Federated: `arn:aws:iam::${ACCOUNT}:oidc-provider/${url.replace('http://', '')}` }, Action: 'sts:AssumeRoleWithWebIdentity' }),
      }));
      const token = await mint(first, 'ci');
      const kid = (await (await fetch(`${url}/jwks`)).json() as { keys: Array<{ kid: string }> }).keys[0].kid;
      await first.stop();
      first = await startTestServer({ dataDir });
      try {
        const again = (await (await fetch(`${first.url}/_iamlocal/oidc/ci/jwks`)).json() as { keys: Array<{ kid: string }> }).keys[0].kid;
        assert.equal(again, kid);
        const sts = new STSClient(clientConfig(first, { accessKeyId: 'AKIANOTAKEY000000000', secretAccessKey: 'x' }));
        const out = await sts.send(new AssumeRoleWithWebIdentityCommand({ RoleArn: `arn:aws:iam::${ACCOUNT}:role/r`, RoleSessionName: 'after', WebIdentityToken: token }));
        assert.equal(out.AssumedRoleUser?.Arn, `arn:aws:sts::${ACCOUNT}:assumed-role/r/after`);
      } finally {
        await first.stop();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('keys from elsewhere: registered JWKS, localhost issuers', () => {
  let signer: TestSigner;
  before(async () => {
    signer = await testSigner('ES256', 'reg-1');
  });

  test('a JWKS registered for an https issuer verifies its tokens; without it, no key', async () => {
    const iss = 'https://issuer.example.com';
    await iam.send(new CreateOpenIDConnectProviderCommand({ Url: iss, ClientIDList: ['my-app'], ThumbprintList: ['0'.repeat(40)] }));
    await iam.send(new CreateRoleCommand({
      RoleName: 'external',
      AssumeRolePolicyDocument: doc({ Effect: 'Allow', Principal: { Federated: `arn:aws:iam::${ACCOUNT}:oidc-provider/issuer.example.com` }, Action: 'sts:AssumeRoleWithWebIdentity', Condition: { StringEquals: { 'issuer.example.com:sub': 'u-1', 'issuer.example.com:aud': 'my-app' } } }),
    }));
    const token = await signToken(signer, { iss, sub: 'u-1', aud: 'my-app' });
    const call = () => anonymousSts.send(new AssumeRoleWithWebIdentityCommand({ RoleArn: `arn:aws:iam::${ACCOUNT}:role/external`, RoleSessionName: 'ss', WebIdentityToken: token }));
    await rejects(call(), 'InvalidIdentityToken', "Couldn't retrieve verification key from your identity provider,  please reference AssumeRoleWithWebIdentity documentation for requirements", 400);

    const refused = await adminCall(server, 'PUT', '/_iamlocal/oidc-keys', { issuer: iss, jwks: { keys: [{ ...signer.publicJwk, d: 'secret' }] } });
    assert.equal(refused.status, 400);
    const put = await adminCall(server, 'PUT', '/_iamlocal/oidc-keys', { issuer: iss, jwks: { keys: [signer.publicJwk] } });
    assert.equal(put.status, 200, JSON.stringify(put.json));
    const listed = await adminCall(server, 'GET', '/_iamlocal/oidc-keys', undefined);
    assert.deepEqual(listed.json.issuers.map((i: { issuer: string }) => i.issuer), [iss]);

    const out = await call();
    assert.equal(out.SubjectFromWebIdentityToken, 'u-1');
    assert.equal(out.Audience, 'my-app');

    const removed = await adminCall(server, 'DELETE', `/_iamlocal/oidc-keys?issuer=${encodeURIComponent(iss)}`, undefined);
    assert.equal(removed.status, 200);
    await rejects(call(), 'InvalidIdentityToken', /^Couldn't retrieve verification key/);
  });

  test('an issuer on localhost is asked for its keys (discovery, then jwks_uri)', async () => {
    const local = await testSigner('RS256', 'local-1');
    let asked = 0;
    const idp: Server = createServer((req, res) => {
      asked++;
      const base = `http://127.0.0.1:${(idp.address() as AddressInfo).port}`;
      res.setHeader('content-type', 'application/json');
      if (req.url === '/.well-known/openid-configuration') res.end(JSON.stringify({ issuer: base, jwks_uri: `${base}/keys` }));
      else if (req.url === '/keys') res.end(JSON.stringify({ keys: [local.publicJwk] }));
      else res.writeHead(404).end('{}');
    });
    await new Promise<void>((resolve) => idp.listen(0, '127.0.0.1', resolve));
    try {
      const iss = `http://127.0.0.1:${(idp.address() as AddressInfo).port}`;
      const key = iss.replace('http://', '');
      await iam.send(new CreateOpenIDConnectProviderCommand({ Url: iss, ClientIDList: ['local-app'] }));
      await iam.send(new CreateRoleCommand({
        RoleName: 'local',
        AssumeRolePolicyDocument: doc({ Effect: 'Allow', Principal: { Federated: `arn:aws:iam::${ACCOUNT}:oidc-provider/${key}` }, Action: 'sts:AssumeRoleWithWebIdentity', Condition: { StringEquals: { [`${key}:sub`]: 'dev' } } }),
      }));
      const token = await signToken(local, { iss, sub: 'dev', aud: 'local-app' });
      const out = await anonymousSts.send(new AssumeRoleWithWebIdentityCommand({ RoleArn: `arn:aws:iam::${ACCOUNT}:role/local`, RoleSessionName: 'ss', WebIdentityToken: token }));
      assert.equal(out.SubjectFromWebIdentityToken, 'dev');
      assert.equal(asked, 2);
      // Signed by a key the issuer does not publish: refused.
      const stranger = await testSigner('RS256', 'local-1');
      await rejects(anonymousSts.send(new AssumeRoleWithWebIdentityCommand({ RoleArn: `arn:aws:iam::${ACCOUNT}:role/local`, RoleSessionName: 'ss', WebIdentityToken: await signToken(stranger, { iss, sub: 'dev', aud: 'local-app' }) })), 'InvalidIdentityToken');
    } finally {
      await new Promise((resolve) => idp.close(resolve));
    }
  });
});

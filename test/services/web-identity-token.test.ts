import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { asRoot, call, openTestStore, throwsAws, ACCOUNT } from './context.js';
import { registerJwks } from '../../src/services/sts/registered-jwks.js';
import { verifyWebIdentityToken } from '../../src/services/sts/web-identity-token.js';
import { signToken, tamperClaims, testSigner, type TestSigner } from '../helpers/jwt.js';

const ISS = 'https://token.example.com/org';
const KEY = 'token.example.com/org';
const NOW = Date.UTC(2026, 5, 1, 12, 0, 0);

let t: ReturnType<typeof openTestStore>;
let signer: TestSigner;
let token0: string, expired: string, notYet: string, noIss: string, noSub: string, noExp: string, byStranger: string, otherIssuer: string, badTags: string, future: string;

before(async () => {
  t = openTestStore();
  signer = await testSigner('RS256', 'k1');
  call(asRoot(t.store, NOW), 'CreateOpenIDConnectProvider', { Url: `${ISS}/`, ClientIDList: ['app-1', 'app-2'] });
  t.store.tx(() => registerJwks(t.store, ACCOUNT, ISS, { keys: [signer.publicJwk] }, NOW));
  const s = NOW / 1000;
  token0 = await token({ aud: 'nobody' });
  expired = await token({ exp: s });
  notYet = await token({ nbf: s + 30 });
  future = await token({ nbf: s - 10, iat: s + 30 });
  noIss = await token({ iss: undefined });
  noSub = await token({ sub: undefined });
  noExp = await token({ exp: undefined });
  byStranger = await token({}, await testSigner('RS256', 'k1'));
  otherIssuer = await token({ iss: 'https://other.example.com/' });
  badTags = await token({ 'https://aws.amazon.com/tags': { principal_tags: { team: 'blue' } } });
});
after(() => t.dispose());

const verify = (token: string, now = NOW) => t.store.read(() => verifyWebIdentityToken(t.store, ACCOUNT, token, now));
const token = (claims: Record<string, unknown>, s = signer) => signToken(s, { iss: ISS, sub: 'user-1', aud: 'app-1', ...claims }, NOW);

describe('verifyWebIdentityToken', () => {
  test('a good token: subject, the matched client id, the provider and its keys', async () => {
    const id = verify(await token({ aud: ['other', 'app-2'], amr: ['pwd', 'mfa'], azp: 'app-9' }));
    assert.equal(id.providerArn, `arn:aws:iam::${ACCOUNT}:oidc-provider/${KEY}`);
    assert.equal(id.subject, 'user-1');
    assert.equal(id.audience, 'app-2');
    assert.deepEqual(id.keys, { [`${KEY}:sub`]: 'user-1', [`${KEY}:aud`]: 'app-2', [`${KEY}:amr`]: ['pwd', 'mfa'], [`${KEY}:azp`]: 'app-9' });
    assert.deepEqual(id.sessionKeys, { [`${KEY}:sub`]: 'user-1', [`${KEY}:aud`]: 'app-2', [`${KEY}:amr`]: ['pwd', 'mfa'] });
  });

  test('azp stands in for an aud that is not a client id; neither is "Incorrect token audience"', async () => {
    assert.equal(verify(await token({ aud: 'x', azp: 'app-1' })).audience, 'app-1');
    throwsAws(() => verify(token0), 'InvalidIdentityToken', 400, 'Incorrect token audience');
  });

  test('expired (exp at now), not yet valid, issued in the future', async () => {
    const s = NOW / 1000;
    throwsAws(() => verify(expired), 'ExpiredTokenException', 400, `Token expired: current date/time ${s} must be before the expiration date/time ${s}`);
    throwsAws(() => verify(notYet), 'InvalidIdentityToken', 400, /not yet valid/);
    assert.ok(verify(notYet, NOW + 60_000));
    throwsAws(() => verify(future), 'InvalidIdentityToken', 400, /issued in the future/);
  });

  test('missing claims: iss, sub, exp', async () => {
    throwsAws(() => verify(noIss), 'InvalidIdentityToken', 400, /no iss claim/);
    throwsAws(() => verify(noSub), 'InvalidIdentityToken', 400, /no sub claim/);
    throwsAws(() => verify(noExp), 'InvalidIdentityToken', 400, /no exp claim/);
  });

  test('another key, a changed claim, an unknown issuer', async () => {
    const good = await token({});
    throwsAws(() => verify(tamperClaims(good)), 'InvalidIdentityToken', 400, /signature does not verify/);
    throwsAws(() => verify(byStranger), 'InvalidIdentityToken', 400, /signature does not verify/);
    throwsAws(() => verify(otherIssuer), 'InvalidIdentityToken', 400, 'No OpenIDConnect provider found in your account for https://other.example.com/');
  });

  test('session tags and source identity claims', async () => {
    const id = verify(await token({ 'https://aws.amazon.com/tags': { principal_tags: { team: ['blue'], env: ['dev'] }, transitive_tag_keys: ['team'] }, 'https://aws.amazon.com/source_identity': 'alice' }));
    assert.deepEqual(id.tags, [{ Key: 'team', Value: 'blue' }, { Key: 'env', Value: 'dev' }]);
    assert.deepEqual(id.transitiveTagKeys, ['team']);
    assert.equal(id.sourceIdentity, 'alice');
    throwsAws(() => verify(badTags), 'InvalidIdentityToken', 400, /principal_tags/);
  });
});

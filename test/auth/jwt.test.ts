import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeJwt, JwtError, verifyJwtSignature, type JwtProblem } from '../../src/auth/jwt/jwt.js';
import { checkTokenTimes } from '../../src/auth/jwt/claims.js';
import { signToken, tamperClaims, testSigner } from '../helpers/jwt.js';

function problemOf(fn: () => unknown): JwtProblem {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof JwtError, String(err));
    return err.problem;
  }
  assert.fail('expected a JwtError');
}

const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');

describe('JWT signatures (tokens signed by jose)', () => {
  for (const alg of ['RS256', 'ES256', 'PS256'] as const) {
    test(`${alg}: the key that signed verifies; another key, a changed claim or an unknown kid do not`, async () => {
      const signer = await testSigner(alg, 'k1');
      const other = await testSigner(alg, 'k1');
      const token = await signToken(signer, { sub: 'alice' });
      assert.equal(verifyJwtSignature(decodeJwt(token), [signer.publicJwk]).kid, 'k1');
      assert.equal(problemOf(() => verifyJwtSignature(decodeJwt(token), [other.publicJwk])), 'signature');
      assert.equal(problemOf(() => verifyJwtSignature(decodeJwt(tamperClaims(token)), [signer.publicJwk])), 'signature');
      assert.equal(problemOf(() => verifyJwtSignature(decodeJwt(token), [{ ...signer.publicJwk, kid: 'k2' }])), 'no-key');
      // Among several keys, the one with the token's kid is used.
      assert.equal(verifyJwtSignature(decodeJwt(token), [{ ...other.publicJwk, kid: 'k0' }, signer.publicJwk]).kid, 'k1');
    });
  }

  test('a key of another type or curve does not fit', async () => {
    const rsa = await testSigner('RS256', 'k');
    const ec = await testSigner('ES256', 'k');
    const token = await signToken(rsa, { sub: 's' });
    assert.equal(problemOf(() => verifyJwtSignature(decodeJwt(token), [ec.publicJwk])), 'no-key');
    assert.equal(problemOf(() => verifyJwtSignature(decodeJwt(token), [{ ...rsa.publicJwk, alg: 'RS512' }])), 'no-key');
  });

  test('"none" and HMAC are refused whatever the keys', async () => {
    const signer = await testSigner('RS256', 'k');
    const none = `${b64({ alg: 'none' })}.${b64({ sub: 'x' })}.`;
    assert.equal(problemOf(() => verifyJwtSignature(decodeJwt(none), [signer.publicJwk])), 'algorithm');
    const hs = `${b64({ alg: 'HS256', kid: 'k' })}.${b64({ sub: 'x' })}.c2ln`;
    assert.equal(problemOf(() => verifyJwtSignature(decodeJwt(hs), [signer.publicJwk, { kty: 'oct', kid: 'k', k: 'c2VjcmV0' }])), 'algorithm');
  });

  test('what is not a compact JWS is malformed', () => {
    for (const bad of ['', 'abc', 'a.b', 'a.b.c.d', `${b64({ alg: 'RS256' })}.not json!.x`, `${b64([1])}.${b64({})}.x`, `${b64({ typ: 'JWT' })}.${b64({})}.x`]) {
      assert.equal(problemOf(() => decodeJwt(bad)), 'malformed', bad);
    }
  });
});

describe('token times against the server clock', () => {
  const now = Date.UTC(2026, 0, 1, 12, 0, 0);
  const s = now / 1000;
  test('current; expired at exp exactly; no exp', () => {
    assert.equal(checkTokenTimes({ exp: s + 1, iat: s, nbf: s }, now), undefined);
    assert.deepEqual(checkTokenTimes({ exp: s }, now), { problem: 'expired', nowSeconds: s, expSeconds: s });
    assert.deepEqual(checkTokenTimes({ exp: s - 100 }, now), { problem: 'expired', nowSeconds: s, expSeconds: s - 100 });
    assert.deepEqual(checkTokenTimes({ iat: s }, now), { problem: 'no-exp' });
    assert.deepEqual(checkTokenTimes({ exp: String(s + 10) }, now), { problem: 'no-exp' });
  });
  test('not before nbf, not before iat', () => {
    assert.deepEqual(checkTokenTimes({ exp: s + 100, nbf: s + 5 }, now), { problem: 'not-yet-valid', nowSeconds: s, nbfSeconds: s + 5 });
    assert.deepEqual(checkTokenTimes({ exp: s + 100, iat: s + 5 }, now), { problem: 'issued-in-future', nowSeconds: s, iatSeconds: s + 5 });
  });
});

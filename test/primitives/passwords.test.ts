import { test } from 'node:test';
import assert from 'node:assert/strict';
import { scryptSync } from 'node:crypto';
import { DEFAULT_SCRYPT_PARAMS, hashPassword, needsRehash, verifyPassword } from '../../src/auth/passwords.js';

const FAST = { ln: 10, r: 8, p: 1 };

test('hash is self-describing and salted', () => {
  const a = hashPassword('Correct-Horse-9', FAST);
  const b = hashPassword('Correct-Horse-9', FAST);
  assert.match(a, /^\$scrypt\$ln=10,r=8,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
  assert.notEqual(a, b, 'same password, different salts');
  assert.ok(!a.includes('Correct-Horse-9'));
});

test('the encoded hash is really scrypt(password, salt) with the stated parameters', () => {
  const encoded = hashPassword('pässwörd', FAST);
  const [, , , saltB64, hashB64] = encoded.split('$');
  const expected = scryptSync(Buffer.from('pässwörd', 'utf8'), Buffer.from(saltB64, 'base64'), 32, { N: 1024, r: 8, p: 1 });
  assert.deepEqual(Buffer.from(hashB64, 'base64'), expected);
});

test('verify accepts the password and rejects anything else', () => {
  const encoded = hashPassword('Correct-Horse-9', FAST);
  assert.equal(verifyPassword('Correct-Horse-9', encoded), true);
  assert.equal(verifyPassword('correct-Horse-9', encoded), false);
  assert.equal(verifyPassword('Correct-Horse-9 ', encoded), false);
  assert.equal(verifyPassword('', encoded), false);
});

test('default parameters work end to end', () => {
  const encoded = hashPassword('Default-cost-1');
  assert.ok(encoded.startsWith(`$scrypt$ln=${DEFAULT_SCRYPT_PARAMS.ln},r=${DEFAULT_SCRYPT_PARAMS.r},p=${DEFAULT_SCRYPT_PARAMS.p}$`));
  assert.equal(verifyPassword('Default-cost-1', encoded), true);
  assert.equal(needsRehash(encoded), false);
  assert.equal(needsRehash(hashPassword('x', FAST)), true);
});

test('malformed or hostile encodings never verify', () => {
  const good = hashPassword('pw', FAST);
  const [, , params, salt, hash] = good.split('$');
  const bad = [
    '', 'plaintext', '$scrypt$', `$bcrypt$${params}$${salt}$${hash}`,
    `$scrypt$ln=40,r=8,p=1$${salt}$${hash}`, // would need terabytes
    `$scrypt$ln=10,r=0,p=1$${salt}$${hash}`,
    `$scrypt$${params}$$${hash}`,
    `$scrypt$${params}$${salt}$AAAA`,
    `$scrypt$${params}$${salt}$${hash}$extra`,
  ];
  for (const encoded of bad) assert.equal(verifyPassword('pw', encoded), false, encoded);
  assert.equal(needsRehash('garbage'), true);
});

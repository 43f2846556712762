import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hashPassword } from '../../src/auth/passwords.js';
import { AwsError } from '../../src/protocol/errors.js';
import {
  PASSWORD_SYMBOLS, isPasswordExpired, isReusedPassword, noSuchPasswordPolicyError, passwordExpiresAt,
  passwordPolicyFromUpdate, passwordPolicyViolations, validateNewPassword,
} from '../../src/services/iam/login/password-policy.js';

const FAST = { ln: 10, r: 8, p: 1 };

function violation(fn: () => void): AwsError {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof AwsError);
    return e;
  }
  assert.fail('expected PasswordPolicyViolation');
}

test('default policy: minimum length 8, reported alone', () => {
  assert.deepEqual(passwordPolicyViolations('Ab1!', undefined), ['Password should have a minimum length of 8']);
  assert.deepEqual(passwordPolicyViolations('abc', undefined), ['Password should have a minimum length of 8']);
  const e = violation(() => validateNewPassword('Sh0rt!', undefined));
  assert.equal(e.code, 'PasswordPolicyViolation');
  assert.equal(e.status, 400);
  assert.equal(e.fault, 'Sender');
  assert.equal(e.message, 'Password should have a minimum length of 8');
});

test('default policy: three of the four character types, with AWS message', () => {
  assert.deepEqual(passwordPolicyViolations('abcdefgh1', undefined), [
    'Password should meet 1 more of the following requirements: Password should have at least one uppercase letter, Password should have at least one symbol',
  ]);
  assert.deepEqual(passwordPolicyViolations('abcdefghij', undefined), [
    'Password should meet 2 more of the following requirements: Password should have at least one uppercase letter, Password should have at least one number, Password should have at least one symbol',
  ]);
  // Any three of four comply.
  for (const ok of ['Abcdefg1', 'abcdefg1!', 'ABCDEFG1!', 'Abcdefg!', 'Abcdef1!']) {
    assert.deepEqual(passwordPolicyViolations(ok, undefined), [], ok);
    validateNewPassword(ok, undefined);
  }
});

test('UpdateAccountPasswordPolicy replaces the policy, omitted parameters take defaults', () => {
  assert.deepEqual(passwordPolicyFromUpdate({}), {
    MinimumPasswordLength: 6, RequireSymbols: false, RequireNumbers: false, RequireUppercaseCharacters: false,
    RequireLowercaseCharacters: false, AllowUsersToChangePassword: false, ExpirePasswords: false,
  });
  assert.deepEqual(passwordPolicyFromUpdate({ MinimumPasswordLength: 12, RequireNumbers: true, MaxPasswordAge: 90, PasswordReusePrevention: 5, HardExpiry: false }), {
    MinimumPasswordLength: 12, RequireSymbols: false, RequireNumbers: true, RequireUppercaseCharacters: false,
    RequireLowercaseCharacters: false, AllowUsersToChangePassword: false, ExpirePasswords: true, MaxPasswordAge: 90,
    PasswordReusePrevention: 5, HardExpiry: false,
  });
});

test('custom policy: only the required character types count', () => {
  const lax = passwordPolicyFromUpdate({});
  assert.deepEqual(passwordPolicyViolations('aaaaaa', lax), []);
  assert.deepEqual(passwordPolicyViolations('aaaaa', lax), ['Password should have a minimum length of 6']);

  const strict = passwordPolicyFromUpdate({
    MinimumPasswordLength: 10, RequireSymbols: true, RequireNumbers: true, RequireUppercaseCharacters: true, RequireLowercaseCharacters: true,
  });
  assert.deepEqual(passwordPolicyViolations('abcdefghij', strict), [
    'Password should have at least one uppercase letter',
    'Password should have at least one number',
    'Password should have at least one symbol',
  ]);
  assert.deepEqual(passwordPolicyViolations('ABCDEFGHI1!', strict), ['Password should have at least one lowercase letter']);
  assert.deepEqual(passwordPolicyViolations('Abcdefgh1!', strict), []);
  assert.equal(
    violation(() => validateNewPassword('abcdefghij', strict)).message,
    'Password should have at least one uppercase letter, Password should have at least one number, Password should have at least one symbol',
  );
});

test('symbols are exactly the documented set', () => {
  const symbolsOnly = passwordPolicyFromUpdate({ RequireSymbols: true });
  for (const s of PASSWORD_SYMBOLS) assert.deepEqual(passwordPolicyViolations(`abcdef${s}`, symbolsOnly), [], s);
  for (const s of ['.', '~', ' ', '"', '/']) {
    assert.deepEqual(passwordPolicyViolations(`abcdef${s}`, symbolsOnly), ['Password should have at least one symbol'], s);
  }
});

test('password reuse prevention checks only the remembered history', () => {
  const history = ['Newest-pass-1', 'Middle-pass-2', 'Oldest-pass-3'].map((p) => hashPassword(p, FAST));
  const policy = passwordPolicyFromUpdate({ PasswordReusePrevention: 2 });
  assert.equal(isReusedPassword('Newest-pass-1', policy, history), true);
  assert.equal(isReusedPassword('Middle-pass-2', policy, history), true);
  assert.equal(isReusedPassword('Oldest-pass-3', policy, history), false, 'beyond the remembered two');
  assert.equal(isReusedPassword('Newest-pass-1', passwordPolicyFromUpdate({}), history), false, 'no reuse prevention');
  assert.equal(isReusedPassword('Newest-pass-1', undefined, history), false, 'default policy has none');

  const e = violation(() => validateNewPassword('Middle-pass-2', policy, history));
  assert.equal(e.code, 'PasswordPolicyViolation');
  assert.match(e.message, /previous 2 passwords/);
  validateNewPassword('Brand-new-pass-4', policy, history);
});

test('missing custom policy is NoSuchEntity with AWS text', () => {
  const e = noSuchPasswordPolicyError('123456789012');
  assert.equal(e.code, 'NoSuchEntity');
  assert.equal(e.status, 404);
  assert.equal(e.message, 'The Password Policy with domain name 123456789012 cannot be found.');
});

test('password expiry follows MaxPasswordAge', () => {
  const changed = Date.UTC(2024, 0, 1);
  const policy = passwordPolicyFromUpdate({ MaxPasswordAge: 90 });
  assert.equal(passwordExpiresAt(policy, changed), Date.UTC(2024, 2, 31));
  assert.equal(isPasswordExpired(policy, changed, Date.UTC(2024, 2, 30)), false);
  assert.equal(isPasswordExpired(policy, changed, Date.UTC(2024, 2, 31)), true);
  assert.equal(passwordExpiresAt(passwordPolicyFromUpdate({}), changed), undefined);
  assert.equal(passwordExpiresAt(undefined, changed), undefined);
  assert.equal(isPasswordExpired(undefined, changed, Date.UTC(2099, 0, 1)), false);
});
